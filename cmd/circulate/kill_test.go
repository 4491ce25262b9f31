package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/bench/sitegen"
)

// TestKilledBuildLeavesOneSite kills `circulate build` (kill -9) at 20
// random moments of a 4,000-item build: each time public/ must be byte for
// byte one complete build, the one before or the new one, never a mix; and
// after the next build nothing is left next to it (issue 11).
//
// The moments are random but the test is not timing-dependent: whatever
// the moment, public/ must be one of the two sites. The kills alternate
// between two versions of the site, so each build changes, adds and
// removes files.
func TestKilledBuildLeavesOneSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 4,000-item site 24 times")
	}
	if runtime.GOOS == "windows" {
		t.Skip("kill -9 is a Unix signal")
	}
	top := t.TempDir()
	bin := buildBinary(t, top)

	// Two versions of a 4,000-item site: B changes a tenth of A's items,
	// drops 160 and adds 150.
	srcA, srcB := filepath.Join(top, "a"), filepath.Join(top, "b")
	items := sitegen.Plan(4000, 11)
	for i, it := range items {
		data := it.Circulate()
		writeSiteFile(t, srcA, it.Name(), data)
		switch {
		case i%25 == 1:
			continue // removed in B
		case i%10 == 0:
			data = append(bytes.Clone(data), "\nEdited for the new build.\n"...)
		}
		writeSiteFile(t, srcB, it.Name(), data)
		if i%26 == 2 {
			writeSiteFile(t, srcB, strings.TrimSuffix(it.Name(), ".md")+"-again.md", data)
		}
	}
	for _, src := range []string{srcA, srcB} {
		writeSiteFile(t, src, "config.yaml", []byte(sitegen.CirculateConfig))
	}
	now := sitegen.Now.Format(time.RFC3339)
	build := func(src, out string) *exec.Cmd {
		return exec.Command(bin, "build", "--quiet", "--source", src, "--out", out, "--now", now)
	}

	// The two complete builds, for comparing.
	refs := map[string]string{}
	var took time.Duration
	for name, src := range map[string]string{"A": srcA, "B": srcB} {
		out := filepath.Join(top, "ref-"+name)
		start := time.Now()
		if msg, err := build(src, out).CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, msg)
		}
		took = max(took, time.Since(start))
		refs[name] = treeSum(t, out)
	}
	if refs["A"] == refs["B"] {
		t.Fatal("the two versions build the same site: the test would see no mix")
	}

	pub := filepath.Join(top, "site", "public")
	if msg, err := build(srcA, pub).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, msg)
	}
	state := "A"
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d; a full build takes about %s", seed, took.Round(time.Millisecond))
	killed := 0
	for i := range 20 {
		next, src := "B", srcB
		if state == "B" {
			next, src = "A", srcA
		}
		cmd := build(src, pub)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(rng.Int64N(int64(took)))
		time.Sleep(wait)
		_ = cmd.Process.Kill() // SIGKILL
		err := cmd.Wait()
		if err != nil {
			killed++
		}
		got := treeSum(t, pub)
		switch got {
		case refs[state]:
		case refs[next]:
			state = next
		default:
			t.Fatalf("kill %d, %s into a build from %s to %s (exit: %v): public/ is neither site\n%s",
				i+1, wait.Round(time.Millisecond), state, next, err, stderr.String())
		}
	}
	t.Logf("%d of 20 builds were killed before they finished", killed)

	if msg, err := build(srcB, pub).CombinedOutput(); err != nil {
		t.Fatalf("the build after the kills: %v\n%s", err, msg)
	}
	if treeSum(t, pub) != refs["B"] {
		t.Error("the build after the kills is not the complete site")
	}
	entries, err := os.ReadDir(filepath.Dir(pub))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("left next to public/ after the next build: %s", e.Name())
		}
	}
}

// buildBinary builds the circulate command into dir, for the tests that
// run it as a process of its own (to kill it, or send it Ctrl-C).
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "circulate")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func writeSiteFile(t *testing.T, root, name string, data []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// treeSum is a digest of a folder: every file's path and bytes, and every
// folder's path, so two folders have the same sum when they are the same.
func treeSum(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			lines = append(lines, "dir "+filepath.ToSlash(rel))
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("file %s %x", filepath.ToSlash(rel), sha256.Sum256(data)))
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%x", sum)
}
