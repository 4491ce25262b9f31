package publisher

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 10 (7): a second run waits for the first, saying so, instead of
// failing; it gives up, with ErrLocked, only after the wait it was given.
func TestLockWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".circulate", "ledger.json")
	first, err := AcquireLock(context.Background(), path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	told := make(chan string, 10)
	got := make(chan error, 1)
	go func() {
		l, err := AcquireLock(context.Background(), path, time.Hour, func(msg string) { told <- msg })
		if err == nil {
			err = l.Release()
		}
		got <- err
	}()
	if msg := <-told; !strings.Contains(msg, "waiting for another circulate run") || !strings.Contains(msg, "ledger.lock") {
		t.Errorf("waiting message: %q", msg)
	}
	select {
	case err := <-got:
		t.Fatalf("the second run did not wait: %v", err)
	default:
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("after the first run let go: %v", err)
	}

	// Held for longer than the wait: ErrLocked, naming the file.
	first, err = AcquireLock(context.Background(), path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	_, err = AcquireLock(context.Background(), path, time.Millisecond, nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "ledger.lock") {
		t.Errorf("err = %v, want ErrLocked", err)
	}
	// A cancelled run stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AcquireLock(ctx, path, time.Hour, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
