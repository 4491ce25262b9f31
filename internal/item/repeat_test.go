package item

import (
	"slices"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

var ny = func() *time.Location {
	l, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return l
}()

func nyAt(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ny) }

// weekly is a storytime every Tuesday 10:30–11:15 from 2026-12-08.
func weekly(t *testing.T, opt rrule.ROption) *Item {
	t.Helper()
	start := nyAt(2026, 12, 8, 10, 30)
	r, err := NewRepeat(opt, start, false)
	if err != nil {
		t.Fatal(err)
	}
	return &Item{Event: &EventInfo{Start: start, End: start.Add(45 * time.Minute), HasEnd: true, Repeat: r}}
}

// Over a year that crosses both changes of the clocks, every date is at
// 10:30 wall-clock time: 15:30Z in winter, 14:30Z in summer.
func TestRepeatKeepsWallClockAcrossDST(t *testing.T) {
	it := weekly(t, rrule.ROption{Freq: rrule.WEEKLY, Byweekday: []rrule.Weekday{rrule.TU}, Until: nyAt(2027, 12, 7, 23, 59)})
	all := it.Occurrences(nyAt(2026, 12, 1, 0, 0), 1000)
	if len(all) != 53 {
		t.Fatalf("%d dates, want 53 Tuesdays from 2026-12-08 to 2027-12-07", len(all))
	}
	for i, o := range all {
		want := nyAt(2026, 12, 8+7*i, 10, 30)
		if !o.Start.Equal(want) || o.Start.Format("15:04") != "10:30" || o.End.Format("15:04") != "11:15" {
			t.Errorf("date %d: %v–%v, want %v", i, o.Start, o.End, want)
		}
	}
	if u := all[14].Start.UTC(); u.Hour() != 14 || u.Month() != time.March {
		t.Errorf("2027-03-16 is %v UTC; 10:30 EDT is 14:30Z", u)
	}
	if u := all[0].Start.UTC(); u.Hour() != 15 {
		t.Errorf("2026-12-08 is %v UTC; 10:30 EST is 15:30Z", u)
	}
}

func TestRepeatExceptions(t *testing.T) {
	it := weekly(t, rrule.ROption{Freq: rrule.WEEKLY, Count: 4})
	r := it.Event.Repeat
	if !r.AddException(time.Date(2026, 12, 22, 0, 0, 0, 0, ny), "Holiday") {
		t.Fatal("2026-12-22 is a date of the series")
	}
	if r.AddException(time.Date(2026, 12, 23, 0, 0, 0, 0, ny), "") {
		t.Error("2026-12-23 (a Wednesday) taken as a date of the series")
	}
	if got := r.Except; len(got) != 1 || !got[0].Start.Equal(nyAt(2026, 12, 22, 10, 30)) || got[0].Reason != "Holiday" {
		t.Errorf("Except = %v", got)
	}
	var days []int
	for _, o := range it.Occurrences(nyAt(2026, 1, 1, 0, 0), 10) {
		days = append(days, o.Start.Day())
	}
	// COUNT counts the exception, as RFC 5545 does: 4 dates minus 1.
	if !slices.Equal(days, []int{8, 15, 29}) {
		t.Errorf("dates %v, want 8, 15, 29", days)
	}
	if n := r.Count(); n != 3 {
		t.Errorf("Count = %d", n)
	}
	last, ok := it.LastOccurrence()
	if !ok || last.Start.Day() != 29 {
		t.Errorf("last = %v %v", last, ok)
	}
	if !it.Finished(nyAt(2026, 12, 29, 11, 15)) || it.Finished(nyAt(2026, 12, 29, 11, 0)) {
		t.Error("the series is over when its last date is")
	}
	near, _ := r.NearestStart(time.Date(2026, 12, 17, 0, 0, 0, 0, ny))
	if near.Day() != 15 {
		t.Errorf("nearest to 17th: %v", near)
	}
}

