// Package scaffold writes new content files (`circulate new`) and new sites
// (`circulate init`) for librarians: every file it writes builds as it is,
// and explains its optional keys in comments, so filling one in feels like
// filling in a form.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Kinds are the kinds `circulate new` makes, with their folders (from
// item, which pairs kinds and sections).
var Kinds = map[string]string{
	string(item.Event): item.Event.Section(), string(item.Title): item.Title.Section(),
	string(item.News): item.News.Section(), string(item.Page): item.Page.Section(),
}

// File is a new content file.
type File struct {
	Kind  string // event, title, news, page
	Title string
	Slug  string
	Now   time.Time // today, in the site's zone
	ISBN  string    // titles: checked by the caller
}

// Placeholder is example text a new file holds for the librarian to
// replace: in front matter (Key) or as a line of the text (Key "").
// `check` and `build` warn about any left in a file (generator), so the
// list is the one place both sides read.
type Placeholder struct {
	Key, Text string
	Fix       string // what to write instead
}

// Placeholders is every example text `circulate new` writes.
var Placeholders = []Placeholder{
	{Key: "author", Text: "First Last", Fix: "write the author's name"},
	{Key: "location", Text: "Room, Branch", Fix: "write where it happens, like \"Community Room, Main Library\""},
	{Text: "Tell patrons what to expect, who it is for and what to bring.", Fix: "replace it with the event's own description"},
	{Text: "Why patrons will love it, in a few sentences (no spoilers).", Fix: "replace it with a few sentences about the title"},
	{Text: "The news, in a few short paragraphs.", Fix: "replace it with the news"},
	{Text: "The page's text.", Fix: "replace it with the page's text"},
}

// placeholder is the example text for key, or for the body text with n.
func placeholder(key string) string {
	for _, p := range Placeholders {
		if p.Key == key || p.Key == "" && strings.HasPrefix(p.Text, key) {
			return p.Text
		}
	}
	panic("scaffold: no placeholder " + key)
}

var templates = template.Must(template.New("").Funcs(template.FuncMap{"q": strconv.Quote, "ph": placeholder}).Parse(`
{{define "common"}}title: {{q .Title}}
# A draft is never shown or posted: delete this line when the file is ready.
draft: true
{{- if ne .Kind "page"}}
# When this appears on the site (and may be posted). A future date keeps it hidden until then.
date: {{.Now.Format "2006-01-02"}}
{{- end}}
# summary: "One line for lists and previews (default: the first paragraph)"
# tags: [storytime, kids]
# image: /images/picture.jpg      # a picture for share cards, in static/images/
# image_alt: "What the picture shows"
# tweet: "Our own post text"      # or: tweet: false  (never post this)
{{end}}
{{define "event"}}---
{{template "common" .}}# When it starts: a date and time, or a date alone for an all-day event.
start: {{.Now.AddDate 0 0 7 | .Date}}T10:30
end: {{.Now.AddDate 0 0 7 | .Date}}T11:30
location: {{ph "location" | q}}
# branch: main                    # a key of branches: in config.yaml (location is then the room)
# online: https://example.org/join  # the link to join online
# audience: [kids, teens, adults, families, seniors]
# ages: "0–5"
# cost: Free                      # say nothing and nothing is claimed
# accessibility: "Step-free entrance; ASL interpreter on request"
# registration: https://example.org/register
# repeat: {every: week, on: [tuesday], until: 2027-05-25}  # a recurring event: docs/content.md
# status: cancelled               # or postponed; the default is scheduled
---
{{ph "Tell patrons"}}
{{end}}
{{define "title"}}---
{{template "common" .}}author: {{ph "author" | q}}            # or a list: ["One Author", "Another"]
{{if .ISBN}}isbn: {{q .ISBN}}{{else}}# isbn: "978-0-00-000000-0"      # the check digit is verified{{end}}
format: book                      # book, ebook, audiobook, dvd, large-print, ...
# call_number: "FIC LASTNAME"
# cover: /images/cover.jpg        # default: the Open Library cover for the ISBN
---
{{ph "Why patrons"}}
{{end}}
{{define "news"}}---
{{template "common" .}}---
{{ph "The news"}}
{{end}}
{{define "page"}}---
{{template "common" .}}---
{{ph "The page"}}
{{end}}`))

