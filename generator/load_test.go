package generator

import (
	"errors"
	"strings"
	"testing"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Each broken file of issue #2 gives an error naming the file and line and
// saying what to do, and no panic.
func TestBrokenFiles(t *testing.T) {
	big := "---\ntitle: Big\ndate: 2026-11-01\n---\n" + strings.Repeat("All work and no play. ", 500_000)
	cases := []struct {
		name  string
		files map[string]string
		file  string
		line  int
		want  string // in the message
		warn  bool   // a warning, not an error
	}{
		{"bad yaml", map[string]string{"content/news/a.md": "---\ntitle: \"Unclosed\ndate: 2026-11-01\n---\n"},
			"content/news/a.md", 2, "a quote (\") is opened but not closed", false},
		{"bad yaml indentation", map[string]string{"content/news/a.md": "---\ntitle: A\n  date: 2026-11-01\n---\n"},
			"content/news/a.md", 3, "not valid YAML", false},
		{"missing title", map[string]string{"content/news/a.md": fm("date: 2026-11-01")},
			"content/news/a.md", 1, "title: missing", false},
		{"impossible date", map[string]string{"content/events/a.md": fm("title: A", "date: 2026-11-01", "start: 2026-13-01", "location: Hall")},
			"content/events/a.md", 4, `start: "2026-13-01" is not a date`, false},
		{"february 30", map[string]string{"content/news/a.md": fm("title: A", "date: 2026-02-30")},
			"content/news/a.md", 3, "February has no day 30", false},
		{"end before start", map[string]string{"content/events/a.md": fm("title: A", "date: 2026-11-01", "start: 2026-12-05T10:30", "end: 2026-12-05T09:30", "location: Hall")},
			"content/events/a.md", 5, "end: 2026-12-05 09:30 is before start", false},
		{"wrong isbn check digit", map[string]string{"content/titles/a.md": fm("title: A", "date: 2026-11-01", "author: B", "isbn: 978-1-250-17863-4")},
			"content/titles/a.md", 5, "check digit is wrong", false},
		{"duplicate slug", map[string]string{"content/news/a.md": validNews, "content/news/b.md": fm("title: B", "date: 2026-11-01", "slug: a")},
			"content/news/b.md", 1, "two items have the web address /news/a/", false},
		{"slug escaping the site", map[string]string{"content/news/a.md": fm("title: A", "date: 2026-11-01", "slug: ../../etc")},
			"content/news/a.md", 4, `slug: "../../etc" can only have`, false},
		{"file outside the sections", map[string]string{"content/blog/a.md": validNews},
			"content/blog/a.md", 0, "only reads files in content/events", false},
		{"file at the content root", map[string]string{"content/a.md": validNews},
			"content/a.md", 0, "only reads files in content/events", false},
		{"invalid utf-8", map[string]string{"content/news/a.md": "---\ntitle: A\ndate: 2026-11-01\n---\nCaf\xe9 au lait\n"},
			"content/news/a.md", 5, "not UTF-8", false},
		{"empty file", map[string]string{"content/news/a.md": ""},
			"content/news/a.md", 1, "the file is empty", false},
		{"10 MB file", map[string]string{"content/news/a.md": big},
			"content/news/a.md", 0, "content files must be under 1 MB", false},
		{"no front matter", map[string]string{"content/news/a.md": "Just text\n"},
			"content/news/a.md", 1, "must start with a line of three dashes", false},
		{"unclosed front matter", map[string]string{"content/news/a.md": "---\ntitle: A\n"},
			"content/news/a.md", 1, "not closed", false},
		{"link to a missing page", map[string]string{"content/news/a.md": fm("title: A", "date: 2026-11-01", "BODY:Intro.\n\nSee [the hours](/news/hours/).")},
			"content/news/a.md", 7, "points to a page that does not exist", true},
		{"draft: yes", map[string]string{"content/news/a.md": fm("title: A", "date: 2026-11-01", `draft: "yes"`)},
			"content/news/a.md", 4, "is not true or false", false},
		{"unknown key", map[string]string{"content/news/a.md": fm("tittle: A", "title: A", "date: 2026-11-01")},
			"content/news/a.md", 2, `did you mean "title"?`, true},
		{"mixed all-day and timed", map[string]string{"content/events/a.md": fm("title: A", "date: 2026-11-01", "start: 2026-12-05", "end: 2026-12-05T11:00", "location: Hall")},
			"content/events/a.md", 5, "give both start and end as dates", false},
		{"bad status", map[string]string{"content/events/a.md": fm("title: A", "date: 2026-11-01", "start: 2026-12-05", "location: Hall", "status: maybe")},
			"content/events/a.md", 6, "not one of scheduled, cancelled or postponed", false},
		{"missing location", map[string]string{"content/events/a.md": fm("title: A", "date: 2026-11-01", "start: 2026-12-05")},
			"content/events/a.md", 1, "location: missing", false},
		{"isbn with letters", map[string]string{"content/titles/a.md": fm("title: A", "date: 2026-11-01", "author: B", "isbn: 97812501786ab")},
			"content/titles/a.md", 5, "an ISBN has only digits", false},
		{"page slug taken by the site", map[string]string{"content/pages/events.md": fm("title: Events")},
			"content/pages/events.md", 1, "its web address /events/ is also the list of upcoming events, which circulate makes", false},
		{"bad file name", map[string]string{"content/news/Holiday Hours.md": validNews},
			"content/news/Holiday Hours.md", 1, "rename the file to holiday-hours.md", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, out, err := build(t, siteFS(c.files))
			var found *diag.Diagnostic
			for i, d := range res.Diags {
				if d.File == c.file && strings.Contains(d.Message, c.want) {
					found = &res.Diags[i]
				}
			}
			if found == nil {
				t.Fatalf("no diagnostic for %s containing %q; got:\n%v", c.file, c.want, res.Diags)
			}
			if found.Line != c.line {
				t.Errorf("line = %d, want %d (%s)", found.Line, c.line, found)
			}
			if c.warn {
				if found.Severity != diag.Warning || err != nil {
					t.Errorf("want a warning and a build; got %s, err %v", found, err)
				}
				return
			}
			if found.Severity != diag.Error || !errors.Is(err, ErrContent) {
				t.Errorf("want an error that stops the build; got %s, err %v", found, err)
			}
			if len(out.Files) != 0 {
				t.Errorf("a failed build wrote %d files", len(out.Files))
			}
		})
	}
}

