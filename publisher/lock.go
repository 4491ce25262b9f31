package publisher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Lock stops two runs from posting at once (two CI jobs, a librarian's
// laptop and CI). It is an flock on .circulate/ledger.lock: the kernel
// releases it when the process dies, even by kill -9, so a crash never
// leaves a stale lock behind.
type Lock struct{ f *os.File }

// ErrLocked is returned when another run holds the lock.
var ErrLocked = errors.New("another circulate run is posting for this site right now")

// AcquireLock takes the lock next to the ledger at ledgerPath.
func AcquireLock(ledgerPath string) (*Lock, error) {
	dir := filepath.Dir(ledgerPath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "ledger.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (it holds %s); wait for it to finish", ErrLocked, f.Name())
		}
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Release lets other runs post.
func (l *Lock) Release() error {
	defer l.f.Close()
	return syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
}
