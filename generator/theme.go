package generator

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/themes"
)

// The one template lookup rule: a page of kind K is rendered with
// layouts/base.html, every layouts/partials/*.html, and layouts/K.html
// (which defines "main"). Each file comes from the site's theme folder
// themes/<theme>/ if it has one of that name, otherwise from the built-in
// theme. Files in the theme's static/ are copied to the site root, under
// the site's own static/.
var pageKinds = []string{"home", "events", "past", "titles", "news", "event", "title", "newspost", "page", "tag", "tags", "404"}

// theme is the parsed layouts, one template set per page kind.
type theme struct {
	fs      fs.FS // the overlay: site theme over built-in
	layouts map[string]*template.Template
}

// overlayFS looks a file up in top first, then in bottom.
type overlayFS struct{ top, bottom fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	if o.top != nil {
		if f, err := o.top.Open(name); err == nil {
			return f, nil
		}
	}
	return o.bottom.Open(name)
}

// readDirs lists a folder of both layers, top first, without duplicates.
func (o overlayFS) readDir(dir string) []string {
	seen := map[string]bool{}
	var names []string
	for _, f := range []fs.FS{o.top, o.bottom} {
		if f == nil {
			continue
		}
		entries, _ := fs.ReadDir(f, dir)
		for _, e := range entries {
			if !e.IsDir() && !seen[e.Name()] {
				seen[e.Name()] = true
				names = append(names, e.Name())
			}
		}
	}
	return names
}

// resolveTheme finds the site's theme folder, if config.yaml names one.
func (b *builder) resolveTheme() (overlayFS, diag.List) {
	var diags diag.List
	o := overlayFS{top: b.opts.Theme, bottom: themes.Default()}
	if o.top == nil && b.cfg.Theme != "" {
		dir := "themes/" + b.cfg.Theme
		if st, err := fs.Stat(b.fsys, dir); err != nil || !st.IsDir() {
			diags.Errorf("config.yaml", 0, "theme: %q needs a folder %s/ in the site (or remove the `theme:` line to use the built-in theme)", b.cfg.Theme, dir)
		} else {
			o.top, _ = fs.Sub(b.fsys, dir)
		}
	}
	return o, diags
}

// loadTheme parses every layout once per build.
func (b *builder) loadTheme() (*theme, diag.List) {
	o := b.themeFS
	var diags diag.List
	th := &theme{fs: o, layouts: map[string]*template.Template{}}
	prefix := "themes/default/"
	if b.cfg.Theme != "" {
		prefix = "themes/" + b.cfg.Theme + "/"
	}
	// The root must not be named like a file: html/template's New replaces a
	// template of the same name with an empty one, funcs and all.
	base := template.New("circulate").Funcs(funcs(b.cfg.BaseURL))
	files := []string{"layouts/base.html"}
	for _, n := range o.readDir("layouts/partials") {
		if path.Ext(n) == ".html" {
			files = append(files, "layouts/partials/"+n)
		}
	}
	for _, f := range files {
		if err := parseInto(base, o, f); err != nil {
			diags = append(diags, templateDiag(prefix, f, err))
			return th, diags
		}
	}
	for _, k := range pageKinds {
		t, err := base.Clone()
		if err == nil {
			err = parseInto(t, o, "layouts/"+k+".html")
		}
		if err != nil {
			diags = append(diags, templateDiag(prefix, "layouts/"+k+".html", err))
			continue
		}
		th.layouts[k] = t
	}
	return th, diags
}

func parseInto(t *template.Template, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	_, err = t.New(path.Base(name)).Parse(string(data))
	return err
}

var tmplLine = regexp.MustCompile(`^template: [^:]+:(\d+):`)

// templateDiag turns a template error into a diagnostic at the layout's line.
func templateDiag(prefix, file string, err error) diag.Diagnostic {
	d := diag.Diagnostic{File: prefix + file, Severity: diag.Error}
	if errors.Is(err, fs.ErrNotExist) {
		d.Message = "layout missing: a theme needs this file (copy it from the built-in theme)"
		return d
	}
	msg := err.Error()
	if m := tmplLine.FindStringSubmatch(msg); m != nil {
		d.Line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(msg[len(m[0]):])
	}
	d.Message = fmt.Sprintf("the layout does not parse: %s", msg)
	return d
}

// staticFile finds a site path among the files copied as is: the site's
// static/ first, then the theme's static/.
func (b *builder) staticFile(p string) (fs.FileInfo, error) {
	name := "static/" + strings.TrimPrefix(p, "/")
	if st, err := fs.Stat(b.fsys, name); err == nil {
		return st, nil
	}
	return fs.Stat(b.themeFS, name)
}
