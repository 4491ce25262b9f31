package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// leftovers lists what builds left next to pub.
func leftovers(t *testing.T, pub string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(pub), ".public.*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDirOutputRecoversAfterKill: what a build killed at any point leaves
// next to public/ is gone after the next build, and a Commit by two renames
// killed between them (public/ missing, the old site aside) gets the old
// site back before anything else.
func TestDirOutputRecoversAfterKill(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{"index.html": "old home", "a/index.html": "a"})

	// A build killed while writing, and a killed Update.
	if err := os.MkdirAll(filepath.Join(filepath.Dir(pub), ".public.building-123", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(pub), ".public.file-456"), []byte("part"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A Commit killed between its two renames.
	if err := os.Rename(pub, filepath.Join(filepath.Dir(pub), ".public.old-789")); err != nil {
		t.Fatal(err)
	}
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readTree(t, pub), map[string]string{"index.html": "old home", "a/index.html": "a"}; !equalMaps(got, want) {
		t.Errorf("the old site was not put back: public/ = %v", got)
	}
	if err := out.WriteFile("index.html", []byte("new home")); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, pub); !equalMaps(got, map[string]string{"index.html": "new home"}) {
		t.Errorf("public/ = %v", got)
	}
	if m := leftovers(t, pub); len(m) > 0 {
		t.Errorf("left behind after the next build: %v", m)
	}
}

// TestDirOutputRenameTwice checks the Commit of systems that cannot
// exchange folders (Windows), here on any system.
func TestDirOutputRenameTwice(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{"index.html": "old"})
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.WriteFile("index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := out.renameTwice(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, pub); !equalMaps(got, map[string]string{"index.html": "new"}) {
		t.Errorf("public/ = %v", got)
	}
	if m := leftovers(t, pub); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}

// TestDirOutputSecondWriteKeepsOldFile: an unchanged file is linked from
// the previous build; writing the name again must not write through the
// link into the live site.
func TestDirOutputSecondWriteKeepsOldFile(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{"feed.xml": "generated"})
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.WriteFile("feed.xml", []byte("generated")); err != nil {
		t.Fatal(err)
	}
	if err := out.WriteFile("feed.xml", []byte("a static file of the same name")); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, pub); got["feed.xml"] != "generated" {
		t.Errorf("the live site changed before Commit: %q", got["feed.xml"])
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, pub); got["feed.xml"] != "a static file of the same name" {
		t.Errorf("the last write did not win: %q", got["feed.xml"])
	}
}

// TestDirOutputUpdate: after Commit, Update replaces one file by a rename
// and leaves a file with the same bytes (and its modification time) alone.
func TestDirOutputUpdate(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"index.html": "home", "social/index.html": "posts"} {
		if err := out.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(pub, "social", "index.html"), old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(pub, "index.html"))
	if err := out.Update("index.html", []byte("home, with the new post")); err != nil {
		t.Fatal(err)
	}
	if err := out.Update("social/index.html", []byte("posts")); err != nil {
		t.Fatal(err)
	}
	if err := out.Update("../outside", []byte("x")); err == nil || !strings.Contains(err.Error(), "outside the output folder") {
		t.Errorf("Update outside the folder: %v", err)
	}
	if got := readTree(t, pub); !equalMaps(got, map[string]string{"index.html": "home, with the new post", "social/index.html": "posts"}) {
		t.Errorf("public/ = %v", got)
	}
	after, _ := os.Stat(filepath.Join(pub, "index.html"))
	if os.SameFile(before, after) {
		t.Error("Update wrote into the file rather than replacing it")
	}
	if st, _ := os.Stat(filepath.Join(pub, "social", "index.html")); !st.ModTime().Equal(old) {
		t.Error("Update rewrote a file whose bytes did not change")
	}
	if m := leftovers(t, pub); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}

// TestDirOutputLinkedTarget: public/ may be a link to a folder elsewhere
// (on the same disk as the link's target): the folder is replaced and the
// link kept.
func TestDirOutputLinkedTarget(t *testing.T) {
	top := t.TempDir()
	real := filepath.Join(top, "www", "site")
	commit(t, real, map[string]string{"index.html": "old"})
	pub := filepath.Join(top, "public")
	if err := os.Symlink(real, pub); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	commit(t, pub, map[string]string{"index.html": "new"})
	if st, err := os.Lstat(pub); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("public is no longer a link: %v", err)
	}
	if got := readTree(t, real); !equalMaps(got, map[string]string{"index.html": "new"}) {
		t.Errorf("the linked folder = %v", got)
	}
}

// TestDirOutputLeavesRunningBuilds: two builds of one site may overlap
// (two CI runs; testdata/issue10_lock.txtar runs two processes): a build
// removes what ended builds left and leaves a running one's folder alone.
func TestDirOutputLeavesRunningBuilds(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	commit(t, pub, map[string]string{"index.html": "v1"})
	parent := filepath.Dir(pub)
	// A build that ended (no such process), and one still running (this
	// test's parent process).
	dead := filepath.Join(parent, ".public.building-999999999-1")
	running := filepath.Join(parent, fmt.Sprintf(".public.building-%d-1", os.Getppid()))
	aside := filepath.Join(parent, fmt.Sprintf(".public.old-%d-2", os.Getppid()))
	for _, d := range []string{dead, running, aside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := NewDirOutput(pub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Error("the folder of a build that ended is still there")
	}
	for _, d := range []string{running, aside} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("the folder of a running build was removed: %v", err)
		}
	}
	if !strings.HasPrefix(filepath.Base(out.tmp), fmt.Sprintf(".public.building-%d-", os.Getpid())) {
		t.Errorf("the new folder %s does not name its build's process", out.tmp)
	}
	if err := out.Abort(); err != nil {
		t.Fatal(err)
	}
}
