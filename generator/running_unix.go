//go:build unix

package generator

import (
	"errors"
	"syscall"
)

// processRunning reports whether the process pid exists (signal 0 checks
// without sending anything).
func processRunning(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
