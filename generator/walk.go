package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/circulate-dev/circulate/internal/diag"
)

// The build reads nothing outside the site's folder (SPEC §1): CI runs it
// with the posting secrets in its environment, and a symbolic link in
// static/ to /proc/self/environ, or in content/ to a file elsewhere on the
// machine, would publish them. Two layers see to it:
//
//   - the command line opens the site with sitefs.Open (an os.Root), whose
//     every open refuses a path or link that leads outside the folder, at
//     the moment of the read (no window between a check and the read);
//   - the walks below, over content/, static/ and the theme, tell the
//     librarian which link is wrong and where it points, and stop the
//     build with an error, whatever fs.FS the build was given.
//
// Links that stay inside the site are followed: to a file (it is copied or
// read under the link's name) or to a folder (walked as if it were one).

// maxLinkDepth bounds folder links followed within one another: a loop the
// checks below cannot see (on a file system without file identities)
// still ends.
const maxLinkDepth = 16

// walker lists the regular files under a folder of the site.
type walker struct {
	fsys  fs.FS
	diags diag.List
	files []string
	// dotDirs: walk folders whose names start with "." too (static/'s
	// .well-known/); files whose names do are always skipped.
	dotDirs bool
}

// walkFiles lists the files under dir (slash-separated, from the site
// root; sorted within each folder), skipping files and folders whose names
// start with ".", following links that stay in the site, and reporting the
// others. A missing dir has no files.
func walkFiles(fsys fs.FS, dir string) ([]string, diag.List) {
	return walkTree(&walker{fsys: fsys}, dir)
}

// walkStatic is walkFiles for the files copied as is: folders starting
// with "." are walked (.well-known/security.txt is published), not files.
func walkStatic(fsys fs.FS, dir string) ([]string, diag.List) {
	return walkTree(&walker{fsys: fsys, dotDirs: true}, dir)
}

func walkTree(w *walker, dir string) ([]string, diag.List) {
	real, info, ok := w.resolveTop(dir)
	if !ok || info == nil {
		return nil, w.diags
	}
	if !info.IsDir() {
		w.diags.Errorf(dir, 0, "%s must be a folder", dir)
		return nil, w.diags
	}
	w.walk(dir, real, w.ancestors(dir, info), 0)
	return w.files, w.diags
}

// resolveTop resolves dir's own path: a folder such as static/ may be a
// link too. info is nil (and ok true) when dir does not exist.
func (w *walker) resolveTop(dir string) (real string, info fs.FileInfo, ok bool) {
	real = "."
	for _, part := range strings.Split(dir, "/") {
		p := path.Join(real, part)
		st, err := lstat(w.fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil, true
		}
		if err != nil {
			w.diags.Errorf(dir, 0, "cannot read: %v", plainErr(err))
			return "", nil, false
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			real = p
			continue
		}
		target, ok := w.follow(p, p)
		if !ok {
			return "", nil, false
		}
		real = target
	}
	st, err := fs.Stat(w.fsys, dir)
	if err != nil {
		w.diags.Errorf(dir, 0, "cannot read: %v", plainErr(err))
		return "", nil, false
	}
	return real, st, true
}

// ancestors are the folders from the site root down to dir, for telling a
// folder link that leads back up (a loop).
func (w *walker) ancestors(dir string, info fs.FileInfo) []fs.FileInfo {
	var list []fs.FileInfo
	p := "."
	for _, part := range strings.Split(dir, "/") {
		if st, err := fs.Stat(w.fsys, p); err == nil {
			list = append(list, st)
		}
		p = path.Join(p, part)
	}
	return append(list, info)
}

// walk lists dir, reached as the path p in the site; real is where dir is
// with links resolved, for judging relative link targets.
func (w *walker) walk(dir, real string, ancestors []fs.FileInfo, depth int) {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		w.diags.Errorf(dir, 0, "cannot read: %v", plainErr(err))
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && (!w.dotDirs || !e.IsDir()) {
			continue
		}
		p, rp := dir+"/"+name, real+"/"+name
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			target, ok := w.follow(p, rp)
			if !ok {
				continue
			}
			st, err := fs.Stat(w.fsys, p)
			if err != nil {
				w.linkProblem(p, "", err)
				continue
			}
			if st.IsDir() {
				if depth >= maxLinkDepth || loops(target, rp, st, ancestors) {
					w.diags.Errorf(p, 0, "this is a symbolic link to %s, a folder that holds the link itself (a loop); remove the link", w.linkText(p))
					continue
				}
				w.walk(p, target, append(slices.Clip(ancestors), st), depth+1)
				continue
			}
			mode = st.Mode().Type()
		}
		switch {
		case mode.IsDir():
			st, err := e.Info()
			if err != nil {
				w.diags.Errorf(p, 0, "cannot read: %v", plainErr(err))
				continue
			}
			w.walk(p, rp, append(slices.Clip(ancestors), st), depth)
		case mode.IsRegular():
			w.files = append(w.files, p)
		default:
			w.diags.Errorf(p, 0, "this is not a regular file (a device, pipe or socket); remove it from the site")
		}
	}
}