// Date formats a day as front matter wants it.
func (f File) Date(t time.Time) string { return t.Format("2006-01-02") }

// Path is where the file goes, relative to the site root.
func (f File) Path() string { return "content/" + Kinds[f.Kind] + "/" + f.Slug + ".md" }

// Render is the file's contents.
func (f File) Render() ([]byte, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, f.Kind, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ErrExists is returned instead of overwriting a file.
var ErrExists = errors.New("already exists")

// Write creates the file under root, never replacing one.
func (f File) Write(root string) (string, error) {
	data, err := f.Render()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, filepath.FromSlash(f.Path()))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return p, fmt.Errorf("%s %w", p, ErrExists)
	}
	if err != nil {
		return "", err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return "", err
	}
	return p, w.Close()
}

// gitignore is the .gitignore of a new site.
const gitignore = `# Built by circulate build; deployed, not committed.
/public/
# What a build that was interrupted leaves next to public/ (the next build
# removes it).
/.public.*
# The lock of a posting run; the ledger next to it IS committed.
/.circulate/ledger.lock
`

// emptySite is the bare site of `circulate init --empty`: a config.yaml
// with a comment on every key and one page.
//
//go:embed all:empty
var emptySite embed.FS

// Empty is the bare site `circulate init --empty` makes: the config and
// page of emptySite, and the workflow of example.
func Empty(example fs.FS) (fs.FS, error) {
	sub, err := fs.Sub(emptySite, "empty")
	if err != nil {
		return nil, err
	}
	m := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		return nil, err
	}
	wf, err := fs.ReadFile(example, Workflow)
	if err != nil {
		return nil, err
	}
	m[Workflow] = &fstest.MapFile{Data: wf, Mode: 0o644}
	return m, nil
}

// Workflow is the GitHub Actions workflow of a site, which `circulate init`
// copies from the example.
const Workflow = ".github/workflows/site.yml"

// versionLine is the workflow's line naming the circulate release CI
// installs.
var versionLine = regexp.MustCompile(`(?m)^(\s*CIRCULATE_VERSION:[ \t]*)\S+`)

// docsRef is a mention of one of circulate's guides in a file init copies
// ("docs/config.md").
var docsRef = regexp.MustCompile(`(^|[^\w/.-])docs/([a-z-]+\.md)`)

// DocsURL is where the guides of a circulate version are published: in the
// repository, at the release (or the commit of a pseudo-version), or at
// main for a build without one.
func DocsURL(version string) string {
	ref := "main"
	switch {
	case !strings.HasPrefix(version, "v") || strings.Contains(version, "+"):
	case regexp.MustCompile(`-\d{14}-[0-9a-f]{12}$`).MatchString(version):
		ref = version[len(version)-12:]
	default:
		ref = version
	}
	return "https://github.com/circulate-dev/circulate/blob/" + ref + "/docs/"
}

// PinDocs points the guides a copied file mentions (docs/config.md) at
// their published copies: a new site has no docs/ folder of its own.
func PinDocs(data []byte, version string) []byte {
	return docsRef.ReplaceAll(data, []byte("${1}"+DocsURL(version)+"${2}"))
}

// PinVersion sets the circulate version a workflow installs. A version that
// `go install` cannot fetch (a build of a changed work tree, "+dirty", or
// one without a version) leaves the workflow as it is.
func PinVersion(workflow []byte, version string) []byte {
	if !strings.HasPrefix(version, "v") || strings.Contains(version, "+") {
		return workflow
	}
	return versionLine.ReplaceAll(workflow, []byte("${1}"+version))
}

// Init writes a new site into dir from example (the built-in example
// library), refusing a folder that already has a site or other files. The
// site's workflow installs circulate at version (see PinVersion).
func Init(dir string, example fs.FS, version string) ([]string, error) {
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				return nil, fmt.Errorf("%s is not empty (it has %s); give a new folder name, or empty this one", dir, e.Name())
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	err := fs.WalkDir(example, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(example, p)
		if err != nil {
			return err
		}
		if p == Workflow {
			data = PinVersion(data, version)
		}
		if p == Workflow || p == "config.yaml" {
			data = PinDocs(data, version)
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		written = append(written, p)
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return written, err
	}
	written = append(written, ".gitignore")
	return written, os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(gitignore), 0o644)
}
