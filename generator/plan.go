package generator

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/item"
)

// FileKind says what a file of the site is.
type FileKind string

const (
	FilePage     FileKind = "page"     // an HTML page made from a layout
	FileFeed     FileKind = "feed"     // RSS, Atom or JSON Feed
	FileCalendar FileKind = "calendar" // iCalendar
	FileStatic   FileKind = "static"   // copied from static/, the site's or the theme's
	FileRedirect FileKind = "redirect" // an item's old address (see Redirect)
	FileMeta     FileKind = "meta"     // sitemap.xml, robots.txt: for search engines
)

// PlannedFile is one file of the site, as the plan lists it.
type PlannedFile struct {
	Name string // slash-separated, relative to the site root: "events/index.html"
	Kind FileKind
	// ShowsPosts is set on the pages whose layout reads .Site.Posts (the
	// home page's social box, in the built-in theme): the files to make
	// again after posting, with RenderShowingPosts.
	ShowsPosts bool
}

// output is a planned file and how to make it.
type output struct {
	PlannedFile
	from origin
	page *Page // FilePage: the page without its Site, which each run sets
	// make writes the file into w; sd is the run's site data, with its
	// posts. It must not modify anything shared: Render runs many at once.
	make func(sd *SiteData, w *bytes.Buffer) error
}

// origin is what asks for an output's name, for the error when two do.
// The words of the error are made only then: a plan has an origin per
// file, and serve makes a plan after every edit.
type origin struct {
	kind originKind
	// name is what a generated file is ("the list of past events") or the
	// path of a static file ("static/feed.xml").
	name string
	item *item.Item // the item behind an item's page, calendar or old address
	line int        // of the alias, in item.File
}

type originKind int

const (
	fromGenerated   originKind = iota
	fromStatic                 // the site's static/
	fromThemeStatic            // a theme's static/: the site's own theme, or the built-in one
	fromItem                   // an item's page
	fromItemCal                // an event's calendar file
	fromAlias                  // an old address in an item's `aliases:`
	fromMoved                  // an old address of an item, from Config.Moved
)

// generated is the origin of a file circulate makes itself.
func generated(what string) origin { return origin{kind: fromGenerated, name: what} }

// file is the site's file behind the output, or "".
func (o origin) file() string {
	switch o.kind {
	case fromStatic:
		return o.name
	case fromThemeStatic:
		if strings.HasPrefix(o.name, "themes/") {
			return o.name
		}
	case fromItem, fromItemCal, fromAlias, fromMoved:
		return o.item.File
	}
	return ""
}

// what names the output in an error about another file.
func (o origin) what() string {
	switch o.kind {
	case fromGenerated:
		return o.name + ", which circulate makes"
	case fromStatic, fromThemeStatic:
		return o.name
	case fromItem:
		return "the page of " + o.item.File
	case fromItemCal:
		return "the calendar file of " + o.item.File
	}
	return "an old address of " + o.item.File + " (in its `aliases:`)"
}

// message is the error at o.file() about the address p, which other has.
func (o origin) message(p string, other origin) string {
	var lead, fix string
	switch o.kind {
	case fromStatic, fromThemeStatic:
		lead, fix = "its address "+p, "rename or move the file"
	case fromItem:
		lead = "its web address " + p
	case fromItemCal:
		lead = "the address of its calendar, " + p + ","
	case fromAlias, fromMoved:
		lead, fix = "aliases: "+p, "remove it from `aliases:`"
	default:
		lead, fix = "the address "+p, "this is a bug in circulate; please report it"
	}
	if o.kind == fromItem || o.kind == fromItemCal {
		fix = "rename the file, or give it another address with a line like `slug: our-" + o.item.Slug + "`"
	}
	return lead + " is also " + other.what() + "; two files cannot have one address: " + fix
}

