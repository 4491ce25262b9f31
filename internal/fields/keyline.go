package fields

import (
	"bufio"
	"bytes"
	"strings"
)

// KeyLine returns the line of a top-level key in a content file's front
// matter (the file's own numbering, from 1), or 0 when it is not there.
// Checks made after decoding use it to point at the line to change.
func KeyLine(file []byte, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(file))
	sc.Buffer(nil, len(file)+1)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n > 1 && strings.TrimRight(line, " \t\r") == "---" {
			break
		}
		if k, _, ok := strings.Cut(line, ":"); ok && k == key {
			return n
		}
	}
	return 0
}