// All problems are reported at once, not just the first.
func TestAllProblemsReported(t *testing.T) {
	res, _, err := build(t, siteFS(map[string]string{
		"content/news/a.md":   fm("date: 2026-11-01"),
		"content/news/b.md":   fm("title: B", "date: someday"),
		"content/titles/c.md": fm("title: C", "date: 2026-11-01", "isbn: 123"),
	}))
	if err == nil {
		t.Fatal("build succeeded")
	}
	if n := len(res.Diags.Errors()); n != 4 {
		t.Errorf("got %d errors, want 4 (title, date, author, isbn):\n%v", n, res.Diags)
	}
}

func TestValidSiteBuilds(t *testing.T) {
	res, out, err := build(t, siteFS(map[string]string{
		"content/events/storytime.md": validEvent,
		"content/titles/the-women.md": validTitle,
		"content/news/hours.md":       validNews,
		"content/pages/about.md":      fm("title: About us"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diags) != 0 {
		t.Errorf("unexpected diagnostics:\n%v", res.Diags)
	}
	for _, f := range []string{"index.html", "events/index.html", "events/storytime/index.html", "events/past/index.html",
		"titles/the-women/index.html", "news/hours/index.html", "about/index.html", "tags/index.html",
		"404.html", "sitemap.xml", "robots.txt", "css/style.css"} {
		if _, ok := out.Files[f]; !ok {
			t.Errorf("missing %s", f)
		}
	}
	it := res.Items[0]
	for _, i := range res.Items {
		if i.ID == "titles/the-women" {
			it = i
		}
	}
	if it.Book.ISBN != "9781250178633" || it.Book.Catalog != "https://catalog.test-library.org/?isbn=9781250178633" {
		t.Errorf("book = %+v", it.Book)
	}
	if it.ImageAlt != "Cover of The Women" {
		t.Errorf("cover alt = %q", it.ImageAlt)
	}
}
