package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/diag"
)

// loadExample loads the example site (the repository's root) as of testNow.
func loadExample(t *testing.T, mod ...func(*Config)) (*Site, fs.FS) {
	t.Helper()
	fsys := os.DirFS("..")
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	c := Config{Site: cfg, Now: func() time.Time { return testNow }}
	for _, m := range mod {
		m(&c)
	}
	s, err := Load(context.Background(), c, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s, fsys
}

// TestCrawlSite starts where browsers and search engines start (the home
// page, robots.txt, 404.html) and follows every link, getting each file
// the way serve does (RenderFile). Every link within the site must lead to
// a file of the site, and every page, feed and calendar of the plan must
// be reached: nothing is made that nothing links to, and nothing is linked
// that is not made. (Static files need no link; redirect pages are linked
// from elsewhere, by their nature; the page of an event that is over or
// cancelled stops offering its event.ics, which stays for the links
// already given out.)
func TestCrawlSite(t *testing.T) {
	for _, sub := range []string{"https://news.riverside-library.example.org/", "https://example.github.io/lib/"} {
		t.Run(sub, func(t *testing.T) {
			s, _ := loadExample(t, func(c *Config) {
				u, _ := config.ParseBaseURL(sub)
				cp := *c.Site
				cp.BaseURL = u
				c.Site = &cp
			})
			base, _ := url.Parse(sub)
			posts := []Post{NewPost("Holiday hours "+sub+"news/holiday-hours/", "https://x.com/RiversideLib/status/1", "news/holiday-hours", testNow)}
			seen := map[string]bool{}
			queue := []string{"index.html", "robots.txt", "404.html"}
			for len(queue) > 0 {
				name := queue[0]
				queue = queue[1:]
				if seen[name] {
					continue
				}
				seen[name] = true
				data, err := s.RenderFile(context.Background(), name, posts)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				for _, ref := range crawlRefs(name, data) {
					target, ok := siteFile(base, name, ref)
					if !ok {
						continue // another site
					}
					if _, err := slices.BinarySearch(s.Files(), target); !err {
						t.Errorf("%s links to %s (%s), which the site does not have", name, ref, target)
						continue
					}
					queue = append(queue, target)
				}
			}
			for _, f := range s.Plan() {
				if f.Kind == FileStatic || f.Kind == FileRedirect || (f.Kind == FileCalendar && strings.HasSuffix(f.Name, "/event.ics")) {
					continue
				}
				if !seen[f.Name] {
					t.Errorf("%s (%s) is made, but nothing links to it", f.Name, f.Kind)
				}
			}
			if len(seen) < 50 {
				t.Errorf("crawled %d files; the example has more", len(seen))
			}
		})
	}
}

var (
	robotsSitemap = regexp.MustCompile(`(?m)^Sitemap: (\S+)$`)
	sitemapLoc    = regexp.MustCompile(`<loc>([^<]+)</loc>`)
)

// crawlRefs lists the references of a file a crawler follows: links and
// sources in HTML, the sitemap of robots.txt, the pages of the sitemap.
func crawlRefs(name string, data []byte) []string {
	switch {
	case name == "robots.txt":
		var refs []string
		for _, m := range robotsSitemap.FindAllSubmatch(data, -1) {
			refs = append(refs, string(m[1]))
		}
		return refs
	case name == "sitemap.xml":
		var refs []string
		for _, m := range sitemapLoc.FindAllSubmatch(data, -1) {
			refs = append(refs, html.UnescapeString(string(m[1])))
		}
		return refs
	case !strings.HasSuffix(name, ".html"):
		return nil
	}
	var refs []string
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return refs
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		for _, a := range tok.Attr {
			if (a.Key == "href" && (tok.Data == "a" || tok.Data == "link")) || (a.Key == "src" && (tok.Data == "img" || tok.Data == "script")) {
				refs = append(refs, a.Val)
			}
		}
	}
}

// siteFile maps a reference on the file from to the file of the site it
// names; ok is false for a reference to another site.
func siteFile(base *url.URL, from, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if u.Scheme == "webcal" {
		u.Scheme = base.Scheme
	}
	fromURL := base.JoinPath(strings.TrimSuffix(from, "index.html"))
	if strings.HasSuffix(from, "index.html") && !strings.HasSuffix(fromURL.Path, "/") {
		fromURL.Path += "/"
	}
	u = fromURL.ResolveReference(u)
	if u.Host != base.Host || u.Scheme != base.Scheme || !strings.HasPrefix(u.Path, base.Path) {
		return "", false
	}
	p := strings.TrimPrefix(u.Path, base.Path)
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p, true
}

