package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAliasRules: each way of writing `aliases:` wrong is an error at its
// line, naming what to do.
func TestAliasRules(t *testing.T) {
	cases := []struct {
		name, aliases string
		want          string // in the message at line 4; "" for no error
	}{
		{"ok", "[/news/old-name/]", ""},
		{"one", "/news/old-name/", ""},
		{"no slash at end", "[/news/old-name]", ""},
		{"html file", "[/old/page.html]", ""},
		{"relative", "[news/old/]", "must start with /"},
		{"full URL", "[https://old.example.org/news/old/]", "write the path alone"},
		{"host", "[//old.example.org/news/old/]", "write the path alone"},
		{"dotdot", "[/news/../../etc/passwd]", "without . or .. parts"},
		{"dot", "[/news/./old/]", "without . or .. parts"},
		{"double slash", "[/news//old/]", "empty parts"},
		{"query", `["/news/old/?a=1"]`, "must not have ?"},
		{"space", `["/news/old name/"]`, "spaces"},
		{"home", "[/]", "home page"},
		{"own path", "[/news/hours/]", "this item's own address"},
		{"own path without slash", "[/news/hours]", "this item's own address"},
		{"map", "{a: b}", "needs a list"},
		{"empty entry", "[/news/x/, ~]", "needs a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, _, err := build(t, siteFS(map[string]string{
				"content/news/hours.md": fm(`title: "Holiday hours"`, "date: 2026-11-25", "aliases: "+c.aliases),
			}))
			if c.want == "" {
				if err != nil {
					t.Fatalf("%v: %v", err, res.Diags)
				}
				return
			}
			if err == nil {
				t.Fatalf("aliases: %s built", c.aliases)
			}
			for _, d := range res.Diags.Errors() {
				if d.File == "content/news/hours.md" && d.Line == 4 && strings.Contains(d.Message, c.want) {
					return
				}
			}
			t.Errorf("no error at content/news/hours.md:4 saying %q: %v", c.want, res.Diags)
		})
	}
}

// TestRedirectPages builds old addresses from aliases and from Moved, and
// compares one page with its golden file (-update rewrites it).
func TestRedirectPages(t *testing.T) {
	files := map[string]string{
		"content/news/a-2-renamed.md": fm(`title: "Board <meeting> & more"`, "date: 2026-11-20", "aliases: [/news/old-name/, /old/page.html]"),
		"content/news/other.md":       validNews,
		"content/news/secret.md":      fm("title: Secret", "date: 2026-11-01", "draft: true", "aliases: [/news/secret-old/]"),
		"content/pages/visit.md":      fm("title: Visit us", "aliases: /hours"),
	}
	moved := []Redirect{
		{From: "/news/a-2/", To: "news/a-2-renamed"},
		{From: "/news/gone/", To: "news/deleted-since"},      // dropped: no such item
		{From: "/news/old-name/", To: "news/other"},          // the alias wins
		{From: "/news/secret-older/", To: "news/secret"},     // a draft: not built
		{From: "/news/a-2-renamed/", To: "news/a-2-renamed"}, // its own address: nothing to do
	}
	res, out, err := build(t, siteFS(files), func(c *Config) { c.Moved = moved })
	if err != nil {
		t.Fatal(err, res.Diags)
	}
	want := map[string]string{
		"news/old-name/index.html": "https://news.test-library.org/news/a-2-renamed/",
		"old/page.html":            "https://news.test-library.org/news/a-2-renamed/",
		"news/a-2/index.html":      "https://news.test-library.org/news/a-2-renamed/",
		"hours/index.html":         "https://news.test-library.org/visit/",
	}
	for name, to := range want {
		page, ok := out.Files[name]
		if !ok {
			t.Errorf("no redirect page %s", name)
			continue
		}
		for _, s := range []string{
			`<meta http-equiv="refresh" content="0; url=` + to + `">`,
			`<link rel="canonical" href="` + to + `">`,
			`<a href="` + to + `">`,
			`<meta name="robots" content="noindex">`,
			`<html lang="en">`,
		} {
			if !bytes.Contains(page, []byte(s)) {
				t.Errorf("%s lacks %s:\n%s", name, s, page)
			}
		}
	}
	for _, name := range []string{"news/gone/index.html", "news/secret-old/index.html", "news/secret-older/index.html"} {
		if _, ok := out.Files[name]; ok {
			t.Errorf("%s was built", name)
		}
	}
	// Not in the sitemap, not in any feed.
	for _, f := range []string{"sitemap.xml", "feed.xml", "atom.xml", "feed.json", "news/feed.xml"} {
		for _, old := range []string{"old-name", "a-2/", "page.html", "/hours"} {
			if bytes.Contains(out.Files[f], []byte(old)) {
				t.Errorf("%s names the old address %s", f, old)
			}
		}
	}
	golden := filepath.Join("testdata", "redirect", "old-name.golden")
	got := out.Files["news/old-name/index.html"]
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -run TestRedirectPages -update to create it)", err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("the redirect page differs from %s (-update rewrites it):\n%s", golden, got)
	}
}

