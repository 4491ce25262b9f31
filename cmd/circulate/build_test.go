package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The moment a run builds as of is read once: the site and the publisher
// see the same now, with or without --now.
func TestNowIsReadOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("title: T\nbase_url: https://x.example.org/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, now := range []string{"", "2026-12-05T10:30"} {
		sf := siteFlags{source: dir, now: now}
		gc, _, diags, err := sf.loadConfig()
		if err != nil || diags.HasErrors() {
			t.Fatal(err, diags)
		}
		first := gc.Now()
		time.Sleep(2 * time.Millisecond)
		if again := gc.Now(); !again.Equal(first) {
			t.Errorf("--now %q: now was %v, then %v", now, first, again)
		}
	}
}
