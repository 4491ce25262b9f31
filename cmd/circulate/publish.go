package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/publisher"
)

// publishing holds one run's posting set-up, as the flags say.
type publishing struct {
	gc      *generator.Config
	source  string
	dryRun  bool
	jsonOut bool
	verbose bool // also list the items skipped for good
	mdOut   bool // Markdown, for a CI job summary
	// due: items the site before the change would post too (--base-site);
	// baseErr: why that could not be worked out.
	due     map[string]bool
	baseErr error
	now     func() time.Time // nil: the real clock
	why     string           // why this is a dry run, for the person reading
	// networks limits the run (--network); empty means every enabled one.
	networks []string
	// written reports whether an item's page is in the site to deploy.
	written func(it *item.Item) bool
}

// setup is the publisher's Setup for this run.
func (p *publishing) setup(e *env) publisher.Setup {
	return publisher.Setup{
		Root: p.source, Config: p.gc.Site, Getenv: e.getenv, Now: p.now,
		DryRun: p.dryRun, Why: p.why, Networks: p.networks, Written: p.written, Sleep: e.sleep,
		Waiting: func(msg string) { fmt.Fprintf(e.stderr, "circulate: %s\n", msg) },
	}
}

// run posts (or, dry run, lists) the new items and returns what the
// publisher did, with its errors turned into exit codes and hints.
func (p *publishing) run(ctx context.Context, e *env, items []*item.Item) (*publisher.Result, error) {
	res, err := publisher.Run(ctx, p.setup(e), items)
	return res, publishErr(err)
}

// runWritten is run for a site whose pages written says are in place.
func (p *publishing) runWritten(ctx context.Context, e *env, items []*item.Item, written func(*item.Item) bool) (*publisher.Result, error) {
	p.written = written
	return p.run(ctx, e, items)
}

// failures turns the posts that need a person (refused for good, or
// pending too long) into the run's failure: exit code 3, and in GitHub
// Actions an ::error annotation on each item's file, so that a failed post
// is never silent. Characters left out of a post are ::warning ones.
func (p *publishing) failures(e *env, res *publisher.Result) error {
	if res == nil {
		return nil
	}
	gh := e.getenv("GITHUB_ACTIONS") == "true"
	for _, rep := range res.Reports {
		for _, o := range rep.Outcomes {
			if !gh || o.File == "" {
				continue
			}
			props := "file=" + ghProp(filepath.ToSlash(filepath.Join(p.source, o.File)))
			if o.Line > 0 {
				props += fmt.Sprintf(",line=%d", o.Line)
			}
			title := ghProp("circulate: post to " + publisher.NetworkTitle(rep.Network))
			switch {
			case o.Action == publisher.ActFailed || o.Action == publisher.ActUnresolved:
				fmt.Fprintf(e.stdout, "::error %s,title=%s::%s\n", props, title, ghData(o.Item+": "+o.Message))
			case len(o.Notes) > 0:
				fmt.Fprintf(e.stdout, "::warning %s,title=%s::%s\n", props, title, ghData(o.Item+": "+strings.Join(o.Notes, "; ")))
			}
		}
	}
	failed := res.Failed()
	if len(failed) == 0 {
		return nil
	}
	var ids []string
	for _, o := range failed {
		ids = append(ids, o.Item)
	}
	return &cliError{code: exitPosting, err: fmt.Errorf("%s could not be posted and %s a person: %s (listed above)",
		countOf(len(failed), "item"), map[bool]string{true: "needs", false: "need"}[len(failed) == 1], strings.Join(ids, ", ")),
		hints: []string{"fix the text a network refused (the title or `tweet:`), and the next run posts it; for a post that stayed pending, look at the account and run `circulate publish --resolve ITEM posted <post URL>` or `--resolve ITEM retry` (docs/publishing.md)"}}
}

