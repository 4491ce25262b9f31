package generator

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/circulate-dev/circulate/internal/item"
)

// icsProdID names the program that made the calendars (RFC 5545 3.7.3).
const icsProdID = "-//circulate//Library news//EN"

// calendarName is what a calendar app calls a calendar: the library and
// what it holds, "Riverside Public Library — Events at Eastside Branch".
func (b *builder) calendarName(holds string) string {
	return b.cfg.Library.Name + " — " + holds
}

// calendarTitle is the name of the calendar of events: the event's own for
// one event.
func (b *builder) calendarTitle(events []*item.Item) string {
	if len(events) == 1 {
		return b.calendarName(events[0].Title)
	}
	return b.calendarName("Events")
}

// writeCalendar writes an iCalendar file of events, with the name apps
// show for it, to w (made there and not copied: the calendar of all events
// of a big site is megabytes). Everything in it comes from the items,
// nothing from the clock, so a build is reproducible.
func (b *builder) writeCalendar(w *bytes.Buffer, name string, events []*item.Item) error {
	var buf bytes.Buffer
	// Unfolded and with LF, then folded by fold: the library folds at
	// word boundaries, so a continuation line can start with a space that
	// belongs to the text, and readers that strip all leading blanks when
	// unfolding (not rare) glue the words together. It also writes bare LF
	// on Unix where RFC 5545 wants CRLF.
	if err := b.calendarHead(name).SerializeTo(&buf, ics.WithLineLength(math.MaxInt), ics.WithNewLineUnix); err != nil {
		return err
	}
	// The calendar's own lines, its time zone and each event's VEVENT as
	// made once per run (zoneBytes, veventBytes), then the end: the same
	// bytes as serializing the calendar whole, since fold works line by
	// line (TestCalendarOfSharedEvents).
	head := bytes.TrimSuffix(fold(buf.Bytes()), []byte(icsEnd))
	parts := make([][]byte, 0, len(events)+1)
	size := len(head) + len(icsEnd)
	if span, ok := zoneSpanOf(events); ok {
		tz, err := b.zoneBytes(span)
		if err != nil {
			return err
		}
		parts, size = append(parts, tz), size+len(tz)
	}
	for _, it := range events {
		v, err := b.veventBytes(it)
		if err != nil {
			return err
		}
		parts, size = append(parts, v), size+len(v)
	}
	w.Grow(size)
	w.Write(head)
	for _, p := range parts {
		w.Write(p)
	}
	w.WriteString(icsEnd)
	return nil
}

// calendarHead is a calendar's properties, without its time zone and
// events.
func (b *builder) calendarHead(name string) *ics.Calendar {
	cal := ics.NewCalendarFor("circulate")
	cal.SetProductId(icsProdID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	if b.cfg.Description != "" {
		cal.SetXWRCalDesc(b.cfg.Description)
	}
	cal.SetXWRTimezone(b.cfg.Location.String())
	return cal
}

// zoneSpan is what the VTIMEZONE of a calendar depends on: the years
// from its first timed event to its last, and whether a series goes on
// without an end (see vtimezone).
type zoneSpan struct {
	from, to time.Time
	open     bool
}

// zoneSpanOf is the span of the timed events; false when all are all-day
// (a calendar of dates needs no zone).
func zoneSpanOf(events []*item.Item) (zoneSpan, bool) {
	var z zoneSpan
	for _, it := range events {
		e := it.Event
		if e.AllDay {
			continue
		}
		if z.from.IsZero() || e.Start.Before(z.from) {
			z.from = e.Start
		}
		last, ok := it.LastOccurrence()
		if !ok {
			z.open, last = true, it.FirstOccurrence()
		}
		if last.End.After(z.to) {
			z.to = last.End
		}
	}
	return z, !z.from.IsZero()
}

// zoneBytes is the VTIMEZONE of a span, folded, made once per run for
// each first and last year: most calendars of a site share one.
func (b *builder) zoneBytes(z zoneSpan) ([]byte, error) {
	loc := b.cfg.Location
	key := [3]int{z.from.In(loc).Year(), z.to.In(loc).Year(), 0}
	if z.open {
		key[2] = 1
	}
	v, _ := b.zones.LoadOrStore(key, &lazyBytes{})
	l := v.(*lazyBytes)
	l.once.Do(func() {
		var buf bytes.Buffer
		if l.err = vtimezone(loc, z.from, z.to, z.open).SerializeTo(&buf, icsLines()); l.err == nil {
			l.data = fold(buf.Bytes())
		}
	})
	return l.data, l.err
}

// icsLines is how the library is asked to write a component: unfolded,
// with LF, as writeCalendar has it write the calendar.
func icsLines() *ics.SerializationConfiguration {
	return &ics.SerializationConfiguration{MaxLength: math.MaxInt, PropertyMaxLength: 75, NewLine: "\n"}
}

const icsEnd = "END:VCALENDAR\r\n"

// veventBytes is the event's VEVENT, folded, made once per run: an event
// is in the calendar of all events, in its own, its branch's and its
// audiences', and making it again for each was a third of the time of a
// busy calendar's build.
func (b *builder) veventBytes(it *item.Item) ([]byte, error) {
	v, _ := b.vevents.LoadOrStore(it, &lazyBytes{})
	l := v.(*lazyBytes)
	l.once.Do(func() {
		var buf bytes.Buffer
		if l.err = b.vevent(it).SerializeTo(&buf, icsLines()); l.err == nil {
			l.data = fold(buf.Bytes())
		}
	})
	return l.data, l.err
}

// lazyBytes is bytes made once, by whichever caller comes first.
type lazyBytes struct {
	once sync.Once
	data []byte
	err  error
}

// fold ends lines in CRLF and splits those longer than 75 octets into a
// line and continuation lines that start with a space (RFC 5545 3.1),
// never inside a UTF-8 sequence.
func fold(data []byte) []byte {
	const max = 75
	out := make([]byte, 0, len(data)+len(data)/32)
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) == 0 {
			continue
		}
		limit := max
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line, limit = line[cut:], max-1
		}
		out = append(out, line...)
		out = append(out, "\r\n"...)
	}
	return out
}

