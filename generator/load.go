package generator

import (
	"bytes"
	"context"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// ContentDir is the folder of content files at the site root.
const ContentDir = "content"

// source is one loaded content file.
type source struct {
	it    *item.Item
	links []mdLink
	body  int // file line of the first body line
	diags diag.List
	// unread marks a file that could not be read, so is not cached.
	unread bool
	// aliasLines are the lines of it.Aliases.
	aliasLines []int
	tagsLine   int // the line of tags:, for the checks across items
}

// load reads every content file in parallel. Files are independent, so each
// worker collects its own diagnostics and nothing is shared but the queue.
//
// With a Cache (Config.Cache), a file the cache holds and was not told of
// is not read again: its source is shared with the previous load.
func (b *builder) load(ctx context.Context) ([]*source, diag.List) {
	files, diags, err := listContent(b.fsys)
	if err != nil {
		diags.Errorf(ContentDir, 0, "cannot read the content folder: %v", err)
	}
	srcs := make([]*source, len(files))
	cached := func(string) *source { return nil }
	if c := b.opts.Cache; c != nil {
		cached = c.take(b.cacheKey())
		defer func() { c.put(keep(files, srcs), err == nil && ctx.Err() == nil) }()
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range next {
				srcs[i] = b.loadFile(files[i], &buf)
			}
		}()
	}
	for i, name := range files {
		if ctx.Err() != nil {
			break
		}
		if src := cached(name); src != nil {
			srcs[i] = src
			continue
		}
		next <- i
	}
	close(next)
	wg.Wait()
	out := make([]*source, 0, len(srcs))
	for _, s := range srcs {
		if s == nil {
			continue
		}
		diags = append(diags, s.diags...)
		if s.it != nil {
			out = append(out, s)
		}
	}
	return out, diags
}

// keep pairs the files of a load with their sources, for the cache. A file
// that could not be read is left out, to be tried again next time: reading
// can fail for a moment (a save in progress) with the file itself fine.
func keep(files []string, srcs []*source) map[string]*source {
	m := make(map[string]*source, len(files))
	for i, s := range srcs {
		if s != nil && !s.unread {
			m[files[i]] = s
		}
	}
	return m
}

// loadFile decodes one content file into an item; it.Item is nil when the
// file is too broken to be one.
func (b *builder) loadFile(name string, buf *bytes.Buffer) *source {
	src := &source{}
	data, err := fs.ReadFile(b.fsys, name)
	if err != nil {
		src.diags.Errorf(name, 0, "cannot read: %v", err)
		src.unread = true
		return src
	}
	fm, body, fmLine, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		src.diags.Errorf(name, fmLine, "%v", err)
		return src
	}
	src.body = bodyLine
	rel := strings.TrimPrefix(name, ContentDir+"/")
	section, _, _ := strings.Cut(rel, "/")
	kind, _ := item.KindOf(section)
	base := strings.TrimSuffix(path.Base(name), ".md")
	it := &item.Item{Kind: kind, File: name}
	d := &draft{it: it}
	dec := &fields.Decoder{File: name, Diags: &src.diags, LineOffset: fmLine - 1}
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		line, msg := fields.YAMLError(fm, err)
		src.diags.Errorf(name, line+fmLine-1, "the front matter is not valid YAML: %s", msg)
		return src
	}
	if len(doc.Content) == 0 {
		src.diags.Errorf(name, 1, "the front matter is empty; it needs at least `title:`%s", map[bool]string{true: "", false: " and `date:`"}[kind == item.Page])
		return src
	}
	b.decodeFrontMatter(dec, doc.Content[0], d)
	b.checkRequired(dec, d, base)
	src.tagsLine = d.lineOf["tags"]
	src.diags = append(src.diags, placeholders(name, doc.Content[0], fmLine, body, bodyLine)...)

	r, err := b.md.convert(body, buf)
	if err != nil {
		src.diags.Errorf(name, bodyLine, "the text could not be converted: %v", err)
		return src
	}
	it.Body = template.HTML(r.HTML)
	if it.Summary == "" {
		it.Summary = r.Summary
	}
	it.Summary = clip(it.Summary, 200)
	src.links = r.Links
	it.ID = section + "/" + it.Slug
	if kind == item.Page {
		it.Path = "/" + it.Slug + "/"
	} else {
		it.Path = "/" + section + "/" + it.Slug + "/"
	}
	it.URL = b.base.abs(it.Path)
	src.it = it
	checkOwnAliases(src, d)
	it.Image = b.resolveLink(d.image)
	if bk := it.Book; bk != nil {
		bk.Cover = b.resolveLink(d.cover)
		if bk.Cover == "" && bk.ISBN != "" {
			bk.Cover = "https://covers.openlibrary.org/b/isbn/" + bk.ISBN + "-M.jpg"
		}
		if bk.Catalog == "" && bk.ISBN != "" && b.cfg.CatalogURL != "" {
			bk.Catalog = strings.ReplaceAll(b.cfg.CatalogURL, "{isbn}", bk.ISBN)
		}
		if it.Image == "" {
			it.Image = bk.Cover
		}
		if it.ImageAlt == "" && it.Image == bk.Cover {
			it.ImageAlt = "Cover of " + it.Title
		}
	}
	if it.Image != "" && it.ImageAlt == "" {
		src.diags.WarnCode(diag.ImageAlt, name, d.lineOf["image"], "image: add `image_alt:` describing the picture for people who cannot see it")
	}
	src.it = it
	return src
}

