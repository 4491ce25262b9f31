package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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

// DirOutput builds into a fresh folder next to the target and swaps it in
// on Commit, so a failed build leaves the previous site as it was and files
// of removed items disappear.
type DirOutput struct {
	dir, tmp string
	mu       sync.Mutex
	made     map[string]bool // folders created so far
}

// NewDirOutput prepares a build into dir. It refuses a folder that looks
// like a site's sources rather than a build output, since Commit replaces
// the folder whole.
func NewDirOutput(dir string) (*DirOutput, error) {
	dir = filepath.Clean(dir)
	for _, n := range []string{"config.yaml", "content", ".git", "go.mod"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return nil, fmt.Errorf("%s holds %s: it looks like a source folder, not a build output; build into another folder (the default is public/)", dir, n)
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".building-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return &DirOutput{dir: dir, tmp: tmp, made: map[string]bool{".": true}}, nil
}

// WriteFile writes into the new folder.
func (o *DirOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	dir := path.Dir(name)
	o.mu.Lock()
	made := o.made[dir]
	o.mu.Unlock()
	if !made {
		if err := os.MkdirAll(filepath.Join(o.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
			return err
		}
		o.mu.Lock()
		o.made[dir] = true
		o.mu.Unlock()
	}
	return os.WriteFile(filepath.Join(o.tmp, filepath.FromSlash(name)), data, 0o644)
}

// Commit puts the new build in place of the old one.
func (o *DirOutput) Commit() error {
	old := ""
	if _, err := os.Stat(o.dir); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.dir, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", o.dir, err)
		}
	}
	if err := os.Rename(o.tmp, o.dir); err != nil {
		if old != "" {
			_ = os.Rename(old, o.dir)
		}
		return fmt.Errorf("cannot put the new site in %s: %w", o.dir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort throws the new build away.
func (o *DirOutput) Abort() error { return os.RemoveAll(o.tmp) }

// Dir is the final output folder.
func (o *DirOutput) Dir() string { return o.dir }
