package generator

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestUnicodeTags: tags keep their letters in their page's address, as
// Hugo does (issue 11): café -> /tags/café/ (percent-encoded in links, the
// sitemap and feeds), книги and 読書 get pages of their own, Café shares
// café's; cafe is a page of its own, with a warning.
func TestUnicodeTags(t *testing.T) {
	res, out, err := build(t, siteFS(map[string]string{
		"content/news/a.md": fm(`title: "A"`, "date: 2026-11-20", "tags: [café, книги, 読書, Open Mic]"),
		"content/news/b.md": fm(`title: "B"`, "date: 2026-11-21", "tags: [Café, cafe]"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tags/café/index.html", "tags/книги/index.html", "tags/読書/index.html", "tags/cafe/index.html", "tags/open-mic/index.html"} {
		if _, ok := out.Files[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	if page := string(out.Files["tags/café/index.html"]); !strings.Contains(page, ">A<") || !strings.Contains(page, ">B<") {
		t.Error("café and Café do not share a page")
	}
	for name := range out.Files {
		if strings.HasPrefix(name, "tags/caf") && name != "tags/café/index.html" && name != "tags/cafe/index.html" {
			t.Errorf("an extra tag page %s", name)
		}
	}
	// The warning for the two spellings, at b's tags: line.
	var warned bool
	for _, d := range res.Diags {
		if d.File == "content/news/b.md" && d.Line == 4 && strings.Contains(d.Message, `"cafe" and "café" (in content/news/a.md) differ only in accents`) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for cafe and café: %v", res.Diags)
	}
	// Links to the pages: percent-encoded, and resolving to them.
	page := string(out.Files["news/a/index.html"])
	hrefs := regexp.MustCompile(`href="(/tags/[^"]+)"`).FindAllStringSubmatch(page, -1)
	found := map[string]bool{}
	for _, h := range hrefs {
		if strings.ContainsFunc(h[1], func(r rune) bool { return r > 127 }) {
			t.Errorf("a link that is not percent-encoded: %s", h[1])
		}
		p, err := url.PathUnescape(h[1])
		if err != nil {
			t.Fatal(err)
		}
		found[p] = true
	}
	for _, p := range []string{"/tags/café/", "/tags/книги/", "/tags/読書/"} {
		if !found[p] {
			t.Errorf("news/a links no %s (links: %v)", p, hrefs)
		}
	}
	sitemap := string(out.Files["sitemap.xml"])
	if !strings.Contains(sitemap, "<loc>https://news.test-library.org/tags/caf%C3%A9/</loc>") ||
		!strings.Contains(sitemap, "<loc>https://news.test-library.org/tags/%E8%AA%AD%E6%9B%B8/</loc>") {
		t.Errorf("the sitemap lacks the encoded tag pages:\n%s", sitemap)
	}
	if strings.Contains(sitemap, "café") {
		t.Error("the sitemap has an address that is not a URI")
	}
	if c := string(out.Files["tags/café/index.html"]); !strings.Contains(c, `<link rel="canonical" href="https://news.test-library.org/tags/caf%C3%A9/">`) {
		t.Errorf("the canonical address of the café page is not encoded")
	}
}

// TestTagsAsCommaText: `tags: poetry, open mic` is one YAML text; it is an
// error with the list to write instead, not one tag "poetry, open mic".
func TestTagsAsCommaText(t *testing.T) {
	res, _, err := build(t, siteFS(map[string]string{
		"content/news/a.md": fm(`title: "A"`, "date: 2026-11-20", "tags: poetry, open mic"),
		"content/news/b.md": fm(`title: "B"`, "date: 2026-11-20", `tags: "Smith, Jones and Co"`),
	}))
	if err == nil {
		t.Fatal("the build went on")
	}
	errs := res.Diags.Errors()
	if len(errs) != 1 || errs[0].String() != "content/news/a.md:4:7: error: tags: \"poetry, open mic\" is one text with commas in it, so it would make one tag; write the tags as a list in brackets: `tags: [poetry, open mic]`" {
		t.Errorf("errors: %v", errs)
	}
}