// TestPlanIsWhatRenderWrites: Render writes exactly the plan's files, Files
// lists them, and RenderFile makes each byte for byte as Render does, with
// or without drafts and future items.
func TestPlanIsWhatRenderWrites(t *testing.T) {
	posts := []Post{
		NewPost("Storytime is back https://news.riverside-library.example.org/events/x/", "https://x.com/RiversideLib/status/1", "events/x", testNow.Add(-time.Hour)),
	}
	for _, mod := range []func(*Config){
		func(*Config) {},
		func(c *Config) { c.Drafts, c.Future = true, true },
	} {
		s, _ := loadExample(t, mod)
		out := &MapOutput{}
		res, err := s.Render(context.Background(), posts, out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out.Files["index.html"], []byte("Storytime is back")) {
			t.Fatal("the home page lacks the post, so the test would not see posts left out")
		}
		var planned []string
		for _, f := range s.Plan() {
			planned = append(planned, f.Name)
		}
		written := slices.Sorted(maps.Keys(out.Files))
		if !slices.Equal(planned, written) || !slices.Equal(s.Files(), written) {
			t.Fatalf("the plan has %d files, Files() %d, Render wrote %d", len(planned), len(s.Files()), len(written))
		}
		if res.Files != len(written) {
			t.Errorf("Result.Files = %d, Render wrote %d", res.Files, len(written))
		}
		for _, name := range written {
			got, err := s.RenderFile(context.Background(), name, posts)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if !bytes.Equal(got, out.Files[name]) {
				t.Errorf("%s: RenderFile and Render differ", name)
			}
		}
		if _, err := s.RenderFile(context.Background(), "no/such/index.html", posts); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a file the site does not have: %v", err)
		}
		// Rendering again, with other posts, changes nothing of the site:
		// the first posts are not left behind anywhere.
		again := &MapOutput{}
		if _, err := s.Render(context.Background(), nil, again); err != nil {
			t.Fatal(err)
		}
		for name, data := range again.Files {
			if bytes.Contains(data, []byte("Storytime is back")) {
				t.Errorf("%s shows the posts of an earlier Render", name)
			}
		}
	}
}

// TestRenderShowingPosts: the files marked ShowsPosts are the ones whose
// bytes depend on the posts, and RenderShowingPosts writes them, with the
// new posts, and nothing else.
func TestRenderShowingPosts(t *testing.T) {
	s, _ := loadExample(t)
	before, after := &MapOutput{}, &MapOutput{}
	if _, err := s.Render(context.Background(), nil, before); err != nil {
		t.Fatal(err)
	}
	posts := []Post{NewPost("Just posted https://news.riverside-library.example.org/news/holiday-hours/", "https://x.com/RiversideLib/status/9", "news/holiday-hours", testNow)}
	if _, err := s.Render(context.Background(), posts, after); err != nil {
		t.Fatal(err)
	}
	var differ []string
	for name, data := range after.Files {
		if !bytes.Equal(data, before.Files[name]) {
			differ = append(differ, name)
		}
	}
	slices.Sort(differ)
	var marked []string
	for _, f := range s.Plan() {
		if f.ShowsPosts {
			marked = append(marked, f.Name)
		}
	}
	if len(differ) == 0 || !slices.Equal(differ, marked) {
		t.Errorf("files that change with the posts: %v; marked ShowsPosts: %v", differ, marked)
	}
	out := &MapOutput{}
	names, err := s.RenderShowingPosts(context.Background(), posts, out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, marked) || !slices.Equal(slices.Sorted(maps.Keys(out.Files)), marked) {
		t.Errorf("RenderShowingPosts wrote %v, said %v; want %v", slices.Sorted(maps.Keys(out.Files)), names, marked)
	}
	for name, data := range out.Files {
		if !bytes.Equal(data, after.Files[name]) {
			t.Errorf("%s: RenderShowingPosts and Render differ", name)
		}
	}
}

