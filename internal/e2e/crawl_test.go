package e2e

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// crawl checks the references of a build's pages (see TestCrawlLinks).
type crawl struct {
	site   *site
	ids    map[string]map[string]bool // file -> ids (and <a name>s) on it
	pages  int
	refs   int
	broken map[string][]string // "<a href=...>: why" -> pages with it
}

func newCrawl(s *site) *crawl {
	return &crawl{site: s, ids: map[string]map[string]bool{}, broken: map[string][]string{}}
}

// report lists each broken reference once, with the pages that have it:
// a theme's broken link is on every page, and one line says so.
func (c *crawl) report() []string {
	var lines []string
	for what, pages := range c.broken {
		shown := pages
		if len(shown) > 3 {
			shown = shown[:3]
		}
		more := ""
		if len(pages) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(pages)-len(shown))
		}
		lines = append(lines, fmt.Sprintf("%s\n\ton %d page(s): %s%s", what, len(pages), strings.Join(shown, ", "), more))
	}
	sort.Strings(lines)
	return lines
}

// linkAttrs are the attributes that name a URL the browser loads or follows.
var linkAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"},
	"img": {"src", "srcset"}, "source": {"src", "srcset"}, "script": {"src"},
	"iframe": {"src"}, "audio": {"src"}, "video": {"src", "poster"},
	"track": {"src"}, "embed": {"src"}, "form": {"action"},
}

// page checks the references of one HTML file of the build.
func (c *crawl) page(t *testing.T, file string) {
	doc := c.parse(t, file)
	if doc == nil {
		return
	}
	c.pages++
	pageURL := c.urlOf(file)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "base" {
			if h, ok := attr(n, "href"); ok {
				if u, err := pageURL.Parse(h); err == nil {
					pageURL = u
				}
			}
		}
		for _, a := range linkAttrs[n.Data] {
			v, ok := attr(n, a)
			if !ok {
				continue
			}
			refs := []string{v}
			if a == "srcset" {
				refs = srcsetURLs(v)
			}
			for _, ref := range refs {
				if msg := c.check(t, pageURL, ref); msg != "" {
					what := fmt.Sprintf("<%s %s=%q>: %s", n.Data, a, ref, msg)
					c.broken[what] = append(c.broken[what], file)
				}
			}
		}
	}
}

// check resolves ref as the browser would on pageURL and returns why it is
// broken, or "" when it resolves (or is not the site's to check).
func (c *crawl) check(t *testing.T, pageURL *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "empty URL"
	}
	u, err := pageURL.Parse(ref)
	if err != nil {
		return fmt.Sprintf("not a URL: %v", err)
	}
	base := c.site.Base
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host != base.Host {
		return "" // mailto:, tel:, other sites: not ours
	}
	c.refs++
	if !strings.HasPrefix(u.Path, base.Path) {
		return fmt.Sprintf("points outside the site's base path %s", base.Path)
	}
	rel := strings.TrimPrefix(u.Path, base.Path)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	rel = path.Clean(rel)
	full := filepath.Join(c.site.Dir, filepath.FromSlash(rel))
	st, err := os.Stat(full)
	switch {
	case err != nil:
		return fmt.Sprintf("no such file in the build (%s)", rel)
	case st.IsDir():
		// Static hosts redirect /dir to /dir/, at the cost of a round trip.
		rel = path.Join(rel, "index.html")
		if _, err := os.Stat(filepath.Join(full, "index.html")); err != nil {
			return fmt.Sprintf("a folder without index.html (%s)", rel)
		}
	}
	if u.Fragment == "" {
		return ""
	}
	if path.Ext(rel) != ".html" {
		return ""
	}
	if !c.idsOf(t, rel)[u.Fragment] {
		return fmt.Sprintf("no id %q on %s", u.Fragment, rel)
	}
	return ""
}

// urlOf is the address a file of the build is served at.
func (c *crawl) urlOf(file string) *url.URL {
	p := file
	if p == "index.html" {
		p = ""
	} else if strings.HasSuffix(p, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	}
	u, _ := c.site.Base.Parse(p)
	return u
}

func (c *crawl) parse(t *testing.T, file string) *html.Node {
	data, err := os.ReadFile(filepath.Join(c.site.Dir, filepath.FromSlash(file)))
	if err != nil {
		t.Error(err)
		return nil
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return nil
	}
	return doc
}

// idsOf returns the fragment targets of an HTML file of the build.
func (c *crawl) idsOf(t *testing.T, file string) map[string]bool {
	if ids, ok := c.ids[file]; ok {
		return ids
	}
	ids := map[string]bool{"top": true} // "#top" scrolls to the top by spec
	if doc := c.parse(t, file); doc != nil {
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			if id, ok := attr(n, "id"); ok {
				ids[id] = true
			}
			if name, ok := attr(n, "name"); ok && n.Data == "a" {
				ids[name] = true
			}
		}
	}
	c.ids[file] = ids
	return ids
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// srcsetURLs returns the URLs of a srcset ("a.jpg 1x, b.jpg 2x").
func srcsetURLs(v string) []string {
	var urls []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			urls = append(urls, f[0])
		}
	}
	return urls
}
