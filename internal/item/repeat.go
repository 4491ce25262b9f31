package item

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/plural"
	"github.com/teambition/rrule-go"
)

// Repeat is the rule of a recurring event: an RFC 5545 recurrence rule,
// expanded by rrule-go from the event's first start in that start's time
// zone (the site's), so that a 10:30 storytime stays at 10:30 when the
// clocks change; minus the dates in Except.
//
// A Repeat is made once, when its file is loaded, and only read after: the
// items of a site are shared by the goroutines that render it.
type Repeat struct {
	Except []Exception // soonest first
	opt    rrule.ROption
	allDay bool
	rule   *rrule.RRule
	skip   map[string]bool // Except by day, "2006-01-02"
}

// Exception is a date of the series that does not happen.
type Exception struct {
	// Start is when the cancelled date would have started: the day at the
	// series' time (midnight for an all-day event).
	Start  time.Time
	Reason string // "Library closed for the holiday", or ""
}

// horizon bounds how far past the first date a series is expanded: a rule
// that never matches (the 31st of February) must not loop for ever.
const horizon = 100 * 366 * 24 * time.Hour

// NewRepeat compiles opt, whose Dtstart is set to start (the first date,
// in the site's zone). The caller checks the rule; NewRepeat only reports
// what rrule-go refuses.
func NewRepeat(opt rrule.ROption, start time.Time, allDay bool) (*Repeat, error) {
	opt.Dtstart = start
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, err
	}
	return &Repeat{opt: opt, allDay: allDay, rule: r, skip: map[string]bool{}}, nil
}

// Option is the rule as rrule-go holds it, with Dtstart set.
func (r *Repeat) Option() rrule.ROption { return r.opt }

// Endless reports a series with neither `until` nor `count`.
func (r *Repeat) Endless() bool { return r.opt.Count == 0 && r.opt.Until.IsZero() }

// starts calls yield with each start of the rule (exceptions included),
// soonest first, until it returns false or the horizon is passed.
func (r *Repeat) starts(yield func(time.Time) bool) {
	// An rrule-go iterator writes into its RRule (the length it found), and
	// a build renders pages and calendars of one item on many goroutines:
	// each walk gets its own copy of the rule.
	rule := *r.rule
	next := rule.Iterator()
	limit := r.opt.Dtstart.Add(horizon)
	for {
		t, ok := next()
		if !ok || t.After(limit) || !yield(t) {
			return
		}
	}
}

// FirstStart is the first start the rule makes, which should be the
// event's start; false when the rule makes none.
func (r *Repeat) FirstStart() (time.Time, bool) {
	var first time.Time
	r.starts(func(t time.Time) bool { first = t; return false })
	return first, !first.IsZero()
}

// NearestStart is the start of the series closest to day (by days), for
// a hint; false when there is none.
func (r *Repeat) NearestStart(day time.Time) (time.Time, bool) {
	var best time.Time
	bestD := -1
	r.starts(func(t time.Time) bool {
		d := daysBetween(day, t)
		if d < 0 {
			d = -d
		}
		if bestD < 0 || d < bestD {
			best, bestD = t, d
		}
		return t.Before(day) // the nearest is found once past day
	})
	return best, bestD >= 0
}

// AddException takes the date of the series on day out of it. It returns
// false when the rule has no date on day.
func (r *Repeat) AddException(day time.Time, reason string) bool {
	key := day.Format(time.DateOnly)
	var start time.Time
	r.starts(func(t time.Time) bool {
		if t.Format(time.DateOnly) == key {
			start = t
			return false
		}
		return !t.After(day.AddDate(0, 0, 1))
	})
	if start.IsZero() {
		return false
	}
	if !r.skip[key] {
		r.skip[key] = true
		r.Except = append(r.Except, Exception{Start: start, Reason: reason})
		slices.SortFunc(r.Except, func(a, b Exception) int { return a.Start.Compare(b.Start) })
	}
	return true
}

// occurrences lists at most n dates not over at from.
func (r *Repeat) occurrences(first Occurrence, from time.Time, n int) []Occurrence {
	var out []Occurrence
	r.starts(func(t time.Time) bool {
		if r.skip[t.Format(time.DateOnly)] {
			return true
		}
		if o := shift(first, t); o.Ends().After(from) {
			out = append(out, o)
		}
		return len(out) < n
	})
	return out
}

// last is the series' last date; false for an endless series.
func (r *Repeat) last(first Occurrence) (Occurrence, bool) {
	if r.Endless() {
		return Occurrence{}, false
	}
	last, found := first, false
	r.starts(func(t time.Time) bool {
		if !r.skip[t.Format(time.DateOnly)] {
			last, found = shift(first, t), true
		}
		return true
	})
	_ = found // a series whose every date is an exception ends with its first
	return last, true
}

// Count is how many dates the series has, exceptions left out; 0 when
// endless.
func (r *Repeat) Count() int {
	if r.Endless() {
		return 0
	}
	n := 0
	r.starts(func(t time.Time) bool {
		if !r.skip[t.Format(time.DateOnly)] {
			n++
		}
		return true
	})
	return n
}

// shift is the occurrence of the series that starts at t: as long as the
// first, in calendar days and wall-clock time, so an event that ends at 9
// the next morning does so after a change of the clocks too.
func shift(first Occurrence, t time.Time) Occurrence {
	days := daysBetween(first.Start, first.End)
	y, m, d := t.Date()
	var end time.Time
	if first.AllDay {
		end = time.Date(y, m, d+days, 0, 0, 0, 0, t.Location())
	} else {
		e := first.End
		end = time.Date(y, m, d+days, e.Hour(), e.Minute(), e.Second(), 0, t.Location())
	}
	return Occurrence{Start: t, End: end, AllDay: first.AllDay}
}