// follow checks a link at p (at rp with links resolved) and returns where
// it leads, relative to the site root, following a chain of links; ok is
// false when it leads outside the site or nowhere (reported).
func (w *walker) follow(p, rp string) (string, bool) {
	at, first := rp, ""
	for hops := 0; ; hops++ {
		target, err := fs.ReadLink(w.fsys, at)
		if err != nil {
			w.diags.Errorf(p, 0, "this is a symbolic link that cannot be read: %v", plainErr(err))
			return "", false
		}
		// The message names the link's own target, and the hop that went
		// wrong when the link leads to another link.
		desc := target
		if hops == 0 {
			first = target
		} else {
			desc = first + " (a link to " + target + ")"
		}
		if hops > 40 {
			w.diags.Errorf(p, 0, "this is a symbolic link to %s, which leads back to itself (a loop); remove the link", first)
			return "", false
		}
		if isAbs(target) {
			w.diags.Errorf(p, 0, "this is a symbolic link to %s, an absolute path: the build reads only files inside the site's folder, reached by relative links (a link out of the site could publish secrets or private files of the machine that builds it); copy the file into the site instead, or remove the link", desc)
			return "", false
		}
		next := path.Join(path.Dir(at), filepath.ToSlash(target))
		if next == ".." || strings.HasPrefix(next, "../") {
			w.diags.Errorf(p, 0, "this is a symbolic link to %s, outside the site's folder: the build reads only files inside it (a link out of the site could publish secrets or private files of the machine that builds it); copy the file into the site instead, or remove the link", desc)
			return "", false
		}
		st, err := lstat(w.fsys, next)
		if err != nil {
			w.linkProblem(p, desc, err)
			return "", false
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return next, true
		}
		at = next
	}
}

// linkProblem reports a link whose target cannot be opened.
func (w *walker) linkProblem(p, target string, err error) {
	if target == "" {
		target = w.linkText(p)
	}
	var msg string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "which does not exist; fix the link or remove it"
	case errors.Is(err, syscall.ELOOP):
		msg = "which leads back to itself (a loop); remove the link"
	case isEscape(err):
		msg = "which leads outside the site's folder: the build reads only files inside it (a link out of the site could publish secrets or private files of the machine that builds it); copy the file into the site instead, or remove the link"
	default:
		msg = fmt.Sprintf("which cannot be read (%v)", plainErr(err))
	}
	w.diags.Errorf(p, 0, "this is a symbolic link to %s, %s", target, msg)
}

// linkText is what the link at p says, for messages.
func (w *walker) linkText(p string) string {
	if t, err := fs.ReadLink(w.fsys, p); err == nil {
		return t
	}
	return "somewhere"
}

// loops reports whether the folder a link leads to holds the link: it is
// the folder the link is in, or one above it.
func loops(target, rp string, st fs.FileInfo, ancestors []fs.FileInfo) bool {
	if target == "." || strings.HasPrefix(rp, target+"/") {
		return true
	}
	for _, a := range ancestors {
		if os.SameFile(a, st) {
			return true
		}
	}
	return false
}

func lstat(fsys fs.FS, name string) (fs.FileInfo, error) {
	if l, ok := fsys.(fs.ReadLinkFS); ok {
		return l.Lstat(name)
	}
	return fs.Stat(fsys, name)
}

// isAbs reports an absolute link target, on any system: a link made on
// another machine says /x or C:\x whatever this one is.
func isAbs(target string) bool {
	return filepath.IsAbs(target) || strings.HasPrefix(target, "/") || strings.HasPrefix(target, `\`) ||
		len(target) >= 2 && target[1] == ':'
}

// isEscape reports the error of an os.Root asked for a path outside it.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// plainErr drops the operation and path a *PathError repeats: the
// diagnostic names the file already.
func plainErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
