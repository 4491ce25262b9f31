package generator

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/circulate-dev/circulate/internal/item"
)

// job is one HTML page to render.
type job struct {
	name string // output file, "events/storytime/index.html"
	page *Page
}

// render writes every output of the site.
func (b *builder) render(ctx context.Context, s *site, th *theme, res *Result) error {
	sd := b.siteData()
	jobs := b.pageJobs(s, sd)
	counter := &countingOutput{Output: b.opts.Out}
	if err := b.renderPages(ctx, th, jobs, counter); err != nil {
		return err
	}
	res.Pages = len(jobs)
	n, err := b.feeds(s, counter)
	if err != nil {
		return fmt.Errorf("writing feeds: %w", err)
	}
	m, err := b.calendars(s, counter)
	if err != nil {
		return fmt.Errorf("writing calendars: %w", err)
	}
	res.Feeds = n + m
	if err := b.extras(s, jobs, th, counter); err != nil {
		return err
	}
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

// renderPages executes the layouts on all CPUs. Buffers are reused per
// worker, and each page is written as soon as it is rendered, so memory
// holds a page per worker, not the site.
func (b *builder) renderPages(ctx context.Context, th *theme, jobs []job, out Output) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan job)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for j := range next {
				buf.Reset()
				err := th.layouts[j.page.Kind].ExecuteTemplate(&buf, "base.html", j.page)
				if err == nil {
					err = out.WriteFile(j.name, buf.Bytes())
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("rendering %s (layout %s.html): %w", j.name, j.page.Kind, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (b *builder) siteData() *SiteData {
	return &SiteData{
		Title: b.cfg.Title, Description: b.cfg.Description, Lang: b.cfg.Language,
		BaseURL: b.cfg.BaseURL.String(), Library: b.cfg.Library, XHandle: b.cfg.Social.X.Handle,
		Posts: b.opts.Posts, Now: b.now, Drafts: b.opts.Drafts, Params: b.cfg.Params,
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
			pg.JSONLD = b.itemLD(it)
			add(pg)
		}
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
