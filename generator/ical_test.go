package generator

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"github.com/circulate-dev/circulate/bench/sitegen"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const outHost = "news.riverside-library.example.org"

func writeCalendars(t *testing.T, b *builder, s *site) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	b.themeFS, _ = b.resolveTheme()
	th, diags := b.loadTheme()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p := b.makePlan(s, th)
	for _, o := range p.outputs {
		if o.Kind != FileCalendar {
			continue
		}
		var buf bytes.Buffer
		if err := o.make(p.sd, &buf); err != nil {
			t.Fatal(err)
		}
		files[o.Name] = buf.Bytes()
	}
	if len(files) != 1+len(s.events) {
		t.Fatalf("made %d calendars, want %d", len(files), 1+len(s.events))
	}
	return files
}

// parseICS reads a calendar with go-ical, a parser other than the writer,
// after checking the line rules of RFC 5545 3.1 on the raw bytes.
func parseICS(t *testing.T, name string, data []byte) *goical.Calendar {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Errorf("%s: does not end in CRLF", name)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("%s line %d: a bare CR or LF: %q", name, i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("%s line %d: %d octets, more than 75: %q", name, i+1, len(line), line)
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("%s: does not parse: %v\n%s", name, err, data)
	}
	return cal
}

func icsProp(t *testing.T, c *goical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		return ""
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestCalendars(t *testing.T) {
	b, s := outSite(t, outConfig)
	files := writeCalendars(t, b, s)
	cal := parseICS(t, "events.ics", files["events.ics"])
	for prop, want := range map[string]string{
		"VERSION": "2.0", "PRODID": icsProdID, "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"X-WR-CALNAME": "Riverside Public Library — Events", "NAME": "Riverside Public Library — Events", "X-WR-TIMEZONE": "America/New_York",
	} {
		if got := icsProp(t, cal.Component, prop); got != want {
			t.Errorf("%s: %q, want %q", prop, got, want)
		}
	}
	events := map[string]*goical.Component{}
	for _, e := range cal.Events() {
		uid := icsProp(t, e.Component, "UID")
		if events[uid] != nil {
			t.Errorf("UID %s twice", uid)
		}
		events[uid] = e.Component
		if seq, err := e.Props.Get("SEQUENCE").Int(); seq != 0 || err != nil {
			t.Errorf("%s: SEQUENCE %d (%v)", uid, seq, err)
		}
	}
	if len(events) != 5 {
		t.Fatalf("%d events, want the 5 visible ones", len(events))
	}
	for _, it := range s.events {
		uid := it.ID + "@" + outHost
		e := events[uid]
		if e == nil {
			t.Fatalf("no event with UID %s", uid)
		}
		// The event's own file holds the same event.
		name := "events/" + it.Slug + "/event.ics"
		one := parseICS(t, name, files[name])
		if ev := one.Events(); len(ev) != 1 || icsProp(t, ev[0].Component, "UID") != uid {
			t.Errorf("%s: want the one event %s", name, uid)
		}
		if got := e.Props.Get("URL"); got == nil || got.Value != it.URL {
			t.Errorf("%s: URL %q", uid, got)
		}
		if d := icsProp(t, e, "DESCRIPTION"); !strings.HasSuffix(d, "\n\n"+it.URL) || !strings.HasPrefix(d, it.Summary) {
			t.Errorf("%s: DESCRIPTION %q", uid, d)
		}
		stamp, err := e.Props.DateTime("DTSTAMP", nil)
		if err != nil || !stamp.Equal(it.Date) {
			t.Errorf("%s: DTSTAMP %v (%v), want the item's date %v", uid, stamp, err, it.Date)
		}
	}

	owls := events["events/night-owls@"+outHost]
	cats := []string{}
	for _, p := range owls.Props.Values("CATEGORIES") {
		l, _ := p.TextList()
		cats = append(cats, l...)
	}
	if !slices.Equal(cats, []string{"teens", "games, puzzles"}) {
		t.Errorf("CATEGORIES %q", cats)
	}

	sale := events["events/book-sale@"+outHost]
	for prop, want := range map[string]string{"DTSTART": "20270410", "DTEND": "20270412"} {
		p := sale.Props.Get(prop)
		if p == nil || p.Value != want || p.ValueType() != goical.ValueDate {
			t.Errorf("all-day %s: %+v, want VALUE=DATE:%s (the end is exclusive)", prop, p, want)
		}
	}

	story := events["events/storytime@"+outHost]
	if got := icsProp(t, story, "STATUS"); got != "CANCELLED" {
		t.Errorf("cancelled event: STATUS %q", got)
	}
	if story.Props.Get("DTEND") != nil {
		t.Errorf("an event without an end has a DTEND")
	}

	brass := events["events/brass@"+outHost]
	if got := icsProp(t, brass, "STATUS"); got != "TENTATIVE" {
		t.Errorf("postponed event: STATUS %q", got)
	}
	// Long lines with commas, semicolons and multi-byte characters come
	// back whole once unfolded and unescaped.
	if got, want := icsProp(t, brass, "SUMMARY"), "Postponed: Holiday Brass Concert — Riverside Community Brass Ensemble in the Reading Room, with Cocoa"; got != want {
		t.Errorf("SUMMARY %q\nwant %q", got, want)
	}
	if got := icsProp(t, brass, "LOCATION"); got != "Reading Room; Main Library, 2nd floor" {
		t.Errorf("LOCATION %q", got)
	}
	if got := icsProp(t, brass, "DESCRIPTION"); !strings.Contains(got, "café au lait & cocoa served; seating is first come, first served") ||
		!strings.Contains(got, "Register: https://riverside-library.example.org/register/brass") {
		t.Errorf("DESCRIPTION %q", got)
	}
}

// The lock-in starts at 20:00 EST and ends at 09:00 EDT, after the clocks
// go forward on 14 March 2027: 01:00Z to 13:00Z, 11 hours, not 13.
func TestCalendarDST(t *testing.T) {
	b, s := outSite(t, outConfig)
	files := writeCalendars(t, b, s)
	for _, name := range []string{"events.ics", "events/night-owls/event.ics"} {
		cal := parseICS(t, name, files[name])
		var owls *goical.Component
		for _, e := range cal.Events() {
			if icsProp(t, e.Component, "UID") == "events/night-owls@"+outHost {
				owls = e.Component
			}
		}
		tzs := vtimezones(cal)
		for prop, want := range map[string]time.Time{
			"DTSTART": time.Date(2027, 3, 14, 1, 0, 0, 0, time.UTC),
			"DTEND":   time.Date(2027, 3, 14, 13, 0, 0, 0, time.UTC),
		} {
			p := owls.Props.Get(prop)
			if tz := p.Params.Get("TZID"); tz != "America/New_York" {
				t.Fatalf("%s %s: TZID %q", name, prop, tz)
			}
			// go-ical resolves TZID by name with Go's zone data...
			if got, err := p.DateTime(nil); err != nil || !got.Equal(want) {
				t.Errorf("%s %s by zone name: %v (%v), want %v", name, prop, got, err, want)
			}
			// ...an app that knows only the file's VTIMEZONE must agree.
			if got := resolveWall(t, tzs["America/New_York"], p.Value); !slices.ContainsFunc(got, want.Equal) {
				t.Errorf("%s %s by VTIMEZONE: %v, want %v", name, prop, got, want)
			}
		}
	}
}

// For zones north and south, with and without daylight time, the
// VTIMEZONE maps every wall-clock time of the years it covers to the
// instant Go's zone data gives.
func TestVTimezone(t *testing.T) {
	for _, c := range []struct {
		zone          string
		std, daylight int // observances
	}{
		{"America/New_York", 3, 2},
		{"Europe/London", 3, 2},
		{"Australia/Sydney", 2, 3}, // daylight time over the new year
		{"Asia/Kolkata", 1, 0},
		{"UTC", 1, 0},
	} {
		t.Run(c.zone, func(t *testing.T) {
			loc := mustLoad(c.zone)
			from := time.Date(2026, 7, 1, 10, 0, 0, 0, loc)
			to := time.Date(2027, 2, 1, 10, 0, 0, 0, loc)
			tz := vtimezone(loc, from, to, false)
			c2 := ics.NewCalendar()
			c2.AddVTimezone(tz)
			data := c2.Serialize()
			var std, dl int
			cal, err := goical.NewDecoder(strings.NewReader(data)).Decode()
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			vtz := vtimezones(cal)[c.zone]
			for _, o := range vtz.Children {
				switch o.Name {
				case "STANDARD":
					std++
				case "DAYLIGHT":
					dl++
				}
			}
			if std != c.std || dl != c.daylight {
				t.Errorf("%d STANDARD and %d DAYLIGHT, want %d and %d\n%s", std, dl, c.std, c.daylight, data)
			}
			for u := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); u.Year() < 2028; u = u.Add(30 * time.Minute) {
				wall := u.In(loc).Format(icsLocal)
				if got := resolveWall(t, vtz, wall); !slices.ContainsFunc(got, u.Equal) {
					t.Fatalf("%s resolves to %v, want %v\n%s", wall, got, u.UTC(), data)
				}
			}
		})
	}
}

