package generator

import (
	"cmp"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/item"
)

// site is the model of the built site: the visible items, sorted and
// grouped once, so that no page needs a pass over all items.
type site struct {
	now      time.Time
	all      []*item.Item // visible, newest first by date
	events   []*item.Item // all visible events, by start
	upcoming []*item.Item // events not yet finished, soonest first
	past     []*item.Item // finished events, most recent first
	titles   []*item.Item // newest first
	news     []*item.Item // newest first
	pages    []*item.Item
	tags     map[string][]*item.Item // by tag slug, newest first
	tagNames map[string]string       // tag slug -> name as first written
	// redirects are the old addresses of visible items, in file order.
	redirects []redirect
	skipped   []Skip
}

// model selects what is visible at now and orders it. serve makes it anew
// for every edit, so it sorts once (all items, newest first) and takes the
// sections and tags from that order, which is theirs too.
func (b *builder) model(items []*item.Item) *site {
	s := &site{now: b.now, tags: map[string][]*item.Item{}, tagNames: map[string]string{}}
	slugs := map[string]string{} // tag -> TagSlug(tag): a site has few tags
	tagSlug := func(t string) string {
		ts, ok := slugs[t]
		if !ok {
			ts = TagSlug(t)
			slugs[t] = ts
		}
		return ts
	}
	for _, it := range items {
		switch {
		case it.Draft && !b.opts.Drafts:
			s.skipped = append(s.skipped, Skip{it, "draft"})
			continue
		case it.Kind != item.Page && it.Date.After(b.now) && !b.opts.Future:
			s.skipped = append(s.skipped, Skip{it, "dated " + it.Date.Format("2006-01-02 15:04") + ", after now"})
			continue
		}
		switch it.Kind {
		case item.Page:
			s.pages = append(s.pages, it)
			continue
		case item.Event:
			s.events = append(s.events, it)
		}
		s.all = append(s.all, it)
		// A tag's name is the one written first, in file order.
		for _, t := range it.Tags {
			if ts := tagSlug(t); !hasKey(s.tagNames, ts) {
				s.tagNames[ts] = t
			}
		}
	}
	sortNewest(s.all)
	for _, it := range s.all {
		switch it.Kind {
		case item.Title:
			s.titles = append(s.titles, it)
		case item.News:
			s.news = append(s.news, it)
		}
		for _, t := range it.Tags {
			ts := tagSlug(t)
			if l := s.tags[ts]; len(l) == 0 || l[len(l)-1] != it {
				s.tags[ts] = append(l, it)
			}
		}
	}
	slices.SortFunc(s.pages, func(a, b *item.Item) int { return cmp.Compare(a.Slug, b.Slug) })
	slices.SortFunc(s.events, func(a, b *item.Item) int {
		if c := a.Event.Start.Compare(b.Event.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// Upcoming events by their next date (a series' first may be past),
	// past ones by their last, most recent first.
	var up, past []*item.Item
	for _, e := range s.events {
		if e.Finished(b.now) {
			past = append(past, e)
		} else {
			up = append(up, e)
		}
	}
	s.upcoming, s.past = b.byNextDate(up), b.byLastDate(past)
	return s
}

// sortNewest sorts items newest first, then by ID: every item has its own
// ID, so the order is total and the same whatever order the items came in.
// It sorts copies of the keys, side by side in memory: with 10,000 items
// spread over the heap, following each item's pointer on every comparison
// is most of the cost of a sort, and serve sorts after every edit.
func sortNewest(items []*item.Item) {
	type key struct {
		sec  int64
		nsec int
		id   string
		it   *item.Item
	}
	keys := make([]key, len(items))
	for i, it := range items {
		keys[i] = key{it.Date.Unix(), it.Date.Nanosecond(), it.ID, it}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(b.sec, a.sec), cmp.Compare(b.nsec, a.nsec), strings.Compare(a.id, b.id))
	})
	for i, k := range keys {
		items[i] = k.it
	}
}

// crossCheck applies the rules that need all items: unique addresses, and
// old addresses (aliases, Config.Moved) that are no item's address now. It
// returns every item by its address, drafts and future ones included, for
// the link checks, and the old addresses that may redirect.
func (b *builder) crossCheck(srcs []*source) (diag.List, map[string]*item.Item, []aliasCand) {
	var diags diag.List
	byPath := make(map[string]*item.Item, len(srcs))
	byID := make(map[string]*item.Item, len(srcs))
	for _, s := range srcs {
		it := s.it
		if it.Slug == "" {
			continue
		}
		if other, ok := byPath[it.Path]; ok {
			a, c := other, it
			if a.File > c.File {
				a, c = c, a
			}
			diags.Errorf(c.File, 1, "two items have the web address %s: this one and %s; rename one of the files or give it a different `slug:`", it.Path, a.File)
			continue
		}
		byPath[it.Path] = it
		byID[it.ID] = it
	}
	cands := b.redirectCands(srcs, byPath, byID, &diags)
	return diags, byPath, cands
}

// checkLinks warns of links in the content to pages and files the site
// does not have: not an item (built or not: a draft may be published
// first) and not a file of the plan.
func (b *builder) checkLinks(srcs []*source, byPath map[string]*item.Item, p *plan) diag.List {
	var diags diag.List
	for _, s := range srcs {
		for _, l := range s.links {
			if msg := checkLink(l.Dest, byPath, p); msg != "" {
				diags.WarnCode(diag.BrokenLink, s.it.File, s.body+l.Line-1, "%s", msg)
			}
		}
	}
	return diags
}

// checkLink says what is wrong with a site-relative link, or "".
func checkLink(dest string, byPath map[string]*item.Item, p *plan) string {
	if dest == "" || strings.Contains(dest, "://") || strings.HasPrefix(dest, "#") ||
		strings.HasPrefix(dest, "mailto:") || strings.HasPrefix(dest, "tel:") || strings.HasPrefix(dest, "//") {
		return ""
	}
	u, _, _ := strings.Cut(dest, "#")
	u, _, _ = strings.Cut(u, "?")
	if !strings.HasPrefix(u, "/") {
		return "link " + dest + ": write links to other pages of the site from the top, like /news/holiday-hours/"
	}
	if byPath[u] != nil || byPath[u+"/"] != nil {
		return ""
	}
	if _, ok := p.byName[strings.TrimPrefix(u, "/")]; ok {
		return ""
	}
	if _, ok := p.byName[indexFile(u)]; ok {
		return ""
	}
	if path.Ext(u) != "" {
		return "link " + dest + " points to a file that is not in static/; add the file there or fix the link"
	}
	return "link " + dest + " points to a page that does not exist; check the spelling (pages are at /events/<file name>/, /titles/..., /news/..., /<page>/)"
}
