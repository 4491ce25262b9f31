package generator

import (
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/circulate-dev/circulate/internal/diag"
)

// listContent lists the content files to load, in path order, with the
// problems of files that are not. Each folder in content/ is walked on its
// own goroutine: serve lists everything after each edit (to find files
// added or removed), and reading a folder of thousands of entries waits on
// the system more than it computes.
func listContent(fsys fs.FS) ([]string, diag.List, error) {
	entries, err := fs.ReadDir(fsys, ContentDir)
	if err != nil {
		// Walked as one, for the walk's own report of what is wrong.
		var l contentList
		err := fs.WalkDir(fsys, ContentDir, l.visit)
		return l.files, l.diags, err
	}
	lists := make([]contentList, len(entries))
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		p := ContentDir + "/" + e.Name()
		if !e.IsDir() {
			_ = lists[i].visit(p, e, nil)
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		wg.Go(func() { errs[i] = fs.WalkDir(fsys, p, lists[i].visit) })
	}
	wg.Wait()
	var files []string
	var diags diag.List
	for i, l := range lists {
		files = append(files, l.files...)
		diags = append(diags, l.diags...)
		if err == nil {
			err = errs[i]
		}
	}
	return files, diags, err
}

// contentList is what a walk of (part of) content/ found.
type contentList struct {
	files []string
	diags diag.List
}

func (l *contentList) visit(p string, d fs.DirEntry, err error) error {
	if err != nil {
		l.diags.Errorf(p, 0, "cannot read: %v", err)
		return nil
	}
	if d.IsDir() {
		if p != ContentDir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		return nil
	}
	if strings.HasPrefix(d.Name(), ".") {
		return nil
	}
	rel := strings.TrimPrefix(p, ContentDir+"/")
	section, _, nested := strings.Cut(rel, "/")
	if _, ok := sectionKinds[section]; !ok || !nested {
		l.diags.Errorf(p, 0, "circulate only reads files in content/events, content/titles, content/news and content/pages; move this file into one of them")
		return nil
	}
	if path.Ext(p) != ".md" {
		l.diags.Warnf(p, 0, "not a Markdown (.md) file, so it is ignored; images and downloads go in static/")
		return nil
	}
	l.files = append(l.files, p)
	return nil
}