// TestRedirectConflicts: an old address that is someone's address now is
// an error naming both files.
func TestRedirectConflicts(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		moved []Redirect
		file  string // the error is in this file
		want  []string
	}{
		{
			name: "alias is another item's address",
			files: map[string]string{
				"content/news/hours.md": validNews,
				"content/news/new.md":   fm("title: New", "date: 2026-11-20", "aliases: [/news/hours/]"),
			},
			file: "content/news/new.md", want: []string{"/news/hours/", "content/news/hours.md"},
		},
		{
			name: "alias is a page's address",
			files: map[string]string{
				"content/pages/visit.md": fm("title: Visit"),
				"content/news/new.md":    fm("title: New", "date: 2026-11-20", "aliases: [/visit]"),
			},
			file: "content/news/new.md", want: []string{"/visit/", "content/pages/visit.md"},
		},
		{
			name: "alias of two items",
			files: map[string]string{
				"content/news/a.md": fm("title: A", "date: 2026-11-20", "aliases: [/news/old/]"),
				"content/news/b.md": fm("title: B", "date: 2026-11-20", "aliases: [/news/old/]"),
			},
			file: "content/news/b.md", want: []string{"/news/old/", "content/news/a.md"},
		},
		{
			name: "alias is a listing",
			files: map[string]string{
				"content/news/a.md": fm("title: A", "date: 2026-11-20", "aliases: [/events/]"),
			},
			file: "content/news/a.md", want: []string{"aliases: /events/ is also the list of upcoming events, which circulate makes", "remove it"},
		},
		{
			name: "alias is a static file",
			files: map[string]string{
				"content/news/a.md": fm("title: A", "date: 2026-11-20", "aliases: [/old.html]"),
				"static/old.html":   "<p>hi</p>",
			},
			file: "content/news/a.md", want: []string{"/old.html", "static/"},
		},
		{
			name: "moved address taken by a new item",
			files: map[string]string{
				"content/news/a-renamed.md": fm("title: A", "date: 2026-11-20"),
				"content/news/a.md":         fm("title: Another A", "date: 2026-11-25"),
			},
			moved: []Redirect{{From: "/news/a/", To: "news/a-renamed"}},
			file:  "content/news/a.md", want: []string{"/news/a/", "content/news/a-renamed.md", "slug:"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, _, err := build(t, siteFS(c.files), func(cfg *Config) { cfg.Moved = c.moved })
			if err == nil {
				t.Fatal("built")
			}
		diags:
			for _, d := range res.Diags.Errors() {
				if d.File != c.file {
					continue
				}
				for _, w := range c.want {
					if !strings.Contains(d.Message, w) {
						continue diags
					}
				}
				return
			}
			t.Errorf("no error in %s naming %q: %v", c.file, c.want, res.Diags)
		})
	}
}

// A link in a body to an old address is a link to a page that exists.
func TestLinkToOldAddress(t *testing.T) {
	res, _, err := build(t, siteFS(map[string]string{
		"content/news/a.md": fm("title: A", "date: 2026-11-20", "aliases: [/news/old/]"),
		"content/news/b.md": fm("title: B", "date: 2026-11-20", "BODY:See [the old one](/news/old/)."),
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags {
		t.Errorf("unexpected: %s", d)
	}
}
