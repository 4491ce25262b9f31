package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
)

// TestRenderFileMatchesRender renders every file of the example site (the
// repository's root) one by one, as serve does, and compares it with what
// a full Render writes: the same names, the same bytes.
func TestRenderFileMatchesRender(t *testing.T) {
	fsys := os.DirFS("..")
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	posts := []Post{
		NewPost("Storytime is back https://news.riverside-library.example.org/events/x/", "https://x.com/RiversideLib/status/1", "events/x", testNow.Add(-time.Hour)),
	}
	for _, c := range []Config{
		{Site: cfg, Now: func() time.Time { return testNow }},
		{Site: cfg, Now: func() time.Time { return testNow }, Drafts: true, Future: true},
	} {
		s, err := Load(context.Background(), c, fsys)
		if err != nil {
			t.Fatal(err)
		}
		out := &MapOutput{}
		if _, err := s.Render(context.Background(), posts, out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out.Files["index.html"], []byte("Storytime is back")) {
			t.Fatal("the home page lacks the post, so the test would not see posts left out")
		}
		names := s.Files()
		if want := slices.Sorted(maps.Keys(out.Files)); !slices.Equal(names, want) {
			t.Fatalf("Files() lists %d files, Render wrote %d:\n%v\n%v", len(names), len(want), names, want)
		}
		for _, name := range names {
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
	}
}

// TestRenderFileIsConcurrent renders the same pages from many goroutines
// (run with -race): serve answers requests in parallel.
func TestRenderFileIsConcurrent(t *testing.T) {
	res, out, err := build(t, siteFS(map[string]string{
		"content/events/storytime.md": validEvent,
		"content/titles/women.md":     validTitle,
		"content/news/hours.md":       validNews,
	}))
	if err != nil {
		t.Fatal(err, res.Diags)
	}
	cfg, _ := config.Load(siteFS(nil))
	s, err := Load(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }}, siteFS(map[string]string{
		"content/events/storytime.md": validEvent,
		"content/titles/women.md":     validTitle,
		"content/news/hours.md":       validNews,
	}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			for _, name := range s.Files() {
				got, err := s.RenderFile(context.Background(), name, nil)
				if err == nil && !bytes.Equal(got, out.Files[name]) {
					err = errors.New(name + " differs")
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
