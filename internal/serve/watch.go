package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// change is one file event, with the file relative to the site's folder.
type change struct {
	path    string // slash-separated: "content/events/x.md"
	at      time.Time
	created bool // the file appeared
	gone    bool // the file was removed or renamed away
}

// siteTrees are the site's folders whose every file feeds the build.
func siteTrees() []string { return []string{"content", "static", "themes"} }

// watcher reports changes to the site's files. It watches folders only,
// never single files: an editor that saves by writing a new file and
// renaming it over the old one makes a Create in the folder, where a watch
// on the file itself would have gone stale with the old file.
type watcher struct {
	fsw  *fsnotify.Watcher
	root string
}

// newWatcher watches the site's folder itself (for config.yaml, and for
// content/, static/ or themes/ appearing later) and the trees in it.
func newWatcher(root string) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fsw: fsw, root: root}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, t := range siteTrees() {
		if err := w.addTree(filepath.Join(root, t)); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) Close() error { return w.fsw.Close() }

// addTree watches dir and every folder under it; a missing dir is fine
// (the site may have no themes/).
func (w *watcher) addTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				// Gone already: a folder created and removed in a burst.
				return nil
			}
			return err
		}
		if d.IsDir() {
			return w.fsw.Add(p)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// run sends the changes that matter to out until ctx is done or the
// watcher is closed.
func (w *watcher) run(ctx context.Context, out chan<- change) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				return err
			}
			// Events were lost: rebuild to be sure nothing is missed.
			if !send(ctx, out, change{path: "(too many changes at once)", at: time.Now()}) {
				return nil
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			c, ok := w.handle(ev)
			if ok && !send(ctx, out, c) {
				return nil
			}
		}
	}
}

func send(ctx context.Context, out chan<- change, c change) bool {
	select {
	case out <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// handle keeps the watches up to date with the folders and says whether
// the event changes the site.
func (w *watcher) handle(ev fsnotify.Event) (change, bool) {
	at := time.Now()
	rel, err := filepath.Rel(w.root, ev.Name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return change{}, false
	}
	rel = filepath.ToSlash(rel)
	if !strings.Contains(rel, "/") && !isSiteEntry(rel) {
		return change{}, false // public/, .git/, README.md: not the site's sources
	}
	if ignored(filepath.Base(ev.Name)) {
		return change{}, false
	}
	// A bare Chmod is a touch or an indexer; the content is the same.
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return change{}, false
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			// A new folder (or one moved in): watch it and whatever it
			// already holds. Files written into it before the watch was
			// added are read by the rebuild this event starts.
			_ = w.addTree(ev.Name)
		}
	}
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		// A folder moved out of the site would go on reporting under its
		// old name; dropping a watch that is not there is harmless.
		_ = w.fsw.Remove(ev.Name)
	}
	return change{path: rel, at: at, created: ev.Has(fsnotify.Create), gone: ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)}, true
}

// isSiteEntry reports whether a name in the site's folder is a source.
func isSiteEntry(name string) bool {
	return name == "config.yaml" || slices.Contains(siteTrees(), name)
}

// ignored reports whether a file is an editor's or the system's scratch
// file rather than the site's: vim's swap files and its 4913 probe, backup
// files, Emacs's locks and autosaves, macOS's folder metadata.
func ignored(base string) bool {
	switch {
	case base == "4913", base == ".DS_Store":
		return true
	case strings.HasSuffix(base, "~"):
		return true
	case strings.HasPrefix(base, ".#"):
		return true
	case strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"):
		return true
	}
	switch filepath.Ext(base) {
	case ".swp", ".swo", ".swx":
		return true
	}
	return false
}
