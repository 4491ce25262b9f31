package generator

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Dates as people read them on the site: the year only when it is not
// this year (the year of the build's now), and times that do not break
// across lines mid-range: "2–4 PM" is one unit, so a range is kept
// together with white-space: nowrap and a no-break space before AM/PM.

const nbsp = "\u00a0"

// dateText is "Tuesday, December 8", or "Tuesday, December 8, 2027" in
// another year than now's; the month and the day never part.
func dateText(t, now time.Time) string {
	s := t.Format("Monday, January" + nbsp + "2")
	if t.Year() != now.Year() {
		s += ", " + t.Format("2006")
	}
	return s
}

// shortDateText is "Dec 8" or "Dec 8, 2027".
func shortDateText(t, now time.Time) string {
	s := t.Format("Jan" + nbsp + "2")
	if t.Year() != now.Year() {
		s += ", " + t.Format("2006")
	}
	return s
}

// clockNB is "10:30 AM" with a no-break space.
func clockNB(t time.Time) string {
	if t.Minute() == 0 {
		return t.Format("3" + nbsp + "PM")
	}
	return t.Format("3:04" + nbsp + "PM")
}

// timeText is the time of day of an occurrence that starts and ends on one
// day: "10:30–11:15 AM", "6–8 PM", "11 AM–1 PM", "10 AM", "All day".
func timeText(o item.Occurrence, hasEnd bool) string {
	if o.AllDay {
		return "All day"
	}
	if !hasEnd || o.End.Equal(o.Start) {
		return clockNB(o.Start)
	}
	s, e := clockNB(o.Start), clockNB(o.End)
	if o.Start.Format("PM") == o.End.Format("PM") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, nbsp+"AM"), nbsp+"PM")
	}
	return s + "–" + e
}

// nowrap keeps a piece of text on one line.
func nowrap(s string) string {
	return `<span class="nowrap">` + template.HTMLEscapeString(s) + `</span>`
}

// whenHTML is an occurrence for people: "Tuesday, December 8, 10:30–11:15
// AM"; "Friday, April 16 – Saturday, April 17, 2027"; "Saturday, March 13,
// 8 PM – Sunday, March 14, 9 AM".
func whenHTML(o item.Occurrence, hasEnd bool, now time.Time) template.HTML {
	esc := template.HTMLEscapeString
	if o.Days() == 1 || !hasEnd && !o.AllDay {
		if o.AllDay {
			return template.HTML(esc(dateText(o.Start, now)) + " (all day)")
		}
		return template.HTML(esc(dateText(o.Start, now)) + ", " + nowrap(timeText(o, hasEnd)))
	}
	// Over days: the year once, with the first day, when both are in it.
	end := o.End
	endText := dateText(end, now)
	if end.Year() == o.Start.Year() {
		endText = dateText(end, end)
	}
	if o.AllDay {
		return template.HTML(esc(dateText(o.Start, now)) + " – " + esc(endText))
	}
	return template.HTML(esc(dateText(o.Start, now)) + ", " + nowrap(clockNB(o.Start)) + " – " +
		esc(endText) + ", " + nowrap(clockNB(end)))
}

// dayTimeHTML is the time of an occurrence on one day of a day-by-day
// list: "10:30–11:15 AM", "All day", or for an event over several days
// "8 PM – Sunday, March 14, 9 AM" on its first day and "Day 2 of 2: until
// 9 AM" on the next.
func dayTimeHTML(o item.Occurrence, hasEnd bool, day, now time.Time) template.HTML {
	n := o.Days()
	if n == 1 {
		return template.HTML(nowrap(timeText(o, hasEnd)))
	}
	i := daysFrom(o.Start, day) + 1
	prefix := template.HTMLEscapeString("Day " + strconv.Itoa(i) + " of " + strconv.Itoa(n))
	switch {
	case o.AllDay:
		return template.HTML(prefix + ", all day")
	case i == 1:
		return template.HTML(prefix + ": from " + nowrap(clockNB(o.Start)))
	case i == n:
		return template.HTML(prefix + ": until " + nowrap(clockNB(o.End)))
	}
	return template.HTML(prefix + ", all day")
}

// daysFrom counts calendar days from a's day to b's.
func daysFrom(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)).Hours() / 24)
}
