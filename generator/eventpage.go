package generator

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// EventView is what an event's page shows, worked out for the moment the
// site is built as of (Page.Event; docs/theming.md).
type EventView struct {
	// When is the date to show: the only one, or a recurring event's
	// next one (its last when all are past).
	When template.HTML
	// Start is When's start, for <time datetime>.
	Start time.Time
	Over  bool // every date has passed
	// Repeats says how often a recurring event happens, "Every Tuesday
	// until May 25, 2027"; "" for a one-off event.
	Repeats string
	// Dates are a recurring event's coming dates, at most listedDates of
	// them; More says how it goes on after the last one ("And more: every
	// Tuesday until May 25, 2027."), "" when it does not.
	Dates []DateLine
	More  string
	// Except are the coming dates of the series that do not happen.
	Except []DateLine

	Where     string        // room and building, or "Online"
	Branch    *item.Branch  // the branch, for its address, map and hours
	Online    string        // the link to join online
	Audiences []Label       // who it is for
	Ages      string        // "0-5"
	Cost      string        // as the file says
	Access    string        // accessibility
	Register  *RegisterView // how to sign up, nil when the file says nothing

	Calendar EventCalendar // add this event to a calendar
}

// DateLine is one date of a series, as a line of a list.
type DateLine struct {
	Start  time.Time
	When   template.HTML
	Reason string // why it does not happen (exceptions)
}

// Label is a name to show and, when it has one, its page.
type Label struct {
	Key, Label, Path string
	Current          bool // the page it is on is its Path (filter links)
}

// RegisterView is registration in plain words, and the button.
type RegisterView struct {
	Text   string // "Registration required", "Full — join the waiting list"
	Detail string // "20 places", "Opens Monday, March 1 at 9 AM"
	URL    string
	Button string // the link's text: "Register", "Join the waiting list"
}

// EventCalendar are the ways to put one event in a calendar.
type EventCalendar struct {
	ICS     string // site path of the event's .ics file
	Google  string // Google Calendar's "add event" link
	Outlook string // Outlook.com's "add event" link (the next date only, for a series)
	// NextOnly is set for a series: the Outlook link adds one date, and
	// Google's adds the dates the exceptions take out too.
	NextOnly bool
}

// eventView works out the event page of it at b.now.
func (b *builder) eventView(it *item.Item) *EventView {
	e, now := it.Event, b.now
	v := &EventView{
		Where: capital(e.Place()), Branch: e.Branch, Online: e.Online,
		Ages: e.Ages, Cost: e.Cost, Access: e.Accessibility,
		Audiences: b.audienceLabels(e.Audience),
	}
	occ, ok := it.NextOccurrence(now)
	if !ok {
		occ, _ = it.LastOccurrence()
		v.Over = true
	}
	v.When, v.Start = whenHTML(occ, e.HasEnd, now), occ.Start
	if r := e.Repeat; r != nil {
		v.Repeats = r.Describe()
		dates := it.Occurrences(now, listedDates+1)
		if len(dates) > listedDates {
			dates = dates[:listedDates]
			v.More = "And more: " + strings.ToLower(v.Repeats[:1]) + v.Repeats[1:] + "."
		}
		for _, o := range dates {
			v.Dates = append(v.Dates, DateLine{Start: o.Start, When: whenHTML(o, e.HasEnd, now)})
		}
		for _, x := range r.Except {
			if x.Start.Before(now) {
				continue
			}
			v.Except = append(v.Except, DateLine{Start: x.Start, When: template.HTML(template.HTMLEscapeString(dateText(x.Start, now))), Reason: x.Reason})
		}
	}
	if r := e.Registration; r != nil {
		v.Register = registerView(r, now)
	}
	v.Calendar = b.eventCalendar(it, occ)
	return v
}