func vtimezones(cal *goical.Calendar) map[string]*goical.Component {
	m := map[string]*goical.Component{}
	for _, c := range cal.Children {
		if c.Name == "VTIMEZONE" {
			m[c.Props.Get("TZID").Value] = c
		}
	}
	return m
}

// resolveWall finds the instants a wall-clock time ("20270313T200000")
// can be under the observances of vtz, as a calendar app that does not
// know the zone by name would: under each observance, the instant that
// falls between its onset and the next one's. Two in a fall-back hour.
func resolveWall(t *testing.T, vtz *goical.Component, wall string) []time.Time {
	t.Helper()
	type obs struct {
		onset time.Time
		to    int
	}
	var list []obs
	for _, o := range vtz.Children {
		start, err := time.Parse(icsLocal, o.Props.Get("DTSTART").Value)
		if err != nil {
			t.Fatal(err)
		}
		from, to := parseOffset(t, o.Props.Get("TZOFFSETFROM").Value), parseOffset(t, o.Props.Get("TZOFFSETTO").Value)
		list = append(list, obs{start.Add(-time.Duration(from) * time.Second), to})
	}
	slices.SortFunc(list, func(a, b obs) int { return a.onset.Compare(b.onset) })
	w, err := time.Parse(icsLocal, wall)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for i, o := range list {
		u := w.Add(-time.Duration(o.to) * time.Second)
		if u.Before(o.onset) || i+1 < len(list) && !u.Before(list[i+1].onset) {
			continue
		}
		out = append(out, u)
	}
	return out
}

