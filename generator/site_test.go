package generator

import (
	"regexp"
	"strings"
	"testing"
)

func TestVisibilityAndSections(t *testing.T) {
	files := map[string]string{
		"content/events/past-talk.md": fm("title: Past talk", "date: 2026-10-01", "start: 2026-10-20T18:00", "end: 2026-10-20T19:00", "location: Hall"),
		"content/events/today.md":     fm("title: Today sale", "date: 2026-11-01", "start: 2026-11-28", "location: Lobby"),
		"content/events/next.md":      validEvent,
		"content/news/draft.md":       fm("title: Secret plans", "date: 2026-11-01", "draft: true"),
		"content/news/tomorrow.md":    fm("title: Tomorrow news", "date: 2026-11-29"),
		"content/news/hours.md":       validNews,
		"content/titles/women.md":     validTitle,
		"content/titles/second.md":    fm("title: Second", "date: 2026-11-21", "author: [A One, B Two]"),
		"content/titles/third.md":     fm("title: Third", "date: 2026-11-22", "author: C"),
		"content/pages/visit.md":      fm("title: Visit us"),
		"content/events/tagged.md":    fm("title: Lego club", "date: 2026-11-01", "start: 2026-12-12T14:00", "location: Hall", "tags: [Kids, lego]"),
		"content/news/also-tagged.md": fm("title: Lego news", "date: 2026-11-02", "tags: [kids]"),
	}
	res, out, err := build(t, siteFS(files))
	if err != nil {
		t.Fatal(err)
	}
	page := func(name string) string {
		t.Helper()
		b, ok := out.Files[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		return string(b)
	}
	if _, ok := out.Files["news/draft/index.html"]; ok {
		t.Error("a draft was built")
	}
	if _, ok := out.Files["news/tomorrow/index.html"]; ok {
		t.Error("a future item was built")
	}
	if len(res.Skipped) != 2 {
		t.Errorf("skipped: %v", res.Skipped)
	}
	up := page("events/index.html")
	if !strings.Contains(up, "Today sale") || !strings.Contains(up, "Storytime") || strings.Contains(up, "Past talk") {
		t.Error("the upcoming events page has the wrong events")
	}
	if strings.Index(up, "Today sale") > strings.Index(up, "Storytime") {
		t.Error("upcoming events are not soonest first")
	}
	if !strings.Contains(page("events/past/index.html"), "Past talk") {
		t.Error("the past event is not on the past events page")
	}
	// Page size 2: three titles make two pages, newest first.
	p1, p2 := page("titles/index.html"), page("titles/page/2/index.html")
	if !strings.Contains(p1, "Third") || !strings.Contains(p1, "Second") || !strings.Contains(p2, "The Women") {
		t.Error("titles are not paginated newest first")
	}
	if !strings.Contains(p1, `href="/titles/page/2/"`) {
		t.Error("page 1 does not link to page 2")
	}
	// Tags match whatever their case.
	kids := page("tags/kids/index.html")
	if !strings.Contains(kids, "Lego club") || !strings.Contains(kids, "Lego news") {
		t.Error("the kids tag page misses items")
	}
	if !strings.Contains(page("visit/index.html"), "Visit us") {
		t.Error("the visit page")
	}

	// --drafts and --future show them.
	_, out, err = build(t, siteFS(files), func(c *Config) { c.Drafts, c.Future = true, true })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Files["news/draft/index.html"]; !ok {
		t.Error("--drafts did not build the draft")
	}
	if _, ok := out.Files["news/tomorrow/index.html"]; !ok {
		t.Error("--future did not build the future item")
	}
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]+)"`)

// A site under a sub-path links to itself under that path, Markdown links
// included.
func TestSubPath(t *testing.T) {
	fsys := siteFS(map[string]string{
		"content/news/hours.md":       fm("title: Hours", "date: 2026-11-01", "BODY:See [storytime](/events/storytime/)."),
		"content/events/storytime.md": validEvent,
	})
	fsys["config.yaml"].Data = []byte(strings.Replace(testConfig, "https://news.test-library.org/", "https://example.github.io/lib/", 1))
	_, out, err := build(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range out.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(data), -1) {
			u := m[1]
			if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "/lib/") {
				t.Errorf("%s: link %s is outside /lib/", name, u)
			}
			if strings.HasPrefix(u, "https://example.github.io/") && !strings.HasPrefix(u, "https://example.github.io/lib/") {
				t.Errorf("%s: URL %s is outside /lib/", name, u)
			}
		}
	}
	if !strings.Contains(string(out.Files["news/hours/index.html"]), `href="/lib/events/storytime/"`) {
		t.Error("the Markdown link was not given the sub-path")
	}
}

// Raw HTML is escaped unless markup.unsafe is set.
func TestRawHTML(t *testing.T) {
	files := map[string]string{"content/news/a.md": fm("title: A", "date: 2026-11-01", "BODY:Hi <script>alert(1)</script> there")}
	_, out, err := build(t, siteFS(files))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out.Files["news/a/index.html"]), "<script>alert") {
		t.Error("raw HTML passed through")
	}
	fsys := siteFS(files)
	fsys["config.yaml"].Data = append([]byte(testConfig), "markup: {unsafe: true}\n"...)
	_, out, _ = build(t, fsys)
	if !strings.Contains(string(out.Files["news/a/index.html"]), "<script>alert(1)</script>") {
		t.Error("markup.unsafe did not let raw HTML through")
	}
}
