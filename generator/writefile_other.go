//go:build !unix

package generator

import "os"

// writeNewFile writes data to a file at name, made or emptied (see
// writefile_unix.go for why not os.WriteFile there).
func writeNewFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
