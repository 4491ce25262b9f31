package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/circulate-dev/circulate/publisher"
)

// printMarkdown writes the report as Markdown, for a CI job summary (a
// pull request's "what merging would post"): every post text exactly, in a
// code block, with its length as X counts it and its cost.
func (p *publishing) printMarkdown(w io.Writer, rep *publisher.Report) {
	fmt.Fprintf(w, "### Posts to %s\n\n", mdEscape(publisher.Account(p.gc.Site, rep.Network)))
	if rep.Baseline {
		verb := "recorded"
		if rep.DryRun {
			verb = "would be recorded"
		}
		fmt.Fprintf(w, "First run: nothing is posted. The %s on the site %s as the baseline in `%s`; only items added after that are posted.\n",
			countOf(len(rep.Outcomes), "item"), verb, publisher.LedgerPath)
		if len(rep.Samples) > 0 {
			fmt.Fprintln(w, "\nAfter that, new items are posted like these (the newest of each kind here):")
			writePosts(w, rep, rep.Samples)
		}
		p.mdFooter(w, rep)
		return
	}
	by := map[publisher.Action][]publisher.Outcome{}
	for _, o := range rep.Outcomes {
		by[o.Action] = append(by[o.Action], o)
	}
	var toPost, due []publisher.Outcome
	for _, o := range append(by[publisher.ActWouldPost], by[publisher.ActPosted]...) {
		if p.due[rep.Network+" "+o.Item] {
			due = append(due, o)
		} else {
			toPost = append(toPost, o)
		}
	}
	cost := 0.0
	for _, o := range toPost {
		cost += o.Cost
	}
	verb := "Would post"
	if p.due != nil {
		verb = "Merging would post"
	}
	switch {
	case len(toPost) == 0:
		fmt.Fprintln(w, "Nothing new to post.")
	case rep.DryRun && billed(rep):
		fmt.Fprintf(w, "%s %s, about **$%.2f** (estimated from `social.x.prices` in config.yaml):\n", verb, countOf(len(toPost), "item"), cost)
	case rep.DryRun:
		fmt.Fprintf(w, "%s %s:\n", verb, countOf(len(toPost), "item"))
	case billed(rep):
		fmt.Fprintf(w, "Posted %s, about **$%.2f**:\n", countOf(len(toPost), "item"), cost)
	default:
		fmt.Fprintf(w, "Posted %s:\n", countOf(len(toPost), "item"))
	}
	writePosts(w, rep, toPost)
	if len(due) > 0 {
		fmt.Fprintf(w, "\nDue anyway: the next run on main posts %s whether or not this is merged:\n", countOf(len(due), "more item"))
		writePosts(w, rep, due)
	}
	if p.baseErr != nil {
		fmt.Fprintf(w, "\n_Could not compare with the base of this change (%s): some of these may be due on main anyway._\n", mdEscape(p.baseErr.Error()))
	}
	sections := []struct {
		act   publisher.Action
		title string
	}{
		{publisher.ActFailed, "Refused by " + publisher.NetworkTitle(rep.Network) + ": fix the text, and the next run posts it"},
		{publisher.ActUnresolved, "Needs a person: may have been posted, and circulate could not find out"},
		{publisher.ActRenamed, "Renamed: the same items as before, not posted again"},
		{publisher.ActSettled, "Found among the account's posts (posted by an earlier run), recorded"},
		{publisher.ActWaiting, "Left for a later run"},
		{publisher.ActPending, "Pending: may have been posted, settled by the next runs"},
		{publisher.ActSkipped, "Never posted"},
	}
	for _, s := range sections {
		if len(by[s.act]) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n\n", s.title)
		for _, o := range by[s.act] {
			fmt.Fprintf(w, "- `%s` %s", o.Item, mdEscape(o.Title))
			if o.PostURL != "" {
				fmt.Fprintf(w, " <%s>", o.PostURL)
			}
			if o.Message != "" {
				fmt.Fprintf(w, ": %s", mdEscape(o.Message))
			}
			fmt.Fprintln(w)
		}
	}
	p.mdFooter(w, rep)
}

// writePosts writes a table of the posts, then each text exactly.
func writePosts(w io.Writer, rep *publisher.Report, posts []publisher.Outcome) {
	if len(posts) == 0 {
		return
	}
	title := publisher.NetworkTitle(rep.Network)
	if billed(rep) {
		fmt.Fprintln(w, "\n| item | title | length | cost |\n|---|---|--:|--:|")
	} else {
		fmt.Fprintln(w, "\n| item | title | length |\n|---|---|--:|")
	}
	for _, o := range posts {
		cost := ""
		if billed(rep) {
			cost = fmt.Sprintf(" $%.3f |", o.Cost)
		}
		fmt.Fprintf(w, "| `%s` | %s | %d/%d |%s\n", o.Item, mdEscape(o.Title), o.Weight, o.Limit, cost)
	}
	for _, o := range posts {
		fmt.Fprintf(w, "\n#### `%s`: %s\n\n", o.Item, mdEscape(o.Title))
		if o.PostURL != "" {
			fmt.Fprintf(w, "Posted: <%s>\n\n", o.PostURL)
		}
		fmt.Fprintf(w, "%d/%d as %s counts it%s\n\n", o.Weight, o.Limit, title, costNote(rep, o.Cost, 3))
		fence := codeFence(o.Text)
		fmt.Fprintf(w, "%stext\n%s\n%s\n", fence, o.Text, fence)
		for _, n := range o.Notes {
			fmt.Fprintf(w, "\n_Note: %s_\n", mdEscape(n))
		}
	}
}

func (p *publishing) mdFooter(w io.Writer, rep *publisher.Report) {
	if rep.DryRun {
		fmt.Fprintf(w, "\n_Dry run (%s): nothing was posted or recorded._\n", mdEscape(rep.Why))
	}
}

// mdEscape escapes the characters that Markdown (GitHub's included) would
// read as markup in running text or a table cell.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '!', '&':
			b.WriteByte('\\')
		case '\n', '\r':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeFence is a fence of backticks longer than any run of them in text.
func codeFence(text string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