func (b *builder) vevent(it *item.Item) *ics.VEvent {
	e, loc := it.Event, b.cfg.Location
	ev := ics.NewEvent(it.ID + "@" + b.base.u.Hostname())
	ev.SetDtStampTime(it.Date)
	tzid := ics.WithTZID(loc.String())
	if e.AllDay {
		ev.SetAllDayStartAt(e.Start.In(loc))
		// DTEND of a date is exclusive: the day after the last day.
		y, m, d := e.End.In(loc).Date()
		ev.SetAllDayEndAt(time.Date(y, m, d+1, 0, 0, 0, 0, loc))
	} else {
		ev.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(loc).Format(icsLocal), tzid)
		// Without DTEND a timed event ends when it starts (RFC 5545 3.6.1),
		// which is what an event with no end given means.
		if e.HasEnd {
			ev.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(loc).Format(icsLocal), tzid)
		}
	}
	if r := e.Repeat; r != nil {
		// One VEVENT for the series: apps expand it in the zone of
		// DTSTART, so 10:30 stays 10:30 after the clocks change.
		ev.AddRrule(r.RRULE())
		for _, x := range r.Except {
			if e.AllDay {
				ev.AddExdate(x.Start.In(loc).Format("20060102"), ics.WithValue(string(ics.ValueDataTypeDate)))
			} else {
				ev.AddExdate(x.Start.In(loc).Format(icsLocal), tzid)
			}
		}
	}
	summary, status := it.Title, ics.ObjectStatusConfirmed
	switch e.Status {
	case item.Cancelled:
		// Many calendar apps show a cancelled event like any other; the
		// title says it too.
		summary, status = "Cancelled: "+summary, ics.ObjectStatusCancelled
	case item.Postponed:
		summary, status = "Postponed: "+summary, ics.ObjectStatusTentative
	}
	ev.SetSummary(icsText(summary))
	ev.SetLocation(icsText(icsLocation(e)))
	ev.SetURL(it.URL)
	ev.SetDescription(icsText(icsDescription(it)))
	ev.SetStatus(status)
	// One CATEGORIES line per tag, so a comma in a tag stays in it.
	for _, t := range it.Tags {
		ev.AddCategory(icsText(t))
	}
	ev.SetSequence(0)
	ev.SetModifiedAt(it.Date)
	return ev
}

// icsLocation is where, with the branch's address so that a phone's map
// finds it: "Reading Lounge, Eastside Branch, 45 Elm Avenue, Riverside";
// for an event only online, its link, which calendar apps make a button.
func icsLocation(e *item.EventInfo) string {
	if e.Attendance() == item.Online {
		return e.Online
	}
	where := e.Place()
	if e.Branch != nil && e.Branch.Address() != "" {
		where += ", " + e.Branch.Address()
	}
	return where
}

