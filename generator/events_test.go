package generator

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/circulate-dev/circulate/internal/diag"
)

// eventsConfig is testConfig with branches and audiences.
const eventsConfig = testConfig + `branches:
  main: {name: Main Library, address: 1 Main St, city: Test Town, region: NY, postal_code: "10001", country: US,
         map: "https://maps.example/main", hours: "Mon–Sat 9 AM–8 PM"}
  eastside: {name: Eastside Branch, address: 45 Elm Avenue, city: Test Town, region: NY, postal_code: "10002"}
audiences:
  kids: Kids (0–11)
  teens: Teens
  adults: Adults
`

func eventsFS(files map[string]string) fstest.MapFS {
	fsys := siteFS(files)
	fsys["config.yaml"] = &fstest.MapFile{Data: []byte(eventsConfig)}
	return fsys
}

// ev is an event file: the lines after title, date and start.
func ev(lines ...string) string {
	return fm(append([]string{"title: Storytime", "date: 2026-11-01", "start: 2026-12-08T10:30", "end: 2026-12-08T11:15"}, lines...)...)
}

// A librarian's typo in audience, branch or repeat stops the build with
// the file, the line, the column and the fix (issue 13).
func TestEventMistakes(t *testing.T) {
	cases := []struct {
		name      string
		file      string
		line, col int
		want      string
	}{
		{"audience typo", ev("branch: main", "audience: [kids, teenz]"), 7, 18, `audience: "teenz" is not one of the audiences in config.yaml: did you mean "teens"?`},
		{"audience far off", ev("branch: main", "audience: [pensioners]"), 7, 12, `audience: "pensioners" is not one of the audiences in config.yaml; use kids, teens, adults`},
		{"branch typo", ev("branch: eastsid"), 6, 9, `branch: "eastsid" is not one of the branches in config.yaml: did you mean "eastside"? (write ` + "`branch: eastside`)"},
		{"repeat every typo", ev("branch: main", "repeat: {every: wek}"), 7, 17, `repeat: every: "wek" is not day, week, month or year: did you mean "week"?`},
		{"repeat weekday typo", ev("branch: main", "repeat: {every: week, on: [tuesdy]}"), 7, 28, `repeat: on: "tuesdy" is not a day of the week: did you mean "tuesday"?`},
		{"repeat ordinal typo", ev("branch: main", "repeat: {every: month, on: [2dn tuesday]}"), 7, 29, `did you mean "2nd tuesday"?`},
		{"repeat misspelt key", ev("branch: main", "repeat:", "  every: week", "  untill: 2027-05-25"), 9, 3, `unknown key "untill" in repeat: did you mean "until"?`},
		{"repeat start not a date of it", ev("branch: main", "repeat: {every: week, on: [wednesday]}"), 4, 0, "start: 2026-12-08 is a Tuesday, and it is not a date of the series (every Wednesday); make start the first date, 2026-12-09 (Wednesday)"},
		{"repeat except not a date of it", ev("branch: main", "repeat:", "  every: week", "  except: [2026-12-23]"), 9, 12, "repeat: except: 2026-12-23 (a Wednesday) is not a date of the series (Every Tuesday): did you mean 2026-12-22 (Tuesday)?"},
		{"repeat until and count", ev("branch: main", "repeat: {every: week, count: 4, until: 2027-01-01}"), 7, 40, "give either `until:` (the last day) or `count:`"},
		{"repeat until before start", ev("branch: main", "repeat: {every: week, until: 2026-11-01}"), 7, 30, "repeat: until: 2026-11-01 is before start"},
		{"rrule key typo", ev("branch: main", `repeat: "FREQ=WEEKLY;BYDYA=TU"`), 7, 22, `"BYDYA" is not a part of an RRULE: did you mean BYDAY?`},
		{"rrule freq typo", ev("branch: main", `repeat: "FREQ=WEEKLLY;BYDAY=TU"`), 7, 15, "FREQ=WEEKLLY: did you mean FREQ=WEEKLY?"},
		{"rrule day typo", ev("branch: main", `repeat: FREQ=WEEKLY;BYDAY=TUE`), 7, 27, `"TUE" is not a day`},
		{"rrule hourly", ev("branch: main", `repeat: FREQ=WEEKLY;BYHOUR=10`), 7, 21, "BYHOUR is not used in circulate's rules: the time of day comes from `start:`"},
		{"registration misspelt key", ev("branch: main", "registration: {url: https://lib.example/r, requried: true}"), 7, 44, `unknown key "requried" in registration: did you mean "required"?`},
		{"nowhere", ev(), 1, 0, "location: missing; add where it happens, like `location: \"Community Room, Main Library\"`, or the branch, like `branch: main` (one of main, eastside), or `online:`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, out, err := build(t, eventsFS(map[string]string{"content/events/storytime.md": c.file}))
			var found *diag.Diagnostic
			for i, d := range res.Diags {
				if strings.Contains(d.Message, c.want) {
					found = &res.Diags[i]
				}
			}
			if found == nil {
				t.Fatalf("no diagnostic containing %q; got:\n%v", c.want, res.Diags)
			}
			if found.File != "content/events/storytime.md" || found.Line != c.line || found.Col != c.col {
				t.Errorf("at %s:%d:%d, want line %d, column %d", found.File, found.Line, found.Col, c.line, c.col)
			}
			if found.Severity != diag.Error || !errors.Is(err, ErrContent) || len(out.Files) != 0 {
				t.Errorf("want an error that stops the build; got %s, err %v, %d files", found, err, len(out.Files))
			}
		})
	}
}

