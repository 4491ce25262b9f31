package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlLinks checks that every internal link, image, script and
// stylesheet of every page resolves to a file of the build, and every
// fragment to an id on its page. The second build puts the site under a
// sub-path, as on a project site of a static host, where a link that
// forgets the base path ("/events/" for "/lib/events/") breaks.
func TestCrawlLinks(t *testing.T) {
	for _, base := range []string{"", "https://example.github.io/lib/"} {
		name := "root"
		if base != "" {
			name = "subpath"
		}
		t.Run(name, func(t *testing.T) {
			s := exampleSite(t, base)
			c := newCrawl(s)
			for _, f := range s.htmlFiles(t) {
				c.page(t, f)
			}
			for _, p := range c.report() {
				t.Error(p)
			}
			t.Logf("%d pages, %d internal references checked (base URL %s)", c.pages, c.refs, s.Base)
		})
	}
}

// TestCrawlFindsBrokenLinks makes sure the crawler above reports what it
// is meant to, so that its passing means something.
func TestCrawlFindsBrokenLinks(t *testing.T) {
	dir := t.TempDir()
	page := `<!doctype html><title>t</title><h1 id="here">x</h1>
<a href="/lib/">ok</a><a href="#here">ok</a><a href="/lib/a/#here">ok</a><a href="mailto:x@y">ok</a>
<a href="https://other.example/">ok</a><img src="/lib/a/pic.png" srcset="/lib/a/pic.png 1x, /lib/big.png 2x">
<a href="/a/">outside</a><a href="/lib/nope/">missing</a><a href="#gone">no id</a><a href="https://example.github.io/lib/a/#gone">no id</a>`
	for _, f := range []string{"index.html", "a/index.html", "a/pic.png"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := url.Parse("https://example.github.io/lib/")
	c := newCrawl(&site{Dir: dir, Base: base})
	c.page(t, "index.html")
	c.page(t, "a/index.html")
	on2 := "\n\ton 2 page(s): index.html, a/index.html"
	want := []string{
		`<a href="#gone">: no id "gone" on a/index.html` + "\n\ton 1 page(s): a/index.html",
		`<a href="#gone">: no id "gone" on index.html` + "\n\ton 1 page(s): index.html",
		`<a href="/a/">: points outside the site's base path /lib/` + on2,
		`<a href="/lib/nope/">: no such file in the build (nope/index.html)` + on2,
		`<a href="https://example.github.io/lib/a/#gone">: no id "gone" on a/index.html` + on2,
		`<img srcset="/lib/big.png">: no such file in the build (big.png)` + on2,
	}
	if got := strings.Join(c.report(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
