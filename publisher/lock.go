package publisher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Lock stops two runs from posting for one site at once (two CI jobs, a
// librarian's laptop and a scheduled job on one machine). It is a lock the
// operating system holds on .circulate/ledger.lock for the process: flock
// on Linux, macOS and the BSDs, LockFileEx on Windows. The system releases
// it when the process ends, even by kill -9, so a crash never leaves a
// stale lock behind, and the file itself can stay.
type Lock struct{ f *os.File }

// ErrLocked is returned when another run held the lock for longer than a
// run waits.
var ErrLocked = errors.New("another circulate run is posting for this site")

// DefaultLockWait is how long a run waits for another by default: longer
// than a run of ten posts with their retries takes.
const DefaultLockWait = 10 * time.Minute

// lockPoll is how often a waiting run tries the lock again, and
// lockNotify how often it says it is still waiting.
const (
	lockPoll   = 200 * time.Millisecond
	lockNotify = 30 * time.Second
)

// AcquireLock takes the lock next to the ledger at ledgerPath. When another
// run holds it, it waits for it (at most wait; 0 means DefaultLockWait),
// telling waiting (if not nil) at once and then every 30 seconds, so that
// the person or log watching knows why nothing happens.
func AcquireLock(ctx context.Context, ledgerPath string, wait time.Duration, waiting func(msg string)) (*Lock, error) {
	dir := filepath.Dir(ledgerPath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	name := filepath.Join(dir, "ledger.lock")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	wait = cmp.Or(wait, DefaultLockWait)
	// The wall clock on purpose, not the run's Now: this measures how long
	// this process has really waited (a fixed Now would wait for ever),
	// and nothing of it is recorded.
	start := time.Now()
	var told time.Time
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", name, err)
		}
		if ok {
			return &Lock{f: f}, nil
		}
		if time.Since(start) >= wait {
			f.Close()
			return nil, fmt.Errorf("%w: it still held %s after %s; let it finish (or stop it), then run again", ErrLocked, name, wait.Round(time.Second))
		}
		if waiting != nil && (told.IsZero() || time.Since(told) >= lockNotify) {
			waiting(fmt.Sprintf("waiting for another circulate run to finish posting (it holds %s); waiting at most %s", name, wait.Round(time.Second)))
			told = time.Now()
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Release lets other runs post.
func (l *Lock) Release() error {
	defer l.f.Close()
	return unlock(l.f)
}