// What a file says it means: one branch, audiences as config labels
// them, registration, a series in the site's zone with its exceptions.
func TestEventKeys(t *testing.T) {
	res, _, err := build(t, eventsFS(map[string]string{"content/events/storytime.md": ev(
		"location: Reading Lounge", "branch: Eastside Branch", "audience: [Kids, adults]",
		"online: https://meet.example/story", "ages: 0-5", "cost: Free", "accessibility: Step-free entrance",
		"registration: {url: https://lib.example/r, required: true, capacity: 20, full: true, opens: 2026-11-20T09:00}",
		"repeat:", "  every: week", "  on: [tuesday]", "  until: 2027-05-25",
		"  except:", "    - 2026-12-22", "    - {date: 2026-12-29, reason: Library closed}",
	)}))
	if err != nil {
		t.Fatalf("%v\n%v", err, res.Diags)
	}
	e := res.Items[0].Event
	if e.Branch == nil || e.Branch.Key != "eastside" || e.Branch.Address() != "45 Elm Avenue, Test Town, NY 10002" {
		t.Errorf("branch %+v", e.Branch)
	}
	if strings.Join(e.Audience, ",") != "kids,adults" {
		t.Errorf("audience %q", e.Audience)
	}
	if r := e.Registration; r == nil || !r.Required || !r.Full || r.Capacity != 20 || r.URL != "https://lib.example/r" || r.Opens.Hour() != 9 {
		t.Errorf("registration %+v", e.Registration)
	}
	if e.Attendance() != "mixed" || e.Ages != "0-5" || e.Cost != "Free" || e.Accessibility != "Step-free entrance" {
		t.Errorf("event %+v", e)
	}
	r := e.Repeat
	if r == nil || r.RRULE() != "FREQ=WEEKLY;UNTIL=20270526T035959Z;BYDAY=TU" {
		t.Fatalf("repeat %v", r)
	}
	if len(r.Except) != 2 || r.Except[1].Reason != "Library closed" || r.Except[0].Start.Format("2006-01-02 15:04") != "2026-12-22 10:30" {
		t.Errorf("except %+v", r.Except)
	}
	dates := res.Items[0].Occurrences(testNow, 100)
	if n := len(dates); n != 23 {
		t.Errorf("%d dates, want the 25 Tuesdays from December 8 to May 25 but 2", n)
	}
	if last := dates[len(dates)-1]; last.Start.Format("2006-01-02 15:04 MST") != "2027-05-25 10:30 EDT" {
		t.Errorf("last date %v", last.Start)
	}
}

