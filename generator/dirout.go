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
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DirOutput writes a build into a folder (public/) so that the folder is
// always one complete build: the previous one until Commit, the new one
// after, whatever happens in between, a kill -9 included (SPEC §1).
//
// The new build is written whole into a fresh folder next to the target,
// named .public.building-* (for a target named public), and Commit puts it
// in place in one step: on Linux by exchanging the two folders with
// renameat2(RENAME_EXCHANGE), on macOS with renamex_np(RENAME_SWAP); the
// old build, now under the temporary name, is then removed. Elsewhere
// (Windows), or on a file system that cannot exchange, Commit renames the
// old folder aside (.public.old-*) and the new one into place: killed
// between the two renames, the target is missing for a moment, and the
// next build puts the old one back before anything else.
//
// Every build starts by removing what an earlier build that was killed
// left next to the target (.public.building-*, .public.old-*,
// .public.file-*), so nothing survives the next build; `circulate init`'s
// .gitignore covers those names. The names carry the process id of the
// build that made them, and what a build still running made is left alone:
// two builds of one site may overlap (two CI runs; the second waits for the
// ledger lock of the first), and each commits a whole site.
//
// A file whose bytes did not change is not written again but hard-linked
// from the previous build, so it keeps its modification time and rsync
// deploys stay small (a file system without hard links gets a copy).
type DirOutput struct {
	dir, tmp string
	old      bool // dir holds a previous build to compare with
	mu       sync.Mutex
	made     map[string]bool // folders created in tmp so far
	written  map[string]bool // files written to tmp so far
}

// Names of the folders and files a build makes next to the target.
const (
	buildingSuffix = ".building-"
	oldSuffix      = ".old-"
	fileSuffix     = ".file-"
)

// NewDirOutput prepares a build into dir. It refuses a folder that looks
// like a site's sources rather than a build output, since the build
// replaces it whole.
func NewDirOutput(dir string) (*DirOutput, error) {
	dir = filepath.Clean(dir)
	// A target that is a link to a folder: the folder is replaced, the
	// link kept (the new folder must be made on the same file system).
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		if st, err := os.Stat(real); err == nil && st.IsDir() {
			dir = real
		}
	}
	for _, n := range []string{"config.yaml", "content", ".git", "go.mod"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return nil, fmt.Errorf("%s holds %s: it looks like a source folder, not a build output; build into another folder (the default is public/)", dir, n)
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if err := recoverLeftovers(dir); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, leftoverName(dir, buildingSuffix))
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	st, err := os.Stat(dir)
	return &DirOutput{dir: dir, tmp: tmp, old: err == nil && st.IsDir(),
		made: map[string]bool{".": true}, written: map[string]bool{}}, nil
}

// leftoverPrefix starts the names of what a build into dir makes next to
// it: ".public." for public/.
func leftoverPrefix(dir string) string { return "." + filepath.Base(dir) + "." }

// leftoverName is the pattern of a temporary name next to dir, for
// os.MkdirTemp and os.CreateTemp: ".public.building-PID-*".
func leftoverName(dir, suffix string) string {
	return leftoverPrefix(dir) + suffix[1:] + strconv.Itoa(os.Getpid()) + "-"
}

// runningOwner reports whether the leftover name rest (after its kind,
// "PID-random") was made by another build that is still running.
func runningOwner(rest string) bool {
	pid, _, ok := strings.Cut(rest, "-")
	n, err := strconv.Atoi(pid)
	return ok && err == nil && n > 0 && n != os.Getpid() && processRunning(n)
}

