// Package generator turns a library site's files (config.yaml, content/,
// static/ and an optional theme) into its website: HTML pages, RSS, Atom and
// JSON feeds, iCalendar files, a sitemap. It is used by `circulate build`,
// `check` and `serve`, and knows nothing of posting (see publisher).
//
// Data flows one way: files -> items (load.go) -> the site model (site.go)
// -> the plan of outputs (plan.go) -> files (render.go runs the plan; the
// outputs are made by pages.go, feeds.go, ical.go, extras.go, redirect.go).
//
// The plan is the one list of the site's files: every output path with
// its kind and the function that makes it, made once per Load. Render
// makes its files, serve looks files up in it (Files, RenderFile), the
// sitemap lists its pages, link checks look paths up in it, and two
// sources for one path (a static file, a content file, a generated page)
// are an error naming both. To add an output (a page, a feed, a
// calendar), add it in makePlan (plan.go) and nowhere else.
//
// `now` and the base URL are read once, in Load, and passed down: builder
// holds them, and nothing else reads the clock or parses the URL.
package generator

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/item"
)

// Config is what one build needs besides the site's files.
type Config struct {
	Site *config.Config
	// Now is the moment the site is built as of: it splits upcoming from
	// past events and hides future items. Nil means time.Now.
	Now    func() time.Time
	Drafts bool // build drafts too, marked "Draft"
	Future bool // build items dated after Now
	// Moved are old addresses of items, from the post ledger: an item
	// renamed after it was posted keeps its old URL as a redirect page.
	// An entry whose item no longer exists is dropped; a From that is the
	// address of an item is an error naming both; where two entries have
	// the same From, the first wins, and an item's `aliases:` wins over
	// both.
	Moved []Redirect
	// Out receives the files of Build; nil checks the content only. Build
	// shows no posts: to show them, Load and then Render with them.
	Out Output
	// Progress, when set, is called from the render workers as outputs are
	// done (concurrently: it must be safe for that), for a progress bar.
	Progress func(done, total int)
	// Cache, when set, keeps the decoded content files from one Load to the
	// next, so that a load re-reads only what changed (see Cache). serve
	// keeps one; nil reads every file.
	Cache *Cache
	// noShare makes every shared part of the pages afresh (fragments.go),
	// for the test that the shared parts are the same bytes.
	noShare bool
	// Theme overrides the built-in theme, file by file (nil: built-in only).
	// Build sets it from the site's themes/<theme>/ folder when nil.
	Theme fs.FS
}

// Result describes a finished build.
type Result struct {
	// Items are all items that loaded, drafts and future ones included;
	// the publisher decides for itself what is visible.
	Items []*item.Item
	// Diags are the warnings (and, on failure, the errors), sorted.
	Diags diag.List
	// Skipped lists what was not built and why (drafts, future items).
	Skipped []Skip
	Pages   int // HTML pages written
	Feeds   int // feeds and calendars written
	Files   int // all files written, static ones included
}

// Skip is an item left out of the site, and why.
type Skip struct {
	Item   *item.Item
	Reason string
}

// ErrContent is wrapped by the error of a build that failed because of the
// site's files (as opposed to an I/O failure).
var ErrContent = errors.New("the site has errors")

// builder carries one build's inputs through its stages.
type builder struct {
	cfg  *config.Config
	opts Config
	fsys fs.FS
	now  time.Time // read once, in Load
	base siteURL   // taken apart once, in Load
	md   *markdown
	// themeFS is the site's theme over the built-in one, resolved once:
	// the link checks of every item look static files up in it.
	themeFS overlayFS
	// static are the files copied as is, by site path (resolveTheme).
	static map[string]staticSource
	// badLinks are the theme's and static/'s files that are links the
	// build does not follow (reported once, by the walk).
	badLinks map[string]bool
	// vevents are the events' VEVENTs, each made once (veventBytes).
	vevents sync.Map // *item.Item -> *lazyBytes
	zones   sync.Map // years and open-endedness -> *lazyBytes (zoneBytes)
	// entries and days are the events' list entries, each made once
	// (entry, daysOf).
	entries sync.Map // entryKey -> Entry
	days    sync.Map // *item.Item -> []Entry
}

// newBuilder starts a load as of now.
func newBuilder(cfg Config, fsys fs.FS, now time.Time) *builder {
	base := newSiteURL(cfg.Site.BaseURL)
	return &builder{
		cfg: cfg.Site, opts: cfg, fsys: fsys, now: now.In(cfg.Site.Location), base: base,
		md: newMarkdown(cfg.Site.Unsafe, base),
	}
}

// Build loads, checks and renders the site in fsys, with no posts. On
// content errors it returns the Result with its Diags and an error
// wrapping ErrContent, and writes nothing to cfg.Out.
func Build(ctx context.Context, cfg Config, fsys fs.FS) (*Result, error) {
	s, err := Load(ctx, cfg, fsys)
	if err != nil || cfg.Out == nil {
		return s.Result, err
	}
	return s.Render(ctx, nil, cfg.Out)
}

// Site is a loaded and checked site, ready to render. Loading and
// rendering are apart so that `build` can post new items in between and
// show those posts on the site it writes.
type Site struct {
	Result *Result
	b      *builder
	plan   *plan // nil when the site did not load
}

// Load reads and checks everything and plans the outputs; cfg.Out is not
// used.
func Load(ctx context.Context, cfg Config, fsys fs.FS) (*Site, error) {
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	b := newBuilder(cfg, fsys, now())
	res := &Result{}
	s := &Site{Result: res, b: b}
	var diags diag.List
	b.themeFS, diags = b.resolveTheme()
	srcs, ldiags := b.load(ctx)
	diags = append(diags, ldiags...)
	for _, src := range srcs {
		res.Items = append(res.Items, src.it)
	}
	// The theme and the site's model need none of the checks, so they are
	// made on another core meanwhile (serve waits for Load after every
	// edit); a model of items with errors is made for nothing, harmlessly.
	var (
		th     *theme
		tdiags diag.List
		model  *site
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		th, tdiags = b.cachedTheme()
		model = b.model(res.Items)
	})
	xdiags, byPath, cands := b.crossCheck(srcs)
	diags = append(diags, xdiags...)
	diags = append(diags, tagSpellings(srcs)...)
	wg.Wait()
	diags = append(diags, tdiags...)
	// The plan needs the model and the theme; its names are what the links
	// of the content are checked against. It is made with errors too, so
	// that a librarian sees every problem at once.
	model.redirects = visibleRedirects(cands, model)
	p := b.makePlan(model, th)
	p.checkUnbuilt(model.skipped)
	diags = append(diags, p.diags...)
	diags = append(diags, b.checkLinks(srcs, byPath, p)...)
	s.plan = p
	res.Skipped = model.skipped
	diags.Sort()
	res.Diags = diags
	if diags.HasErrors() {
		s.plan = nil
		return s, &BuildError{Diags: diags.Errors()}
	}
	if err := ctx.Err(); err != nil {
		s.plan = nil
		return s, err
	}
	return s, nil
}

// BuildError lists the content errors that stopped a build.
type BuildError struct{ Diags diag.List }

func (e *BuildError) Error() string { return e.Diags.Error() }
func (e *BuildError) Unwrap() error { return ErrContent }

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}
