package generator

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
)

// TestFavicon: the built-in theme has a favicon and an apple-touch-icon,
// and every page of the example site links them, under a sub-path too;
// /favicon.ico was a 404 on every page (issue 11).
func TestFavicon(t *testing.T) {
	fsys := os.DirFS("..")
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	out := &MapOutput{}
	if _, err := Build(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }, Out: out}, fsys); err != nil {
		t.Fatal(err)
	}
	if ico := out.Files["favicon.ico"]; len(ico) < 6 || string(ico[:4]) != "\x00\x00\x01\x00" {
		t.Error("no favicon.ico (an ICO file) at the site's root")
	}
	if png := out.Files["apple-touch-icon.png"]; len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Error("no apple-touch-icon.png at the site's root")
	}
	pages := 0
	for name, data := range out.Files {
		if !strings.HasSuffix(name, ".html") || strings.Contains(string(data), `http-equiv="refresh"`) {
			continue // redirect pages are not shown
		}
		pages++
		for _, want := range []string{`<link rel="icon" href="/favicon.ico"`, `<link rel="apple-touch-icon" href="/apple-touch-icon.png">`} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s: no %s", name, want)
			}
		}
	}
	if pages < 50 {
		t.Fatalf("only %d pages", pages)
	}
}