// recoverLeftovers puts back a previous build that a killed Commit left
// aside, and removes the folders and files of killed builds.
func recoverLeftovers(dir string) error {
	parent, prefix := filepath.Dir(dir), leftoverPrefix(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	var olds, others []string
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		for _, kind := range []string{buildingSuffix, oldSuffix, fileSuffix} {
			owner, ok := strings.CutPrefix(rest, kind[1:])
			switch {
			case !ok || runningOwner(owner):
			case kind == oldSuffix:
				olds = append(olds, e.Name())
			default:
				others = append(others, e.Name())
			}
		}
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		// A Commit by two renames was killed between them: the old site
		// is whole, the new one maybe not. One Commit at a time leaves
		// one old folder; of several, any is a complete build.
		slices.Sort(olds)
		last := olds[len(olds)-1]
		if err := os.Rename(filepath.Join(parent, last), dir); err != nil {
			return fmt.Errorf("cannot put the previous site back in %s: %w", dir, err)
		}
		olds = olds[:len(olds)-1]
	}
	for _, n := range append(olds, others...) {
		if err := os.RemoveAll(filepath.Join(parent, n)); err != nil {
			return fmt.Errorf("cannot remove what an interrupted build left: %w", err)
		}
	}
	return nil
}

// WriteFile writes name into the new folder, or links it from the
// previous build when that has the same bytes. The last write of a name
// wins.
func (o *DirOutput) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := o.mkdir(path.Dir(name)); err != nil {
		return err
	}
	dst := filepath.Join(o.tmp, filepath.FromSlash(name))
	o.mu.Lock()
	again := o.written[name]
	o.written[name] = true
	o.mu.Unlock()
	if again {
		// It may be a link to the previous build's file: writing into it
		// would change that file, which is still the live site.
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if o.old {
		src := filepath.Join(o.dir, filepath.FromSlash(name))
		if sameContent(src, data) && os.Link(src, dst) == nil {
			return nil
		}
	}
	return writeNewFile(dst, data)
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

// Commit puts the new build in place of the old one, in one step.
func (o *DirOutput) Commit() error {
	if _, err := os.Lstat(o.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(o.tmp, o.dir); err != nil {
			return fmt.Errorf("cannot put the new site in %s: %w", o.dir, err)
		}
		return nil
	}
	err := exchange(o.tmp, o.dir)
	if err == nil {
		// o.tmp holds the old build now. Should removing it fail, the
		// next build removes it.
		_ = os.RemoveAll(o.tmp)
		return nil
	}
	if !errors.Is(err, errNoExchange) {
		return fmt.Errorf("cannot put the new site in %s: %w", o.dir, err)
	}
	return o.renameTwice()
}

// renameTwice is Commit where folders cannot be exchanged: the old build
// is renamed aside, then the new one into place. recoverLeftovers undoes
// a Commit killed in between.
func (o *DirOutput) renameTwice() error {
	f, err := os.CreateTemp(filepath.Dir(o.dir), leftoverName(o.dir, oldSuffix))
	if err != nil {
		return err
	}
	aside := f.Name()
	f.Close()
	// Renaming a folder over a file is not allowed everywhere: the name
	// was only reserved.
	if err := os.Remove(aside); err != nil {
		return err
	}
	if err := os.Rename(o.dir, aside); err != nil {
		return fmt.Errorf("cannot replace %s: %w", o.dir, err)
	}
	if err := os.Rename(o.tmp, o.dir); err != nil {
		if rerr := os.Rename(aside, o.dir); rerr != nil {
			return fmt.Errorf("cannot put the new site in %s (%v), nor the old one back (%v); the old one is in %s", o.dir, err, rerr, aside)
		}
		return fmt.Errorf("cannot put the new site in %s: %w", o.dir, err)
	}
	_ = os.RemoveAll(aside)
	return nil
}

// errNoExchange says that this system or file system cannot exchange two
// folders in one step.
var errNoExchange = errors.New("cannot exchange folders here")

// Abort throws the new build away.
func (o *DirOutput) Abort() error { return os.RemoveAll(o.tmp) }

// Dir is the final output folder.
func (o *DirOutput) Dir() string { return o.dir }

// Update replaces one file of the committed site (after Commit): for the
// few pages `build` writes again once it has posted (those that show the
// posts). The file is written next to the folder and renamed into place,
// so a reader, a deploy or a kill -9 sees the old file or the new one,
// never a part; a file with the same bytes is left as it is (and keeps its
// modification time).
func (o *DirOutput) Update(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	dst := filepath.Join(o.dir, filepath.FromSlash(name))
	if sameContent(dst, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(o.dir), leftoverName(o.dir, fileSuffix))
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, 0o644)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