// publishErr gives each failure of the publisher its exit code and hints.
func publishErr(err error) error {
	if err == nil {
		return nil
	}
	var ne *publisher.NetworkError
	var pe *publisher.Error
	var ce *publisher.ConfigError
	var re *publisher.ResolveError
	switch {
	case errors.As(err, &ne):
		// One line and hint per network that failed; the others went on.
		var msgs, hints []string
		for _, e := range unjoin(err) {
			if errors.As(e, &ne) {
				msgs = append(msgs, fmt.Sprintf("posting to %s failed: %s", ne.Title, ne.Err.Message))
				if ne.Err.Hint != "" {
					hints = append(hints, ne.Err.Hint)
				}
			}
		}
		return &cliError{code: exitPosting, err: errors.New(strings.Join(msgs, "; ")), hints: hints}
	case errors.As(err, &pe) && pe.Kind == publisher.Auth:
		var hints []string
		if pe.Hint != "" {
			hints = []string{pe.Hint}
		}
		return &cliError{code: exitPosting, err: fmt.Errorf("posting failed: %s", pe.Message), hints: hints}
	case errors.As(err, &ce):
		return &cliError{code: exitBuild, err: err}
	case errors.As(err, &re):
		return usageErr("%s", re.Msg)
	case errors.Is(err, publisher.ErrLocked):
		return &cliError{code: exitBuild, err: err}
	}
	var le *publisher.LedgerError
	if errors.As(err, &le) {
		return &cliError{code: exitBuild, err: err}
	}
	var rec *publisher.RecordError
	if errors.As(err, &rec) {
		return &cliError{code: exitPosting, err: err, hints: []string{
			fmt.Sprintf("the post is made: record it by hand, or a run that has lost this entry would post it again: fix what stopped the save, then run `circulate publish --resolve %s posted %s` and commit %s", rec.Item, rec.PostURL, publisher.LedgerPath)}}
	}
	return &cliError{code: exitPosting, err: fmt.Errorf("posting failed: %w", err)}
}

// unjoin lists the errors an errors.Join holds (or err alone).
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// printReport tells what the run did, one line an item that matters.
func (p *publishing) printReport(w io.Writer, res *publisher.Result) {
	if res == nil {
		return
	}
	if p.jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		for _, rep := range res.Reports {
			_ = enc.Encode(rep)
		}
		return
	}
	for _, rep := range res.Reports {
		if p.mdOut {
			p.printMarkdown(w, rep)
			continue
		}
		p.printText(w, rep)
	}
}

func (p *publishing) printText(w io.Writer, rep *publisher.Report) {
	name := rep.Network
	notes := func(o publisher.Outcome) {
		for _, n := range o.Notes {
			fmt.Fprintf(w, "    note: %s\n", n)
		}
	}
	if rep.Baseline {
		verb := "recorded"
		if rep.DryRun {
			verb = "would record"
		}
		fmt.Fprintf(w, "%s: first run: %s the %s as the baseline in %s; nothing is posted (only items added from now on will be)\n", name, verb, countOf(len(rep.Outcomes), "visible item"), publisher.LedgerPath)
		if len(rep.Samples) > 0 {
			fmt.Fprintf(w, "%s: after that, new items are posted like this (the newest of each kind here):\n", name)
			for _, o := range rep.Samples {
				fmt.Fprintf(w, "    %s\n", o.Text)
				notes(o)
			}
		}
		return
	}
	counts := map[publisher.Action]int{}
	for _, o := range rep.Outcomes {
		counts[o.Action]++
		switch o.Action {
		case publisher.ActSkipped:
			if p.verbose {
				fmt.Fprintf(w, "%s: not posting %s, ever: %s\n", name, o.Item, o.Message)
			}
		case publisher.ActWouldPost:
			fmt.Fprintf(w, "%s: would post %s (%d/%d%s):\n    %s\n", name, o.Item, o.Weight, o.Limit, costNote(rep, o.Cost, 3), o.Text)
		case publisher.ActPosted:
			fmt.Fprintf(w, "%s: posted %s: %s\n", name, o.Item, o.PostURL)
		case publisher.ActSettled:
			at := ""
			if o.PostURL != "" {
				at = " (" + o.PostURL + ")"
			}
			fmt.Fprintf(w, "%s: %s was posted by an earlier run%s: recorded\n", name, o.Item, at)
		default:
			fmt.Fprintf(w, "%s: %s %s: %s\n", name, o.Action, o.Item, o.Message)
		}
		notes(o)
	}
	problems := ""
	if n := counts[publisher.ActFailed] + counts[publisher.ActUnresolved]; n > 0 {
		problems = fmt.Sprintf(", %d failed", n)
	}
	switch {
	case rep.DryRun && billed(rep):
		fmt.Fprintf(w, "%s: dry run (%s): %s would cost about $%.2f; nothing was posted or recorded\n", name, rep.Why, countOf(rep.Posted, "post"), rep.Cost)
	case rep.DryRun:
		fmt.Fprintf(w, "%s: dry run (%s): %s; nothing was posted or recorded\n", name, rep.Why, countOf(rep.Posted, "post"))
	default:
		cost := ""
		if billed(rep) {
			cost = fmt.Sprintf(", about $%.2f", rep.Cost)
		}
		fmt.Fprintf(w, "%s: posted %d%s; %d skipped, %d waiting, %d pending%s\n", name, rep.Posted, cost,
			counts[publisher.ActSkipped], counts[publisher.ActWaiting], counts[publisher.ActPending], problems)
	}
}

