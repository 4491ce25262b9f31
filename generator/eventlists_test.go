package generator

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

var cardLink = regexp.MustCompile(`<h[23] class="card-title"><a href="(/events/[a-z0-9-]+/)">`)

// allPages is a list's pages, from its first by the pager's next links,
// one after the other.
func allPages(t *testing.T, files map[string][]byte, first string) string {
	t.Helper()
	var b strings.Builder
	for p := first; p != ""; {
		page, ok := files[indexFile(p)]
		if !ok {
			t.Fatalf("no page %s", p)
		}
		b.Write(page)
		next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindSubmatch(page)
		p = ""
		if next != nil {
			p = string(next[1])
		}
	}
	return b.String()
}

// listed follows a list's pages from its first, by the pager's next link,
// and returns each event page linked from its cards, with how often, and
// the size of the biggest page.
func listed(t *testing.T, files map[string][]byte, first string) (map[string]int, int) {
	t.Helper()
	seen, biggest := map[string]int{}, 0
	for p := first; p != ""; {
		page, ok := files[indexFile(p)]
		if !ok {
			t.Fatalf("no page %s", p)
		}
		biggest = max(biggest, len(page))
		for _, m := range cardLink.FindAllSubmatch(page, -1) {
			seen[string(m[1])]++
		}
		next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindSubmatch(page)
		p = ""
		if next != nil {
			p = string(next[1])
		}
	}
	return seen, biggest
}

