package generator

import "os"

// processRunning reports whether the process pid exists: FindProcess opens
// it on Windows, and fails for one that ended.
func processRunning(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
