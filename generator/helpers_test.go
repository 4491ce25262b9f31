package generator

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/circulate-dev/circulate/bench/sitegen"
	"github.com/circulate-dev/circulate/internal/config"
)

const testConfig = `title: Test Library
base_url: https://news.test-library.org/
timezone: America/New_York
library: {name: Test Library, address: 1 Main St}
catalog_url: https://catalog.test-library.org/?isbn={isbn}
pagination: {size: 2}
social: {x: {handle: TestLib}}
`

// testNow is the moment tests build as of: Saturday 2026-11-28, 9:00 in New York.
var testNow = time.Date(2026, 11, 28, 9, 0, 0, 0, mustZone("America/New_York"))

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// site makes a MapFS from path -> contents, with testConfig unless given.
func siteFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"config.yaml": {Data: []byte(testConfig)}}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

// build builds fsys into memory as of testNow.
func build(t *testing.T, fsys fstest.MapFS, mod ...func(*Config)) (*Result, *MapOutput, error) {
	t.Helper()
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatalf("config: %v", diags)
	}
	out := &MapOutput{}
	c := Config{Site: cfg, Now: func() time.Time { return testNow }, Out: out}
	for _, m := range mod {
		m(&c)
	}
	res, err := Build(context.Background(), c, fsys)
	return res, out, err
}

// fm writes a content file from front matter lines and a body.
func fm(lines ...string) string {
	body := "Some text about it."
	if n := len(lines); n > 0 && strings.HasPrefix(lines[n-1], "BODY:") {
		body, lines = strings.TrimPrefix(lines[n-1], "BODY:"), lines[:n-1]
	}
	return "---\n" + strings.Join(lines, "\n") + "\n---\n" + body + "\n"
}

var validEvent = fm(`title: "Storytime"`, "date: 2026-11-01", "start: 2026-12-05T10:30", "end: 2026-12-05T11:15", `location: "Children's Room"`)
var validTitle = fm(`title: "The Women"`, "date: 2026-11-20", "author: Kristin Hannah", "isbn: 978-1-250-17863-3")
var validNews = fm(`title: "Holiday hours"`, "date: 2026-11-25")

// buildPosts builds fsys into memory as of testNow, with posts in the
// social box (Load, then Render, as `circulate build` does).
func buildPosts(t *testing.T, fsys fstest.MapFS, posts []Post, mod ...func(*Config)) (*Result, *MapOutput, error) {
	t.Helper()
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatalf("config: %v", diags)
	}
	c := Config{Site: cfg, Now: func() time.Time { return testNow }}
	for _, m := range mod {
		m(&c)
	}
	s, err := Load(context.Background(), c, fsys)
	if err != nil {
		return s.Result, nil, err
	}
	out := &MapOutput{}
	res, err := s.Render(context.Background(), posts, out)
	return res, out, err
}

// loadCorpus loads n items of a corpus shape of bench/sitegen (seed picks
// the items), as of the corpus's own now.
func loadCorpus(t *testing.T, shape string, n int, seed uint64) *Site {
	t.Helper()
	fsys := fstest.MapFS{"config.yaml": {Data: []byte(sitegen.CirculateConfig)}}
	for _, e := range sitegen.PlanShape(sitegen.Shapes[shape], n, seed) {
		fsys[e.Name()] = &fstest.MapFile{Data: e.Circulate()}
	}
	cfg, diags := config.Parse([]byte(sitegen.CirculateConfig))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, err := Load(context.Background(), Config{Site: cfg, Now: func() time.Time { return sitegen.Now }}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
