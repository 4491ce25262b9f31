package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/sitefs"
	"github.com/circulate-dev/circulate/publisher"
)

func osGetenv(k string) string { return os.Getenv(k) }

// siteFlags are the flags build, check and serve share.
type siteFlags struct {
	source, now, baseURL string
	drafts, future       bool
	// The site's folder, opened once (sitefs: nothing outside it can be
	// read) and kept for the command's run: serve loads after every edit.
	fsys     fs.FS
	closeFS  func() error
	openedAs string // the source fsys is of: a copy may be given another
}

// open opens the site's folder, once.
func (sf *siteFlags) open() (fs.FS, error) {
	if sf.fsys == nil || sf.openedAs != sf.source {
		fsys, closeFS, err := sitefs.Open(sf.source)
		if err != nil {
			return nil, err
		}
		sf.fsys, sf.closeFS, sf.openedAs = fsys, closeFS, sf.source
	}
	return sf.fsys, nil
}

// close releases the site's folder.
func (sf *siteFlags) close() {
	if sf.closeFS != nil {
		_ = sf.closeFS()
		sf.fsys, sf.closeFS = nil, nil
	}
}

func (sf *siteFlags) register(fs *flags) {
	fs.StringVar(&sf.source, "source", ".", "the site's `folder` (with config.yaml and content/)")
	fs.StringVar(&sf.now, "now", "", "build as of this `time` (2026-12-05 or RFC 3339), to preview another day")
	fs.StringVar(&sf.baseURL, "base-url", "", "use this `URL` instead of base_url from config.yaml")
	fs.BoolVar(&sf.drafts, "drafts", false, "include drafts, marked \"Draft\"")
	fs.BoolVar(&sf.future, "future", false, "include items dated in the future")
}

// load reads the config and prepares a generator.Config; the config's
// warnings are printed, its errors returned.
func (sf *siteFlags) load(e *env) (*generator.Config, fs.FS, error) {
	gc, fsys, diags, err := sf.loadConfig()
	printDiags(e, sf.source, diags)
	if diags.HasErrors() {
		return nil, nil, &cliError{code: exitBuild, err: errors.New("config.yaml has errors (listed above)"),
			hints: []string{"fix the lines named above and run again"}}
	}
	return gc, fsys, err
}

// loadConfig is load without printing: the config's problems come back as
// diagnostics (with a nil Config when there are errors).
func (sf *siteFlags) loadConfig() (*generator.Config, fs.FS, diag.List, error) {
	fsys, err := sf.open()
	if err != nil {
		// No folder there (or not one that can be opened): config.Load
		// says so as it does for a folder without config.yaml.
		_, diags := config.Load(os.DirFS(sf.source))
		if diags.HasErrors() {
			return nil, nil, diags, nil
		}
		return nil, nil, diags, &cliError{code: exitBuild, err: fmt.Errorf("cannot open the site's folder: %w", err)}
	}
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		return nil, nil, diags, nil
	}
	if sf.baseURL != "" {
		u, err := config.ParseBaseURL(sf.baseURL)
		if err != nil {
			return nil, nil, diags, usageErr("--base-url %v", err)
		}
		cfg.BaseURL = u
	}
	gc := &generator.Config{Site: cfg, Drafts: sf.drafts, Future: sf.future}
	// The moment this run builds as of, read once: the site and the
	// publisher must agree on what is visible, upcoming and past.
	now := time.Now()
	if sf.now != "" {
		t, _, err := fields.ParseTime(sf.now, cfg.Location)
		if err != nil {
			return nil, nil, diags, usageErr("--now %q is not a time: write it like 2026-12-05, 2026-12-05T10:30 or 2026-12-05T10:30:00-05:00", sf.now)
		}
		now = t
	}
	gc.Now = func() time.Time { return now }
	return gc, fsys, diags, nil
}

// printDiags prints diagnostics with paths as seen from the current folder.
func printDiags(e *env, source string, diags diag.List) {
	for _, d := range diags {
		if source != "." && source != "" {
			d.File = filepath.ToSlash(filepath.Join(source, d.File))
		}
		fmt.Fprintln(e.stderr, d.String())
	}
}

