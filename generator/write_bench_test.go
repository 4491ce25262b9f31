package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The tests here check what makes writing cheap: DirOutput leaves a file
// whose bytes did not change as it was, so deploys stay small.

func TestDirOutputKeepsUnchangedFiles(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{
		"index.html": "home", "a/index.html": "a", "gone/index.html": "gone",
		"x": "a file that becomes a folder", "y/index.html": "a folder that becomes a file",
	})
	before, err := os.Stat(filepath.Join(pub, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	commit(t, pub, map[string]string{
		"index.html": "home", "a/index.html": "a, edited", "new/index.html": "new",
		"x/index.html": "x", "y": "y",
	})
	after, err := os.Stat(filepath.Join(pub, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Error("an unchanged file was written again")
	}
	want := map[string]string{"index.html": "home", "a/index.html": "a, edited", "new/index.html": "new", "x/index.html": "x", "y": "y"}
	if got := readTree(t, pub); !equalMaps(got, want) {
		t.Errorf("public/ = %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(pub, "gone")); !os.IsNotExist(err) {
		t.Error("the folder of a removed page is still there")
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(pub), ".public.building-*")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}

func TestDirOutputAbortLeavesOldSite(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{"index.html": "home", "a/index.html": "a"})
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"index.html": "changed", "b/index.html": "b"} {
		if err := out.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, want := readTree(t, pub), map[string]string{"index.html": "home", "a/index.html": "a"}; !equalMaps(got, want) {
		t.Errorf("after a failed build public/ = %v, want %v", got, want)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(pub), ".public.building-*")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}

func commit(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	out, err := NewDirOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := out.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// BenchmarkWrite writes an already rendered site to a DirOutput and
// commits it, as `circulate build` does.
func BenchmarkWrite(b *testing.B) {
	dir, cfg := benchSite(b)
	site := &MapOutput{}
	cfg.Out = site
	if _, err := Build(context.Background(), cfg, os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	// A fresh folder each time: a clean build writes every file.
	c := cpuTime()
	defer reportCPU(b, c)
	for b.Loop() {
		pub := filepath.Join(b.TempDir(), "public")
		out, err := NewDirOutput(pub)
		if err != nil {
			b.Fatal(err)
		}
		for name, data := range site.Files {
			if err := out.WriteFile(name, data); err != nil {
				b.Fatal(err)
			}
		}
		if err := out.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(site.Files)), "files/op")
}

// BenchmarkWriteUnchanged writes the same site over itself: every file is
// compared with the previous build and none is written.
func BenchmarkWriteUnchanged(b *testing.B) {
	dir, cfg := benchSite(b)
	site := &MapOutput{}
	cfg.Out = site
	if _, err := Build(context.Background(), cfg, os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	pub := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		out, err := NewDirOutput(pub)
		if err != nil {
			b.Fatal(err)
		}
		for name, data := range site.Files {
			if err := out.WriteFile(name, data); err != nil {
				b.Fatal(err)
			}
		}
		if err := out.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
