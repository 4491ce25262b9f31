package generator

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/circulate-dev/circulate/internal/item"
)

// planPages adds the HTML pages: home, the lists, the items, the tags.
func (b *builder) planPages(p *plan, s *site, th *theme) {
	home := b.page("home", b.cfg.Title, "/")
	home.Upcoming = b.nextEntries(head(s.upcoming, 6))
	home.Titles = head(s.titles, 6)
	home.News = head(s.news, 3)
	home.JSONLD = b.websiteLD()
	b.planPage(p, th, home, generated("the home page"))

	b.planEventLists(p, s, th)
	for _, pg := range b.paginate(p, th, "past", "Past events", "/events/past/", s.past, "the list of past events") {
		pg.Events = b.pastEntries(pg.Items)
	}
	b.paginate(p, th, "titles", "New titles", "/titles/", s.titles, "the list of new titles")
	b.paginate(p, th, "news", "News", "/news/", s.news, "the list of news")

	for _, list := range [][]*item.Item{s.events, s.titles, s.news, s.pages} {
		for _, it := range list {
			if it.Slug == "" {
				continue // its file name is an error already
			}
			name := indexFile(it.Path)
			p.add(&output{PlannedFile: PlannedFile{Name: name, Kind: FilePage, ShowsPosts: th.showsPosts[itemLayout(it)]},
				from: origin{kind: fromItem, item: it, line: 1},
				make: func(sd *SiteData, w *bytes.Buffer) error {
					pg := b.itemPage(it)
					pg.Site = sd
					return b.executePage(th, name, pg, w)
				}})
		}
	}

	if accounts := b.accounts(); len(accounts) > 0 {
		social := b.page("social", "From our social accounts", "/social/")
		social.Description = "The latest posts of " + b.cfg.Library.Name + " on " + accountNames(accounts) + "."
		b.planPage(p, th, social, generated("the page of the library's social accounts"))
	}

	tags := b.page("tags", "Topics", "/tags/")
	for _, slug := range sortedKeys(s.tags) {
		list := s.tags[slug]
		name := s.tagNames[slug]
		tags.Tags = append(tags.Tags, TagCount{Tag: name, Count: len(list)})
		// Coming events first (soonest first), then titles and news
		// (newest first), then past events (most recent first), in
		// pages: each page shows its share of each, under its heading.
		upcoming, others, past := b.byTime(list)
		upcoming, past = b.byNextDate(upcoming), b.byLastDate(past)
		ordered := slices.Concat(upcoming, others, past)
		for _, pg := range b.paginate(p, th, "tag", "Tagged “"+name+"”", "/tags/"+slug+"/", ordered, "the page of the tag "+name) {
			pg.Tag = name
			up, rest, done := b.byTime(pg.Items)
			pg.Items = rest
			pg.Events, pg.PastEvents = b.nextEntries(up), b.pastEntries(done)
		}
	}
	b.planPage(p, th, tags, generated("the list of topics"))
}

// itemLayout is the layout of an item's page.
func itemLayout(it *item.Item) string {
	if it.Kind == item.News {
		return "newspost"
	}
	return string(it.Kind)
}

// itemPage is the page of an item. It is made when the page is: the plan
// of a big site has thousands, and serve plans after every edit.
func (b *builder) itemPage(it *item.Item) *Page {
	pg := b.page(itemLayout(it), it.Title, it.Path)
	pg.Item = it
	if it.Summary != "" {
		pg.Description = it.Summary
	}
	pg.Image, pg.ImageAlt = it.Image, it.ImageAlt
	pg.JSONLD = b.itemLD(it)
	if it.Event != nil {
		pg.Event = b.eventView(it)
	}
	return pg
}

// page makes a page of the plan; each run of the plan sets its Site.
func (b *builder) page(kind, title, p string) *Page {
	desc := b.cfg.Description
	if desc == "" {
		desc = "News, events and new titles from " + b.cfg.Library.Name + "."
	}
	return &Page{Kind: kind, Title: title, Description: desc, Path: p, Canonical: b.base.abs(p)}
}

// paginate adds a list in pages of the configured size: /titles/,
// /titles/page/2/, ...; it returns the pages, to fill in more (the plan
// keeps them, and makes them when it runs). Every list of items goes
// through it, so that no page grows with the site (SPEC §3: no page over
// ~300 KB).
func (b *builder) paginate(p *plan, th *theme, kind, title, first string, items []*item.Item, what string) []*Page {
	return b.paginated(p, th, kind, title, first, what, len(items), func(pg *Page, lo, hi int) {
		pg.Items = items[lo:hi]
	})
}

// paginated adds a list of count things in pages of the configured size, at
// first, first+"page/2/", ..., each with its pager; fill gives a page its
// share, things lo to hi.
func (b *builder) paginated(p *plan, th *theme, kind, title, first, what string, count int, fill func(pg *Page, lo, hi int)) []*Page {
	size := b.cfg.PageSize
	n := max(1, (count+size-1)/size)
	pathOf := func(i int) string {
		if i == 1 {
			return first
		}
		return first + "page/" + strconv.Itoa(i) + "/"
	}
	pages := make([]*Page, 0, n)
	for i := 1; i <= n; i++ {
		t, w := title, what
		if i > 1 {
			t, w = fmt.Sprintf("%s, page %d", title, i), fmt.Sprintf("page %d of %s", i, what)
		}
		pg := b.page(kind, t, pathOf(i))
		fill(pg, (i-1)*size, min(i*size, count))
		if n > 1 {
			pg.Pager = &Pager{Page: i, Pages: n, First: pathOf(1), Last: pathOf(n)}
			if i > 1 {
				pg.Pager.Prev = pathOf(i - 1)
			}
			if i < n {
				pg.Pager.Next = pathOf(i + 1)
			}
		}
		b.planPage(p, th, pg, generated(w))
		pages = append(pages, pg)
	}
	return pages
}

// byTime splits items into events to come, items that are not events, and
// events over, each in the order given.
func (b *builder) byTime(items []*item.Item) (upcoming, others, past []*item.Item) {
	for _, it := range items {
		switch {
		case it.Event == nil:
			others = append(others, it)
		case it.Finished(b.now):
			past = append(past, it)
		default:
			upcoming = append(upcoming, it)
		}
	}
	return upcoming, others, past
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
