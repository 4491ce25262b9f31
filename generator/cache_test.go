package generator

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

// TestCacheMatchesFullLoad edits a site step by step, as a librarian does
// while serve runs, and checks after each step that a load with the Cache
// (told of the change, as serve tells it) builds exactly what a load from
// scratch builds: the same files, the same diagnostics, the same error.
func TestCacheMatchesFullLoad(t *testing.T) {
	fsys := siteFS(map[string]string{
		"content/events/storytime.md":  validEvent,
		"content/events/lego.md":       fm("title: Lego club", "date: 2026-11-01", "start: 2026-12-12T14:00", "location: Hall", "tags: [Kids, lego]", "BODY:See [the news](/news/hours/)."),
		"content/titles/women.md":      validTitle,
		"content/titles/second.md":     fm("title: Second", "date: 2026-11-21", "author: [A One, B Two]", "tags: [kids]"),
		"content/news/hours.md":        validNews,
		"content/news/older.md":        fm("title: Older news", "date: 2026-10-02", "BODY:Read about [Lego](/events/lego/)."),
		"content/pages/visit.md":       fm("title: Visit us"),
		"themes/mine/layouts/404.html": `{{define "main"}}<h1>Lost</h1>{{end}}`,
	})
	cache := NewCache()
	set := func(name, data string) { fsys[name] = &fstest.MapFile{Data: []byte(data)} }
	steps := []struct {
		name    string
		change  func()
		changed []string // what serve's watcher reports
	}{
		{"first load", func() {}, nil},
		{"nothing changed", func() {}, nil},
		{"edit a title, same size", func() {
			set("content/news/hours.md", strings.Replace(validNews, "Holiday hours", "Holiday HOURS", 1))
		}, []string{"content/news/hours.md"}},
		{"edit dates and tags", func() {
			set("content/titles/second.md", fm("title: Second", "date: 2026-10-21", "author: B", "tags: [books]"))
		}, []string{"content/titles/second.md"}},
		{"add a file", func() {
			set("content/news/new.md", fm("title: Brand new", "date: 2026-11-27", "tags: [kids]"))
		}, []string{"content/news/new.md"}},
		{"add a file the watcher missed", func() {
			set("content/news/unseen.md", fm("title: Unseen", "date: 2026-11-26"))
		}, nil},
		{"delete a file another links to", func() { delete(fsys, "content/news/hours.md") }, []string{"content/news/hours.md"}},
		{"rename a file", func() {
			fsys["content/events/lego-club.md"] = fsys["content/events/lego.md"]
			delete(fsys, "content/events/lego.md")
		}, []string{"content/events/lego.md", "content/events/lego-club.md"}},
		{"break a file", func() { set("content/news/new.md", "---\ntitle: [oops\n---\nText\n") }, []string{"content/news/new.md"}},
		{"make a slug clash", func() {
			set("content/news/new.md", fm("title: Clash", "date: 2026-11-27", "slug: older"))
		}, []string{"content/news/new.md"}},
		{"fix it", func() { set("content/news/new.md", fm("title: Fixed", "date: 2026-11-27")) }, []string{"content/news/new.md"}},
		{"edit config.yaml", func() {
			set("config.yaml", strings.Replace(testConfig, "https://news.test-library.org/", "https://example.org/lib/", 1))
		}, []string{"config.yaml"}},
		{"change config.yaml unannounced", func() {
			set("config.yaml", strings.Replace(testConfig, "catalog.test-library.org", "cat.example.org", 1))
		}, nil},
		{"use a theme", func() { set("config.yaml", testConfig+"theme: mine\n") }, []string{"config.yaml"}},
		{"edit the theme", func() {
			set("themes/mine/layouts/404.html", `{{define "main"}}<h1>Nothing here</h1>{{end}}`)
		}, []string{"themes/mine/layouts/404.html"}},
		{"remove a folder", func() {
			for name := range fsys {
				if strings.HasPrefix(name, "content/news/") {
					delete(fsys, name)
				}
			}
		}, []string{"content/news"}},
	}
	for _, st := range steps {
		st.change()
		cache.Changed(st.changed...)
		want, wantErr := loadRender(t, fsys, nil)
		got, gotErr := loadRender(t, fsys, cache)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("%s: error %v, want %v", st.name, gotErr, wantErr)
		}
		if g, w := got.Result.Diags.Error(), want.Result.Diags.Error(); g != w {
			t.Errorf("%s: diagnostics\n%s\nwant\n%s", st.name, g, w)
		}
		if wantErr != nil {
			continue
		}
		if g, w := slices.Sorted(maps.Keys(got.files)), slices.Sorted(maps.Keys(want.files)); !slices.Equal(g, w) {
			t.Fatalf("%s: files\n%v\nwant\n%v", st.name, g, w)
		}
		for name, data := range want.files {
			if string(got.files[name]) != string(data) {
				t.Errorf("%s: %s differs", st.name, name)
			}
		}
	}
	if cache.Len() == 0 {
		t.Error("the cache holds nothing")
	}
}