// registerView says how to sign up, plainly; never how many places are
// left, which circulate does not know.
func registerView(r *item.Registration, now time.Time) *RegisterView {
	v := &RegisterView{URL: r.URL, Button: "Register"}
	switch {
	case r.Full:
		v.Text, v.Button = "Full — join the waiting list", "Join the waiting list"
	case !r.Opens.IsZero() && r.Opens.After(now):
		v.Text = "Registration required"
		if !r.Required {
			v.Text = "Registration"
		}
		v.Detail = "Opens " + dateText(r.Opens, now)
		if r.Opens.Hour() != 0 || r.Opens.Minute() != 0 {
			v.Detail += " at " + clockNB(r.Opens)
		}
		v.URL = "" // nothing to click yet
	case r.Required:
		v.Text = "Registration required"
	case r.Capacity > 0:
		v.Text = "Places are limited"
	}
	if r.Capacity > 0 && !r.Full {
		d := "Limited to " + itoaPlaces(r.Capacity)
		if v.Detail != "" {
			d = v.Detail + "; " + strings.ToLower(d[:1]) + d[1:]
		}
		v.Detail = d
	}
	if !r.Required && r.Opens.IsZero() && r.Capacity == 0 && !r.Full && r.URL != "" {
		v.Text = "" // a sign-up link alone: the button says it all
	}
	return v
}

func itoaPlaces(n int) string {
	if n == 1 {
		return "1 place"
	}
	return strconv.Itoa(n) + " places"
}

// audienceLabels are the audiences with their labels from config.
func (b *builder) audienceLabels(keys []string) []Label {
	var out []Label
	for _, k := range keys {
		out = append(out, Label{Key: k, Label: b.cfg.AudienceLabel(k), Path: "/events/audience/" + audienceSlug(k) + "/"})
	}
	return out
}

// eventCalendar makes the "add to calendar" links of an event. occ is the
// date the Outlook link adds: Outlook's link takes no repeat rule.
func (b *builder) eventCalendar(it *item.Item, occ item.Occurrence) EventCalendar {
	e, loc := it.Event, b.cfg.Location
	c := EventCalendar{ICS: it.Path + "event.ics", NextOnly: e.Repeat != nil}
	details := it.Summary
	if details != "" {
		details += "\n\n"
	}
	details += it.URL
	where := icsLocation(e)

	first := it.FirstOccurrence()
	g := url.Values{}
	g.Set("action", "TEMPLATE")
	g.Set("text", it.Title)
	g.Set("dates", googleDates(first, e.HasEnd))
	if !e.AllDay {
		g.Set("ctz", loc.String())
	}
	g.Set("details", details)
	g.Set("location", where)
	if r := e.Repeat; r != nil {
		g.Set("recur", "RRULE:"+r.RRULE())
	}
	c.Google = "https://calendar.google.com/calendar/render?" + g.Encode()

	o := url.Values{}
	o.Set("path", "/calendar/action/compose")
	o.Set("rru", "addevent")
	o.Set("subject", it.Title)
	o.Set("body", details)
	o.Set("location", where)
	if e.AllDay {
		o.Set("allday", "true")
		o.Set("startdt", occ.Start.Format(time.DateOnly))
		o.Set("enddt", occ.Ends().Format(time.DateOnly))
	} else {
		// In UTC, with the Z: a time without it is read in the patron's
		// zone, which may not be the library's.
		o.Set("startdt", occ.Start.UTC().Format("2006-01-02T15:04:05Z"))
		o.Set("enddt", occ.End.UTC().Format("2006-01-02T15:04:05Z"))
	}
	c.Outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + o.Encode()
	return c
}

// googleDates is Google Calendar's dates parameter: local times with the
// ctz parameter, or dates with an exclusive end.
func googleDates(o item.Occurrence, hasEnd bool) string {
	if o.AllDay {
		return o.Start.Format("20060102") + "/" + o.Ends().Format("20060102")
	}
	end := o.End
	if !hasEnd {
		end = o.Start
	}
	return o.Start.Format(icsLocal) + "/" + end.Format(icsLocal)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