// billed reports whether the network bills posts (X does; Mastodon and
// Bluesky do not), so that costs are shown only where there is one.
func billed(rep *publisher.Report) bool { return rep.Network == "x" }

// costNote is ", $0.200" for a billed network, "" otherwise.
func costNote(rep *publisher.Report, cost float64, digits int) string {
	if !billed(rep) {
		return ""
	}
	return fmt.Sprintf(", $%.*f", digits, cost)
}

// socialPosts are the social box's posts: each network's from the last
// snapshot of its timeline, X's from the ledger (unless read_timeline).
// Nothing here stops a site from being built.
func socialPosts(gc *generator.Config, source string) []generator.Post {
	var posts []generator.Post
	for _, fp := range publisher.SitePosts(publisher.Setup{Root: source, Config: gc.Site}) {
		parts := make([]generator.PostPart, len(fp.Parts))
		for i, p := range fp.Parts {
			parts[i] = generator.PostPart{Text: p.Text, Link: p.Link}
		}
		var alts []string
		for _, im := range fp.Images {
			alts = append(alts, im.Alt)
		}
		posts = append(posts, generator.NewPostParts(fp.Network, fp.URL, fp.Created, parts, alts))
	}
	return posts
}

// refreshTimeline reads the accounts' recent posts into the snapshot (as
// posting does: in CI or with --publish); a network that cannot be read
// keeps its last posts, with a warning. A server that shows a public
// account's posts only to signed-in apps is no fault of the site's: -v
// says so.
func (p *publishing) refreshTimeline(ctx context.Context, e *env) {
	st, err := publisher.RefreshTimeline(ctx, p.setup(e))
	for _, s := range st {
		if s.Err != nil {
			fmt.Fprintf(e.stderr, "circulate: warning: %s: could not read the account's recent posts (%v); the site shows the last ones read\n", s.Network, s.Err)
		}
		if s.Note != "" && p.verbose {
			fmt.Fprintf(e.stdout, "%s: feed not read: %s\n", s.Network, s.Note)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "circulate: warning: could not save %s: %v\n", publisher.TimelinePath, err)
	}
}

func runPublish(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "publish", "[flags]", "Posts new items to X, Mastodon and Bluesky (those enabled in config.yaml) and records them in\n.circulate/ledger.json. A network without its credentials in the environment shows what it would post.")
	fl.StringVar(&sf.source, "source", ".", "the site's `folder`")
	fl.StringVar(&sf.now, "now", "", "preview as of this `time`: what would be posted then (never posts)")
	dry := fl.Bool("dry-run", false, "show what would be posted, the texts and the cost; post nothing")
	fl.StringVar(&sf.baseURL, "base-url", "", "use this `URL` instead of base_url from config.yaml (as build does)")
	jsonOut := fl.Bool("json", false, "print the report as JSON")
	mdOut := fl.Bool("markdown", false, "print the report as Markdown (for a CI job summary)")
	baseSite := fl.String("base-site", "", "with --dry-run --markdown: the site before the change (a pull request's base) in this `folder`;\nposts it would make too are listed apart, as due whether or not the change is merged")
	network := fl.String("network", "", "post to this `network` only (x, mastodon or bluesky; several with commas)")
	builtSite := fl.String("site", "", "the built `folder` the posts link into (default: public/ in the site folder); an item is posted only if its page is there")
	resolve := fl.String("resolve", "", "settle an `item` by hand: --resolve events/x posted <post URL>, retry, skip or deleted (docs/publishing.md)")
	if err := fl.parseArgs(args); err != nil {
		return err
	}
	if *resolve != "" {
		return resolvePending(ctx, e, &sf, *resolve, *network, fl.Args())
	}
	if fl.NArg() > 0 {
		return usageErr("publish: unexpected argument %q", fl.Arg(0))
	}
	if *jsonOut && *mdOut {
		return usageErr("publish: --json and --markdown: choose one")
	}
	if *baseSite != "" && (!*dry || !*mdOut) {
		return usageErr("publish: --base-site goes with --dry-run --markdown")
	}
	gc, fsys, err := sf.load(e)
	if err != nil {
		return err
	}
	site, err := loadSite(ctx, e, gc, fsys, sf.source)
	if err != nil {
		return err
	}
	p := &publishing{gc: gc, source: sf.source, dryRun: *dry, jsonOut: *jsonOut, mdOut: *mdOut}
	if *dry {
		p.why = "--dry-run"
	}
	if sf.now != "" {
		// A preview as of another time: never a post (posting always uses
		// the real clock), but what would be posted as of then.
		when := gc.Now().Format("2006-01-02 15:04 MST")
		if !*dry && !*jsonOut && !*mdOut {
			fmt.Fprintf(e.stdout, "%s: not posting: --now %s is a preview; posting always uses the real clock (run without --now to post)\n",
				strings.Join(publisher.Enabled(gc.Site), ", "), sf.now)
		}
		p.dryRun, p.now, p.why = true, gc.Now, "--now: as of "+when
	}
	// Posts link to the items' pages: only items whose page is in the
	// built site (public/, or --site) are posted.
	siteDir := *builtSite
	if siteDir == "" {
		siteDir = filepath.Join(sf.source, "public")
	}
	p.written = func(it *item.Item) bool {
		st, err := os.Stat(filepath.Join(siteDir, filepath.FromSlash(generator.PageFile(it))))
		return err == nil && st.Mode().IsRegular()
	}
	nets, err := networksFlag(*network)
	if err != nil {
		return err
	}
	p.networks = nets
	if len(publisher.Enabled(gc.Site)) == 0 {
		if *mdOut {
			fmt.Fprintln(e.stdout, "### Posts\n\nPosting is off (no network has `enabled: true` under `social:` in config.yaml).")
			return nil
		}
		fmt.Fprintln(e.stdout, "posting is off (no network has enabled: true under social: in config.yaml)")
		return nil
	}
	res, err := p.run(ctx, e, site.Result.Items)
	if err == nil && *baseSite != "" {
		p.due, p.baseErr = dueAnyway(ctx, e, sf, *baseSite)
	}
	p.printReport(e.stdout, res)
	if err == nil && !*jsonOut && !*mdOut {
		err = p.failures(e, res)
	}
	return err
}

