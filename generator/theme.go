package generator

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/themes"
)

// The one template lookup rule: a page of kind K is rendered with
// layouts/base.html, every layouts/partials/*.html, and layouts/K.html
// (which defines "main"). Each file comes from the site's theme folder
// themes/<theme>/ if it has one of that name, otherwise from the built-in
// theme. Files in the theme's static/ are copied to the site root, under
// the site's own static/.
var pageKinds = []string{"home", "events", "past", "calendars", "titles", "news", "event", "title", "newspost", "page", "tag", "tags", "social", "404"}

// theme is the parsed layouts, one template set per page kind.
type theme struct {
	fs      fs.FS // the overlay: site theme over built-in
	layouts map[string]*template.Template
	// showsPosts marks the page kinds whose layout reads the posts.
	showsPosts map[string]bool
	// definedIn is, per page kind, the file each template name is defined
	// in (a layout may redefine a card for its pages). It is read off the
	// parse trees here, once: html/template replaces a template's Tree when
	// it first executes it, so reading Tree while pages render is a race.
	definedIn map[string]map[string]string
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

// resolveTheme finds the site's theme folder, if config.yaml names one,
// and lists the files copied as is: the built-in theme's static/, then the
// site theme's, then the site's own, each overriding the one before, file
// by file. Every file of the theme and of static/ is walked here, for
// links out of the site (walk.go), so that `check` reports them too.
func (b *builder) resolveTheme() (overlayFS, diag.List) {
	var diags diag.List
	o := overlayFS{top: b.opts.Theme, bottom: themes.Default()}
	b.static = map[string]staticSource{}
	b.badLinks = map[string]bool{}
	add := func(fsys fs.FS, dir string, inSite bool) {
		files, d := walkStatic(fsys, dir)
		for _, x := range d {
			b.badLinks[x.File] = true
		}
		diags = append(diags, d...)
		for _, f := range files {
			if rest, ok := strings.CutPrefix(f, dir+"/"); ok {
				b.static[rest] = staticSource{fsys, f, inSite}
			}
		}
	}
	add(o.bottom, "static", false)
	if o.top == nil && b.cfg.Theme != "" {
		dir := "themes/" + b.cfg.Theme
		st, err := fs.Stat(b.fsys, dir)
		var w walker
		if err != nil {
			// A link out of the site is named as one, with its target.
			w = walker{fsys: b.fsys}
			w.resolveTop(dir)
		}
		switch {
		case len(w.diags) > 0:
			diags = append(diags, w.diags...)
		case err != nil || !st.IsDir():
			diags.Errorf("config.yaml", 0, "theme: %q needs a folder %s/ in the site (or remove the `theme:` line to use the built-in theme)", b.cfg.Theme, dir)
		default:
			o.top, _ = fs.Sub(b.fsys, dir)
			// The whole theme, layouts included, for links; its static/
			// files for copying.
			files, d := walkStatic(b.fsys, dir)
			diags = append(diags, d...)
			for _, x := range d {
				b.badLinks[x.File] = true
			}
			for _, f := range files {
				if rest, ok := strings.CutPrefix(f, dir+"/static/"); ok {
					b.static[rest] = staticSource{b.fsys, f, true}
				}
			}
		}
	} else if o.top != nil {
		add(o.top, "static", false)
	}
	add(b.fsys, "static", true)
	return o, diags
}

// staticSource is where a file copied as is comes from.
type staticSource struct {
	fsys   fs.FS
	name   string // in fsys
	inSite bool   // fsys is the site's folder (static/, themes/<theme>/static/)
}

// staticNames lists the site paths of the files copied as is, sorted.
func (b *builder) staticNames() []string { return sortedKeys(b.static) }

// loadTheme parses every layout once per build.
func (b *builder) loadTheme() (*theme, diag.List) {
	o := b.themeFS
	var diags diag.List
	th := &theme{fs: o, layouts: map[string]*template.Template{}, showsPosts: map[string]bool{},
		definedIn: map[string]map[string]string{}}
	prefix := "themes/default/"
	if b.cfg.Theme != "" {
		prefix = "themes/" + b.cfg.Theme + "/"
	}
	// The root must not be named like a file: html/template's New replaces a
	// template of the same name with an empty one, funcs and all.
	base := template.New("circulate").Funcs(funcs(b.base))
	files := []string{"layouts/base.html"}
	for _, n := range o.readDir("layouts/partials") {
		if path.Ext(n) == ".html" {
			files = append(files, "layouts/partials/"+n)
		}
	}
	for _, f := range files {
		if err := parseInto(base, o, f); err != nil {
			if !b.badLinks[prefix+f] { // reported as a link already
				diags = append(diags, templateDiag(prefix, f, err))
			}
			return th, diags
		}
	}
	for _, k := range pageKinds {
		t, err := base.Clone()
		if err == nil {
			err = parseInto(t, o, "layouts/"+k+".html")
		}
		if err != nil {
			if !b.badLinks[prefix+"layouts/"+k+".html"] {
				diags = append(diags, templateDiag(prefix, "layouts/"+k+".html", err))
			}
			continue
		}
		th.layouts[k] = t
		th.showsPosts[k] = readsPosts(t, "base.html")
		files := map[string]string{}
		for _, d := range t.Templates() {
			if d.Tree != nil {
				files[d.Name()] = d.Tree.ParseName
			}
		}
		th.definedIn[k] = files
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

// staticFile finds a site path among the files copied as is.
func (b *builder) staticFile(p string) (staticSource, bool) {
	src, ok := b.static[strings.TrimPrefix(p, "/")]
	return src, ok
}

// postFields are the names of the SiteData fields that hold posts: a
// layout that reads one shows posts, and its pages are made again after
// posting (PlannedFile.ShowsPosts).
var postFields = []string{"Posts"}

// callsTemplate reports whether n names a Page method that runs the
// template named by its first argument (fragments.go).
func callsTemplate(n parse.Node) bool {
	var ids []string
	switch n := n.(type) {
	case *parse.FieldNode:
		ids = n.Ident
	case *parse.ChainNode:
		ids = n.Field
	case *parse.VariableNode:
		ids = n.Ident
	}
	return len(ids) > 0 && (ids[len(ids)-1] == "Card" || ids[len(ids)-1] == "Shared")
}

// readsPosts reports whether executing the template name of t reads one of
// postFields, itself or in a template it calls, so that a theme that puts
// the social box on every page has every page marked.
func readsPosts(t *template.Template, name string) bool {
	seen := map[string]bool{}
	var tmpl func(name string) bool
	var node func(n parse.Node) bool
	tmpl = func(name string) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		tt := t.Lookup(name)
		return tt != nil && tt.Tree != nil && node(tt.Tree.Root)
	}
	idents := func(ids []string) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(postFields, id) })
	}
	node = func(n parse.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *parse.ListNode:
			if n == nil {
				return false
			}
			return slices.ContainsFunc(n.Nodes, node)
		case *parse.ActionNode:
			return node(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return false
			}
			for _, c := range n.Cmds {
				if node(c) {
					return true
				}
			}
			return false
		case *parse.CommandNode:
			// {{$.Card "name" .}} and {{.Shared "name" key}} run a
			// template too.
			if len(n.Args) > 1 {
				if s, ok := n.Args[1].(*parse.StringNode); ok && callsTemplate(n.Args[0]) && tmpl(s.Text) {
					return true
				}
			}
			return slices.ContainsFunc(n.Args, node)
		case *parse.FieldNode:
			return idents(n.Ident)
		case *parse.ChainNode:
			return idents(n.Field) || node(n.Node)
		case *parse.VariableNode:
			return idents(n.Ident)
		case *parse.IfNode:
			return node(n.Pipe) || node(n.List) || node(n.ElseList)
		case *parse.RangeNode:
			return node(n.Pipe) || node(n.List) || node(n.ElseList)
		case *parse.WithNode:
			return node(n.Pipe) || node(n.List) || node(n.ElseList)
		case *parse.TemplateNode:
			return node(n.Pipe) || tmpl(n.Name)
		}
		return false
	}
	return tmpl(name)
}