// TestCacheRereadsOnlyWhatChanged checks that a load with the Cache reuses
// the items of files it was not told of, and only those.
func TestCacheRereadsOnlyWhatChanged(t *testing.T) {
	fsys := siteFS(map[string]string{
		"content/events/storytime.md": validEvent,
		"content/titles/women.md":     validTitle,
		"content/news/hours.md":       validNews,
	})
	cache := NewCache()
	first, _ := loadRender(t, fsys, cache)
	fsys["content/news/hours.md"] = &fstest.MapFile{Data: []byte(strings.Replace(validNews, "Holiday", "Winter", 1))}
	cache.Changed("content/news/hours.md")
	second, _ := loadRender(t, fsys, cache)
	byFile := func(l *Site) map[string]any {
		m := map[string]any{}
		for _, it := range l.Result.Items {
			m[it.File] = it
		}
		return m
	}
	a, b := byFile(first.Site), byFile(second.Site)
	for name := range a {
		if same := a[name] == b[name]; same != (name != "content/news/hours.md") {
			t.Errorf("%s: item reused %v", name, same)
		}
	}
	// A file changed but not named is not seen: the cache trusts it.
	fsys["content/titles/women.md"] = &fstest.MapFile{Data: []byte(strings.Replace(validTitle, "The Women", "Men", 1))}
	third, _ := loadRender(t, fsys, cache)
	if !strings.Contains(string(third.files["titles/women/index.html"]), "The Women") {
		t.Error("an edit the cache was not told of was read")
	}
}

type loaded struct {
	*Site
	files map[string][]byte
}

// loadRender loads fsys as of testNow (with cache, if not nil) and renders
// it into memory.
func loadRender(t *testing.T, fsys fstest.MapFS, cache *Cache) (loaded, error) {
	t.Helper()
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatalf("config: %v", diags)
	}
	s, err := Load(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }, Cache: cache}, fsys)
	if err != nil {
		return loaded{Site: s}, err
	}
	out := &MapOutput{}
	if _, err := s.Render(context.Background(), nil, out); err != nil {
		t.Fatal(err)
	}
	return loaded{s, out.Files}, nil
}

// TestSortNewest checks the key sort against the plain one, with equal
// dates (then the ID decides) and the same instant in two zones.
func TestSortNewest(t *testing.T) {
	ny := mustZone("America/New_York")
	base := time.Date(2026, 11, 28, 9, 0, 0, 0, ny)
	var items []*item.Item
	for i := range 200 {
		d := base.Add(time.Duration(i%7) * time.Hour).Add(time.Duration(i%3) * time.Nanosecond)
		if i%5 == 0 {
			d = d.UTC()
		}
		items = append(items, &item.Item{ID: "news/" + strconv.Itoa((i*37)%200), Date: d})
	}
	want := slices.Clone(items)
	slices.SortFunc(want, func(a, b *item.Item) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.ID, b.ID))
	})
	sortNewest(items)
	if !slices.Equal(items, want) {
		t.Error("sortNewest orders differently")
	}
}