// The next date is the one not over yet; a series has started when its
// next date has, and it is still news while a date is to come.
func TestNextOccurrence(t *testing.T) {
	it := weekly(t, rrule.ROption{Freq: rrule.WEEKLY, Count: 3})
	during := nyAt(2026, 12, 15, 11, 0)
	o, ok := it.NextOccurrence(during)
	if !ok || o.Start.Day() != 15 {
		t.Errorf("during the 15th: next %v", o)
	}
	if !it.StartsAfter(during) {
		t.Error("a date (the 22nd) is still to start")
	}
	if it.StartsAfter(nyAt(2026, 12, 22, 10, 31)) {
		t.Error("the last date has started")
	}
	if _, ok := it.NextOccurrence(nyAt(2026, 12, 22, 12, 0)); ok {
		t.Error("a next date after the last")
	}
	endless := weekly(t, rrule.ROption{Freq: rrule.WEEKLY})
	if endless.Finished(nyAt(2040, 1, 1, 0, 0)) {
		t.Error("an endless series is never over")
	}
	if _, ok := endless.LastOccurrence(); ok {
		t.Error("an endless series has a last date")
	}
}

// A date of a series lasts as long as the first, in calendar days and
// wall-clock time: an overnight lock-in ends at 9 the next morning, also
// the night the clocks change.
func TestRepeatOvernight(t *testing.T) {
	start := nyAt(2027, 3, 6, 20, 0)
	r, err := NewRepeat(rrule.ROption{Freq: rrule.WEEKLY, Count: 2}, start, false)
	if err != nil {
		t.Fatal(err)
	}
	it := &Item{Event: &EventInfo{Start: start, End: nyAt(2027, 3, 7, 9, 0), HasEnd: true, Repeat: r}}
	l := it.Occurrences(start.Add(-time.Hour), 5)
	if len(l) != 2 || !l[1].End.Equal(nyAt(2027, 3, 14, 9, 0)) || l[1].Days() != 2 {
		t.Errorf("%v", l)
	}
}

func TestRRULE(t *testing.T) {
	cases := []struct {
		opt    rrule.ROption
		allDay bool
		want   string
		says   string
	}{
		{rrule.ROption{Freq: rrule.WEEKLY, Byweekday: []rrule.Weekday{rrule.TU}, Until: nyAt(2027, 5, 25, 23, 59)}, false,
			"FREQ=WEEKLY;UNTIL=20270526T035900Z;BYDAY=TU", "Every Tuesday until May 25, 2027"},
		{rrule.ROption{Freq: rrule.WEEKLY, Byweekday: []rrule.Weekday{rrule.TU}, Until: nyAt(2027, 5, 25, 23, 59)}, true,
			"FREQ=WEEKLY;UNTIL=20270525;BYDAY=TU", "Every Tuesday until May 25, 2027"},
		{rrule.ROption{Freq: rrule.MONTHLY, Byweekday: []rrule.Weekday{rrule.TU.Nth(2)}, Count: 6}, false,
			"FREQ=MONTHLY;COUNT=6;BYDAY=2TU", "The 2nd Tuesday of every month, 6 times"},
		{rrule.ROption{Freq: rrule.MONTHLY, Byweekday: []rrule.Weekday{rrule.FR.Nth(-1)}}, false,
			"FREQ=MONTHLY;BYDAY=-1FR", "The last Friday of every month"},
		{rrule.ROption{Freq: rrule.WEEKLY, Interval: 2}, false, "FREQ=WEEKLY;INTERVAL=2", "Every other Tuesday"},
		{rrule.ROption{Freq: rrule.WEEKLY, Byweekday: []rrule.Weekday{rrule.TU, rrule.TH}}, false, "FREQ=WEEKLY;BYDAY=TU,TH", "Every Tuesday and Thursday"},
		{rrule.ROption{Freq: rrule.DAILY, Count: 3}, false, "FREQ=DAILY;COUNT=3", "Every day, 3 times"},
		{rrule.ROption{Freq: rrule.MONTHLY}, false, "FREQ=MONTHLY", "The 8th of every month"},
		{rrule.ROption{Freq: rrule.YEARLY}, false, "FREQ=YEARLY", "Every year on December 8"},
		{rrule.ROption{Freq: rrule.MONTHLY, Bymonth: []int{1, 7}}, false, "FREQ=MONTHLY;BYMONTH=1,7", "Repeats monthly"},
	}
	for _, c := range cases {
		start := nyAt(2026, 12, 8, 10, 30)
		if c.allDay {
			start = time.Date(2026, 12, 8, 0, 0, 0, 0, ny)
		}
		r, err := NewRepeat(c.opt, start, c.allDay)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.RRULE(); got != c.want {
			t.Errorf("RRULE %q, want %q", got, c.want)
		}
		if got := r.Describe(); got != c.says {
			t.Errorf("Describe %q, want %q", got, c.says)
		}
		// What is written parses back to the same dates.
		back, err := rrule.StrToROptionInLocation(r.RRULE(), ny)
		if err != nil {
			t.Fatal(err)
		}
		back.Dtstart = start
		rb, _ := rrule.NewRRule(*back)
		ro, _ := rrule.NewRRule(r.Option())
		end := start.AddDate(3, 0, 0)
		if a, b := rb.Between(start, end, true), ro.Between(start, end, true); !slices.EqualFunc(a, b, time.Time.Equal) {
			t.Errorf("%s: %d dates back, %d made", c.want, len(a), len(b))
		}
	}
}

