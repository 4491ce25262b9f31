package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

// The site of the feed and calendar tests lives under a sub-path, so that
// links made absolute must keep it.
const (
	outHome   = "https://news.riverside-library.example.org/lib/"
	outConfig = `title: Riverside Public Library — News
description: Events, new titles and news from Riverside.
base_url: ` + outHome + `
language: en
timezone: America/New_York
library: {name: Riverside Public Library, email: ask@riverside-library.example.org}
feeds: {items: 3}
`
)

// outNow: Saturday 2026-11-28, 9:00 in New York.
var outNow = time.Date(2026, 11, 28, 9, 0, 0, 0, mustLoad("America/New_York"))

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// outFiles are the content files of the test site: 5 visible events (one
// all-day over two days, one cancelled without an end, one postponed, one
// across the March 2027 change to daylight time), 2 titles and 3 news
// posts, plus a future and a draft item that must not appear.
var outFiles = map[string]string{
	"content/events/night-owls.md": "---\ntitle: Night Owls Lock-In\ndate: 2026-11-20\n" +
		"start: 2027-03-13T20:00\nend: 2027-03-14T09:00\nlocation: Teen Space, Main Library\n" +
		"tags: [teens, \"games, puzzles\"]\nsummary: An all-night lock-in with board games; we lose an hour to daylight time.\n---\n" +
		"Bring a sleeping bag. See [the rules](/news/lock-in-rules/).\n",
	"content/events/book-sale.md": "---\ntitle: Friends Book Sale\ndate: 2026-11-18\n" +
		"start: 2027-04-10\nend: 2027-04-11\nlocation: Community Room\ntags: [friends]\n---\nTwo days of bargains.\n",
	"content/events/storytime.md": "---\ntitle: Storytime\ndate: 2026-11-01\n" +
		"start: 2026-12-05T10:30\nlocation: Children's Room\nstatus: cancelled\n---\nSorry, no storytime this week.\n",
	"content/events/brass.md": "---\ntitle: \"Holiday Brass Concert — Riverside Community Brass Ensemble in the Reading Room, with Cocoa\"\n" +
		"date: 2026-11-22\nstart: 2026-12-12T15:00\nend: 2026-12-12T16:30\nlocation: Reading Room; Main Library, 2nd floor\n" +
		"registration: https://riverside-library.example.org/register/brass\nstatus: postponed\n" +
		"summary: \"Carols, marches and a sing-along — café au lait & cocoa served; seating is first come, first served, so please arrive early.\"\n---\nMusic!\n",
	"content/events/knitting.md": "---\ntitle: Knit and Natter\ndate: 2026-11-05\n" +
		"start: 2026-11-12T14:00\nend: 2026-11-12T16:00\nlocation: Lounge\n---\nPast event, still listed.\n",
	"content/events/later.md":  "---\ntitle: Later\ndate: 2027-01-05\nstart: 2027-02-01T10:00\nlocation: Hall\n---\nNot yet.\n",
	"content/events/secret.md": "---\ntitle: Secret\ndate: 2026-11-05\ndraft: true\nstart: 2027-02-01T10:00\nlocation: Hall\n---\nDraft.\n",
	"content/titles/james.md": "---\ntitle: James\ndate: 2026-11-26\nauthor: Percival Everett\n" +
		"isbn: 978-0-385-55036-9\ntags: [fiction]\n---\nA retelling of Huckleberry Finn.\n",
	"content/titles/tom-lake.md": "---\ntitle: Tom Lake\ndate: 2026-11-02\nauthor: Ann Patchett\n---\nA summer in Michigan.\n",
	"content/news/holiday-hours.md": "---\ntitle: Holiday Hours\ndate: 2026-11-25T08:00\ntags: [hours]\n---\n" +
		"We close early. ![Closed sign](/images/closed.png) See [visit](/visit/) or [catalog](https://catalog.example.org/).\n",
	"content/news/lock-in-rules.md": "---\ntitle: Lock-In Rules\ndate: 2026-11-21\n---\nBe kind. <b>Really.</b>\n",
	"content/news/museum-passes.md": "---\ntitle: Museum Passes\ndate: 2026-10-01\n---\nBorrow a pass.\n",
}

