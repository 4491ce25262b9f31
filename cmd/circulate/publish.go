package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/publisher"
)

// publishing holds one run's posting set-up.
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
	now     time.Time
	why     string // why this is a dry run, for the person reading
}

func ledgerPath(source string) string {
	return filepath.Join(source, filepath.FromSlash(publisher.LedgerPath))
}

// run posts (or, dry run, lists) the new items and returns the report.
// An *publisher.Error of kind Auth comes back as a cliError with exit 3.
func (p *publishing) run(ctx context.Context, e *env, items []*item.Item) (*publisher.Report, error) {
	xc := p.gc.Site.Social.X
	comp, err := publisher.NewComposer(xc.Templates)
	if err != nil {
		return nil, &cliError{code: exitBuild, err: fmt.Errorf("config.yaml: %w", err)}
	}
	creds, missing := publisher.CredentialsFromEnv(e.getenv)
	if len(missing) > 0 && !p.dryRun {
		p.dryRun = true
		p.why = fmt.Sprintf("%s not set", strings.Join(missing, ", "))
	}
	apiURL := xc.APIURL
	if u := e.getenv("CIRCULATE_X_API_URL"); u != "" {
		apiURL = u
	}
	x := publisher.NewX(publisher.XConfig{APIURL: apiURL, Handle: xc.Handle, Timeout: xc.Timeout,
		PricePost: xc.PricePost, PricePostWithLink: xc.PricePostWithLink}, creds)
	path := ledgerPath(p.source)
	if !p.dryRun {
		lock, err := publisher.AcquireLock(path)
		if err != nil {
			return nil, &cliError{code: exitBuild, err: err}
		}
		defer lock.Release()
	}
	l, err := publisher.LoadLedger(path)
	if err != nil {
		return nil, &cliError{code: exitBuild, err: err}
	}
	rep, err := publisher.Publish(ctx, items, l, x, comp, publisher.Options{
		Now: p.now, MaxAge: p.gc.Site.Social.MaxAge, MaxPosts: xc.MaxPostsPerRun, DryRun: p.dryRun,
	})
	if err != nil {
		var pe *publisher.Error
		if errors.As(err, &pe) && pe.Kind == publisher.Auth {
			hints := []string{pe.Hint}
			if pe.Hint == "" {
				hints = nil
			}
			return rep, &cliError{code: exitPosting, err: fmt.Errorf("posting to X failed: %s", pe.Message), hints: hints}
		}
		return rep, &cliError{code: exitPosting, err: fmt.Errorf("posting to X failed: %w", err)}
	}
	return rep, nil
}

// printReport tells what the run did, one line an item that matters.
func (p *publishing) printReport(w io.Writer, rep *publisher.Report) {
	if rep == nil {
		return
	}
	if p.mdOut {
		p.printMarkdown(w, rep)
		return
	}
	if p.jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			DryRun bool   `json:"dry_run"`
			Why    string `json:"why,omitempty"`
			*publisher.Report
		}{p.dryRun, p.why, rep})
		return
	}
	if rep.Baseline {
		verb := "recorded"
		if p.dryRun {
			verb = "would record"
		}
		fmt.Fprintf(w, "x: first run: %s the %d visible items as the baseline in %s; nothing is posted (only items added from now on will be)\n", verb, len(rep.Outcomes), publisher.LedgerPath)
		return
	}
	counts := map[publisher.Action]int{}
	for _, o := range rep.Outcomes {
		counts[o.Action]++
		switch o.Action {
		case publisher.ActSkipped:
			if p.verbose {
				fmt.Fprintf(w, "x: not posting %s, ever: %s\n", o.Item, o.Message)
			}
		case publisher.ActWouldPost:
			fmt.Fprintf(w, "x: would post %s (%d/280, $%.3f):\n    %s\n", o.Item, o.Weight, o.Cost, o.Text)
		case publisher.ActPosted:
			fmt.Fprintf(w, "x: posted %s: %s\n", o.Item, o.PostURL)
		case publisher.ActSettled:
			fmt.Fprintf(w, "x: %s was posted by an earlier run (%s): recorded\n", o.Item, o.PostURL)
		default:
			fmt.Fprintf(w, "x: %s %s: %s\n", o.Action, o.Item, o.Message)
		}
	}
	switch {
	case p.dryRun:
		fmt.Fprintf(w, "x: dry run (%s): %d posts would cost about $%.2f; nothing was posted or recorded\n", p.why, rep.Posted, rep.Cost)
	default:
		fmt.Fprintf(w, "x: posted %d, about $%.2f; %d skipped, %d waiting, %d pending\n", rep.Posted, rep.Cost,
			counts[publisher.ActSkipped], counts[publisher.ActWaiting], counts[publisher.ActPending])
	}
}

