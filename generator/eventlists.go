package generator

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Entry is an event as a list shows it: one date of it, worked out for the
// moment the site is built as of. It has the item's fields too (.Title,
// .Path, .Event, ...).
type Entry struct {
	*item.Item
	// Start and End are the date listed: the only one, a recurring
	// event's next (or, in a list of past events, last) one.
	Start, End time.Time
	// Day is the day it is listed under in a list by day: Start's, or a
	// later day of an event over several days.
	Day time.Time
	// When is that date for people, with the year when it is not this
	// year's: "Tuesday, December 8, 10:30–11:15 AM".
	When template.HTML
	// Time is the time on the day it is listed under, in a list by day:
	// "10:30–11:15 AM", "All day", "Day 2 of 2: until 9 AM".
	Time template.HTML
	// Repeats is how often a recurring event happens, "Every Tuesday"; "".
	Repeats   string
	Where     string  // room and building, "Online"
	Audiences []Label // who it is for

	// Copies of the item's fields that cards print, at the top: they are
	// the item's (entry sets them; TestEntryCopiesItsItem), found faster.
	// text/template looks a promoted field up by a breadth-first search of
	// the embedded structs by name (reflect's FieldByNameFunc, allocating
	// as it goes), which took a quarter of an event card's time.
	Title, Path, Summary string
	Draft                bool
	Kind                 item.Kind
	Event                *item.EventInfo
}

// EventFilters are links to the events of each branch and each audience,
// for the filter bar of the events lists (links: no script needed).
type EventFilters struct {
	All       Label   // all upcoming events
	Branches  []Label // Current marks the page's own
	Audiences []Label
}

// CalendarLinks are the ways to subscribe to one calendar of the site.
type CalendarLinks struct {
	ID    string // for the ids of its headings: "events", "branch-eastside"
	Name  string // what calendar apps call it
	Holds string // what it holds, "Events at Eastside Branch"
	Path  string // site path of the .ics file
	URL   string // its absolute address, to copy into any app
	// Webcal is the webcal:// link: the device's calendar app subscribes.
	// A template.URL, since html/template lets only http(s) and mailto
	// through otherwise.
	Webcal  template.URL
	Google  string // Google Calendar's "add by URL"
	Outlook string // Outlook.com's "subscribe from web"
	Page    string // the list page of these events
}

// eventList is one list of upcoming events with a page (paginated) and a
// calendar: all events, a branch's, an audience's.
type eventList struct {
	id     string // "events", "branch-eastside", "audience-kids"
	label  Label  // the filter link
	title  string // the page's h1
	holds  string // "Events at Eastside Branch"
	path   string // "/events/branch/eastside/"
	ics    string // "events/branch/eastside/events.ics"
	branch *item.Branch
	events []*item.Item // visible events, by start
	what   string       // for errors: "the list of events at Eastside Branch"
	// description is the page's meta description.
	description string
}

// eventLists are the site's lists of events: all, then each branch's and
// each audience's.
func (b *builder) eventLists(s *site) []*eventList {
	all := &eventList{id: "events", label: Label{Label: "All events", Path: "/events/"}, title: "Upcoming events",
		holds: "Events", path: "/events/", ics: "events.ics", events: s.events, what: "the list of upcoming events",
		description: "Upcoming events at " + b.cfg.Library.Name + ": storytimes, talks, classes and more."}
	lists := []*eventList{all}
	for _, br := range b.cfg.Branches {
		var evs []*item.Item
		for _, it := range s.events {
			if it.Event.Branch != nil && it.Event.Branch.Key == br.Key {
				evs = append(evs, it)
			}
		}
		p := "/events/branch/" + br.Key + "/"
		lists = append(lists, &eventList{id: "branch-" + br.Key, label: Label{Key: br.Key, Label: br.Name, Path: p},
			title: "Events at " + br.Name, holds: "Events at " + br.Name, path: p, ics: p[1:] + "events.ics",
			branch: br, events: evs, what: "the list of events at " + br.Name,
			description: "Upcoming events at " + br.Name + ", " + b.cfg.Library.Name + "."})
	}
	for _, a := range b.audienceKeys(s) {
		var evs []*item.Item
		for _, it := range s.events {
			if slices.ContainsFunc(it.Event.Audience, func(x string) bool { return audienceSlug(x) == a }) {
				evs = append(evs, it)
			}
		}
		label := b.audienceLabel(s, a)
		p := "/events/audience/" + a + "/"
		lists = append(lists, &eventList{id: "audience-" + a, label: Label{Key: a, Label: label, Path: p},
			title: "Events for " + label, holds: "Events for " + label, path: p, ics: p[1:] + "events.ics",
			events: evs, what: "the list of events for " + label,
			description: "Upcoming events for " + label + " at " + b.cfg.Library.Name + "."})
	}
	return lists
}

