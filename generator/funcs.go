package generator

import (
	"html/template"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/plural"
	"github.com/circulate-dev/circulate/internal/slug"
)

// funcs are the template functions available to layouts. They are documented
// in docs/theming.md; keep that list in step.
func funcs(base siteURL) template.FuncMap {
	return template.FuncMap{
		// rel turns a site path ("/events/") into a link that works when the
		// site lives under a sub-path ("/lib/events/").
		"rel": base.rel,
		// socialMeta: a page's Open Graph and X card <meta> tags.
		"socialMeta": socialMeta,
		// abs turns a site path into an absolute URL.
		"abs": base.abs,
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
		"when": item.When,
		// timerange: an event's time of day only, "10:30–11:15 AM" or "All day".
		"timerange": item.TimeRange,
		// join: "a, b and c".
		"join": item.JoinAnd,
		// tagpath: "/tags/<tag>/".
		"tagpath": func(t string) string { return "/tags/" + TagSlug(t) + "/" },
		"year":    func(t time.Time) int { return t.Year() },
		// firstposts: the first n posts of a list (the social box shows 5).
		"firstposts": func(n int, posts []Post) []Post { return posts[:min(max(n, 0), len(posts))] },
		"upper":      strings.ToUpper,
		// plural: the noun for a count shown apart, "item" or "items":
		// {{.Count}} {{plural .Count "item"}}.
		"plural": plural.Noun,
		// capitalize: "kids" -> "Kids".
		"capitalize": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
	}
}

// TagSlug is the URL segment of a tag's page: letters and digits of every
// script, in lower case (café -> café, книги -> книги); see slug.Tag.
func TagSlug(tag string) string { return slug.Tag(tag) }

// escapeIRI percent-encodes what may not stand in a URL as it is: bytes
// outside ASCII (a tag page's /tags/café/) and spaces. Everything else is
// left as written, so an address with its own %-escapes stays as it is.
func escapeIRI(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] <= ' ' {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c <= ' ' {
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}
