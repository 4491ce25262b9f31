//go:build unix

package generator

import (
	"io/fs"
	"syscall"
)

// writeNewFile writes data to a file at name, made or emptied, through
// the file descriptor alone. os.WriteFile costs five more system calls
// per file on Linux (it sets the descriptor non-blocking and tries to add
// it to the network poller, which a regular file refuses, then sets it
// back), and a build writes a file per page, per event calendar and per
// feed: over 20,000 for a big calendar.
func writeNewFile(name string, data []byte) error {
	fd, err := openForWrite(name)
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

func openForWrite(name string) (int, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
