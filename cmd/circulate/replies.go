package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/publisher"
)

// runReplies lists replies and mentions for staff to answer: on the
// terminal, as JSON, or as Markdown for the CI job summary. Never on the
// website: patrons did not ask to be published there.
func runReplies(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "replies", "[flags]", "Lists the replies to the library's posts and the mentions of its accounts since the last\nlisting (or --since), on every network enabled in config.yaml, newest first, with a link to answer.")
	fl.StringVar(&sf.source, "source", ".", "the site's `folder`")
	sinceFlag := fl.String("since", "", "list what came after this `time` (2026-12-05 or RFC 3339) instead of since the last recorded listing")
	jsonOut := fl.Bool("json", false, "print the replies as JSON")
	mdOut := fl.Bool("markdown", false, "print the replies as Markdown (for a CI job summary)")
	network := fl.String("network", "", "only this `network` (x, mastodon or bluesky; several with commas)")
	record := fl.Bool("record", false, "remember the newest reply's time in .circulate/replies.json, so the next listing shows only newer ones (CI does)")
	if err := fl.parse(args); err != nil {
		return err
	}
	if *jsonOut && *mdOut {
		return usageErr("replies: --json and --markdown: choose one")
	}
	gc, _, err := sf.load(e)
	if err != nil {
		return err
	}
	var since time.Time
	if *sinceFlag != "" {
		t, _, err := fields.ParseTime(*sinceFlag, gc.Site.Location)
		if err != nil {
			return usageErr("--since %q is not a time: write it like 2026-12-05 or 2026-12-05T10:30", *sinceFlag)
		}
		since = t
	}
	nets, err := networksFlag(*network)
	if err != nil {
		return err
	}
	res, err := publisher.ListReplies(ctx, publisher.Setup{Root: sf.source, Config: gc.Site, Getenv: e.getenv, Networks: nets}, since, *record)
	switch {
	case *jsonOut:
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		replies := res.Replies
		if replies == nil {
			replies = []publisher.Reply{}
		}
		_ = enc.Encode(replies)
	case *mdOut:
		printRepliesMarkdown(e.stdout, gc.Site.Location, res)
	default:
		printReplies(e.stdout, gc.Site.Location, res)
	}
	for _, st := range res.Status {
		var pe *publisher.Error
		if st.Err != nil && !(errors.As(st.Err, &pe) && pe.Kind == publisher.Auth) {
			fmt.Fprintf(e.stderr, "circulate: warning: %s: could not read replies: %v\n", publisher.NetworkTitle(st.Network), st.Err)
		}
	}
	return repliesErr(err)
}

// repliesErr is exit code 3 when a network refused the credentials, with
// what to check; other failures were warnings.
func repliesErr(err error) error {
	if err == nil {
		return nil
	}
	var msgs, hints []string
	for _, e := range unjoin(err) {
		var ne *publisher.NetworkError
		if errors.As(e, &ne) {
			msgs = append(msgs, fmt.Sprintf("reading the replies on %s failed: %s", ne.Title, ne.Err.Message))
			if ne.Err.Hint != "" {
				hints = append(hints, ne.Err.Hint)
			}
		}
	}
	if len(msgs) == 0 {
		return publishErr(err)
	}
	return &cliError{code: exitPosting, err: errors.New(strings.Join(msgs, "; ")), hints: hints}
}

// answers says what a reply answers: `replied to URL (our post of
// "Title")`, or "mentioned us".
func answers(r publisher.Reply) string {
	if r.InReplyTo == "" {
		return "mentioned us"
	}
	s := "replied to " + r.InReplyTo
	if t := cmp.Or(r.ItemTitle, r.Item); t != "" {
		s += " (our post of “" + t + "”)"
	}
	return s
}

func printReplies(w io.Writer, loc *time.Location, res *publisher.RepliesResult) {
	fmt.Fprintf(w, "replies and mentions since %s: %d\n", res.Since.In(loc).Format("Jan 2, 2006 15:04 MST"), len(res.Replies))
	for _, r := range res.Replies {
		what := answers(r)
		fmt.Fprintf(w, "\n%s: %s (%s) %s, %s:\n", publisher.NetworkTitle(r.Network), r.Author, r.Handle, what, r.Created.In(loc).Format("Jan 2 15:04"))
		for _, line := range splitLines(r.Text) {
			fmt.Fprintf(w, "    %s\n", line)
		}
		fmt.Fprintf(w, "  answer: %s\n", r.URL)
	}
	for _, st := range res.Status {
		if st.Skipped != "" {
			fmt.Fprintf(w, "%s: not read: %s\n", st.Network, st.Skipped)
		}
	}
}

func printRepliesMarkdown(w io.Writer, loc *time.Location, res *publisher.RepliesResult) {
	fmt.Fprintf(w, "### Replies and mentions waiting for an answer\n\n")
	if len(res.Replies) == 0 {
		fmt.Fprintf(w, "None since %s.\n", res.Since.In(loc).Format("Jan 2, 2006 15:04 MST"))
	} else {
		fmt.Fprintf(w, "Since %s, newest first. Answer on the network itself; they are not shown on the website.\n\n", res.Since.In(loc).Format("Jan 2, 2006 15:04 MST"))
	}
	for _, r := range res.Replies {
		what := "mentioned us"
		if r.InReplyTo != "" {
			what = fmt.Sprintf("replied to [our post](%s)", r.InReplyTo)
			if t := cmp.Or(r.ItemTitle, r.Item); t != "" {
				what += " of “" + mdEscape(t) + "”"
			}
		}
		fmt.Fprintf(w, "- **%s** %s (%s) %s, %s: %s [Answer](%s)\n", publisher.NetworkTitle(r.Network), mdEscape(r.Author), mdEscape(r.Handle), what,
			r.Created.In(loc).Format("Jan 2 15:04"), mdEscape(r.Text), r.URL)
	}
	for _, st := range res.Status {
		switch {
		case st.Skipped != "":
			fmt.Fprintf(w, "\n_%s: not read: %s._\n", publisher.NetworkTitle(st.Network), mdEscape(st.Skipped))
		case st.Err != nil:
			fmt.Fprintf(w, "\n_%s: could not be read: %s._\n", publisher.NetworkTitle(st.Network), mdEscape(st.Err.Error()))
		}
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