// RRULE is the rule as the value of an iCalendar RRULE property (RFC 5545
// 3.3.10). UNTIL is a date for an all-day series and a UTC time
// otherwise, as the RFC requires with a DTSTART that has a time zone.
func (r *Repeat) RRULE() string {
	o := r.opt
	parts := []string{"FREQ=" + o.Freq.String()}
	if o.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(o.Interval))
	}
	switch {
	case o.Count > 0:
		parts = append(parts, "COUNT="+strconv.Itoa(o.Count))
	case !o.Until.IsZero() && r.allDay:
		parts = append(parts, "UNTIL="+o.Until.In(o.Dtstart.Location()).Format("20060102"))
	case !o.Until.IsZero():
		parts = append(parts, "UNTIL="+o.Until.UTC().Format("20060102T150405Z"))
	}
	ints := func(key string, v []int) {
		if len(v) == 0 {
			return
		}
		s := make([]string, len(v))
		for i, n := range v {
			s[i] = strconv.Itoa(n)
		}
		parts = append(parts, key+"="+strings.Join(s, ","))
	}
	ints("BYMONTH", o.Bymonth)
	ints("BYWEEKNO", o.Byweekno)
	ints("BYYEARDAY", o.Byyearday)
	ints("BYMONTHDAY", o.Bymonthday)
	if len(o.Byweekday) > 0 {
		s := make([]string, len(o.Byweekday))
		for i, w := range o.Byweekday {
			s[i] = strings.TrimPrefix(w.String(), "+")
		}
		parts = append(parts, "BYDAY="+strings.Join(s, ","))
	}
	ints("BYSETPOS", o.Bysetpos)
	if o.Wkst != rrule.MO {
		parts = append(parts, "WKST="+strings.TrimPrefix(o.Wkst.String(), "+"))
	}
	return strings.Join(parts, ";")
}

// weekdayNames by rrule-go's numbering, Monday first.
var weekdayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// rruleDay is rrule-go's number of a Go weekday.
func rruleDay(d time.Weekday) int { return (int(d) + 6) % 7 }

// Describe says how often the series happens and until when, for
// people: "Every Tuesday until May 25, 2027".
func (r *Repeat) Describe() string { return r.Pattern() + r.Ending() }

// Ending says when the series ends: " until May 25, 2027", ", 6 times",
// or "" for a series without an end.
func (r *Repeat) Ending() string {
	o := r.opt
	switch {
	case o.Count > 0:
		return ", " + plural.Count(o.Count, "time")
	case !o.Until.IsZero():
		return " until " + o.Until.In(o.Dtstart.Location()).Format("January 2, 2006")
	}
	return ""
}

// Pattern says how often the series happens, for people: "Every
// Tuesday", "Every other Thursday", "The 2nd Tuesday of every month",
// "Every day".
func (r *Repeat) Pattern() string {
	o := r.opt
	start := o.Dtstart
	every := func(unit string) string {
		switch o.Interval {
		case 0, 1:
			return "every " + unit
		case 2:
			return "every other " + unit
		}
		return "every " + strconv.Itoa(o.Interval) + " " + unit + "s"
	}
	var days []string // plain weekdays
	var nth []string  // "2nd Tuesday"
	for _, w := range o.Byweekday {
		if w.N() == 0 {
			days = append(days, weekdayNames[w.Day()])
		} else {
			nth = append(nth, ordinal(w.N())+" "+weekdayNames[w.Day()])
		}
	}
	if len(o.Bysetpos) == 1 && len(nth) == 0 && len(days) == 1 {
		nth, days = []string{ordinal(o.Bysetpos[0]) + " " + days[0]}, nil
	}
	plain := len(o.Bymonth) == 0 && len(o.Byweekno) == 0 && len(o.Byyearday) == 0 && (len(o.Bysetpos) == 0 || len(nth) == 1)
	var s string
	switch {
	case !plain:
		s = "Repeats " + strings.ToLower(o.Freq.String())
	case o.Freq == rrule.DAILY && len(days) == 0 && len(nth) == 0 && len(o.Bymonthday) == 0:
		s = capital(every("day"))
	case o.Freq == rrule.DAILY && slices.Equal(days, weekdayNames[:5]):
		s = "Every weekday"
	case o.Freq == rrule.WEEKLY && len(nth) == 0 && len(o.Bymonthday) == 0:
		if len(days) == 0 {
			days = []string{weekdayNames[rruleDay(start.Weekday())]}
		}
		if o.Interval <= 2 {
			s = capital(every(JoinAnd(days)))
		} else {
			s = capital(every("week")) + " on " + JoinAnd(days)
		}
	case o.Freq == rrule.MONTHLY && len(days) == 0 && len(nth) > 0 && len(o.Bymonthday) == 0:
		s = "The " + JoinAnd(nth) + " of " + every("month")
	case o.Freq == rrule.MONTHLY && len(days) == 0 && len(nth) == 0:
		md := o.Bymonthday
		if len(md) == 0 {
			md = []int{start.Day()}
		}
		var ds []string
		for _, d := range md {
			ds = append(ds, ordinal(d))
		}
		s = "The " + JoinAnd(ds) + " of " + every("month")
	case o.Freq == rrule.YEARLY && len(days) == 0 && len(nth) == 0 && len(o.Bymonthday) == 0:
		s = capital(every("year")) + " on " + start.Format("January 2")
	default:
		s = "Repeats " + strings.ToLower(o.Freq.String())
	}
	return s
}

// ordinal: 1 -> "1st", 2 -> "2nd", -1 -> "last", -2 -> "second to last".
func ordinal(n int) string {
	switch {
	case n == -1:
		return "last"
	case n == -2:
		return "second to last"
	case n < 0:
		return ordinal(-n) + " to last"
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
