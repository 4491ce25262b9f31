package generator

import (
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/item"
)

// listContent lists the content files to load, in path order, with the
// problems of files that are not. Each folder in content/ is walked on its
// own goroutine: serve lists everything after each edit (to find files
// added or removed), and reading a folder of thousands of entries waits on
// the system more than it computes. Links are followed only inside the
// site (walk.go).
func listContent(fsys fs.FS) ([]string, diag.List, error) {
	if _, info, _ := (&walker{fsys: fsys}).resolveTop(ContentDir); info == nil {
		// Missing, or a link out of the site: walked as one, for the
		// walk's own report of what is wrong.
		files, diags := walkFiles(fsys, ContentDir)
		if len(diags) == 0 {
			diags.Errorf(ContentDir, 0, "cannot read: the site has no content/ folder (it holds events/, titles/, news/ and pages/)")
		}
		return files, diags, nil
	}
	entries, err := fs.ReadDir(fsys, ContentDir)
	if err != nil {
		return nil, nil, err
	}
	lists := make([]contentList, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		p := ContentDir + "/" + e.Name()
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !e.IsDir() {
			if e.Type()&fs.ModeSymlink == 0 {
				lists[i].file(p)
				continue
			}
			if st, err := fs.Stat(fsys, p); err == nil && !st.IsDir() {
				lists[i].file(p) // a file out of place: reported as one
				continue
			}
		}
		wg.Go(func() {
			files, diags := walkFiles(fsys, p)
			lists[i].diags = diags
			for _, f := range files {
				lists[i].file(f)
			}
		})
	}
	wg.Wait()
	var files []string
	var diags diag.List
	for _, l := range lists {
		files = append(files, l.files...)
		diags = append(diags, l.diags...)
	}
	return files, diags, nil
}

// contentList is what a walk of (part of) content/ found.
type contentList struct {
	files []string
	diags diag.List
}

// file sorts a file found in content/ into those to load and the others.
func (l *contentList) file(p string) {
	rel := strings.TrimPrefix(p, ContentDir+"/")
	section, _, nested := strings.Cut(rel, "/")
	if _, ok := item.KindOf(section); !ok || !nested {
		l.diags.Errorf(p, 0, "circulate only reads files in content/events, content/titles, content/news and content/pages; move this file into one of them")
		return
	}
	if path.Ext(p) != ".md" {
		l.diags.WarnCode(diag.NotMarkdown, p, 0, "not a Markdown (.md) file, so it is ignored; images and downloads go in static/")
		return
	}
	l.files = append(l.files, p)
}