// A branch with 400 upcoming events: its list and the site's are in pages
// of the configured size, none over 300 KB, and every event is on them.
func TestEventListsPaginate(t *testing.T) {
	files := map[string]string{}
	for i := range 400 {
		start := testNow.AddDate(0, 0, 1+i/3).Add(time.Duration(i%3) * time.Hour)
		files[fmt.Sprintf("content/events/e%03d.md", i)] = fm(fmt.Sprintf("title: \"Event %d, with a long name to make the cards as big as real ones\"", i),
			"date: 2026-11-01", "start: "+start.Format("2006-01-02T15:04"), "end: "+start.Add(time.Hour).Format("2006-01-02T15:04"),
			"branch: eastside", "location: Reading Lounge", "audience: [kids, adults]",
			"summary: \""+strings.Repeat("A summary of the event of a sentence or two. ", 4)+"\"")
	}
	fsys := eventsFS(files)
	_, out, err := build(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, first := range []string{"/events/", "/events/branch/eastside/", "/events/audience/kids/"} {
		seen, biggest := listed(t, out.Files, first)
		if len(seen) != 400 {
			t.Errorf("%s: %d events reachable from the lists, want 400", first, len(seen))
		}
		if biggest > 300<<10 {
			t.Errorf("%s: a page of %d KB", first, biggest>>10)
		}
	}
	if _, ok := out.Files["events/branch/eastside/page/200/index.html"]; !ok {
		t.Error("pages of 2 events (pagination: {size: 2}): want 200 of them")
	}
	if seen, _ := listed(t, out.Files, "/events/branch/main/"); len(seen) != 0 {
		t.Errorf("the Main Library lists %d events of Eastside", len(seen))
	}
}

// A multi-day event is on each day it runs, a recurring one once, at its
// next date; each list has the filter bar and its own calendar.
func TestEventLists(t *testing.T) {
	_, out, err := build(t, eventsFS(map[string]string{
		"content/events/sale.md": fm("title: Book Sale", "date: 2026-11-01", "start: 2026-12-04", "end: 2026-12-05", "branch: main", "audience: [adults]"),
		"content/events/lock-in.md": fm("title: Lock-In", "date: 2026-11-01", "start: 2026-12-05T20:00", "end: 2026-12-06T09:00",
			"branch: main", "audience: [teens]"),
		// Started last week: listed at its next date, Tuesday December 1.
		"content/events/story.md": fm("title: Storytime", "date: 2026-11-01", "start: 2026-11-24T10:30", "end: 2026-11-24T11:00",
			"branch: eastside", "audience: [kids]", "repeat: {every: week, count: 10}"),
		"content/events/old.md": fm("title: Old", "date: 2026-10-01", "start: 2026-10-05", "branch: eastside"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	events := allPages(t, out.Files, "/events/")
	for _, want := range []string{
		// the days, in order, with what is on each
		`Tuesday</span> December` + "\u00a0" + `1</time>`, `/events/story/`, `10:30–11` + "\u00a0" + `AM`, "Every Tuesday",
		`Friday</span> December` + "\u00a0" + `4</time>`, `/events/sale/`, "Day 1 of 2, all day",
		`Saturday</span> December` + "\u00a0" + `5</time>`, "Day 2 of 2, all day", `/events/lock-in/`, "Day 1 of 2: from",
		`Sunday</span> December` + "\u00a0" + `6</time>`, "Day 2 of 2: until",
	} {
		i := strings.Index(events, want)
		if i < 0 {
			t.Fatalf("/events/ has no %q (or not after the one before)", want)
		}
		events = events[i:]
	}
	if all := allPages(t, out.Files, "/events/"); strings.Count(all, `href="/events/story/"`) != 1 || strings.Contains(all, "/events/old/") {
		t.Error("a series is listed once; a past event not at all")
	}
	page := string(out.Files["events/index.html"])
	for _, want := range []string{
		`<a href="/events/branch/eastside/">Eastside Branch</a>`, `<a href="/events/audience/kids/">Kids (0–11)</a>`,
		`<a href="/events/" aria-current="page">All branches</a>`,
		`href="webcal://news.test-library.org/events.ics"`,
		`https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fnews.test-library.org%2Fevents.ics`,
		`https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fnews.test-library.org%2Fevents.ics&amp;name=Test&#43;Library&#43;%E2%80%94&#43;Events`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/events/ has no %s", want)
		}
	}
	east := string(out.Files["events/branch/eastside/index.html"])
	for _, want := range []string{`<h1>Events at Eastside Branch</h1>`, "45 Elm Avenue, Test Town, NY 10002", `/events/story/`,
		`<a href="/events/branch/eastside/" aria-current="page">Eastside Branch</a>`, `href="webcal://news.test-library.org/events/branch/eastside/events.ics"`} {
		if !strings.Contains(east, want) {
			t.Errorf("the Eastside page has no %s", want)
		}
	}
	if strings.Contains(east, "/events/sale/") {
		t.Error("the Eastside page lists a Main Library event")
	}
	cals := map[string][]string{
		"events/branch/eastside/events.ics": {"X-WR-CALNAME:Test Library — Events at Eastside Branch", "events/story@", "events/old@"},
		"events/branch/main/events.ics":     {"X-WR-CALNAME:Test Library — Events at Main Library", "events/sale@", "events/lock-in@"},
		"events/audience/kids/events.ics":   {"X-WR-CALNAME:Test Library — Events for Kids (0–11)", "events/story@"},
		"events/audience/teens/events.ics":  {"X-WR-CALNAME:Test Library — Events for Teens", "events/lock-in@"},
		"events.ics":                        {"X-WR-CALNAME:Test Library — Events", "events/story@", "events/sale@", "events/lock-in@", "events/old@"},
	}
	for name, wants := range cals {
		cal := string(out.Files[name])
		for _, w := range wants {
			if !strings.Contains(cal, w) {
				t.Errorf("%s has no %s", name, w)
			}
		}
		if n := strings.Count(cal, "BEGIN:VEVENT"); n != len(wants)-1 {
			t.Errorf("%s: %d events, want %d", name, n, len(wants)-1)
		}
	}
	if c := string(out.Files["events/calendars/index.html"]); strings.Count(c, `class="calendar-box"`) != 1+2+3 {
		t.Errorf("the calendars page lists %d calendars, want the site's, 2 branches' and 3 audiences'", strings.Count(c, `class="calendar-box"`))
	}
}

// A tag's pages: the tag as written as their heading, upcoming events
// apart from past ones, with titles and news between.
func TestTagPageEvents(t *testing.T) {
	_, out, err := build(t, eventsFS(map[string]string{
		"content/events/soon.md": fm("title: Soon", "date: 2026-11-01", "start: 2026-12-04", "branch: main", "tags: [Local History]"),
		"content/events/old.md":  fm("title: Old", "date: 2026-10-01", "start: 2026-10-05", "branch: main", "tags: [Local History]"),
		"content/news/n.md":      fm("title: A news post", "date: 2026-11-20", "tags: [local history]"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	page := allPages(t, out.Files, "/tags/local-history/")
	rest := page
	for _, want := range []string{"<h1>Local History</h1>", `<h2 id="tag-upcoming">Coming up</h2>`, "/events/soon/",
		`<h2 id="tag-items">New titles and news</h2>`, "/news/n/", `<h2 id="tag-past">Past events</h2>`, "/events/old/"} {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("the tag page has no %q after the parts before:\n%s", want, page)
		}
		rest = rest[i:]
	}
}

// Entry's copies of its item's fields (Title, Path, ...) hold the item's
// values, on every list entry of the example and of a calendar corpus: a
// template sees the copy, not the item's field, so a copy left unset or
// stale would print the wrong thing.
func TestEntryCopiesItsItem(t *testing.T) {
	it := reflect.TypeFor[item.Item]()
	et := reflect.TypeFor[Entry]()
	var copies []string
	for f := range et.Fields() {
		if _, ok := it.FieldByName(f.Name); ok && !f.Anonymous {
			copies = append(copies, f.Name)
		}
	}
	if len(copies) < 5 {
		t.Fatalf("Entry copies only %v of the item's fields", copies)
	}
	check := func(s *Site) int {
		n := 0
		for _, o := range s.plan.outputs {
			if o.page == nil {
				continue
			}
			var entries []Entry
			entries = append(entries, o.page.Upcoming...)
			entries = append(entries, o.page.Events...)
			entries = append(entries, o.page.PastEvents...)
			for _, d := range o.page.Days {
				entries = append(entries, d.Events...)
			}
			for _, e := range entries {
				ev, iv := reflect.ValueOf(e), reflect.ValueOf(*e.Item)
				for _, name := range copies {
					if got, want := ev.FieldByName(name).Interface(), iv.FieldByName(name).Interface(); !reflect.DeepEqual(got, want) {
						t.Errorf("%s on %s: Entry.%s = %v, its item's is %v", e.File, o.Name, name, got, want)
					}
				}
				n++
			}
		}
		return n
	}
	s, _ := loadExample(t)
	n := check(s)
	if n += check(loadCorpus(t, "calendar", 300, 2)); n < 500 {
		t.Errorf("checked %d entries", n)
	}
}
