package serve

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// watchSite starts a watcher on a fresh site folder and returns the folder
// and the changes it reports.
func watchSite(t *testing.T) (string, <-chan change) {
	t.Helper()
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "config.yaml"), "title: Test\n")
	mustWrite(t, filepath.Join(root, "content/events/a.md"), "---\ntitle: A\n---\n")
	w, err := newWatcher(root)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan change, 100)
	done := make(chan error, 1)
	go func() { done <- w.run(t.Context(), out) }()
	t.Cleanup(func() {
		w.Close()
		if err := <-done; err != nil {
			t.Errorf("watcher: %v", err)
		}
	})
	return root, out
}

func mustWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveByRename saves the way many editors do: a new file renamed over
// the old one.
func saveByRename(t *testing.T, name, data string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp123")
	mustWrite(t, tmp, data)
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits for a change to path, failing the test after 5 s, and
// returns the other changes seen meanwhile.
func waitFor(t *testing.T, changes <-chan change, path string) []string {
	t.Helper()
	var others []string
	timeout := time.After(5 * time.Second)
	for {
		select {
		case c := <-changes:
			if c.path == path {
				return others
			}
			others = append(others, c.path)
		case <-timeout:
			t.Fatalf("no change to %s reported (saw %q)", path, others)
		}
	}
}

// settle reads changes until none comes for 100 ms: the events of
// folders made in a burst are handled (and the folders watched) by then.
func settle(changes <-chan change) {
	for {
		select {
		case <-changes:
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

func TestWatcher(t *testing.T) {
	root, changes := watchSite(t)
	at := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }

	mustWrite(t, at("content/events/a.md"), "---\ntitle: A2\n---\n")
	waitFor(t, changes, "content/events/a.md")

	t.Run("editor scratch files are ignored", func(t *testing.T) {
		for _, p := range []string{"content/events/.a.md.swp", "content/events/4913", "content/events/a.md~", "content/events/.#a.md", "content/.DS_Store", "content/#a.md#", "public/index.html", "README.md"} {
			mustWrite(t, at(p), "x")
		}
		mustWrite(t, at("content/events/b.md"), "x") // a marker: everything before it was seen
		for _, o := range waitFor(t, changes, "content/events/b.md") {
			if o != "content/events/a.md" { // the earlier write's second event
				t.Errorf("reported %s, which should be ignored", o)
			}
		}
	})

	t.Run("folders made after start", func(t *testing.T) {
		mustWrite(t, at("content/events/2027/new-year.md"), "x")
		waitFor(t, changes, "content/events/2027")
		// The folder is watched now: a later file in it is seen.
		settle(changes)
		mustWrite(t, at("content/events/2027/later.md"), "x")
		waitFor(t, changes, "content/events/2027/later.md")

		if err := os.MkdirAll(at("static/img/icons"), 0o755); err != nil {
			t.Fatal(err)
		}
		waitFor(t, changes, "static")
		settle(changes)
		mustWrite(t, at("static/img/icons/logo.svg"), "<svg/>")
		waitFor(t, changes, "static/img/icons/logo.svg")

		mustWrite(t, at("themes/mine/layouts/base.html"), "x")
		waitFor(t, changes, "themes")
		settle(changes)
		mustWrite(t, at("themes/mine/layouts/base.html"), "y")
		waitFor(t, changes, "themes/mine/layouts/base.html")
	})

	t.Run("save by rename", func(t *testing.T) {
		for i := range 3 { // the watch survives each replacement
			saveByRename(t, at("content/events/a.md"), "---\ntitle: A"+string(rune('3'+i))+"\n---\n")
			waitFor(t, changes, "content/events/a.md")
			saveByRename(t, at("config.yaml"), "title: Test "+string(rune('3'+i))+"\n")
			waitFor(t, changes, "config.yaml")
		}
	})

	t.Run("removed and recreated folder", func(t *testing.T) {
		if err := os.RemoveAll(at("content/events/2027")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, changes, "content/events/2027")
		mustWrite(t, at("content/events/2027/again.md"), "x")
		waitFor(t, changes, "content/events/2027")
		settle(changes)
		mustWrite(t, at("content/events/2027/again.md"), "y")
		waitFor(t, changes, "content/events/2027/again.md")
	})
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": false, "4913": true, ".DS_Store": true, "a.md~": true, ".a.md.swp": true, ".a.md.swx": true,
		".#a.md": true, "#a.md#": true, "4913.md": false, "notes.swp.md": false,
	} {
		if got := ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}
