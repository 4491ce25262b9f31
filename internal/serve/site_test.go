package serve

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
)

const siteConfig = "title: Test Library\nbase_url: http://127.0.0.1:1313/\ntimezone: America/New_York\nlibrary: {name: Test Library}\n"

func event(title string) string {
	return "---\ntitle: " + title + "\ndate: 2026-11-01\nstart: 2026-12-05T10:30\nlocation: Hall\n---\nSome text.\n"
}

// incremental is a Server over fsys built as `circulate serve` builds: a
// generator.Cache told of every change, files rendered on request.
func incremental(t *testing.T, fsys fstest.MapFS) *Server {
	t.Helper()
	cache := generator.NewCache()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	return New(Options{
		Build: func(ctx context.Context) (*Site, error) {
			cfg, diags := config.Load(fsys)
			if diags.HasErrors() {
				return nil, &generator.BuildError{Diags: diags.Errors()}
			}
			return Generate(ctx, generator.Config{Site: cfg, Now: func() time.Time { return now }, Cache: cache}, fsys, nil)
		},
		Changed: func(paths []string) { cache.Changed(paths...) },
	})
}

// TestIncrementalRebuilds serves a site, changes it as a librarian does
// and checks that each page served afterwards is the new one, as a full
// build makes it (with the reload script added).
func TestIncrementalRebuilds(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":                 {Data: []byte(siteConfig)},
		"content/events/storytime.md": {Data: []byte(event("Storytime"))},
		"content/events/lego.md":      {Data: []byte(event("Lego club"))},
	}
	s := incremental(t, fsys)
	if r := s.Rebuild(t.Context()); r.Err != nil {
		t.Fatal(r.Err)
	}
	rebuild := func(paths ...string) Report {
		t.Helper()
		return s.rebuild(t.Context(), batch{paths: paths, last: time.Now()})
	}
	page := func(p string) (int, string) {
		t.Helper()
		res, body := get(t, s, "GET", p)
		return res.StatusCode, body
	}
	if _, body := page("/events/storytime/"); !strings.Contains(body, "Storytime") {
		t.Fatal("the first page")
	}
	fsys["content/events/storytime.md"] = &fstest.MapFile{Data: []byte(event("Winter storytime"))}
	if r := rebuild("content/events/storytime.md"); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, p := range []string{"/events/storytime/", "/events/", "/"} {
		if code, body := page(p); code != 200 || !strings.Contains(body, "Winter storytime") {
			t.Errorf("after the edit, %s (%d) lacks the new title", p, code)
		}
	}
	if _, body := page("/events.ics"); !strings.Contains(body, "Winter storytime") {
		t.Error("events.ics lacks the new title")
	}

	// A rename: the old address is gone, the new one there.
	fsys["content/events/lego-club.md"] = fsys["content/events/lego.md"]
	delete(fsys, "content/events/lego.md")
	rebuild("content/events/lego-club.md", "content/events/lego.md")
	if code, _ := page("/events/lego/"); code != 404 {
		t.Errorf("the renamed file's old page: %d, want 404", code)
	}
	if code, _ := page("/events/lego-club/"); code != 200 {
		t.Errorf("the renamed file's page: %d", code)
	}
	if res, _ := get(t, s, "GET", "/events/lego-club"); res.StatusCode != http.StatusMovedPermanently {
		t.Errorf("a folder without its slash: %d, want 301", res.StatusCode)
	}

	// A broken file: the last good site, under the overlay; then fixed.
	fsys["content/events/storytime.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [oops\n---\n")}
	if r := rebuild("content/events/storytime.md"); r.Err == nil {
		t.Fatal("a broken file built")
	}
	if _, body := page("/events/storytime/"); !strings.Contains(body, "Winter storytime") || !strings.Contains(body, "circulate-overlay") {
		t.Error("a failed rebuild does not show the last good page under the overlay")
	}
	fsys["content/events/storytime.md"] = &fstest.MapFile{Data: []byte(event("Fixed storytime"))}
	rebuild("content/events/storytime.md")
	if _, body := page("/events/storytime/"); !strings.Contains(body, "Fixed storytime") || strings.Contains(body, "circulate-overlay") {
		t.Error("the fixed page")
	}

	// config.yaml: everything is read again with the new settings.
	fsys["config.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(siteConfig, "127.0.0.1:1313", "localhost:1414", 1))}
	rebuild("config.yaml")
	if _, body := page("/events/storytime/"); !strings.Contains(body, "http://localhost:1414/events/storytime/") {
		t.Error("a changed base_url is not on the page")
	}
}

// TestPageThatFailsToRender: serve renders a page when it is asked for, so
// a layout that fails on one page's data fails there, on request. The
// page says so, with the error, instead of the server failing.
func TestPageThatFailsToRender(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":                 {Data: []byte(siteConfig + "theme: broken\n")},
		"content/events/storytime.md": {Data: []byte(event("Storytime"))},
		// It parses, and fails when run: the event has no tags.
		"themes/broken/layouts/event.html": {Data: []byte(`{{define "main"}}{{index .Item.Tags 3}}{{end}}`)},
	}
	s := incremental(t, fsys)
	if r := s.Rebuild(t.Context()); r.Err != nil {
		t.Fatal(r.Err)
	}
	res, body := get(t, s, "GET", "/events/storytime/")
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", res.StatusCode)
	}
	for _, want := range []string{"This page could not be made", "layout event.html", "index out of range", ReloadPath} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	if res, body := get(t, s, "GET", "/"); res.StatusCode != 200 || strings.Contains(body, "circulate-overlay") {
		t.Errorf("another page: %d", res.StatusCode)
	}
}

// TestGenerateServesWhatBuildWrites compares every file of a served site
// with what a full build writes.
func TestGenerateServesWhatBuildWrites(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":                 {Data: []byte(siteConfig)},
		"content/events/storytime.md": {Data: []byte(event("Storytime"))},
		"static/img/logo.svg":         {Data: []byte("<svg/>")},
	}
	cfg, _ := config.Load(fsys)
	gc := generator.Config{Site: cfg, Now: func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) }}
	site, err := Generate(t.Context(), gc, fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := &generator.MapOutput{}
	gc.Out = out
	if _, err := generator.Build(t.Context(), gc, fsys); err != nil {
		t.Fatal(err)
	}
	for name, want := range out.Files {
		got, found, err := site.file(t.Context(), name)
		if !found || err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: found %v, err %v, same %v", name, found, err, bytes.Equal(got, want))
		}
		// Again, from the Site's own cache of rendered files.
		if again, _, _ := site.file(t.Context(), name); !bytes.Equal(again, want) {
			t.Errorf("%s: differs the second time", name)
		}
	}
	if _, found, _ := site.file(t.Context(), "nope.html"); found {
		t.Error("a file the site does not have was found")
	}
}