func runBuild(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "build", "[flags]", "Builds the site into public/ (or --out). A failed build leaves the previous site as it was.\nIn CI (CI=true) or with --publish, and with X credentials set, it posts new items first.")
	sf.register(fl)
	out := fl.String("out", "", "write the site to this `folder` (default: public/ in the site folder)")
	pub := fl.Bool("publish", false, "post new items even outside CI (needs the X credentials)")
	noPub := fl.Bool("no-publish", false, "never post, even in CI")
	network := fl.String("network", "", "post to this `network` only (x, mastodon or bluesky; several with commas)")
	quiet := fl.Bool("quiet", false, "print only problems and posts: no progress bar, no summary")
	verbose := fl.Bool("v", false, "also list what was left out and why (drafts, future items, items not posted)")
	if err := fl.parse(args); err != nil {
		return err
	}
	start := time.Now()
	defer sf.close()
	gc, fsys, err := sf.load(e)
	if err != nil {
		return err
	}
	var bar *progressBar
	if !*quiet && isTerminal(e, e.stderr) {
		bar = newProgressBar(e.stderr, time.Now)
		gc.Progress = bar.update
	}
	site, err := loadSite(ctx, e, gc, fsys, sf.source)
	if err != nil {
		return err
	}

	// Posting: in CI or with --publish; never for a --now preview, whose
	// clock is not the real one (posting always uses the real clock).
	posting := len(publisher.Enabled(gc.Site)) > 0 && !*noPub
	requested := *pub || e.getenv("CI") == "true"
	var p *publishing
	if posting {
		p = &publishing{gc: gc, source: sf.source, verbose: *verbose}
		if p.networks, err = networksFlag(*network); err != nil {
			return err
		}
		switch {
		case sf.now != "":
			if requested || *verbose {
				fmt.Fprintf(e.stdout, "%s: not posting: --now builds a preview as of %s; posting always uses the real clock (build without --now to post)\n",
					strings.Join(publisher.Enabled(gc.Site), ", "), gc.Now().Format("2006-01-02 15:04 MST"))
			}
			p = nil
		case !requested:
			p.dryRun, p.why = true, "not in CI; run with --publish to post"
		}
	}

	// The site is written first: an item is posted only once its page is
	// in the site this run deploys, so a render error means no posts.
	dir := *out
	if dir == "" {
		dir = filepath.Join(sf.source, "public")
	}
	dst, err := generator.NewDirOutput(dir)
	if err != nil {
		return &cliError{code: exitBuild, err: err}
	}
	shown := socialPosts(gc, sf.source)
	res, err := site.Render(ctx, shown, dst)
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		_ = dst.Abort()
		return buildFailed(err, res.Diags)
	}
	if err := dst.Commit(); err != nil {
		return &cliError{code: exitBuild, err: err}
	}

	var pubErr error
	if p != nil {
		var pres *publisher.Result
		pres, pubErr = p.runWritten(ctx, e, site.Result.Items, func(it *item.Item) bool { return dst.Has(generator.PageFile(it)) })
		// A plain local build prints its one line; what X would get is
		// for CI, --publish and -v.
		if !p.dryRun || *verbose {
			p.printReport(e.stdout, pres)
		}
		if pubErr == nil {
			pubErr = p.failures(e, pres)
		}
		if !p.dryRun {
			p.refreshTimeline(ctx, e)
		}
		if err := refreshPosts(ctx, site, socialPosts(gc, sf.source), shown, dst.Dir()); err != nil {
			return &cliError{code: exitBuild, err: fmt.Errorf("the site is written, but its social box could not be updated with the new posts: %w", err)}
		}
	}
	if *verbose {
		printSkipped(e.stdout, sf.source, res.Skipped)
	}
	if *quiet {
		return pubErr
	}
	fmt.Fprintf(e.stdout, "built %s into %s: %s, %s, %s in %s\n",
		countOf(countVisible(res), "item"), dst.Dir(), countOf(res.Pages, "page"),
		countOf(res.Feeds, "feed or calendar", "feeds and calendars"), countOf(res.Files, "file"), time.Since(start).Round(time.Millisecond))
	return pubErr
}

// loadSite loads the site with a redirect page at each old address of
// an item that the post ledger knows (see loadMoved): posts link to them.
func loadSite(ctx context.Context, e *env, gc *generator.Config, fsys fs.FS, source string) (*generator.Site, error) {
	if gc.Cache == nil {
		gc.Cache = generator.NewCache()
	}
	site, _, merr, err := loadMoved(ctx, gc, fsys, source, nil)
	if merr != nil {
		fmt.Fprintf(e.stderr, "circulate: warning: %v\n", merr)
	}
	printSummed(e, source, site.Result.Diags)
	if err != nil {
		return nil, buildFailed(err, site.Result.Diags)
	}
	return site, nil
}

// refreshPosts writes the site again when the posts its social box shows
// changed (this run posted, or read the accounts' timelines): the site was
// written before posting. The box is on every page of the built-in theme;
// unchanged files are linked from the build before, and the site is put
// in place in one step, as every build is.
func refreshPosts(ctx context.Context, site *generator.Site, posts, shown []generator.Post, dir string) error {
	if reflect.DeepEqual(posts, shown) {
		return nil
	}
	dst, err := generator.NewDirOutput(dir)
	if err != nil {
		return err
	}
	if _, err := site.Render(ctx, posts, dst); err != nil {
		_ = dst.Abort()
		return err
	}
	return dst.Commit()
}

// printSkipped lists the items left off the site, so nothing is left out
// silently, with how to see each one.
func printSkipped(w io.Writer, source string, skipped []generator.Skip) {
	for _, sk := range skipped {
		how := ""
		switch {
		case sk.Item.Draft:
			how = " (preview with --drafts; delete `draft: true` to publish)"
		case !sk.Item.Date.IsZero():
			how = " (it appears on its date; preview with --future)"
		}
		fmt.Fprintf(w, "skipped %s: %s%s\n", filepath.ToSlash(filepath.Join(source, sk.Item.File)), sk.Reason, how)
	}
}

func countVisible(res *generator.Result) int { return len(res.Items) - len(res.Skipped) }

// buildFailed summarises a failed build; the diagnostics were printed.
func buildFailed(err error, diags diag.List) error {
	if errors.Is(err, generator.ErrContent) {
		n := len(diags.Errors())
		return &cliError{code: exitBuild, err: fmt.Errorf("%s to fix (listed above); nothing was written", countOf(n, "problem")),
			hints: []string{"each line names the file and line and what to do; fix them and run again (`circulate check` checks without building)"}}
	}
	return &cliError{code: exitBuild, err: err}
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fl := newFlags(e, "version", "", "Prints circulate's version.")
	if err := fl.parse(args); err != nil {
		return err
	}
	v := moduleVersion()
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(e.stdout, "circulate %s\n", v)
	return nil
}

// moduleVersion is the version this binary was built as ("v1.2.0",
// "(devel)"), or "" when the build has no record of it.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}