// outSite loads the test site the way Build does, without the theme or
// HTML rendering, and models it as of outNow.
func outSite(t *testing.T, conf string) (*builder, *site) {
	t.Helper()
	cfg, diags := config.Parse([]byte(conf))
	if diags.HasErrors() {
		t.Fatalf("config: %v", diags)
	}
	fsys := fstest.MapFS{"config.yaml": {Data: []byte(conf)}}
	for p, s := range outFiles {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	b := newBuilder(Config{Site: cfg}, fsys, outNow)
	srcs, diags := b.load(context.Background())
	if diags.HasErrors() {
		t.Fatalf("content: %v", diags)
	}
	var items []*item.Item
	for _, s := range srcs {
		items = append(items, s.it)
	}
	return b, b.model(items)
}

func writeFeeds(t *testing.T, b *builder, s *site) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range b.feedFiles(s) {
		data, err := f.data()
		if err != nil {
			t.Fatal(err)
		}
		files[f.name] = data
	}
	if len(files) != 6 {
		t.Fatalf("made %d feeds, want 6", len(files))
	}
	return files
}

func TestFeedsParse(t *testing.T) {
	b, s := outSite(t, outConfig)
	files := writeFeeds(t, b, s)
	cases := []struct {
		name, typ, version, self string   // self: the feed's own address
		want                     []string // item IDs, newest first
	}{
		{"feed.xml", "rss", "2.0", "feed.xml", []string{"titles/james", "news/holiday-hours", "events/brass"}},
		{"atom.xml", "atom", "1.0", "atom.xml", []string{"titles/james", "news/holiday-hours", "events/brass"}},
		{"feed.json", "json", "https://jsonfeed.org/version/1.1", "feed.json", []string{"titles/james", "news/holiday-hours", "events/brass"}},
		{"events/feed.xml", "rss", "2.0", "events/feed.xml", []string{"events/brass", "events/night-owls", "events/book-sale"}},
		{"titles/feed.xml", "rss", "2.0", "titles/feed.xml", []string{"titles/james", "titles/tom-lake"}},
		{"news/feed.xml", "rss", "2.0", "news/feed.xml", []string{"news/holiday-hours", "news/lock-in-rules", "news/museum-passes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := gofeed.NewParser().ParseString(string(files[c.name]))
			if err != nil {
				t.Fatalf("does not parse: %v\n%s", err, files[c.name])
			}
			if f.FeedType != c.typ || f.FeedVersion != c.version {
				t.Errorf("type %s %s, want %s %s", f.FeedType, f.FeedVersion, c.typ, c.version)
			}
			if f.FeedLink != outHome+c.self {
				t.Errorf("self link %q", f.FeedLink)
			}
			if f.Language != "en" {
				t.Errorf("language %q", f.Language)
			}
			if len(f.Items) != len(c.want) {
				t.Fatalf("%d items, want %d (feeds.items is 3)", len(f.Items), len(c.want))
			}
			guids := map[string]bool{}
			for i, fi := range f.Items {
				want := outHome + c.want[i] + "/"
				if fi.Link != want {
					t.Errorf("item %d: link %q, want %q", i, fi.Link, want)
				}
				if fi.GUID != want || guids[fi.GUID] {
					t.Errorf("item %d: guid %q, want the permalink, once", i, fi.GUID)
				}
				guids[fi.GUID] = true
				if fi.PublishedParsed == nil || fi.UpdatedParsed == nil && c.typ != "rss" {
					t.Fatalf("item %d: no dates", i)
				}
				if i > 0 && fi.PublishedParsed.After(*f.Items[i-1].PublishedParsed) {
					t.Errorf("item %d is newer than the one before", i)
				}
				if strings.Contains(fi.Content, `href="/`) || strings.Contains(fi.Content, `src="/`) {
					t.Errorf("item %d: site-relative link left in content: %s", i, fi.Content)
				}
				if len(fi.Authors) == 0 || fi.Authors[0].Name != "Riverside Public Library" {
					t.Errorf("item %d: authors %v", i, fi.Authors)
				}
			}
			newest := f.Items[0].PublishedParsed
			if f.UpdatedParsed != nil && !f.UpdatedParsed.Equal(*newest) {
				t.Errorf("feed updated %v, want the newest item's date %v", f.UpdatedParsed, newest)
			}
		})
	}
}

