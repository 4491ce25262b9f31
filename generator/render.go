package generator

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/circulate-dev/circulate/internal/item"
)

// job is one HTML page to render.
type job struct {
	name string // output file, "events/storytime/index.html"
	page *Page
}

// render writes every output of the site. Pages, calendars, feeds and the
// rest are tasks for one pool of workers, so every core is busy until the
// end; the biggest tasks go first, so that no core is left with a long one
// while the others idle.
func (b *builder) render(ctx context.Context, s *site, th *theme, res *Result) error {
	sd := b.siteData()
	jobs := b.pageJobs(s, sd)
	counter := &countingOutput{Output: b.opts.Out}
	var feeds, cals int
	var tasks []task
	// Tag pages list every item with the tag: the largest pages by far.
	for _, j := range jobs {
		if j.page.Kind == "tag" {
			tasks = append(tasks, b.pageTask(th, j))
		}
	}
	tasks = append(tasks,
		func(*worker) error {
			n, err := b.feeds(s, counter)
			feeds = n
			if err != nil {
				return fmt.Errorf("writing feeds: %w", err)
			}
			return nil
		},
		func(*worker) error { return b.extras(s, jobs, th, counter) },
	)
	for _, j := range jobs {
		if j.page.Kind != "tag" {
			tasks = append(tasks, b.pageTask(th, j))
		}
	}
	// The big events.ics first, the small per-event ones at the end.
	cal := b.calendarTasks(s)
	tasks = append(cal[:1:1], tasks...)
	tasks = append(tasks, cal[1:]...)
	cals = len(cal)
	for _, r := range s.redirects {
		tasks = append(tasks, func(w *worker) error {
			data, err := b.redirectHTML(r)
			if err != nil {
				return err
			}
			w.buf.Write(data)
			w.send(redirectFile(r.from))
			return nil
		})
	}
	if err := runTasks(ctx, tasks, counter, b.opts.Progress); err != nil {
		return err
	}
	res.Pages = len(jobs)
	res.Feeds = feeds + cals
	res.Files = counter.n
	return nil
}

type countingOutput struct {
	Output
	mu sync.Mutex
	n  int
}

func (c *countingOutput) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Output.WriteFile(name, data)
}

// pageTask executes a page's layout. An item page's JSON-LD is made here,
// on a worker, rather than in pageJobs, which runs on one core.
func (b *builder) pageTask(th *theme, j job) task {
	return func(w *worker) error {
		if err := b.executePage(th, j.name, j.page, w.buf); err != nil {
			return err
		}
		w.send(j.name)
		return nil
	}
}

// executePage runs a page's layout into w: for Render and RenderFile both.
func (b *builder) executePage(th *theme, name string, pg *Page, w io.Writer) error {
	if it := pg.Item; it != nil && pg.JSONLD == "" {
		pg.JSONLD = b.itemLD(it)
		if it.Event != nil {
			pg.Event = b.eventView(it)
		}
	}
	if err := th.layouts[pg.Kind].ExecuteTemplate(w, "base.html", pg); err != nil {
		return fmt.Errorf("rendering %s (layout %s.html): %w", name, pg.Kind, err)
	}
	return nil
}

// A task makes one or more outputs: into w.buf and w.send for one file, or
// by writing to the output itself.
type task func(w *worker) error

// worker renders tasks into a buffer and hands each finished file to the
// writers, so that a core is not idle while a file is written: creating
// files and folders waits on the file system more than it uses the CPU.
type worker struct {
	buf   *bytes.Buffer
	files chan<- file
}

type file struct {
	name string
	buf  *bytes.Buffer
}

// bufs are reused from file to file; a buffer goes back when its file is
// written, so memory holds a few pages, not the site.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *worker) send(name string) {
	w.files <- file{name, w.buf}
	w.buf = bufs.Get().(*bytes.Buffer)
	w.buf.Reset()
}

