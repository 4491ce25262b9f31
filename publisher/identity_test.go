package publisher

import (
	"html/template"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

var testBase, _ = url.Parse("https://news.lib.org/")

// item at a file, with a text; slug and ID from the file unless given.
func fileItem(file, slug, title, body string, date time.Time) *item.Item {
	section := strings.Split(file, "/")[1]
	if slug == "" {
		slug = strings.TrimSuffix(file[strings.LastIndex(file, "/")+1:], ".md")
	}
	kind := map[string]item.Kind{"news": item.News, "events": item.Event, "titles": item.Title}[section]
	it := &item.Item{Kind: kind, File: file, Slug: slug, ID: section + "/" + slug, Title: title,
		Body: template.HTML("<p>" + body + "</p>\n"), Date: date, Path: "/" + section + "/" + slug + "/"}
	it.URL = "https://news.lib.org" + it.Path
	return it
}

// posted is a ledger in which it was posted, with its record.
func posted(its ...*item.Item) *Ledger {
	l := NewLedger("")
	for _, it := range its {
		l.setEntry("x", it, &Entry{State: Posted, ItemURL: it.URL, Text: it.Title + " " + it.URL, Time: now})
	}
	return l
}

// Issue 10 (1): an item renamed or re-slugged is the one the ledger knew;
// a guess holds the item; nothing is taken for an item that is new.
func TestIdentify(t *testing.T) {
	d := now.Add(-time.Hour)
	orig := fileItem("content/news/a-2.md", "", "Book sale", "Saturday, in the hall.", d)
	cases := []struct {
		name  string
		now   *item.Item
		l     func() *Ledger
		moved Certainty // "" for no move
		why   string
		held  bool
	}{
		{"file renamed", fileItem("content/news/a-2-renamed.md", "", "Book sale", "Saturday, in the hall.", d), nil, Likely, "the same date and title and text", false},
		{"slug changed", fileItem("content/news/a-2.md", "a-3", "Big book sale", "Other text.", d.Add(time.Hour)), nil, Certain, "the same file, content/news/a-2.md", false},
		{"renamed and title edited", fileItem("content/news/sale.md", "", "Big book sale", "Saturday, in the hall.", d), nil, Likely, "the same date and text", false},
		{"renamed, title and date edited", fileItem("content/news/sale.md", "", "Big book sale", "Saturday, in the hall.", d.Add(24*time.Hour)), nil, "", "", true},
		{"alias names the old address", withAliases(fileItem("content/news/sale.md", "", "Another", "Other.", d.Add(time.Hour)), "/news/a-2/"), nil, Certain, "its aliases: name /news/a-2/", false},
		{"alias names an address it had before", withAliases(fileItem("content/news/sale.md", "", "Another", "Other.", d.Add(time.Hour)), "/news/first/"), func() *Ledger {
			l := posted(orig)
			l.Items[orig.ID].OldPaths = []string{"/news/first/"}
			return l
		}, Certain, "its aliases: name /news/first/", false},
		{"a new item the same day", fileItem("content/news/hours.md", "", "New hours", "Open late.", d), nil, "", "", false},
		{"another kind with the same title", fileItem("content/events/a-2x.md", "", "Book sale", "Saturday, in the hall.", d), nil, "", "", false},
		{"deleted, said so", fileItem("content/news/sale.md", "", "Big book sale", "Saturday, in the hall.", d.Add(24*time.Hour)), func() *Ledger {
			l := posted(orig)
			l.Items[orig.ID].Deleted = true
			return l
		}, "", "", false},
		{"a version 1 ledger: only aliases", withAliases(fileItem("content/news/b.md", "", "Book sale", "Saturday, in the hall.", d), "/news/a-2/"), func() *Ledger {
			l := posted(orig)
			l.Items = map[string]*ItemRecord{}
			return l
		}, Certain, "its aliases: name /news/a-2/", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := posted(orig)
			if c.l != nil {
				l = c.l()
			}
			id := identify([]*item.Item{c.now}, l, testBase)
			_, held := id.holds[c.now.ID]
			if held != c.held {
				t.Errorf("held = %v (%+v), want %v", held, id.holds, c.held)
			}
			switch {
			case c.moved == "" && len(id.moves) > 0:
				t.Fatalf("moved %+v, want none", id.moves)
			case c.moved != "" && (len(id.moves) != 1 || id.moves[0].Certainty != c.moved || id.moves[0].Why != c.why || id.moves[0].From != orig.ID || id.moves[0].To != c.now.ID):
				t.Fatalf("moves %+v, want %s from %s (%s)", id.moves, c.moved, orig.ID, c.why)
			}
			if c.moved == "" {
				return
			}
			id.apply(l, []*item.Item{c.now}, testBase)
			if l.Get("x", orig.ID) != nil || l.Get("x", c.now.ID) == nil || l.Get("x", c.now.ID).State != Posted {
				t.Errorf("entries after apply: %+v", l.Networks["x"])
			}
			r := l.Items[c.now.ID]
			if r == nil || r.File != c.now.File || r.Path != c.now.Path || !contains(r.OldPaths, "/news/a-2/") || l.Items[orig.ID] != nil {
				t.Errorf("record after apply: %+v", r)
			}
		})
	}
}

func withAliases(it *item.Item, a ...string) *item.Item { it.Aliases = a; return it }

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// Two new items that could each be the one renamed: neither is taken for
// it, both are held, and the message says how to settle it.
func TestIdentifyAmbiguous(t *testing.T) {
	d := now.Add(-time.Hour)
	orig := fileItem("content/news/a.md", "", "Book sale", "Saturday.", d)
	b := fileItem("content/news/b.md", "", "Book sale", "Saturday.", d)
	c := fileItem("content/news/c.md", "", "Book sale", "Saturday.", d)
	id := identify([]*item.Item{b, c}, posted(orig), testBase)
	if len(id.moves) != 0 || len(id.holds) != 2 {
		t.Fatalf("moves %+v holds %+v", id.moves, id.holds)
	}
	msg := id.holds["news/b"].Message
	for _, want := range []string{"news/a", "aliases: [/news/a/]", "circulate publish --resolve news/a deleted"} {
		if !strings.Contains(msg, want) {
			t.Errorf("hold message %q lacks %q", msg, want)
		}
	}
}

// Moved gives the generator the old addresses of the items, including the
// ones this run will find renamed, before the site is rendered.
func TestMovedBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	d := now.Add(-time.Hour)
	orig := fileItem("content/news/a-2.md", "", "Book sale", "Saturday.", d)
	l := posted(orig)
	l.path = LedgerFile(dir)
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	renamed := fileItem("content/news/a-2-renamed.md", "", "Book sale", "Saturday.", d)
	cfg := testConfig()
	got, err := Moved(dir, cfg, []*item.Item{renamed})
	if err != nil || len(got) != 1 || got[0] != (OldPath{Path: "/news/a-2/", Item: "news/a-2-renamed"}) {
		t.Fatalf("Moved = %+v, %v", got, err)
	}
	// Moved changes nothing.
	l2, _ := LoadLedger(LedgerFile(dir))
	if l2.Get("x", orig.ID) == nil {
		t.Error("Moved changed the ledger")
	}
}

func testConfig() *config.Config {
	cfg := config.Default()
	cfg.BaseURL = testBase
	return cfg
}
