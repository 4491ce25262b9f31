package item

import (
	"strings"
	"time"
)

// When formats an event's time for people: "Saturday, December 5,
// 10:30–11:15 AM", "Monday, January 18, 2027 (all day)" (the year when it
// is not the item's date's), or a range over days;
// for a recurring event, the series: "Every Tuesday, 10:30–11:15 AM, from
// December 8, 2026 until May 25, 2027".
func When(it *Item) string {
	e := it.Event
	if e == nil {
		return ""
	}
	if r := e.Repeat; r != nil {
		s := r.Pattern()
		if !e.AllDay {
			s += ", " + TimeRange(it)
		}
		return s + ", from " + e.Start.Format("January 2, 2006") + r.Ending()
	}
	// The year is said when it is not the year the item goes live in,
	// when the post and the feed entry are read.
	day := func(t time.Time) string {
		if !it.Date.IsZero() && t.Year() != it.Date.Year() {
			return t.Format("Monday, January 2, 2006")
		}
		return t.Format("Monday, January 2")
	}
	endDay := func(t time.Time) string {
		if t.Year() == e.Start.Year() {
			return t.Format("Monday, January 2")
		}
		return day(t)
	}
	sameDay := e.Start.Format("2006-01-02") == e.End.Format("2006-01-02")
	if e.AllDay {
		if sameDay {
			return day(e.Start) + " (all day)"
		}
		return day(e.Start) + " – " + endDay(e.End)
	}
	if sameDay {
		return day(e.Start) + ", " + TimeRange(it)
	}
	return day(e.Start) + ", " + clock(e.Start) + " – " + endDay(e.End) + ", " + clock(e.End)
}

// TimeRange is the time of day of an event: "10:30–11:15 AM", "6–8 PM",
// "11 AM–1 PM", or "All day".
func TimeRange(it *Item) string {
	e := it.Event
	if e == nil {
		return ""
	}
	if e.AllDay {
		return "All day"
	}
	if !e.HasEnd || e.End.Equal(e.Start) {
		return clock(e.Start)
	}
	if e.Start.Format("2006-01-02") != e.End.Format("2006-01-02") {
		return clock(e.Start) + " – " + e.End.Format("Jan 2, ") + clock(e.End)
	}
	s, en := clock(e.Start), clock(e.End)
	if e.Start.Format("PM") == e.End.Format("PM") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, " AM"), " PM")
	}
	return s + "–" + en
}

// clock: "10:30 AM", "6 PM", "Noon".
func clock(t time.Time) string {
	if t.Hour() == 12 && t.Minute() == 0 {
		return "12 PM"
	}
	if t.Minute() == 0 {
		return t.Format("3 PM")
	}
	return t.Format("3:04 PM")
}

// JoinAnd joins names for reading: "a", "a and b", "a, b and c".
func JoinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