// icsDescription is the summary, then what a patron needs on the day
// (the online link, registration, cost, ages, access), then the page.
func icsDescription(it *item.Item) string {
	e := it.Event
	lines := []string{it.Summary}
	if e.Online != "" {
		lines = append(lines, "Join online: "+e.Online)
	}
	if r := e.Registration; r != nil {
		lines = append(lines, registrationText(r, time.Time{}))
	}
	for _, f := range []struct{ label, v string }{{"Cost", e.Cost}, {"Ages", e.Ages}, {"Accessibility", e.Accessibility}} {
		if f.v != "" {
			lines = append(lines, f.label+": "+f.v)
		}
	}
	return strings.TrimSpace(strings.Join(slices.DeleteFunc(lines, func(s string) bool { return s == "" }), "\n\n") + "\n\n" + it.URL)
}

const icsLocal = "20060102T150405"

// icsText turns carriage returns into newlines, which the library escapes;
// a bare CR would end the line early in a reader.
func icsText(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// vtimezone describes loc from before `from` to after `to` with one
// STANDARD or DAYLIGHT observance per offset change, read from Go's zone
// data, so that calendar apps need not know the zone by name. It starts
// with the observance in force on January 1 of from's year, so every
// event falls after an onset. When open (a series without an end), the
// last change of each kind also recurs every year, by the rule the zone
// follows now, so that dates years ahead are right too.
func vtimezone(loc *time.Location, from, to time.Time, open bool) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	first := time.Date(from.In(loc).Year(), 1, 1, 0, 0, 0, 0, loc)
	last := time.Date(to.In(loc).Year()+1, 1, 1, 0, 0, 0, 0, loc)
	onset, next := first.ZoneBounds()
	var onsets []time.Time
	var comps []*ics.ComponentBase
	for {
		comps = append(comps, observance(tz, loc, onset, first))
		onsets = append(onsets, onset)
		if next.IsZero() || !next.Before(last) {
			break
		}
		onset = next
		_, next = onset.ZoneBounds()
	}
	if open {
		// The last two changes: one into daylight time, one out of it.
		for i := max(0, len(comps)-2); i < len(comps); i++ {
			if rule := yearlyRule(loc, onsets[i]); rule != "" {
				comps[i].AddProperty(ics.ComponentPropertyRrule, rule)
			}
		}
	}
	return tz
}

// yearlyRule is the RRULE of a change of the clocks that happens every year
// on the same weekday of the same month ("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
// checked against the next two years' changes; "" when it does not.
func yearlyRule(loc *time.Location, onset time.Time) string {
	if onset.IsZero() {
		return ""
	}
	wall := func(t time.Time) time.Time {
		_, off := t.Add(-time.Second).In(loc).Zone()
		return t.In(time.FixedZone("", off))
	}
	w := wall(onset)
	nth := (w.Day()-1)/7 + 1
	// Zones say "the last Sunday" rather than "the 4th" or "the 5th":
	// when every change seen is in the last week, that is the rule.
	allLast := w.AddDate(0, 0, 7).Month() != w.Month()
	sameNth := true
	_, offAfter := onset.In(loc).Zone()
	t := onset
	for range 2 {
		// The same change a year on: the next one to the same offset.
		next := t
		for {
			_, n := next.ZoneBounds()
			if n.IsZero() || n.Sub(t) > 400*24*time.Hour {
				return ""
			}
			next = n
			if _, off := next.In(loc).Zone(); off == offAfter && next.Sub(t) > 300*24*time.Hour {
				break
			}
		}
		nw := wall(next)
		if nw.Month() != w.Month() || nw.Weekday() != w.Weekday() || nw.Hour() != w.Hour() || nw.Minute() != w.Minute() {
			return ""
		}
		sameNth = sameNth && (nw.Day()-1)/7+1 == nth
		allLast = allLast && nw.AddDate(0, 0, 7).Month() != nw.Month()
		t = next
	}
	switch {
	case allLast:
		nth = -1
	case !sameNth:
		return ""
	}
	days := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(w.Month()), nth, days[w.Weekday()])
}

// observance adds the observance that begins at onset (zero: the zone has
// no recorded change before at).
func observance(tz *ics.VTimezone, loc *time.Location, onset, at time.Time) *ics.ComponentBase {
	name, off := at.In(loc).Zone()
	prev, dst := off, at.In(loc).IsDST()
	start := "19700101T000000"
	if !onset.IsZero() {
		name, off = onset.In(loc).Zone()
		_, prev = onset.Add(-time.Second).In(loc).Zone()
		dst = onset.In(loc).IsDST()
		// DTSTART is the wall-clock time of the change, as read before it.
		start = onset.In(time.FixedZone("", prev)).Format(icsLocal)
	}
	var c *ics.ComponentBase
	if dst {
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		c = &d.ComponentBase
	} else {
		c = &tz.AddStandard().ComponentBase
	}
	c.SetProperty(ics.ComponentPropertyDtStart, start)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(prev))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(off))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	return c
}

// utcOffset formats seconds east of UTC as RFC 5545 wants: "-0500", "+0530".
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
