package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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

// DirOutput writes a build so that a failed build leaves the previous site
// as it was, and a file whose bytes did not change is not written again, so
// that it keeps its modification time and deploys (rsync) stay small.
//
// While the site renders, only new and changed files are written, into a
// fresh folder next to the target; the files of the previous build are
// compared with, never touched. Commit then removes the files no longer
// built and moves the new and changed ones in, each by one rename. A first
// build (no target yet) is renamed in whole.
type DirOutput struct {
	dir, tmp string
	old      bool // dir held a previous build to compare with
	mu       sync.Mutex
	made     map[string]bool // folders created in tmp so far
	files    map[string]bool // every file of this build -> written to tmp
}

// NewDirOutput prepares a build into dir. It refuses a folder that looks
// like a site's sources rather than a build output, since Commit removes
// the files it did not build.
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
	st, err := os.Stat(dir)
	return &DirOutput{dir: dir, tmp: tmp, old: err == nil && st.IsDir(),
		made: map[string]bool{".": true}, files: map[string]bool{}}, nil
}

// WriteFile writes name into the new folder unless the previous build has
// the same bytes. The last write of a name wins.
func (o *DirOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	if o.old && sameContent(filepath.Join(o.dir, filepath.FromSlash(name)), data) {
		o.mu.Lock()
		o.files[name] = false
		o.mu.Unlock()
		return nil
	}
	if err := o.mkdir(path.Dir(name)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.tmp, filepath.FromSlash(name)), data, 0o644); err != nil {
		return err
	}
	o.mu.Lock()
	o.files[name] = true
	o.mu.Unlock()
	return nil
}

// mkdir makes a folder of tmp and its parents, one mkdir call each: a
// build makes a folder per page, and file system calls are most of the
// cost of writing.
func (o *DirOutput) mkdir(dir string) error {
	o.mu.Lock()
	made := o.made[dir]
	o.mu.Unlock()
	if made {
		return nil
	}
	if err := o.mkdir(path.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(o.tmp, filepath.FromSlash(dir)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	o.mu.Lock()
	o.made[dir] = true
	o.mu.Unlock()
	return nil
}

// readBufs are the buffers sameContent reads old files into.
var readBufs = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// sameContent reports whether the regular file p holds exactly data.
func sameContent(p string, data []byte) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		return false
	}
	buf := readBufs.Get().(*[32 << 10]byte)
	defer readBufs.Put(buf)
	for len(data) > 0 {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data))])
		if err != nil || !bytes.Equal(buf[:n], data[:n]) {
			return false
		}
		data = data[n:]
	}
	return true
}

// Commit puts the new build in place of the old one.
func (o *DirOutput) Commit() error {
	if !o.old {
		return o.swap()
	}
	if err := o.removeStale(); err != nil {
		return fmt.Errorf("cannot remove old files from %s: %w", o.dir, err)
	}
	made := map[string]bool{".": true}
	for _, name := range sortedKeys(o.files) {
		if !o.files[name] {
			continue
		}
		if dir := path.Dir(name); !made[dir] {
			if err := os.MkdirAll(filepath.Join(o.dir, filepath.FromSlash(dir)), 0o755); err != nil {
				return err
			}
			made[dir] = true
		}
		from, to := filepath.Join(o.tmp, filepath.FromSlash(name)), filepath.Join(o.dir, filepath.FromSlash(name))
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("cannot put the new site in %s: %w", o.dir, err)
		}
	}
	return os.RemoveAll(o.tmp)
}

// removeStale deletes the files of the previous build that this one did
// not write, and the folders left empty.
func (o *DirOutput) removeStale() error {
	keep := map[string]bool{".": true}
	for name := range o.files {
		for d := path.Dir(name); !keep[d]; d = path.Dir(d) {
			keep[d] = true
		}
	}
	var dirs []string
	err := fs.WalkDir(os.DirFS(o.dir), ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			if !keep[p] {
				dirs = append(dirs, p)
			}
			return nil
		case hasKey(o.files, p):
			return nil
		}
		return os.Remove(filepath.Join(o.dir, filepath.FromSlash(p)))
	})
	if err != nil {
		return err
	}
	// Deepest first: WalkDir lists a folder before what it holds.
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Remove(filepath.Join(o.dir, filepath.FromSlash(dirs[i]))); err != nil {
			return err
		}
	}
	return nil
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// swap renames the new folder into place, for a first build.
func (o *DirOutput) swap() error {
	old := ""
	if _, err := os.Lstat(o.dir); err == nil {
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
