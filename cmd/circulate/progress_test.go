package main

import (
	"strings"
	"testing"
	"time"
)

// Issue #4: a bar for long builds only, redrawn at most ten times a
// second, and wiped before the summary line.
func TestProgressBar(t *testing.T) {
	var out strings.Builder
	clock := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	p := newProgressBar(&out, func() time.Time { return clock })

	p.update(1, 100)
	clock = clock.Add(200 * time.Millisecond)
	p.update(2, 100)
	if out.Len() != 0 {
		t.Fatalf("drawn before the delay: %q", out.String())
	}
	clock = clock.Add(150 * time.Millisecond)
	p.update(50, 100)
	want := "\rbuilding [===============               ] 50/100 files"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
	clock = clock.Add(50 * time.Millisecond)
	p.update(60, 100)
	if out.String() != want {
		t.Fatalf("redrawn within 100 ms: %q", out.String())
	}
	clock = clock.Add(100 * time.Millisecond)
	p.update(100, 100)
	if !strings.HasSuffix(out.String(), "\rbuilding [==============================] 100/100 files") {
		t.Fatalf("last draw: %q", out.String())
	}
	p.clear()
	if !strings.HasSuffix(out.String(), "\r\033[K") {
		t.Fatalf("not wiped: %q", out.String())
	}
	n := out.Len()
	p.clear()
	if out.Len() != n {
		t.Fatal("wiped twice")
	}
}

func TestProgressBarQuickBuild(t *testing.T) {
	var out strings.Builder
	clock := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	p := newProgressBar(&out, func() time.Time { return clock })
	for i := 1; i <= 10; i++ {
		clock = clock.Add(10 * time.Millisecond)
		p.update(i, 10)
	}
	p.clear()
	if out.Len() != 0 {
		t.Fatalf("a 100 ms build drew %q", out.String())
	}
}
