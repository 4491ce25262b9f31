package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"sync"
)

// Rendering one file at a time, for `serve`: after an edit it reloads the
// site (a few ms with a Cache) and renders only the pages a browser then
// asks for, where Render would make all of a big site's files (seconds).
// Every file comes out byte for byte as Render writes it (files_test.go
// checks this for the example site).

// Files lists every file Render writes, sorted, without rendering any.
func (s *Site) Files() []string {
	if s.model == nil {
		return nil
	}
	return s.index().names
}

// RenderFile makes the one file that Render would write as name (a name
// from Files), with posts in the social box. It can be called from many
// goroutines at once. A name the site does not have gives an error that
// wraps fs.ErrNotExist.
func (s *Site) RenderFile(ctx context.Context, name string, posts []Post) ([]byte, error) {
	if s.model == nil {
		return nil, fmt.Errorf("rendering %s: the site did not load", name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mk, ok := s.index().makers[name]
	if !ok {
		return nil, fmt.Errorf("rendering %s: %w", name, fs.ErrNotExist)
	}
	sd := *s.index().sd
	sd.Posts = posts
	return mk(&sd)
}

// maker makes one file for a page that shows sd.
type maker func(sd *SiteData) ([]byte, error)

// fileIndex is every file of a site and how to make it.
type fileIndex struct {
	sd     *SiteData // without posts: RenderFile adds its own
	names  []string
	makers map[string]maker
}

// index lists the site's files on first use; a site is loaded for every
// edit in serve, and most are never asked for a file list.
func (s *Site) index() *fileIndex {
	s.lazy.once.Do(func() { s.lazy.idx = s.b.fileIndex(s.model, s.theme) })
	return s.lazy.idx
}

// fileIndex mirrors render and extras: the same pages, feeds, calendars
// and files, in the same order, so that where two would have one name
// (a static file named like a page) the same one wins.
func (b *builder) fileIndex(s *site, th *theme) *fileIndex {
	sd := b.siteData()
	sd.Posts = nil
	idx := &fileIndex{sd: sd, makers: map[string]maker{}}
	add := func(name string, mk maker) {
		if _, dup := idx.makers[name]; !dup {
			idx.names = append(idx.names, name)
		}
		idx.makers[name] = mk
	}
	jobs := b.pageJobs(s, sd)
	for _, j := range jobs {
		add(j.name, b.pageMaker(th, j))
	}
	for _, f := range b.feedFiles(s) {
		add(f.name, func(*SiteData) ([]byte, error) { return f.data() })
	}
	for _, c := range calendarFiles(s) {
		add(c.name, func(*SiteData) ([]byte, error) { return b.calendar(c.events) })
	}
	add("404.html", func(sd *SiteData) ([]byte, error) {
		var buf bytes.Buffer
		if err := b.notFound(th, sd, &buf); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	add("sitemap.xml", func(*SiteData) ([]byte, error) { return b.sitemap(jobs), nil })
	add("robots.txt", func(*SiteData) ([]byte, error) { return b.robots(), nil })
	for _, r := range s.redirects {
		add(redirectFile(r.from), func(*SiteData) ([]byte, error) { return b.redirectHTML(r) })
	}
	for _, name := range b.staticNames() {
		add(name, func(*SiteData) ([]byte, error) { return b.readStatic(name) })
	}
	slices.Sort(idx.names)
	return idx
}

// pageMaker renders one page as pageTask does, on a copy of its Page, so
// that requests at the same time share nothing they write.
func (b *builder) pageMaker(th *theme, j job) maker {
	return func(sd *SiteData) ([]byte, error) {
		pg := *j.page
		pg.Site = sd
		var buf bytes.Buffer
		if err := b.executePage(th, j.name, &pg, &buf); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
}

// lazyIndex is the part of Site that Files and RenderFile fill on first use.
type lazyIndex struct {
	once sync.Once
	idx  *fileIndex
}
