package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"sync"
)

// Output receives the files of a build. WriteFile is called from many
// goroutines at once; name is a slash-separated path relative to the site
// root, like "events/storytime/index.html".
type Output interface {
	WriteFile(name string, data []byte) error
}

// MapOutput keeps a build in memory, for tests and `serve`.
type MapOutput struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// WriteFile stores a copy of data.
func (m *MapOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Files == nil {
		m.Files = map[string][]byte{}
	}
	m.Files[name] = bytes.Clone(data)
	return nil
}

// checkName refuses paths that would land outside the output folder.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("refusing to write %q: outside the output folder", name)
	}
	return nil
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}
