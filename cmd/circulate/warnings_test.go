package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepeatedWarningsSummedUp: a warning that repeats over many files is
// printed by build the first 10 times, then summed up in one line; check
// lists every one (issue 11: at 10,000 items a build printed 356 KB of
// image_alt warnings).
func TestRepeatedWarningsSummedUp(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "config.yaml"), "title: T\nbase_url: https://news.example.org/\ntimezone: America/New_York\n")
	for i := range 25 {
		writeFile(t, filepath.Join(dir, "content", "news", fmt.Sprintf("n%02d.md", i)),
			fmt.Sprintf("---\ntitle: News %d\ndate: 2026-11-01\nimage: https://img.example.org/%d.jpg\n---\nText.\n", i, i))
	}
	for i := range 3 {
		writeFile(t, filepath.Join(dir, "content", "pages", fmt.Sprintf("p%d.md", i)), "---\ntitle: P\n---\nSee [this](/nowhere/).\n")
	}
	run := func(args ...string) (string, string) {
		var stdout, stderr lockedBuffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		if err := runEnv(context.Background(), append(args, "--source", dir), e); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	_, stderr := run("build", "--now", "2026-11-28")
	if n := strings.Count(stderr, "warning: image: add `image_alt:`"); n != 10 {
		t.Errorf("build printed %d image warnings, want the first 10:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "circulate: warning: 25 images have no `image_alt` (the first 10 are above); `circulate check` lists all\n") {
		t.Errorf("no summary line:\n%s", stderr)
	}
	if n := strings.Count(stderr, "points to a page that does not exist"); n != 3 {
		t.Errorf("build printed %d of the 3 link warnings (too few to sum up):\n%s", n, stderr)
	}
	if strings.Contains(stderr, "links point") {
		t.Errorf("3 warnings summed up:\n%s", stderr)
	}
	_, stderr = run("check", "--now", "2026-11-28")
	if n := strings.Count(stderr, "warning: image: add `image_alt:`"); n != 25 {
		t.Errorf("check printed %d image warnings, want all 25", n)
	}
	if strings.Contains(stderr, "lists all") {
		t.Errorf("check summed up:\n%s", stderr)
	}
}