// The raw RRULE form means the same as the friendly one; UNTIL as a date
// counts the whole day.
func TestRepeatRRuleString(t *testing.T) {
	for _, rule := range []string{`repeat: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270525"`, `repeat: "RRULE:FREQ=WEEKLY;UNTIL=20270525"`,
		"repeat: {rrule: \"FREQ=WEEKLY;UNTIL=20270525\", except: [2026-12-22]}"} {
		res, _, err := build(t, eventsFS(map[string]string{"content/events/storytime.md": ev("branch: main", rule)}))
		if err != nil {
			t.Fatalf("%s: %v\n%v", rule, err, res.Diags)
		}
		r := res.Items[0].Event.Repeat
		if !strings.Contains(r.RRULE(), "UNTIL=20270526T035959Z") || r.Describe() != "Every Tuesday until May 25, 2027" {
			t.Errorf("%s: %s, %q", rule, r.RRULE(), r.Describe())
		}
	}
}

// A monthly series on "the 2nd tuesday" and "last friday".
func TestRepeatMonthly(t *testing.T) {
	res, _, err := build(t, eventsFS(map[string]string{
		"content/events/club.md": fm("title: Book club", "date: 2026-11-01", "start: 2026-12-08T18:30", "branch: main",
			"repeat: {every: month, on: [2nd tuesday], count: 6}"),
		"content/events/films.md": fm("title: Films", "date: 2026-11-01", "start: 2026-12-25T19:00", "branch: main",
			"repeat: {every: month, on: last friday}"),
	}))
	if err != nil {
		t.Fatalf("%v\n%v", err, res.Diags)
	}
	for _, it := range res.Items {
		var days []string
		for _, o := range it.Occurrences(testNow, 4) {
			days = append(days, o.Start.Format("01-02"))
		}
		want := map[string]string{"club": "12-08 01-12 02-09 03-09", "films": "12-25 01-29 02-26 03-26"}[it.Slug]
		if strings.Join(days, " ") != want {
			t.Errorf("%s: %v, want %s", it.Slug, days, want)
		}
	}
}

// A location that names a branch without `branch:` is a warning with the
// key to add.
func TestBranchHint(t *testing.T) {
	res, _, err := build(t, eventsFS(map[string]string{"content/events/storytime.md": ev(`location: "Reading Lounge, Eastside Branch"`)}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diags) != 1 || res.Diags[0].Line != 6 || !strings.Contains(res.Diags[0].Message, "add `branch: eastside`") {
		t.Errorf("diags: %v", res.Diags)
	}
}

// The page of a recurring event: the next date, how often, the coming
// dates and the exceptions; registration in plain words, with no count of
// places left; the year only for dates not in this year; times that do not
// wrap mid-range.
func TestRecurringEventPage(t *testing.T) {
	_, out, err := build(t, eventsFS(map[string]string{"content/events/storytime.md": ev(
		"location: \"Children's Room\"", "branch: main", "audience: [kids]",
		"registration: {url: https://lib.example/r, required: true, capacity: 20, full: true}",
		"repeat:", "  every: week", "  until: 2027-05-25",
		"  except:", "    - {date: 2026-12-29, reason: Library closed}", "    - 2027-01-05",
	)}))
	if err != nil {
		t.Fatal(err)
	}
	page := string(out.Files["events/storytime/index.html"])
	for _, want := range []string{
		`<dt>Next</dt>`,
		`Tuesday, December&nbsp;8, <span class="nowrap">10:30–11:15&nbsp;AM</span>`,
		`<span class="repeats">Every Tuesday until May 25, 2027</span>`,
		`Tuesday, January&nbsp;12, 2027, <span class="nowrap">10:30–11:15&nbsp;AM</span>`,
		`And more: every Tuesday until May 25, 2027.`,
		`Not on these dates`,
		`Tuesday, December&nbsp;29</time>: Library closed`,
		`Tuesday, January&nbsp;5, 2027</time></li>`,
		`Children&#39;s Room, Main Library`,
		`1 Main St, Test Town, NY 10001`,
		`<a href="https://maps.example/main">Map and directions`,
		`Mon–Sat 9 AM–8 PM`,
		`href="/events/storytime/event.ics" download>`,
		`https://calendar.google.com/calendar/render?action=TEMPLATE`,
		`recur=RRULE%3AFREQ%3DWEEKLY%3BUNTIL%3D20270526T035959Z`,
		`Outlook (next date)`,
		`Full — join the waiting list`,
		`>Join the waiting list<`,
		`Kids (0–11)`,
	} {
		if !strings.Contains(page, strings.ReplaceAll(want, "&nbsp;", "\u00a0")) {
			t.Errorf("the page has no %q", want)
		}
	}
	if n := strings.Count(page, `<li><time datetime="202`); n != 10+2 {
		t.Errorf("%d dates listed, want 10 coming and 2 exceptions", n)
	}
	if strings.Contains(page, "places left") || strings.Contains(page, "Limited to 20") {
		t.Error("a full event speaks of places")
	}
	ld := page[strings.Index(page, `application/ld+json">`):]
	if strings.Count(ld[:strings.Index(ld, "</script>")], `"@type":"Event"`) != 10 {
		t.Error("JSON-LD: want one Event per listed date")
	}
}

// An online event: its calendar's LOCATION is the link (apps make it a
// button), its JSON-LD an online event at a VirtualLocation, no Place.
func TestOnlineEvent(t *testing.T) {
	_, out, err := build(t, eventsFS(map[string]string{"content/events/talk.md": fm("title: Talk", "date: 2026-11-01",
		"start: 2026-12-08T19:00", "end: 2026-12-08T20:00", "online: https://meet.example/talk")}))
	if err != nil {
		t.Fatal(err)
	}
	if cal := string(out.Files["events/talk/event.ics"]); !strings.Contains(cal, "LOCATION:https://meet.example/talk\r\n") || !strings.Contains(cal, `Join online: https://meet.example/talk`) {
		t.Errorf("event.ics:\n%s", cal)
	}
	page := string(out.Files["events/talk/index.html"])
	for _, want := range []string{`"eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode"`,
		`"location":{"@type":"VirtualLocation","url":"https://meet.example/talk"}`, `<dd>Online`, `>Join online<`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %s", want)
		}
	}
	if strings.Contains(page, `"price"`) || strings.Contains(page, `"@type":"Place"`) {
		t.Error("a price or a Place the file does not give")
	}
}