// runTasks runs tasks on all CPUs, with twice as many writers, and returns
// the first error. progress, when set, hears of every finished task.
func runTasks(ctx context.Context, tasks []task, out Output, progress func(done, total int)) error {
	var (
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	n := runtime.GOMAXPROCS(0)
	files := make(chan file, 4*n)
	var writers sync.WaitGroup
	for range 2 * n {
		writers.Go(func() {
			for f := range files {
				if err := out.WriteFile(f.name, f.buf.Bytes()); err != nil {
					fail(err)
				}
				bufs.Put(f.buf)
			}
		})
	}
	var done atomic.Int64
	next := make(chan task)
	var workers sync.WaitGroup
	for range n {
		workers.Go(func() {
			w := &worker{buf: bufs.Get().(*bytes.Buffer), files: files}
			for t := range next {
				w.buf.Reset()
				if err := t(w); err != nil {
					fail(err)
				}
				if progress != nil {
					progress(int(done.Add(1)), len(tasks))
				}
			}
			bufs.Put(w.buf)
		})
	}
	for _, t := range tasks {
		if ctx.Err() != nil {
			break
		}
		next <- t
	}
	close(next)
	workers.Wait()
	close(files)
	writers.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (b *builder) siteData() *SiteData {
	return &SiteData{
		Title: b.cfg.Title, Description: b.cfg.Description, Lang: b.cfg.Language,
		BaseURL: b.cfg.BaseURL.String(), Library: b.cfg.Library, XHandle: b.cfg.Social.X.Handle,
		Posts: b.opts.Posts, Accounts: b.accounts(), Now: b.now, Drafts: b.opts.Drafts, Params: b.cfg.Params,
		Feeds: []Feed{
			{Title: b.cfg.Title + " (RSS)", Type: "application/rss+xml", Path: "/feed.xml"},
			{Title: b.cfg.Title + " (Atom)", Type: "application/atom+xml", Path: "/atom.xml"},
			{Title: b.cfg.Title + " (JSON Feed)", Type: "application/feed+json", Path: "/feed.json"},
		},
	}
}

// page fills the fields every page has.
func (b *builder) page(sd *SiteData, kind, title, p string) *Page {
	desc := sd.Description
	if desc == "" {
		desc = "News, events and new titles from " + sd.Library.Name + "."
	}
	return &Page{Site: sd, Kind: kind, Title: title, Description: desc, Path: p, Canonical: absURL(b.cfg.BaseURL, p)}
}

// pageJobs lists every HTML page of the site.
func (b *builder) pageJobs(s *site, sd *SiteData) []job {
	var jobs []job
	add := func(pg *Page) {
		jobs = append(jobs, job{name: indexFile(pg.Path), page: pg})
	}
	home := b.page(sd, "home", sd.Title, "/")
	home.Upcoming = head(s.upcoming, 6)
	home.Titles = head(s.titles, 6)
	home.News = head(s.news, 3)
	home.JSONLD = b.websiteLD()
	add(home)

	events := b.page(sd, "events", "Upcoming events", "/events/")
	events.Days = byDay(s.upcoming)
	events.Description = "Upcoming events at " + sd.Library.Name + ": storytimes, talks, classes and more."
	add(events)
	jobs = append(jobs, b.paginate(sd, "past", "Past events", "/events/past/", s.past)...)
	jobs = append(jobs, b.paginate(sd, "titles", "New titles", "/titles/", s.titles)...)
	jobs = append(jobs, b.paginate(sd, "news", "News", "/news/", s.news)...)

	for _, list := range [][]*item.Item{s.events, s.titles, s.news, s.pages} {
		for _, it := range list {
			kind := string(it.Kind)
			if it.Kind == item.News {
				kind = "newspost"
			}
			pg := b.page(sd, kind, it.Title, it.Path)
			pg.Item = it
			if it.Summary != "" {
				pg.Description = it.Summary
			}
			pg.Image, pg.ImageAlt = it.Image, it.ImageAlt
			add(pg)
		}
	}

	if len(sd.Accounts) > 0 {
		social := b.page(sd, "social", "From our social accounts", "/social/")
		social.Description = "The latest posts of " + sd.Library.Name + " on " + accountNames(sd.Accounts) + "."
		add(social)
	}

	tags := b.page(sd, "tags", "Topics", "/tags/")
	for _, slug := range sortedKeys(s.tags) {
		list := s.tags[slug]
		name := s.tagNames[slug]
		tags.Tags = append(tags.Tags, TagCount{Tag: name, Count: len(list)})
		pg := b.page(sd, "tag", "Tagged “"+name+"”", "/tags/"+slug+"/")
		pg.Tag, pg.Items = name, list
		add(pg)
	}
	add(tags)
	return jobs
}

// paginate splits a list into pages of the configured size: /titles/,
// /titles/page/2/, ...
func (b *builder) paginate(sd *SiteData, kind, title, first string, items []*item.Item) []job {
	size := b.cfg.PageSize
	pages := max(1, (len(items)+size-1)/size)
	pathOf := func(n int) string {
		if n == 1 {
			return first
		}
		return first + "page/" + strconv.Itoa(n) + "/"
	}
	jobs := make([]job, 0, pages)
	for n := 1; n <= pages; n++ {
		t := title
		if n > 1 {
			t = fmt.Sprintf("%s, page %d", title, n)
		}
		pg := b.page(sd, kind, t, pathOf(n))
		pg.Items = items[(n-1)*size : min(n*size, len(items))]
		if pages > 1 {
			pg.Pager = &Pager{Page: n, Pages: pages, First: pathOf(1), Last: pathOf(pages)}
			if n > 1 {
				pg.Pager.Prev = pathOf(n - 1)
			}
			if n < pages {
				pg.Pager.Next = pathOf(n + 1)
			}
		}
		jobs = append(jobs, job{name: indexFile(pg.Path), page: pg})
	}
	return jobs
}

// byDay groups events (sorted by start) by the day they start.
func byDay(events []*item.Item) []Day {
	var days []Day
	for _, e := range events {
		y, m, d := e.Event.Start.Date()
		if n := len(days); n > 0 {
			if yy, mm, dd := days[n-1].Date.Date(); yy == y && mm == m && dd == d {
				days[n-1].Events = append(days[n-1].Events, e)
				continue
			}
		}
		days = append(days, Day{Date: e.Event.Start, Events: []*item.Item{e}})
	}
	return days
}

func head(l []*item.Item, n int) []*item.Item { return l[:min(n, len(l))] }

// indexFile maps a page path to its file: "/events/" -> "events/index.html".
func indexFile(p string) string {
	p = trimSlash(p)
	if p == "" {
		return "index.html"
	}
	return p[1:] + "/index.html"
}