// audienceKeys are the audiences with a page: those of config.yaml, or,
// when it lists none, those the events name.
func (b *builder) audienceKeys(s *site) []string {
	if keys := b.cfg.AudienceKeys(); len(keys) > 0 {
		return keys
	}
	var keys []string
	for _, it := range s.events {
		for _, a := range it.Event.Audience {
			if k := audienceSlug(a); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// audienceSlug is the URL segment of an audience: its key, or for an
// audience config does not list, the words made into one.
func audienceSlug(a string) string { return TagSlug(a) }

// audienceLabel is the label of an audience page.
func (b *builder) audienceLabel(s *site, key string) string {
	if b.cfg.Audience(key) {
		return b.cfg.AudienceLabel(key)
	}
	for _, it := range s.events {
		for _, a := range it.Event.Audience {
			if audienceSlug(a) == key {
				return capital(a)
			}
		}
	}
	return capital(key)
}

// planEventLists adds the events lists: /events/, each branch's and each
// audience's, in pages of the configured size, each with its calendar;
// and the page that lists every calendar.
func (b *builder) planEventLists(p *plan, s *site, th *theme) {
	lists := b.eventLists(s)
	filters := b.filters(lists)
	var cals []CalendarLinks
	for _, l := range lists {
		cal := b.calendarLinks(l)
		cals = append(cals, cal)
		if l.id != "events" { // events.ics is planned first, as the biggest
			b.planCalendarNamed(p, l.ics, b.calendarName(l.holds), l.events, generated("the calendar of "+strings.TrimPrefix(l.what, "the list of ")))
		}
		var upcoming []*item.Item
		for _, it := range l.events {
			if !it.Finished(b.now) {
				upcoming = append(upcoming, it)
			}
		}
		entries := b.dayEntries(upcoming)
		for _, pg := range b.paginateDays(p, th, l, entries) {
			f := filters.current(l.label.Path)
			pg.Filters, pg.Calendar, pg.Branch = &f, &cal, l.branch
		}
	}
	pg := b.page("calendars", "Calendars to subscribe to", "/events/calendars/")
	pg.Description = "Add the events of " + b.cfg.Library.Name + " to your calendar app: all of them, one branch's or one audience's."
	pg.Calendars = cals
	b.planPage(p, th, pg, generated("the list of calendars"))
}

// paginateDays adds a list of events by day in pages of the configured
// size: a day's events may go on on the next page.
func (b *builder) paginateDays(p *plan, th *theme, l *eventList, entries []Entry) []*Page {
	return b.paginated(p, th, "events", l.title, l.path, l.what, len(entries), func(pg *Page, lo, hi int) {
		pg.Description = l.description
		pg.Days = groupDays(entries[lo:hi], b.now)
	})
}

// filters are the filter bar's links.
func (b *builder) filters(lists []*eventList) EventFilters {
	var f EventFilters
	for _, l := range lists {
		switch {
		case l.id == "events":
			f.All = l.label
		case l.branch != nil:
			f.Branches = append(f.Branches, l.label)
		default:
			f.Audiences = append(f.Audiences, l.label)
		}
	}
	return f
}

// current is the filter bar of the page at path, with its link marked.
func (f EventFilters) current(path string) EventFilters {
	mark := func(l []Label) []Label {
		out := slices.Clone(l)
		for i := range out {
			out[i].Current = out[i].Path == path
		}
		return out
	}
	f.All.Current = f.All.Path == path
	f.Branches, f.Audiences = mark(f.Branches), mark(f.Audiences)
	return f
}

// calendarLinks are the subscribe links of a list's calendar.
func (b *builder) calendarLinks(l *eventList) CalendarLinks {
	abs := b.base.abs("/" + l.ics)
	name := b.calendarName(l.holds)
	webcal := "webcal://" + strings.TrimPrefix(strings.TrimPrefix(abs, "https://"), "http://")
	return CalendarLinks{
		ID: l.id, Name: name, Holds: l.holds, Path: "/" + l.ics, URL: abs, Page: l.path,
		Webcal:  template.URL(webcal), // made here from the base URL: safe
		Google:  "https://calendar.google.com/calendar/render?cid=" + url.QueryEscape(webcal),
		Outlook: "https://outlook.live.com/calendar/0/addfromweb?url=" + url.QueryEscape(abs) + "&name=" + url.QueryEscape(name),
	}
}

// entry is an event on a list, at occurrence o. An event is on many
// lists (all events, its branch's, its audiences', its tags', the home
// page), so each entry is made once per load and shared, strings and all.
func (b *builder) entry(it *item.Item, o item.Occurrence) Entry {
	k := entryKey{it, o.Start.UnixNano()}
	if en, ok := b.entries.Load(k); ok {
		return en.(Entry)
	}
	e := it.Event
	en := Entry{Item: it, Start: o.Start, End: o.End, When: whenHTML(o, e.HasEnd, b.now),
		Where: capital(e.Place()), Audiences: b.audienceLabels(e.Audience),
		Title: it.Title, Path: it.Path, Summary: it.Summary, Draft: it.Draft, Kind: it.Kind, Event: it.Event}
	if e.Repeat != nil {
		en.Repeats = e.Repeat.Pattern()
	}
	b.entries.Store(k, en)
	return en
}

type entryKey struct {
	it    *item.Item
	start int64
}

// nextEntries are events at their next date (their last when over),
// soonest first: the home page's.
func (b *builder) nextEntries(events []*item.Item) []Entry {
	out := make([]Entry, 0, len(events))
	for _, it := range events {
		o, ok := it.NextOccurrence(b.now)
		if !ok {
			o, _ = it.LastOccurrence()
		}
		out = append(out, b.entry(it, o))
	}
	slices.SortStableFunc(out, func(a, c Entry) int { return cmp.Or(a.Start.Compare(c.Start), cmp.Compare(a.ID, c.ID)) })
	return out
}

// pastEntries are finished events at their last date.
func (b *builder) pastEntries(events []*item.Item) []Entry {
	out := make([]Entry, 0, len(events))
	for _, it := range events {
		o, _ := it.LastOccurrence()
		out = append(out, b.entry(it, o))
	}
	slices.SortStableFunc(out, func(a, c Entry) int { return cmp.Or(c.Start.Compare(a.Start), cmp.Compare(a.ID, c.ID)) })
	return out
}

// dayEntries lists upcoming events day by day: each at its next date, and
// an event over several days on each day it has still to run.
func (b *builder) dayEntries(events []*item.Item) []Entry {
	var out []Entry
	for _, it := range events {
		out = append(out, b.daysOf(it)...)
	}
	slices.SortStableFunc(out, func(a, c Entry) int {
		return cmp.Or(a.Day.Compare(c.Day), a.Start.Compare(c.Start), cmp.Compare(a.ID, c.ID))
	})
	return out
}

// daysOf is an upcoming event on each day it is listed under, made once
// per load (see entry).
func (b *builder) daysOf(it *item.Item) []Entry {
	if d, ok := b.days.Load(it); ok {
		return d.([]Entry)
	}
	today := startOfDay(b.now)
	var out []Entry
	if o, ok := it.NextOccurrence(b.now); ok {
		en := b.entry(it, o)
		for i := range o.Days() {
			day := startOfDay(o.Start).AddDate(0, 0, i)
			if day.Before(today) {
				continue
			}
			d := en
			d.Day, d.Time = day, dayTimeHTML(o, it.Event.HasEnd, day, b.now)
			out = append(out, d)
		}
	}
	b.days.Store(it, out)
	return out
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// groupDays groups entries (sorted) by the day they are listed under.
func groupDays(entries []Entry, now time.Time) []Day {
	var days []Day
	for i, e := range entries {
		day := e.Day
		if n := len(days); n > 0 && days[n-1].Date.Equal(day) {
			// A day's events are a part of entries, not a copy.
			days[n-1].Events = entries[i-len(days[n-1].Events) : i+1 : i+1]
			continue
		}
		heading := day.Format("January" + nbsp + "2")
		if day.Year() != now.Year() {
			heading += ", " + day.Format("2006")
		}
		days = append(days, Day{Date: day, Heading: heading, Events: entries[i : i+1 : i+1]})
	}
	return days
}

// byNextDate sorts events by their next date, soonest first (a series'
// first date may be past), then by ID.
func (b *builder) byNextDate(events []*item.Item) []*item.Item {
	return sortedBy(events, func(it *item.Item) time.Time {
		if o, ok := it.NextOccurrence(b.now); ok {
			return o.Start
		}
		return it.EventEnd()
	}, false)
}

// byLastDate sorts events by when they ended, most recent first.
func (b *builder) byLastDate(events []*item.Item) []*item.Item {
	return sortedBy(events, (*item.Item).EventEnd, true)
}

// sortedBy sorts a copy of events by a time worked out once per event.
func sortedBy(events []*item.Item, at func(*item.Item) time.Time, desc bool) []*item.Item {
	type dated struct {
		at time.Time
		it *item.Item
	}
	d := make([]dated, len(events))
	for i, it := range events {
		d[i] = dated{at(it), it}
	}
	slices.SortFunc(d, func(a, c dated) int {
		if desc {
			a, c = c, a
		}
		return cmp.Or(a.at.Compare(c.at), cmp.Compare(a.it.ID, c.it.ID))
	})
	out := make([]*item.Item, len(d))
	for i, x := range d {
		out[i] = x.it
	}
	return out
}