// checkRequired reports missing keys and rules across keys, after decoding.
func (b *builder) checkRequired(dec *fields.Decoder, d *draft, base string) {
	it, name := d.it, dec.File
	if !d.hasTitle {
		dec.Diags.Errorf(name, 1, "title: missing; add a line like `title: \"Winter Storytime\"` between the --- lines")
	}
	if !d.hasDate && it.Kind != item.Page {
		dec.Diags.Errorf(name, 1, "date: missing; add the day this should appear on the site, like `date: %s`", b.now.Format("2006-01-02"))
	}
	if it.Slug == "" {
		if slugRE.MatchString(base) {
			it.Slug = base
		} else {
			dec.Diags.Errorf(name, 1, "the file name %q makes a bad web address; rename the file to %s.md (lower-case letters, digits and dashes) or add `slug: %s`", base+".md", nonEmpty(slugify(base), "my-item"), nonEmpty(slugify(base), "my-item"))
		}
	}
	if e := it.Event; e != nil {
		if !d.hasStart {
			if _, given := d.lineOf["start"]; !given {
				dec.Diags.Errorf(name, 1, "start: missing; add when the event begins, like `start: 2026-12-05T10:30` (or a date alone for an all-day event)")
			}
		} else {
			e.AllDay = d.startDate
			if !e.HasEnd {
				e.End = e.Start
			} else if d.endDate != d.startDate {
				dec.Diags.Errorf(name, d.lineOf["end"], "end: give both start and end as dates (all-day event), or both with a time, like 2026-12-05T11:30")
			} else if e.End.Before(e.Start) {
				dec.Diags.Errorf(name, d.lineOf["end"], "end: %s is before start (%s); check the date and the time (use 24-hour time, like 14:00 for 2 PM)", e.End.Format("2006-01-02 15:04"), e.Start.Format("2006-01-02 15:04"))
			}
			finishRepeat(dec, d, d.lineOf["start"])
			b.checkEventDates(dec, it, d.lineOf["start"])
		}
		b.checkPlace(dec, d)
	}
	if bk := it.Book; bk != nil && !d.hasAuthor {
		dec.Diags.Errorf(name, 1, "author: missing; add `author: \"First Last\"` (or a list: `author: [\"One\", \"Two\"]`)")
	}
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
