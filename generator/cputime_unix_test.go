//go:build unix

package generator

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) the process has used: the
// benchmarks report it per op, as the wall time on a shared machine says
// more about the neighbours than about the build.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
