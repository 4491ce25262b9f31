package item

import (
	"strings"
	"time"
)

// When formats an event's time for people: "Saturday, December 5,
// 10:30–11:15 AM", "Monday, January 18 (all day)", or a range over days.
func When(it *Item) string {
	e := it.Event
	if e == nil {
		return ""
	}
	day := func(t time.Time) string { return t.Format("Monday, January 2") }
	sameDay := e.Start.Format("2006-01-02") == e.End.Format("2006-01-02")
	if e.AllDay {
		if sameDay {
			return day(e.Start) + " (all day)"
		}
		return day(e.Start) + " – " + day(e.End)
	}
	if sameDay {
		return day(e.Start) + ", " + TimeRange(it)
	}
	return day(e.Start) + ", " + clock(e.Start) + " – " + day(e.End) + ", " + clock(e.End)
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
