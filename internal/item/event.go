package item

import (
	"strings"
	"time"
)

// Branch is one of the library's buildings (config.yaml `branches:`).
type Branch struct {
	Key  string // the key in config.yaml and in URLs: "eastside"
	Name string // "Eastside Branch"
	// The postal address, in parts as schema.org's PostalAddress has
	// them; Street may hold a whole one-line address.
	Street, Locality, Region, PostalCode, Country string
	Map                                           string // a map link, or ""
	Hours                                         string // opening hours, as the library writes them
	Phone                                         string
}

// Address is the branch's address on one line, as people nearby write
// it: "45 Elm Avenue, Riverside, NY 12345" (the country is for machines).
func (b *Branch) Address() string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(b.Street)
	add(b.Locality)
	add(strings.TrimSpace(b.Region + " " + b.PostalCode))
	return strings.Join(parts, ", ")
}

// Registration is how to sign up for an event.
type Registration struct {
	URL      string    // the sign-up page, or ""
	Required bool      // registration is required to attend
	Capacity int       // places in all; 0 when not said
	Full     bool      // no places left: the link is to the waiting list
	Opens    time.Time // when sign-up opens; zero when not said
}

// Attendance modes of an event (schema.org eventAttendanceMode).
const (
	Offline = "offline" // at a place
	Online  = "online"  // on the web only
	Mixed   = "mixed"   // both: hybrid
)

// Attendance says whether the event is at a place, online, or both.
func (e *EventInfo) Attendance() string {
	switch {
	case e.Online == "":
		return Offline
	case e.Location == "" && e.Branch == nil:
		return Online
	}
	return Mixed
}

// Venue is the room and the building: "Children's Room, Main Library";
// "" for an event only online.
func (e *EventInfo) Venue() string {
	var parts []string
	if e.Location != "" {
		parts = append(parts, e.Location)
	}
	if e.Branch != nil && !strings.Contains(e.Location, e.Branch.Name) {
		parts = append(parts, e.Branch.Name)
	}
	return strings.Join(parts, ", ")
}

// Place is where the event is, in words: "Children's Room, Main Library",
// "online", "Community Room, Main Library, and online".
func (e *EventInfo) Place() string {
	switch e.Attendance() {
	case Online:
		return "online"
	case Mixed:
		return e.Venue() + ", and online"
	}
	return e.Venue()
}

// Occurrence is one date of an event: the only one, or one of a
// recurring event's.
type Occurrence struct {
	Start time.Time
	// End is as EventInfo.End: the last day of an all-day occurrence, the
	// end time of a timed one.
	End    time.Time
	AllDay bool
}

// Ends is the instant the occurrence is over: the midnight after its last
// day when all-day, End otherwise.
func (o Occurrence) Ends() time.Time {
	if o.AllDay {
		y, m, d := o.End.Date()
		return time.Date(y, m, d+1, 0, 0, 0, 0, o.End.Location())
	}
	return o.End
}

// Days is the number of calendar days the occurrence touches (1 for an
// event within a day).
func (o Occurrence) Days() int {
	return daysBetween(o.Start, o.lastDay()) + 1
}

// lastDay is the day it ends on; an event ending at midnight ends the day
// before.
func (o Occurrence) lastDay() time.Time {
	if o.AllDay {
		return o.End
	}
	end := o.End
	if end.After(o.Start) && end.Hour() == 0 && end.Minute() == 0 && end.Second() == 0 {
		end = end.Add(-time.Second)
	}
	return end
}

// daysBetween counts the calendar days from a's day to b's day.
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// FirstOccurrence is the event's first (or only) date.
func (it *Item) FirstOccurrence() Occurrence {
	e := it.Event
	return Occurrence{Start: e.Start, End: e.End, AllDay: e.AllDay}
}

// Occurrences lists the dates of the event that are not over at from,
// soonest first, at most n of them: for a one-off event its date if not
// over, for a recurring one its coming dates (exceptions left out).
func (it *Item) Occurrences(from time.Time, n int) []Occurrence {
	if it.Event == nil || n <= 0 {
		return nil
	}
	if r := it.Event.Repeat; r != nil {
		return r.occurrences(it.FirstOccurrence(), from, n)
	}
	if o := it.FirstOccurrence(); o.Ends().After(from) {
		return []Occurrence{o}
	}
	return nil
}

// NextOccurrence is the first date of the event not over at now.
func (it *Item) NextOccurrence(now time.Time) (Occurrence, bool) {
	if l := it.Occurrences(now, 1); len(l) > 0 {
		return l[0], true
	}
	return Occurrence{}, false
}

// StartsAfter reports whether a date of the event starts after now: for a
// recurring event any date, not only the first. An event that has
// started is not announced.
func (it *Item) StartsAfter(now time.Time) bool {
	if it.Event == nil {
		return false
	}
	if it.Event.Repeat == nil {
		return it.Event.Start.After(now)
	}
	for _, o := range it.Occurrences(now, 2) {
		if o.Start.After(now) {
			return true
		}
	}
	return false
}

// LastOccurrence is the event's last date; false for a recurring event
// without an end.
func (it *Item) LastOccurrence() (Occurrence, bool) {
	if r := it.Event.Repeat; r != nil {
		return r.last(it.FirstOccurrence())
	}
	return it.FirstOccurrence(), true
}

// endless stands for the end of a series that does not end.
var endless = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