// networksFlag reads --network: names of networks, separated by commas.
func networksFlag(v string) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	known := publisher.NetworkNames()
	var out []string
	for _, n := range strings.Split(v, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if !slices.Contains(known, n) {
			return nil, usageErr("--network %q: the networks are %s", n, strings.Join(known, ", "))
		}
		out = append(out, n)
	}
	return out, nil
}

// dueAnyway runs the dry run on the site before the change and returns
// what it would post: those posts are not the change's doing.
func dueAnyway(ctx context.Context, e *env, sf siteFlags, dir string) (map[string]bool, error) {
	sf.source = dir
	gc, fsys, diags, err := sf.loadConfig()
	if err != nil || diags.HasErrors() {
		return nil, fmt.Errorf("its config.yaml does not load")
	}
	site, err := generator.Load(ctx, *gc, fsys)
	if err != nil {
		return nil, fmt.Errorf("it does not build: %v", err)
	}
	p := &publishing{gc: gc, source: dir, dryRun: true, now: gc.Now}
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: e.getenv}
	res, err := p.run(ctx, quiet, site.Result.Items)
	if err != nil {
		return nil, err
	}
	due := map[string]bool{}
	for _, rep := range res.Reports {
		for _, o := range rep.Outcomes {
			if o.Action == publisher.ActWouldPost {
				due[rep.Network+" "+o.Item] = true
			}
		}
	}
	return due, nil
}

// resolvePending settles an entry by hand: the librarian looked at the
// account and says whether the post is there.
func resolvePending(ctx context.Context, e *env, sf *siteFlags, id, network string, args []string) error {
	defer sf.close()
	nets, err := networksFlag(network)
	if err != nil {
		return err
	}
	if len(nets) > 1 {
		return usageErr("--resolve: give one network with --network, not %d", len(nets))
	}
	r := publisher.Resolution{Item: id}
	if len(nets) == 1 {
		r.Network = nets[0]
	}
	if len(args) > 0 {
		r.Verb = args[0]
	}
	if len(args) > 1 {
		r.URL = args[1]
	}
	if len(args) > 2 || (r.Verb != "posted" && len(args) > 1) {
		return usageErr("--resolve %s: say `posted <post URL>`, `retry`, `skip` or `deleted`", id)
	}
	s := publisher.Setup{Root: sf.source,
		Waiting: func(msg string) { fmt.Fprintf(e.stderr, "circulate: %s\n", msg) }}
	// The config, if it loads, says where the site is (base_url): what a
	// ledger from before item records knows of an item is its URL.
	if gc, _, diags, err := sf.loadConfig(); err == nil && !diags.HasErrors() && gc != nil {
		s.Config = gc.Site
	}
	msg, err := publisher.Resolve(ctx, s, r)
	if err != nil {
		return publishErr(err)
	}
	fmt.Fprintln(e.stdout, msg)
	return nil
}
