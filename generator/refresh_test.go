package generator

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
)

// Has says which files the site now in place has: posting asks it whether
// an item's page was written.
func TestDirOutputHas(t *testing.T) {
	files := siteFS(map[string]string{"content/news/holiday-hours.md": validNews, "content/news/later.md": fm(`title: Later`, "date: 2027-01-01")})
	cfg, diags := config.Load(files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	site, err := Load(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }}, files)
	if err != nil {
		t.Fatal(err)
	}
	out, err := NewDirOutput(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Render(context.Background(), nil, out); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, it := range site.Result.Items {
		want := it.Slug == "holiday-hours"
		if got := out.Has(PageFile(it)); got != want {
			t.Errorf("Has(%s) = %v, want %v", PageFile(it), got, want)
		}
	}
}
