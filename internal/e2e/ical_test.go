package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"github.com/circulate-dev/circulate/internal/item"
)

// The year the calendar checks look at: from the build's now (2026-11-28)
// on, across the change to daylight time on 2027-03-14 and back on
// 2027-11-07.
var (
	yearFrom = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	yearTo   = yearFrom.AddDate(1, 0, 0)
)

// TestCalendarsOfExample reads every calendar of the example site (the
// site's, each branch's, each audience's and each event's) with two
// iCalendar libraries, arran4/golang-ical and emersion/go-ical, and checks
// that the dates of each recurring event over a year that crosses both
// changes of the clocks are the same three ways: as go-ical expands them
// (with rrule-go), as expandRule, a small expander written here apart from
// both, reads the RRULE and EXDATE, and as the generator lists them. The
// instants are the same whether the zone is resolved by name or by the
// file's own VTIMEZONE, so an app that knows only the file gets 10:30 as
// 10:30 too.
func TestCalendarsOfExample(t *testing.T) {
	s := exampleSite(t, "")
	items, _ := exampleItems(t)
	byUID := map[string]*item.Item{}
	for _, it := range items {
		if it.Event != nil {
			byUID[it.ID+"@"+s.Base.Hostname()] = it
		}
	}
	var files []string
	err := fs.WalkDir(os.DirFS(s.Dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".ics") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range exampleCalendars(t) {
		if !slices.Contains(files, want) {
			t.Errorf("no %s", want)
		}
	}
	series := 0
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(s.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		cal := parseBoth(t, name, data)
		tzs := map[string]*goical.Component{}
		for _, c := range cal.Children {
			if c.Name == "VTIMEZONE" {
				tzs[c.Props.Get("TZID").Value] = c
			}
		}
		for _, ev := range cal.Events() {
			uid := ev.Props.Get("UID").Value
			it := byUID[uid]
			if it == nil {
				t.Errorf("%s: %s is no event of the site", name, uid)
				continue
			}
			if ev.Props.Get("RRULE") == nil {
				if it.Event.Repeat != nil {
					t.Errorf("%s: %s has no RRULE", name, uid)
				}
				continue
			}
			series++
			checkSeries(t, name, ev, tzs, it)
		}
	}
	if series == 0 {
		t.Error("no recurring event in the example's calendars")
	}
}

// exampleCalendars are the calendars the example must have: the site's,
// one per branch and per audience, one per event.
func exampleCalendars(t *testing.T) []string {
	items, now := exampleItems(t)
	want := []string{"events.ics"}
	for _, b := range []string{"main", "eastside"} {
		want = append(want, "events/branch/"+b+"/events.ics")
	}
	for _, a := range []string{"kids", "teens", "adults", "seniors", "families"} {
		want = append(want, "events/audience/"+a+"/events.ics")
	}
	for _, it := range items {
		if it.Event != nil && it.Visible(now) {
			want = append(want, "events/"+it.Slug+"/event.ics")
		}
	}
	return want
}

// parseBoth parses a calendar with both libraries and checks that they
// read the same events, with the same start and rule.
func parseBoth(t *testing.T, name string, data []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("%s: go-ical: %v", name, err)
	}
	ac, err := arran.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: golang-ical: %v", name, err)
	}
	aEvents, gEvents := ac.Events(), cal.Events()
	if len(aEvents) != len(gEvents) || len(gEvents) == 0 {
		t.Fatalf("%s: golang-ical reads %d events, go-ical %d", name, len(aEvents), len(gEvents))
	}
	for i, ae := range aEvents {
		ge := gEvents[i]
		for _, p := range []arran.ComponentProperty{arran.ComponentPropertyUniqueId, arran.ComponentPropertyDtStart, arran.ComponentPropertyRrule, arran.ComponentPropertySummary} {
			av := ""
			if ap := ae.GetProperty(p); ap != nil {
				av = ap.Value
			}
			gv := ""
			if gp := ge.Props.Get(string(p)); gp != nil {
				gv = gp.Value
			}
			if av != gv {
				t.Errorf("%s: %s: golang-ical reads %q, go-ical %q", name, p, av, gv)
			}
		}
		as, err := ae.GetStartAt()
		if ae.GetProperty(arran.ComponentPropertyDtStart).ICalParameters["VALUE"] != nil {
			as, err = ae.GetAllDayStartAt()
		}
		gs, gerr := ge.DateTimeStart(nil)
		if err != nil || gerr != nil || !as.Equal(gs) {
			t.Errorf("%s: DTSTART: golang-ical %v (%v), go-ical %v (%v)", name, as, err, gs, gerr)
		}
	}
	return cal
}