func parseOffset(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 {
		t.Fatalf("offset %q", s)
	}
	n := func(p string) int { v, _ := strconv.Atoi(p); return v }
	sec := n(s[1:3])*3600 + n(s[3:5])*60
	if len(s) == 7 {
		sec += n(s[5:7])
	}
	if s[0] == '-' {
		sec = -sec
	}
	return sec
}

func TestCalendarsReproducible(t *testing.T) {
	b, s := outSite(t, outConfig)
	first := writeCalendars(t, b, s)
	b2, s2 := outSite(t, outConfig)
	b2.now = b2.now.Add(72 * time.Hour) // a later build of the same content
	for name, data := range writeCalendars(t, b2, b2.model(slices.Clone(s2.all))) {
		if !bytes.Equal(data, first[name]) {
			t.Errorf("%s differs between builds", name)
		}
	}
}

// The lock-in's event.ics, byte for byte; `go test ./generator -update`
// rewrites it after a deliberate change.
func TestEventICSGolden(t *testing.T) {
	b, s := outSite(t, outConfig)
	got := writeCalendars(t, b, s)["events/night-owls/event.ics"]
	golden := filepath.Join("testdata", "ical", "night-owls.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -run TestEventICSGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("event.ics differs from %s (-update rewrites it):\n%s", golden, got)
	}
}

// Build writes the feeds and calendars along with the pages.
func TestBuildWritesFeedsAndCalendars(t *testing.T) {
	cfg, diags := config.Parse([]byte(outConfig))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	b, s := outSite(t, outConfig)
	out := &MapOutput{}
	res, err := Build(context.Background(), Config{Site: cfg, Now: func() time.Time { return outNow }, Out: out}, b.fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"feed.xml", "atom.xml", "feed.json", "events/feed.xml", "titles/feed.xml", "news/feed.xml", "events.ics"}
	for _, e := range s.events {
		want = append(want, "events/"+e.Slug+"/event.ics")
	}
	for _, name := range want {
		if out.Files[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	if res.Feeds != len(want) {
		t.Errorf("Result.Feeds = %d, want %d", res.Feeds, len(want))
	}
}

// A calendar put together from VEVENTs made once per run is the same bytes
// as the library's serialization of the whole calendar, for the calendar of
// all events and each event's own of the example and of a corpus of each
// shape (the calendars of branches and audiences are made the same way).
func TestCalendarOfSharedEvents(t *testing.T) {
	whole := func(b *builder, name string, events []*item.Item) []byte {
		t.Helper()
		cal := b.calendarHead(name)
		if span, ok := zoneSpanOf(events); ok {
			cal.AddVTimezone(vtimezone(b.cfg.Location, span.from, span.to, span.open))
		}
		for _, it := range events {
			cal.AddVEvent(b.vevent(it))
		}
		var buf bytes.Buffer
		if err := cal.SerializeTo(&buf, ics.WithLineLength(math.MaxInt), ics.WithNewLineUnix); err != nil {
			t.Fatal(err)
		}
		return fold(buf.Bytes())
	}
	check := func(s *Site) int {
		var events []*item.Item
		for _, it := range s.Result.Items {
			if it.Event != nil && it.Slug != "" {
				events = append(events, it)
			}
		}
		n := 0
		lists := [][]*item.Item{events}
		for _, it := range events {
			lists = append(lists, []*item.Item{it})
		}
		for _, list := range lists {
			name := s.b.calendarTitle(list)
			var got bytes.Buffer
			if err := s.b.writeCalendar(&got, name, list); err != nil {
				t.Fatal(err)
			}
			if want := whole(s.b, name, list); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("calendar %q of %d events differs from the whole serialization:\n%s\n---\n%s", name, len(list), got.Bytes(), want)
			}
			n++
		}
		return n
	}
	s, _ := loadExample(t)
	n := check(s)
	for _, name := range sitegen.ShapeNames() {
		n += check(loadCorpus(t, name, 300, 5))
	}
	if n < 300 {
		t.Errorf("checked %d calendars", n)
	}
}
