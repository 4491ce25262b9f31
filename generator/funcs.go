package generator

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// funcs are the template functions available to layouts. They are documented
// in docs/theming.md; keep that list in step.
func funcs(base *url.URL) template.FuncMap {
	basePath := strings.TrimSuffix(base.Path, "/")
	rel := func(p string) string {
		if strings.Contains(p, "://") {
			return p
		}
		return basePath + "/" + strings.TrimPrefix(p, "/")
	}
	return template.FuncMap{
		// rel turns a site path ("/events/") into a link that works when the
		// site lives under a sub-path ("/lib/events/").
		"rel": rel,
		// abs turns a site path into an absolute URL.
		"abs": func(p string) string { return absURL(base, p) },
		// date: "Saturday, December 5, 2026".
		"date": func(t time.Time) string { return t.Format("Monday, January 2, 2006") },
		// shortdate: "Dec 5, 2026".
		"shortdate": func(t time.Time) string { return t.Format("Jan 2, 2006") },
		// daydate: "Saturday, December 5".
		"daydate": func(t time.Time) string { return t.Format("Monday, January 2") },
		// iso: machine-readable time with offset, for <time datetime>.
		"iso": func(t time.Time) string { return t.Format(time.RFC3339) },
		// isodate: 2026-12-05.
		"isodate": func(t time.Time) string { return t.Format("2006-01-02") },
		// when: an event's date and time, "Saturday, December 5, 10:30–11:15 AM".
		"when": When,
		// timerange: an event's time of day only, "10:30–11:15 AM" or "All day".
		"timerange": TimeRange,
		// join: "a, b and c".
		"join": JoinAnd,
		// tagpath: "/tags/<tag>/".
		"tagpath": func(t string) string { return "/tags/" + TagSlug(t) + "/" },
		"year":    func(t time.Time) int { return t.Year() },
		"upper":   strings.ToUpper,
		// capitalize: "kids" -> "Kids".
		"capitalize": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
	}
}

func absURL(base *url.URL, p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return base.Scheme + "://" + base.Host + strings.TrimSuffix(base.Path, "/") + "/" + strings.TrimPrefix(p, "/")
}

// When formats an event's time for people: "Saturday, December 5,
// 10:30–11:15 AM", "Monday, January 18 (all day)", or a range over days.
func When(it *item.Item) string {
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
func TimeRange(it *item.Item) string {
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

// TagSlug is the URL segment of a tag: lower case, [a-z0-9-].
func TagSlug(tag string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(tag) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