func TestWhenRecurring(t *testing.T) {
	it := weekly(t, rrule.ROption{Freq: rrule.WEEKLY, Until: nyAt(2027, 5, 25, 23, 59)})
	if got, want := When(it), "Every Tuesday, 10:30–11:15 AM, from December 8, 2026 until May 25, 2027"; got != want {
		t.Errorf("When %q, want %q", got, want)
	}
}

func TestPlace(t *testing.T) {
	east := &Branch{Key: "eastside", Name: "Eastside Branch", Street: "45 Elm Avenue", Locality: "Riverside", Region: "NY", PostalCode: "12345"}
	cases := []struct {
		e          EventInfo
		place, att string
	}{
		{EventInfo{Location: "Reading Lounge", Branch: east}, "Reading Lounge, Eastside Branch", Offline},
		{EventInfo{Location: "Reading Lounge, Eastside Branch", Branch: east}, "Reading Lounge, Eastside Branch", Offline},
		{EventInfo{Branch: east}, "Eastside Branch", Offline},
		{EventInfo{Online: "https://meet.example/x"}, "online", Online},
		{EventInfo{Location: "Community Room", Online: "https://meet.example/x"}, "Community Room, and online", Mixed},
	}
	for _, c := range cases {
		if got := c.e.Place(); got != c.place {
			t.Errorf("Place %q, want %q", got, c.place)
		}
		if got := c.e.Attendance(); got != c.att {
			t.Errorf("Attendance %q, want %q", got, c.att)
		}
	}
	if got := east.Address(); got != "45 Elm Avenue, Riverside, NY 12345" {
		t.Errorf("Address %q", got)
	}
}

// TestRepeatConcurrentUse: a build renders an event's pages and calendars
// on many goroutines at once; walking its dates must not race (go test
// -race found rrule-go's iterator writing into the shared rule).
func TestRepeatConcurrentUse(t *testing.T) {
	it := weekly(t, rrule.ROption{Freq: rrule.WEEKLY, Byweekday: []rrule.Weekday{rrule.TU}, Until: nyAt(2027, 6, 1, 0, 0)})
	done := make(chan time.Time)
	for range 4 {
		go func() {
			o, _ := it.LastOccurrence()
			done <- o.Start
		}()
	}
	first := <-done
	for range 3 {
		if got := <-done; !got.Equal(first) {
			t.Errorf("last date %v and %v", got, first)
		}
	}
}
