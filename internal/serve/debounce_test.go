package serve

import (
	"context"
	"slices"
	"testing"
	"time"
)

func startDebounce(t *testing.T, quiet, maxWait time.Duration) (chan<- change, <-chan batch) {
	in, out := make(chan change), make(chan batch)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { debounce(ctx, in, quiet, maxWait, out); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return in, out
}

func ev(path string) change { return change{path: path, at: time.Now()} }

func expectBatch(t *testing.T, out <-chan batch, within time.Duration, want ...string) batch {
	t.Helper()
	select {
	case b := <-out:
		if !slices.Equal(b.paths, want) {
			t.Errorf("batch %q, want %q", b.paths, want)
		}
		return b
	case <-time.After(within):
		t.Fatalf("no batch within %s, want %q", within, want)
		return batch{}
	}
}

func expectNone(t *testing.T, out <-chan batch, within time.Duration) {
	t.Helper()
	select {
	case b := <-out:
		t.Errorf("unexpected batch %q", b.paths)
	case <-time.After(within):
	}
}

func TestDebounceMakesOneBatchOfABurst(t *testing.T) {
	const quiet = 50 * time.Millisecond
	in, out := startDebounce(t, quiet, time.Hour)
	start := time.Now()
	for i, p := range []string{"content/b.md", "content/a.md", "content/b.md", "static/x.png"} {
		if i > 0 {
			time.Sleep(10 * time.Millisecond) // less than quiet: still one burst
		}
		in <- ev(p)
	}
	lastAt := time.Now()
	b := expectBatch(t, out, 5*time.Second, "content/a.md", "content/b.md", "static/x.png")
	if since := time.Since(lastAt); since < quiet {
		t.Errorf("the batch came %s after the last change, before the %s quiet", since, quiet)
	}
	if b.last.Before(start) || b.last.After(lastAt) {
		t.Errorf("batch.last %s is not the last change's time", b.last)
	}
	expectNone(t, out, 3*quiet)

	in <- ev("content/c.md")
	expectBatch(t, out, 5*time.Second, "content/c.md")
}

func TestDebounceMaxWait(t *testing.T) {
	// A file written every 10 ms never goes quiet for 50 ms; maxWait
	// rebuilds anyway.
	in, out := startDebounce(t, 50*time.Millisecond, 200*time.Millisecond)
	stop := time.After(2 * time.Second)
	got := make(chan batch, 1)
	go func() { got <- <-out }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			in <- ev("content/log.md")
			continue
		case b := <-got:
			if !slices.Equal(b.paths, []string{"content/log.md"}) {
				t.Errorf("batch %q", b.paths)
			}
		case <-stop:
			t.Fatal("no batch within 2s of constant writes: maxWait does not work")
		}
		break
	}
}

func TestDebounceCollectsWhileBusy(t *testing.T) {
	in, out := startDebounce(t, 20*time.Millisecond, time.Hour)
	in <- ev("content/a.md")
	time.Sleep(100 * time.Millisecond) // the batch is ready; nobody takes it
	in <- ev("content/b.md")
	time.Sleep(100 * time.Millisecond)
	expectBatch(t, out, 5*time.Second, "content/a.md", "content/b.md")
}

func TestDebounceDropsTemporaryFiles(t *testing.T) {
	in, out := startDebounce(t, 20*time.Millisecond, time.Hour)
	// An editor's save: write a temporary file, rename it over the page.
	in <- change{path: "content/events/.x.md.tmp1", at: time.Now(), created: true}
	in <- change{path: "content/events/.x.md.tmp1", at: time.Now()}
	in <- change{path: "content/events/.x.md.tmp1", at: time.Now(), gone: true}
	in <- change{path: "content/events/x.md", at: time.Now(), created: true}
	expectBatch(t, out, 5*time.Second, "content/events/x.md")

	// Only a file that came and went: nothing to rebuild.
	in <- change{path: "content/scratch", at: time.Now(), created: true}
	in <- change{path: "content/scratch", at: time.Now(), gone: true}
	expectNone(t, out, 150*time.Millisecond)

	// A page that existed, was deleted, came back and was deleted again
	// is gone: that is a change.
	in <- change{path: "content/old.md", at: time.Now(), gone: true}
	in <- change{path: "content/old.md", at: time.Now(), created: true}
	in <- change{path: "content/old.md", at: time.Now(), gone: true}
	expectBatch(t, out, 5*time.Second, "content/old.md")
}