// checkSeries compares the dates of one recurring VEVENT three ways.
func checkSeries(t *testing.T, name string, ev goical.Event, tzs map[string]*goical.Component, it *item.Item) {
	t.Helper()
	uid := ev.Props.Get("UID").Value
	dtstart := ev.Props.Get("DTSTART")
	start, err := dtstart.DateTime(nil)
	if err != nil {
		t.Fatalf("%s %s: DTSTART: %v", name, uid, err)
	}
	allDay := dtstart.ValueType() == goical.ValueDate
	if !allDay && dtstart.Params.Get("TZID") == "" {
		t.Errorf("%s %s: DTSTART without TZID: the series would not follow the clocks", name, uid)
	}
	var exdates []string
	for _, p := range ev.Props.Values("EXDATE") {
		exdates = append(exdates, p.Value)
	}

	// 1. The independent expander, on the text of the file, with the
	// file's VTIMEZONE rather than the zone's name.
	instant := func(w string) time.Time {
		if allDay {
			u, _ := time.ParseInLocation("20060102", w[:8], start.Location())
			return u
		}
		tz := tzs[dtstart.Params.Get("TZID")]
		if tz == nil {
			t.Fatalf("%s: no VTIMEZONE %s", name, dtstart.Params.Get("TZID"))
		}
		got := resolveByVTimezone(t, tz, w)
		if len(got) != 1 {
			t.Fatalf("%s %s: %s resolves to %v under the file's VTIMEZONE", name, uid, w, got)
		}
		return got[0]
	}
	walls := expandRule(t, dtstart.Value, ev.Props.Get("RRULE").Value, exdates, yearTo, instant)
	var want []time.Time
	for _, w := range walls {
		if !allDay && w[9:] != dtstart.Value[9:] {
			t.Errorf("%s %s: a date at %s, not at DTSTART's %s", name, uid, w[9:], dtstart.Value[9:])
		}
		if u := instant(w); !u.Before(yearFrom) && u.Before(yearTo) {
			want = append(want, u)
		}
	}

	// 2. go-ical's recurrence set (rrule-go), zones by name.
	set, err := ev.RecurrenceSet(nil)
	if err != nil {
		t.Fatalf("%s %s: %v", name, uid, err)
	}
	lib := set.Between(yearFrom, yearTo, true)

	// 3. The generator's own dates, as its pages list them.
	var gen []time.Time
	for _, o := range it.Occurrences(yearFrom, 1000) {
		if o.Start.Before(yearTo) && !o.Start.Before(yearFrom) {
			gen = append(gen, o.Start)
		}
	}
	if len(want) == 0 {
		t.Errorf("%s %s: no dates in the year", name, uid)
	}
	if !slices.EqualFunc(want, lib, time.Time.Equal) {
		t.Errorf("%s %s: go-ical expands\n%v\nthe independent expander expects\n%v", name, uid, lib, want)
	}
	if !slices.EqualFunc(want, gen, time.Time.Equal) {
		t.Errorf("%s %s: the generator lists\n%v\nthe independent expander expects\n%v", name, uid, gen, want)
	}
}

// expandRule is a deliberately plain RRULE expander (RFC 5545 3.3.10), for
// checking: it walks day by day from DTSTART and keeps the days the rule
// matches, at DTSTART's wall-clock time, as "20060102T150405" (or a date).
// It knows FREQ DAILY, WEEKLY, MONTHLY and YEARLY, INTERVAL, COUNT, UNTIL,
// BYDAY (with an ordinal for MONTHLY), BYMONTHDAY and BYMONTH: what
// circulate writes. UNTIL in UTC is compared by the wall time it has in
// DTSTART's zone: instant resolves a wall time by the file's VTIMEZONE.
func expandRule(t *testing.T, dtstart, rule string, exdates []string, to time.Time, instant func(wall string) time.Time) []string {
	t.Helper()
	date := func(s string) time.Time {
		d, err := time.Parse("20060102", s[:8])
		if err != nil {
			t.Fatalf("date %q: %v", s, err)
		}
		return d
	}
	first := date(dtstart)
	clock := ""
	if len(dtstart) > 8 {
		clock = dtstart[8:]
	}
	parts := map[string]string{}
	for _, p := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(p, "=")
		parts[k] = v
	}
	interval := 1
	if v := parts["INTERVAL"]; v != "" {
		interval, _ = strconv.Atoi(v)
	}
	count, _ := strconv.Atoi(parts["COUNT"])
	// UNTIL is the last day (a date) or the last instant (UTC, compared
	// with each date's instant under the file's VTIMEZONE).
	var untilDay, untilAt time.Time
	if u := parts["UNTIL"]; strings.HasSuffix(u, "Z") {
		var err error
		if untilAt, err = time.Parse("20060102T150405Z", u); err != nil {
			t.Fatalf("UNTIL %q: %v", u, err)
		}
	} else if u != "" {
		untilDay = date(u)
	}
	type byday struct {
		n  int
		wd time.Weekday
	}
	wdays := map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
		"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}
	var days []byday
	if v := parts["BYDAY"]; v != "" {
		for _, d := range strings.Split(v, ",") {
			n, _ := strconv.Atoi(d[:len(d)-2])
			days = append(days, byday{n, wdays[d[len(d)-2:]]})
		}
	}
	var monthDays, months []int
	for _, v := range strings.Split(parts["BYMONTHDAY"], ",") {
		if n, err := strconv.Atoi(v); err == nil {
			monthDays = append(monthDays, n)
		}
	}
	for _, v := range strings.Split(parts["BYMONTH"], ",") {
		if n, err := strconv.Atoi(v); err == nil {
			months = append(months, n)
		}
	}
	weekStart := func(d time.Time) time.Time { // weeks start on Monday (WKST=MO)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	daysIn := func(d time.Time) int { return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day() }
	matches := func(d time.Time) bool {
		if len(months) > 0 && !slices.Contains(months, int(d.Month())) {
			return false
		}
		switch parts["FREQ"] {
		case "DAILY":
			if int(d.Sub(first).Hours()/24)%interval != 0 {
				return false
			}
			return len(days) == 0 || slices.ContainsFunc(days, func(b byday) bool { return b.wd == d.Weekday() })
		case "WEEKLY":
			if int(weekStart(d).Sub(weekStart(first)).Hours()/24/7)%interval != 0 {
				return false
			}
			if len(days) == 0 {
				return d.Weekday() == first.Weekday()
			}
			return slices.ContainsFunc(days, func(b byday) bool { return b.wd == d.Weekday() })
		case "MONTHLY":
			if ((d.Year()*12+int(d.Month()))-(first.Year()*12+int(first.Month())))%interval != 0 {
				return false
			}
			switch {
			case len(days) > 0:
				return slices.ContainsFunc(days, func(b byday) bool {
					return b.wd == d.Weekday() && (b.n == 0 || b.n > 0 && (d.Day()-1)/7+1 == b.n || b.n < 0 && (daysIn(d)-d.Day())/7+1 == -b.n)
				})
			case len(monthDays) > 0:
				return slices.ContainsFunc(monthDays, func(n int) bool { return n == d.Day() || n < 0 && daysIn(d)+n+1 == d.Day() })
			}
			return d.Day() == first.Day()
		case "YEARLY":
			return (d.Year()-first.Year())%interval == 0 && d.Month() == first.Month() && d.Day() == first.Day()
		}
		t.Fatalf("FREQ %q", parts["FREQ"])
		return false
	}
	var out []string
	n := 0
	for d := first; d.Before(to.AddDate(0, 0, 1)); d = d.AddDate(0, 0, 1) {
		if !untilDay.IsZero() && d.After(untilDay) || count > 0 && n >= count {
			break
		}
		if !matches(d) {
			continue
		}
		s := d.Format("20060102") + clock
		if !untilAt.IsZero() && instant(s).After(untilAt) {
			break
		}
		n++ // COUNT counts the dates EXDATE takes out
		if !slices.Contains(exdates, s) {
			out = append(out, s)
		}
	}
	return out
}