// A series that began long before the file's date is not "over before it
// appears" while dates of it are to come; one whose dates are all over is.
func TestSeriesDateWarnings(t *testing.T) {
	res, _, err := build(t, eventsFS(map[string]string{
		"content/events/old-series.md": fm("title: Weekly", "date: 2026-11-20", "start: 2025-01-07T10:30", "branch: main",
			"repeat: {every: week}"),
		"content/events/over.md": fm("title: Over", "date: 2026-11-20", "start: 2025-01-07T10:30", "branch: main",
			"repeat: {every: week, count: 3}"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diags) != 1 || res.Diags[0].File != "content/events/over.md" || !strings.Contains(res.Diags[0].Message, "every date of the series is over") {
		t.Errorf("diags: %v", res.Diags)
	}
}

// The "add to calendar" links of a one-off event: Google's with local
// times and the zone, Outlook's in UTC; an all-day event's end is the day
// after its last, as both want.
func TestAddToCalendarLinks(t *testing.T) {
	_, out, err := build(t, eventsFS(map[string]string{
		"content/events/talk.md": fm("title: Talk & Tea", "date: 2026-11-01", "start: 2026-12-08T19:00", "end: 2026-12-08T20:30", "branch: main"),
		"content/events/sale.md": fm("title: Sale", "date: 2026-11-01", "start: 2027-04-16", "end: 2027-04-17", "branch: main"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	for page, wants := range map[string][]string{
		"events/talk/index.html": {"dates=20261208T190000%2F20261208T203000", "ctz=America%2FNew_York", "text=Talk&#43;%26&#43;Tea",
			"startdt=2026-12-09T00%3A00%3A00Z", "enddt=2026-12-09T01%3A30%3A00Z", "location=Main&#43;Library%2C&#43;1&#43;Main&#43;St"},
		"events/sale/index.html": {"dates=20270416%2F20270418", "allday=true", "startdt=2027-04-16", "enddt=2027-04-18"},
	} {
		html := string(out.Files[page])
		for _, w := range wants {
			if !strings.Contains(html, w) {
				t.Errorf("%s has no %s", page, w)
			}
		}
	}
}
