package generator

import (
	"strings"
	"testing"
	"time"
)

const socialConfig = `title: Test Library
base_url: https://news.test-library.org/
timezone: America/New_York
library: {name: Test Library}
social:
  x: {enabled: true, handle: TestLib}
  mastodon: {enabled: true, server: "https://mastodon.example", handle: testlib}
  bluesky: {enabled: true, handle: testlib.bsky.social}
`

func TestSocialBox(t *testing.T) {
	fsys := siteFS(map[string]string{"content/news/a.md": fm("title: A news post", "date: 2026-11-20")})
	fsys["config.yaml"].Data = []byte(socialConfig)
	long := "https://news.test-library.org/news/our-spring-book-sale-is-on-now/"
	posts := []Post{
		NewPostParts("mastodon", "https://mastodon.example/@testlib/1", testNow.Add(-time.Hour), []PostPart{
			{Text: "Written by hand: the sale is on! "}, {Text: "news.test-library.org/news/our…", Link: long}, {Text: " <b>bold?</b>"},
		}, []string{"A table of books under a banner"}),
		NewPostParts("bluesky", "https://bsky.app/profile/testlib.bsky.social/post/3abc", testNow.Add(-2*time.Hour), []PostPart{
			{Text: "A bad link ", Link: "javascript:alert(1)"}, {Text: "and a bare one "}, {Text: "", Link: long}, {Text: " raw "}, {Text: long, Link: long},
		}, nil),
		NewPost("Storytime "+long, "https://x.com/TestLib/status/9", "news/a", testNow.Add(-3*time.Hour)),
	}
	_, out, err := buildPosts(t, fsys, posts)
	if err != nil {
		t.Fatal(err)
	}
	home := string(out.Files["index.html"])
	for _, want := range []string{
		`<a href="` + long + `">news.test-library.org/news/our…</a>`,
		`Image: A table of books under a banner`,
		`&lt;b&gt;bold?&lt;/b&gt;`,
		`View on Mastodon`, `View on Bluesky`, `View on X`,
		`Follow us on Mastodon<span class="visually-hidden"> (@testlib@mastodon.example)</span>`,
		`href="https://bsky.app/profile/testlib.bsky.social"`,
		`href="/social/"`,
		`Follow in your news reader`, `Add our events to your calendar`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	// Raw URLs are link targets, never the text patrons read.
	if strings.Contains(home, ">"+long) || strings.Contains(home, ">https://") {
		t.Errorf("a raw URL is shown as text")
	}
	if strings.Contains(home, `href="javascript:`) {
		t.Errorf("a javascript: link was made live")
	}
	if n := strings.Count(home, "Follow in your news reader"); n != 1 {
		t.Errorf("the subscribe links are on the home page %d times", n)
	}
	// The news list that repeated the box is gone from the home page.
	if strings.Contains(home, `id="news-heading"`) {
		t.Errorf("the home page still has its news list next to the box")
	}
	// No image, script or frame is loaded from a network.
	for _, bad := range []string{"<script src", "<iframe", "<img src=\"https://mastodon", "cdn.bsky.app"} {
		if strings.Contains(home, bad) {
			t.Errorf("home page has %s", bad)
		}
	}
	social := string(out.Files["social/index.html"])
	if !strings.Contains(social, "<h1>From our social accounts</h1>") || strings.Count(social, `class="post post-`) != 3 ||
		!strings.Contains(social, "on X, Mastodon and Bluesky") {
		t.Errorf("social page:\n%s", social)
	}
	page := string(out.Files["news/a/index.html"])
	if strings.Count(page, "Follow in your news reader") != 1 || !strings.Contains(page, `href="/social/">Our latest posts`) {
		t.Errorf("an item page's footer")
	}
}

func TestNoSocialPageWithoutAccounts(t *testing.T) {
	fsys := siteFS(map[string]string{"content/news/a.md": fm("title: A", "date: 2026-11-20")})
	fsys["config.yaml"].Data = []byte(strings.Replace(testConfig, "social: {x: {handle: TestLib}}\n", "", 1))
	_, out, err := build(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Files["social/index.html"]; ok {
		t.Error("a /social/ page without accounts")
	}
	if !strings.Contains(string(out.Files["index.html"]), `id="news-heading"`) {
		t.Error("without accounts the home page keeps its news list")
	}
}

func TestShortLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.org/":                               "example.org",
		"https://example.org/a?b=c":                              "example.org/a?b=c",
		"https://news.riverside-library.example.org/events/sto/": "news.riverside-library.exampl…",
	} {
		if got := ShortLink(in); got != want {
			t.Errorf("ShortLink(%q) = %q, want %q", in, got, want)
		}
	}
}