// plan is every file of a loaded site and how to make it, made once per
// Load: Render makes its files, Files and RenderFile (serve) look names up
// in it, the sitemap lists its pages and the link checks its names.
type plan struct {
	outputs []*output // in render order: the biggest files first
	byName  map[string]*output
	sd      *SiteData // without posts: each run adds its own
	th      *theme
	noShare bool // Config.noShare
	// sorted are the names, sorted on first use (serve plans after every
	// edit, and asks for the list only when a browser asks for a file).
	sorted struct {
		once  sync.Once
		names []string
	}
	diags diag.List // two outputs with one name
}

// add puts o in the plan, unless another output has its name: then the
// error names both (a static file and a generated page, two content
// files...), and the first keeps the name.
func (p *plan) add(o *output) {
	prev, ok := p.byName[o.Name]
	if !ok {
		p.byName[o.Name] = o
		p.outputs = append(p.outputs, o)
		return
	}
	// An old address from the ledger gives way; two items' outputs are
	// reported by crossCheck, drafts included.
	if o.from.kind == fromMoved || (o.from.item != nil && prev.from.item != nil) {
		return
	}
	at, other := o.from, prev.from
	if at.file() == "" {
		at, other = other, at
	}
	file := at.file()
	if file == "" {
		file = "circulate" // two generated files: a bug in the plan
	}
	p.diags.Errorf(file, at.line, "%s", at.message(sitePathOf(o.Name), other))
}

// sitePathOf is the address of an output file: "events/index.html" ->
// "/events/", "feed.xml" -> "/feed.xml".
func sitePathOf(name string) string {
	if name == "index.html" {
		return "/"
	}
	if d, ok := strings.CutSuffix(name, "/index.html"); ok {
		return "/" + d + "/"
	}
	return "/" + name
}

// makePlan lists every file of the site. It is the one place that does:
// to add an output, add it here (or in a function called from here) with
// p.add, giving its name, kind, where it comes from and the function that
// makes it; Render, serve, the sitemap (pages) and the link checks then
// know it, and a name it shares with another output is an error.
// Outputs are added in the order Render starts them: the biggest first,
// so no core is left with a long one while the others idle.
func (b *builder) makePlan(s *site, th *theme) *plan {
	p := &plan{byName: make(map[string]*output, 2*len(s.all)+len(s.pages)+len(s.tags)+64), sd: b.siteData(),
		th: th, noShare: b.opts.noShare}
	b.planCalendar(p, th, "events.ics", s.events, generated("the calendar of all events"))
	// Each event's own calendar next, with the others: the events' VEVENTs
	// are kept from the first calendar to the last (veventBytes), and
	// dropped before most pages are made.
	for _, it := range s.events {
		b.planCalendar(p, th, strings.TrimPrefix(it.Path, "/")+"event.ics", []*item.Item{it},
			origin{kind: fromItemCal, item: it, line: 1})
	}
	b.planFeeds(p, s)
	b.planPages(p, s, th)
	b.planPageAs(p, th, "404.html", b.page("404", "Page not found", "/404.html"),
		generated("the page for addresses the site does not have"))
	p.add(&output{PlannedFile: PlannedFile{Name: "sitemap.xml", Kind: FileMeta}, from: generated("the sitemap"),
		make: func(_ *SiteData, w *bytes.Buffer) error { b.sitemap(p, w); return nil }})
	p.add(&output{PlannedFile: PlannedFile{Name: "robots.txt", Kind: FileMeta}, from: generated("robots.txt"),
		make: func(_ *SiteData, w *bytes.Buffer) error { w.Write(b.robots()); return nil }})
	b.planStatic(p)
	for _, r := range s.redirects {
		from := origin{kind: fromAlias, item: r.to, line: r.line}
		if r.moved {
			from.kind = fromMoved
		}
		p.add(&output{PlannedFile: PlannedFile{Name: redirectFile(r.from), Kind: FileRedirect}, from: from,
			make: func(_ *SiteData, w *bytes.Buffer) error { return b.redirectHTML(r, w) }})
	}
	return p
}