// A theme that shows the posts on every page (in its footer) has every
// page marked, found by reading its layouts.
func TestShowsPostsFollowsTheTheme(t *testing.T) {
	fsys := siteFS(map[string]string{
		"content/news/hours.md":                    validNews,
		"themes/mine/layouts/partials/footer.html": `{{define "footer"}}<footer>{{with .Site}}{{range .Posts}}<p>{{.Text}}</p>{{end}}{{end}}</footer>{{end}}`,
	})
	fsys["config.yaml"].Data = append([]byte(testConfig), "theme: mine\n"...)
	cfg, _ := config.Load(fsys)
	s, err := Load(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Plan() {
		if f.Kind == FilePage && !f.ShowsPosts {
			t.Errorf("%s is not marked ShowsPosts, though every page shows them", f.Name)
		}
		if f.Kind != FilePage && f.ShowsPosts {
			t.Errorf("%s (%s) is marked ShowsPosts", f.Name, f.Kind)
		}
	}
}

// TestTwoSourcesForOnePath: a file of static/, a content file and a page
// the site makes can each claim the same address. That is an error naming
// both (it was a random winner: static/feed.xml against the feed changed
// between identical builds; content/events/past.md replaced the list of
// past events). A site's static file over its theme's is an override, and
// fine.
func TestTwoSourcesForOnePath(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		theme string
		file  string   // where the error is
		want  []string // in its message
	}{
		{"static feed.xml", map[string]string{"static/feed.xml": "<rss/>"}, "",
			"static/feed.xml", []string{"/feed.xml", "the site's RSS feed"}},
		{"static events.ics", map[string]string{"static/events.ics": "BEGIN:VCALENDAR"}, "",
			"static/events.ics", []string{"/events.ics", "the calendar of all events"}},
		{"static page", map[string]string{"static/news/index.html": "<p>hi</p>"}, "",
			"static/news/index.html", []string{"/news/", "the list of news"}},
		{"static sitemap", map[string]string{"static/sitemap.xml": "<urlset/>"}, "",
			"static/sitemap.xml", []string{"/sitemap.xml", "the sitemap"}},
		{"static over an item", map[string]string{"static/news/hours/index.html": "<p>hi</p>"}, "",
			"static/news/hours/index.html", []string{"/news/hours/", "the page of content/news/hours.md"}},
		{"content file named like a list", map[string]string{"content/events/past.md": fm("title: Past", "date: 2026-10-01", "start: 2026-10-20", "location: Hall")}, "",
			"content/events/past.md", []string{"/events/past/", "the list of past events"}},
		{"page named like a list", map[string]string{"content/pages/tags.md": fm("title: Tags")}, "",
			"content/pages/tags.md", []string{"/tags/", "the list of topics"}},
		{"draft named like a list", map[string]string{"content/events/past.md": fm("title: Past", "date: 2026-10-01", "draft: true", "start: 2026-10-20", "location: Hall")}, "",
			"content/events/past.md", []string{"/events/past/", "the list of past events"}},
		{"theme static feed", map[string]string{"themes/mine/static/atom.xml": "<feed/>"}, "mine",
			"themes/mine/static/atom.xml", []string{"/atom.xml", "the site's Atom feed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"content/news/hours.md": validNews}
			maps.Copy(files, c.files)
			fsys := siteFS(files)
			if c.theme != "" {
				fsys["config.yaml"].Data = append([]byte(testConfig), "theme: "+c.theme+"\n"...)
			}
			for range 3 { // the same every time
				res, _, err := build(t, fsys)
				if err == nil {
					t.Fatal("built")
				}
				if !hasError(res.Diags.Errors(), c.file, c.want) {
					t.Fatalf("no error in %s naming %q: %v", c.file, c.want, res.Diags)
				}
			}
		})
	}

	// The site's own style.css over the theme's: its, and no error.
	_, out, err := build(t, siteFS(map[string]string{"static/css/style.css": "body{}", "content/news/hours.md": validNews}))
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Files["css/style.css"]) != "body{}" {
		t.Error("the site's static/css/style.css does not replace the theme's")
	}
}

func hasError(diags diag.List, file string, want []string) bool {
next:
	for _, d := range diags {
		if d.File != file {
			continue
		}
		for _, w := range want {
			if !strings.Contains(d.Message, w) {
				continue next
			}
		}
		return true
	}
	return false
}
