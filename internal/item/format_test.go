package item

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02T15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ev := func(start, end string, allDay, hasEnd bool) *Item {
		return &Item{Event: &EventInfo{Start: at(start), End: at(end), AllDay: allDay, HasEnd: hasEnd}}
	}
	cases := []struct {
		it         *Item
		when, time string
	}{
		{ev("2026-12-05T10:30", "2026-12-05T11:15", false, true), "Saturday, December 5, 10:30–11:15 AM", "10:30–11:15 AM"},
		{ev("2026-12-05T11:00", "2026-12-05T13:00", false, true), "Saturday, December 5, 11 AM–1 PM", "11 AM–1 PM"},
		{ev("2026-12-05T18:00", "2026-12-05T20:00", false, true), "Saturday, December 5, 6–8 PM", "6–8 PM"},
		{ev("2026-12-05T12:00", "2026-12-05T12:00", false, false), "Saturday, December 5, 12 PM", "12 PM"},
		{ev("2027-01-18T00:00", "2027-01-18T00:00", true, false), "Monday, January 18 (all day)", "All day"},
		{ev("2027-04-16T00:00", "2027-04-17T00:00", true, true), "Friday, April 16 – Saturday, April 17", "All day"},
		// Across the DST change: wall times as patrons read them.
		{ev("2027-03-13T20:00", "2027-03-14T09:00", false, true), "Saturday, March 13, 8 PM – Sunday, March 14, 9 AM", "8 PM – Mar 14, 9 AM"},
	}
	// Said with the year when it is not the year the item goes live in.
	nextYear := ev("2027-01-18T10:00", "2027-01-18T11:00", false, true)
	nextYear.Date = at("2026-12-01T00:00")
	cases = append(cases, struct {
		it         *Item
		when, time string
	}{nextYear, "Monday, January 18, 2027, 10–11 AM", "10–11 AM"})
	for _, c := range cases {
		if got := When(c.it); got != c.when {
			t.Errorf("When = %q, want %q", got, c.when)
		}
		if got := TimeRange(c.it); got != c.time {
			t.Errorf("TimeRange = %q, want %q", got, c.time)
		}
	}
}

func TestJoinAnd(t *testing.T) {
	for in, want := range map[int]string{0: "", 1: "A", 2: "A and B", 3: "A, B and C"} {
		if got := JoinAnd([]string{"A", "B", "C"}[:in]); got != want {
			t.Errorf("JoinAnd(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestFinishedAllDay(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Date(2027, 1, 18, 0, 0, 0, 0, ny)
	it := &Item{Event: &EventInfo{Start: day, End: day, AllDay: true}}
	if it.Finished(day.Add(23 * time.Hour)) {
		t.Error("an all-day event is over during its day")
	}
	if !it.Finished(day.Add(24 * time.Hour)) {
		t.Error("an all-day event is not over the next day")
	}
}

// Kind and section map both ways, from one table.
func TestKindOf(t *testing.T) {
	for _, k := range []Kind{Event, Title, News, Page} {
		if got, ok := KindOf(k.Section()); !ok || got != k {
			t.Errorf("KindOf(%q) = %q, %v; want %q", k.Section(), got, ok, k)
		}
	}
	if _, ok := KindOf("blog"); ok {
		t.Error("KindOf(blog) is a kind")
	}
}