// socialPosts reads the social box's posts from the ledger; a ledger that
// cannot be read shows no posts rather than stopping the site.
func socialPosts(source string) []generator.Post {
	l, err := publisher.LoadLedger(ledgerPath(source))
	if err != nil {
		return nil
	}
	var posts []generator.Post
	for _, r := range l.Posts("x") {
		if len(posts) == 10 {
			break
		}
		posts = append(posts, generator.NewPost(r.Text, r.PostURL, r.Item, r.Time))
	}
	return posts
}

func runPublish(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "publish", "[flags]", "Posts new items to X and records them in .circulate/ledger.json.\nWithout X credentials in the environment it shows what it would post.")
	fl.StringVar(&sf.source, "source", ".", "the site's `folder`")
	fl.StringVar(&sf.now, "now", "", "act as of this `time` (for tests and previews)")
	dry := fl.Bool("dry-run", false, "show what would be posted, the texts and the cost; post nothing")
	fl.StringVar(&sf.baseURL, "base-url", "", "use this `URL` instead of base_url from config.yaml (as build does)")
	jsonOut := fl.Bool("json", false, "print the report as JSON")
	mdOut := fl.Bool("markdown", false, "print the report as Markdown (for a CI job summary)")
	baseSite := fl.String("base-site", "", "with --dry-run --markdown: the site before the change (a pull request's base) in this `folder`;\nposts it would make too are listed apart, as due whether or not the change is merged")
	resolve := fl.String("resolve", "", "settle a pending `item`: --resolve events/x posted <post URL>, or --resolve events/x retry")
	if err := fl.parseArgs(args); err != nil {
		return err
	}
	if *resolve != "" {
		return resolvePending(e, sf.source, *resolve, fl.Args())
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
	site, err := generator.Load(ctx, *gc, fsys)
	printDiags(e, sf.source, site.Result.Diags)
	if err != nil {
		return buildFailed(err, site.Result.Diags)
	}
	p := &publishing{gc: gc, source: sf.source, dryRun: *dry, jsonOut: *jsonOut, mdOut: *mdOut, now: nowOf(gc), why: "--dry-run"}
	if !gc.Site.Social.X.Enabled {
		if *mdOut {
			fmt.Fprintln(e.stdout, "### Posts to X\n\nPosting is off (`social.x.enabled` is not true in config.yaml).")
			return nil
		}
		fmt.Fprintln(e.stdout, "x: posting is off (social.x.enabled is not true in config.yaml)")
		return nil
	}
	rep, err := p.run(ctx, e, site.Result.Items)
	if err == nil && *baseSite != "" {
		p.due, p.baseErr = dueAnyway(ctx, e, sf, *baseSite)
	}
	p.printReport(e.stdout, rep)
	return err
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
	p := &publishing{gc: gc, source: dir, dryRun: true, now: nowOf(gc)}
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: e.getenv}
	rep, err := p.run(ctx, quiet, site.Result.Items)
	if err != nil {
		return nil, err
	}
	due := map[string]bool{}
	for _, o := range rep.Outcomes {
		if o.Action == publisher.ActWouldPost {
			due[o.Item] = true
		}
	}
	return due, nil
}

func nowOf(gc *generator.Config) time.Time {
	if gc.Now != nil {
		return gc.Now()
	}
	return time.Now()
}

// resolvePending settles an entry by hand: the librarian looked at the
// account and says whether the post is there.
func resolvePending(e *env, source, id string, args []string) error {
	path := ledgerPath(source)
	lock, err := publisher.AcquireLock(path)
	if err != nil {
		return &cliError{code: exitBuild, err: err}
	}
	defer lock.Release()
	l, err := publisher.LoadLedger(path)
	if err != nil {
		return &cliError{code: exitBuild, err: err}
	}
	ent := l.Get("x", id)
	if ent == nil {
		return usageErr("--resolve: %s has no entry in %s; give the item as section/slug, like events/storytime", id, publisher.LedgerPath)
	}
	switch {
	case len(args) == 2 && args[0] == "posted" && strings.HasPrefix(args[1], "https://"):
		ent.State, ent.PostURL, ent.Error = publisher.Posted, args[1], ""
		ent.PostID = args[1][strings.LastIndex(args[1], "/")+1:]
		fmt.Fprintf(e.stdout, "x: %s recorded as posted (%s)\n", id, args[1])
	case len(args) == 1 && args[0] == "retry":
		l.Delete("x", id)
		fmt.Fprintf(e.stdout, "x: %s will be posted on the next run (if it is still new enough)\n", id)
	default:
		return usageErr("--resolve %s: say `posted <post URL>` or `retry`", id)
	}
	return l.Save()
}