// names lists the plan's files, sorted.
func (p *plan) names() []string {
	p.sorted.once.Do(func() {
		names := make([]string, len(p.outputs))
		for i, o := range p.outputs {
			names[i] = o.Name
		}
		slices.Sort(names)
		p.sorted.names = names
	})
	return p.sorted.names
}

// planCalendar adds an iCalendar file of events.
func (b *builder) planCalendar(p *plan, _ *theme, name string, events []*item.Item, from origin) {
	b.planCalendarNamed(p, name, b.calendarTitle(events), events, from)
}

// planCalendarNamed adds an iCalendar file of events with its name.
func (b *builder) planCalendarNamed(p *plan, name, calName string, events []*item.Item, from origin) {
	p.add(&output{PlannedFile: PlannedFile{Name: name, Kind: FileCalendar}, from: from,
		make: func(_ *SiteData, w *bytes.Buffer) error {
			if err := b.writeCalendar(w, calName, events); err != nil {
				return fmt.Errorf("writing %s: %w", name, err)
			}
			return nil
		}})
}

// planFeeds adds the feeds of feedFiles.
func (b *builder) planFeeds(p *plan, s *site) {
	for _, f := range b.feedFiles(s) {
		p.add(&output{PlannedFile: PlannedFile{Name: f.name, Kind: FileFeed}, from: generated(f.what),
			make: func(_ *SiteData, w *bytes.Buffer) error {
				data, err := f.data()
				if err != nil {
					return fmt.Errorf("writing %s: %w", f.name, err)
				}
				w.Write(data)
				return nil
			}})
	}
}

// planPage adds an HTML page made with the layout of its kind.
func (b *builder) planPage(p *plan, th *theme, pg *Page, from origin) {
	b.planPageAs(p, th, indexFile(pg.Path), pg, from)
}

// planPageAs adds a page under a file name of its own (404.html).
func (b *builder) planPageAs(p *plan, th *theme, name string, pg *Page, from origin) {
	p.add(&output{PlannedFile: PlannedFile{Name: name, Kind: FilePage, ShowsPosts: th.showsPosts[pg.Kind]},
		from: from, page: pg,
		make: func(sd *SiteData, w *bytes.Buffer) error {
			cp := *pg
			cp.Site = sd
			return b.executePage(th, name, &cp, w)
		}})
}

// planStatic adds the files copied as is (resolveTheme lists them: the
// built-in theme's static/, then the site theme's, then the site's own,
// each overriding the one before, file by file).
func (b *builder) planStatic(p *plan) {
	for _, name := range b.staticNames() {
		src := b.static[name]
		from := origin{kind: fromStatic, name: src.name}
		switch {
		case src.inSite && strings.HasPrefix(src.name, "themes/"):
			from.kind = fromThemeStatic // the site's theme: a file of the site
		case !src.inSite:
			from.kind, from.name = fromThemeStatic, "the theme's "+src.name
		}
		p.add(&output{PlannedFile: PlannedFile{Name: name, Kind: FileStatic}, from: from,
			make: func(_ *SiteData, w *bytes.Buffer) error {
				f, err := src.fsys.Open(src.name)
				if err != nil {
					return err
				}
				defer f.Close()
				_, err = w.ReadFrom(f)
				return err
			}})
	}
}

// checkUnbuilt reports items left out of this build (drafts, future
// items) whose page would take the name of another output once built.
func (p *plan) checkUnbuilt(skipped []Skip) {
	for _, sk := range skipped {
		it := sk.Item
		if it.Path == "" {
			continue
		}
		if o, ok := p.byName[indexFile(it.Path)]; ok && o.from.item == nil {
			p.diags.Errorf(it.File, 1, "its web address %s is also %s, so it could not be published; rename the file, or give it another address with a line like `slug: our-%s`", it.Path, o.from.what(), it.Slug)
		}
	}
}