// resolveByVTimezone finds the instants a wall-clock time can be under a
// VTIMEZONE's observances, as an app that does not know the zone by name
// would: each observance from its onset (and, with an RRULE of the form
// FREQ=YEARLY;BYMONTH=m;BYDAY=nDD, each yearly onset after) until the next.
func resolveByVTimezone(t *testing.T, vtz *goical.Component, wall string) []time.Time {
	t.Helper()
	type onset struct {
		at time.Time // UTC
		to int
	}
	var list []onset
	for _, o := range vtz.Children {
		start, err := time.Parse("20060102T150405", o.Props.Get("DTSTART").Value)
		if err != nil {
			t.Fatal(err)
		}
		from, to := offset(t, o.Props.Get("TZOFFSETFROM").Value), offset(t, o.Props.Get("TZOFFSETTO").Value)
		list = append(list, onset{start.Add(-time.Duration(from) * time.Second), to})
		rr := o.Props.Get("RRULE")
		if rr == nil {
			continue
		}
		var month, nth int
		var wd time.Weekday
		for _, p := range strings.Split(rr.Value, ";") {
			k, v, _ := strings.Cut(p, "=")
			switch k {
			case "BYMONTH":
				month, _ = strconv.Atoi(v)
			case "BYDAY":
				nth, _ = strconv.Atoi(v[:len(v)-2])
				wd = map[string]time.Weekday{"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}[v[len(v)-2:]]
			}
		}
		for y := start.Year() + 1; y < 2100; y++ {
			var day time.Time
			if nth > 0 {
				day = time.Date(y, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
				for day.Weekday() != wd {
					day = day.AddDate(0, 0, 1)
				}
				day = day.AddDate(0, 0, 7*(nth-1))
			} else {
				day = time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
				for day.Weekday() != wd {
					day = day.AddDate(0, 0, -1)
				}
			}
			local := time.Date(y, day.Month(), day.Day(), start.Hour(), start.Minute(), start.Second(), 0, time.UTC)
			list = append(list, onset{local.Add(-time.Duration(from) * time.Second), to})
		}
	}
	slices.SortFunc(list, func(a, b onset) int { return a.at.Compare(b.at) })
	w, err := time.Parse("20060102T150405", wall)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for i, o := range list {
		u := w.Add(-time.Duration(o.to) * time.Second)
		if u.Before(o.at) || i+1 < len(list) && !u.Before(list[i+1].at) {
			continue
		}
		out = append(out, u)
	}
	return out
}

func offset(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 {
		t.Fatalf("offset %q", s)
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := h*3600 + m*60
	if s[0] == '-' {
		sec = -sec
	}
	return sec
}
