package generator

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/sitefs"
)

// linkSite writes a site with real symbolic links into a temp folder:
// files maps paths to contents, links maps paths to link targets. Outside
// the site, next to it, is outside.md.
func linkSite(t *testing.T, files, links map[string]string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	top := t.TempDir()
	dir := filepath.Join(top, "site")
	write := func(p, data string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(top, "outside.md"), fm(`title: "PRIVATE"`, "date: 2026-11-01", "BODY:PRIVATE text"))
	write(filepath.Join(dir, "config.yaml"), testConfig)
	write(filepath.Join(dir, "content", "pages", "about.md"), fm(`title: "About"`))
	for p, data := range files {
		write(filepath.Join(dir, filepath.FromSlash(p)), data)
	}
	for p, target := range links {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLinksOutOfTheSite: a link out of the site's folder in content/,
// static/ or the theme stops the build with an error naming the link and
// its target, whether the site is read through an os.Root (as the command
// line does) or a plain os.DirFS; links inside are followed.
func TestLinksOutOfTheSite(t *testing.T) {
	theme := "title: Test Library\nbase_url: https://news.test-library.org/\ntimezone: America/New_York\ntheme: mine\n"
	cases := []struct {
		name   string
		files  map[string]string
		links  map[string]string
		errors []string // "file: message start"
		built  []string // files the build writes, when it has no errors
	}{
		{name: "static link to /proc/self/environ",
			links:  map[string]string{"static/env.txt": "/proc/self/environ"},
			errors: []string{"static/env.txt: this is a symbolic link to /proc/self/environ, an absolute path"}},
		{name: "static link to /etc/passwd",
			links:  map[string]string{"static/notes.txt": "/etc/passwd"},
			errors: []string{"static/notes.txt: this is a symbolic link to /etc/passwd, an absolute path"}},
		{name: "relative link out of the site",
			links:  map[string]string{"static/x.md": "../../outside.md"},
			errors: []string{"static/x.md: this is a symbolic link to ../../outside.md, outside the site's folder"}},
		{name: "content file linked outside",
			files:  map[string]string{"content/news/ok.md": validNews},
			links:  map[string]string{"content/news/leak.md": "../../../outside.md"},
			errors: []string{"content/news/leak.md: this is a symbolic link to ../../../outside.md, outside the site's folder"}},
		{name: "content section linked outside",
			links:  map[string]string{"content/news": "../.."},
			errors: []string{"content/news: this is a symbolic link to ../.., outside the site's folder"}},
		{name: "theme layout linked outside",
			files:  map[string]string{"config.yaml": theme, "themes/mine/layouts/partials/x.html": "ok"},
			links:  map[string]string{"themes/mine/layouts/partials/extra.html": "/etc/passwd"},
			errors: []string{"themes/mine/layouts/partials/extra.html: this is a symbolic link to /etc/passwd"}},
		{name: "theme static file linked outside",
			files:  map[string]string{"config.yaml": theme, "themes/mine/static/ok.txt": "ok"},
			links:  map[string]string{"themes/mine/static/leak.md": "../../../../outside.md"},
			errors: []string{"themes/mine/static/leak.md: this is a symbolic link to ../../../../outside.md, outside"}},
		{name: "theme folder linked outside",
			files:  map[string]string{"config.yaml": theme},
			links:  map[string]string{"themes/mine": "../../.."},
			errors: []string{"themes/mine: this is a symbolic link to ../../.., outside"}},
		{name: "a chain of links out",
			links: map[string]string{"static/a.txt": "b.txt", "static/b.txt": "/etc/passwd"},
			errors: []string{
				"static/a.txt: this is a symbolic link to b.txt (a link to /etc/passwd), an absolute path",
				"static/b.txt: this is a symbolic link to /etc/passwd",
			}},
		{name: "a loop of links",
			links: map[string]string{"static/a.txt": "b.txt", "static/b.txt": "a.txt"},
			errors: []string{
				"static/a.txt: this is a symbolic link to b.txt",
				"static/b.txt: this is a symbolic link to a.txt",
			}},
		{name: "a folder link back up",
			files:  map[string]string{"static/img/a.png": "png"},
			links:  map[string]string{"static/img/up": "..", "static/root": ".."},
			errors: []string{"static/img/up: this is a symbolic link to .., a folder that holds the link itself (a loop)", "static/root: this is a symbolic link to .., a folder that holds the link itself (a loop)"}},
		{name: "a link to nothing",
			links:  map[string]string{"static/gone.txt": "nothing.txt"},
			errors: []string{"static/gone.txt: this is a symbolic link to nothing.txt, which does not exist"}},
		{name: "links inside the site",
			files: map[string]string{"static/img/a.png": "png", "library/b.md": validNews, "static/docs/x.txt": "x"},
			links: map[string]string{"static/logo.png": "img/a.png", "static/pictures": "img", "content/news": "../library",
				"static/more": "../static/docs", "static/chain.png": "logo.png"},
			built: []string{"logo.png", "pictures/a.png", "img/a.png", "news/b/index.html", "more/x.txt", "chain.png"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := linkSite(t, c.files, c.links)
			root, closeRoot, err := sitefs.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer closeRoot()
			for _, via := range []struct {
				name string
				fsys fs.FS
			}{{"os.Root", root}, {"os.DirFS", os.DirFS(dir)}} {
				cfg, diags := config.Load(via.fsys)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				out := &MapOutput{}
				res, err := Build(context.Background(), Config{Site: cfg, Now: func() time.Time { return testNow }, Out: out}, via.fsys)
				var got []string
				for _, d := range res.Diags.Errors() {
					got = append(got, d.File+": "+d.Message)
				}
				for _, want := range c.errors {
					if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, want) }) {
						t.Errorf("%s: no error %q; got:\n%s", via.name, want, strings.Join(got, "\n"))
					}
				}
				if len(c.errors) > 0 {
					if err == nil || len(out.Files) > 0 {
						t.Errorf("%s: the build went on (err %v, %d files written)", via.name, err, len(out.Files))
					}
					if len(got) != len(c.errors) {
						t.Errorf("%s: %d errors, want %d:\n%s", via.name, len(got), len(c.errors), strings.Join(got, "\n"))
					}
				} else if err != nil {
					t.Fatalf("%s: %v", via.name, err)
				}
				for _, f := range c.built {
					if _, ok := out.Files[f]; !ok {
						t.Errorf("%s: the build has no %s", via.name, f)
					}
				}
				for name, data := range out.Files {
					if strings.Contains(string(data), "PRIVATE") || strings.Contains(string(data), "root:") {
						t.Errorf("%s: %s holds what is outside the site", via.name, name)
					}
				}
			}
		})
	}
}

// TestStaticDotFolders: static/.well-known/ is published (security.txt,
// app links), as before the link checks; dot files are not.
func TestStaticDotFolders(t *testing.T) {
	res, out, err := build(t, siteFS(map[string]string{
		"content/news/a.md":               validNews,
		"static/.well-known/security.txt": "Contact: mailto:it@example.org",
		"static/.DS_Store":                "junk",
		"static/img/.hidden.png":          "junk",
	}))
	if err != nil {
		t.Fatal(err, res.Diags)
	}
	if _, ok := out.Files[".well-known/security.txt"]; !ok {
		t.Error("static/.well-known/security.txt was not copied")
	}
	for _, n := range []string{".DS_Store", "img/.hidden.png"} {
		if _, ok := out.Files[n]; ok {
			t.Errorf("the dot file %s was copied", n)
		}
	}
}