func TestFeedsContent(t *testing.T) {
	b, s := outSite(t, outConfig)
	files := writeFeeds(t, b, s)
	all, err := gofeed.NewParser().ParseString(string(files["feed.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	if !all.UpdatedParsed.Equal(time.Date(2026, 11, 26, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("updated %v, want 2026-11-26 midnight in New York", all.UpdatedParsed)
	}
	if all.Link != outHome {
		t.Errorf("link %q", all.Link)
	}
	james, news := all.Items[0], all.Items[1]
	if len(james.Enclosures) != 1 || james.Enclosures[0].URL != "https://covers.openlibrary.org/b/isbn/9780385550369-M.jpg" ||
		james.Enclosures[0].Type != "image/jpeg" {
		t.Errorf("cover enclosure %+v", james.Enclosures)
	}
	if strings.Join(james.Categories, "|") != "fiction" || strings.Join(news.Categories, "|") != "hours" {
		t.Errorf("categories %v %v", james.Categories, news.Categories)
	}
	for _, want := range []string{
		`src="https://news.riverside-library.example.org/lib/images/closed.png"`,
		`href="https://news.riverside-library.example.org/lib/visit/"`,
		`href="https://catalog.example.org/"`,
	} {
		if !strings.Contains(news.Content, want) {
			t.Errorf("content lacks %s:\n%s", want, news.Content)
		}
	}

	events, err := gofeed.NewParser().ParseString(string(files["events/feed.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	if events.Link != outHome+"events/" {
		t.Errorf("events feed link %q", events.Link)
	}
	brass, owls := events.Items[0], events.Items[1]
	if want := "Postponed: Saturday, December 12, 3–4:30 PM at Reading Room; Main Library, 2nd floor. Carols"; !strings.HasPrefix(brass.Description, want) {
		t.Errorf("event description %q\nwant it to start %q", brass.Description, want)
	}
	// The lock-in is next year: the year is said.
	if want := "Saturday, March 13, 2027, 8 PM – Sunday, March 14, 9 AM at Teen Space, Main Library. An all-night"; !strings.HasPrefix(owls.Description, want) {
		t.Errorf("event description %q\nwant it to start %q", owls.Description, want)
	}
	if strings.Join(owls.Categories, "|") != "teens|games, puzzles" {
		t.Errorf("categories %q", owls.Categories)
	}
	if !strings.Contains(owls.Content, `href="https://news.riverside-library.example.org/lib/news/lock-in-rules/"`) {
		t.Errorf("the base path is lost: %s", owls.Content)
	}

	// isPermaLink, which gofeed's universal type drops.
	raw, err := (&rss.Parser{}).Parse(bytes.NewReader(files["feed.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range raw.Items {
		if it.GUID == nil || it.GUID.IsPermalink != "true" {
			t.Errorf("%s: guid %+v, want isPermaLink=true", it.Link, it.GUID)
		}
		if it.Author != "ask@riverside-library.example.org (Riverside Public Library)" {
			t.Errorf("author %q", it.Author)
		}
	}
	if raw.ManagingEditor != "ask@riverside-library.example.org (Riverside Public Library)" {
		t.Errorf("managingEditor %q", raw.ManagingEditor)
	}
}

func TestJSONFeedVersion(t *testing.T) {
	b, s := outSite(t, outConfig)
	files := writeFeeds(t, b, s)
	var jf struct {
		Version  string `json:"version"`
		FeedURL  string `json:"feed_url"`
		Home     string `json:"home_page_url"`
		Language string
		Authors  []struct{ Name string }
		Items    []struct {
			ID, URL, Summary, Image string
			Tags                    []string
			Date                    time.Time `json:"date_published"`
			Content                 string    `json:"content_html"`
		}
	}
	if err := json.Unmarshal(files["feed.json"], &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version %q", jf.Version)
	}
	if jf.FeedURL != outHome+"feed.json" || jf.Home != outHome {
		t.Errorf("feed_url %q, home_page_url %q", jf.FeedURL, jf.Home)
	}
	if jf.Language != "en" {
		t.Errorf("language %q", jf.Language)
	}
	if len(jf.Authors) != 1 || jf.Authors[0].Name != "Riverside Public Library" {
		t.Errorf("authors %v", jf.Authors)
	}
	if len(jf.Items) != 3 || jf.Items[0].ID != outHome+"titles/james/" || jf.Items[0].Tags[0] != "fiction" ||
		!strings.HasSuffix(jf.Items[0].Image, ".jpg") {
		t.Errorf("items %+v", jf.Items)
	}
}

func TestFeedsReproducible(t *testing.T) {
	b, s := outSite(t, outConfig)
	first := writeFeeds(t, b, s)
	b2, s2 := outSite(t, outConfig)
	b2.now = b2.now.Add(48 * time.Hour) // a later build of the same content
	s2.now = b2.now
	for name, data := range writeFeeds(t, b2, s2) {
		if !bytes.Equal(data, first[name]) {
			t.Errorf("%s differs between builds", name)
		}
	}
}

func TestFeedsEmptySite(t *testing.T) {
	b, _ := outSite(t, outConfig)
	s := b.model(nil)
	for name, data := range writeFeeds(t, b, s) {
		f, err := gofeed.NewParser().ParseString(string(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if len(f.Items) != 0 {
			t.Errorf("%s: %d items", name, len(f.Items))
		}
	}
}
