package generator

import (
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/scaffold"
)

// TestPlaceholdersWarn: a file written by `circulate new` and never filled
// in builds, so the example text left in it ("First Last" as the author)
// is a warning naming the file and line, for every kind (issue 11).
func TestPlaceholdersWarn(t *testing.T) {
	files := map[string]string{}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for kind, dir := range scaffold.Kinds {
		f := scaffold.File{Kind: kind, Title: "Something new", Slug: "new-" + kind, Now: now}
		data, err := f.Render()
		if err != nil {
			t.Fatal(err)
		}
		files["content/"+dir+"/new-"+kind+".md"] = string(data)
	}
	res, _, err := build(t, siteFS(files), func(c *Config) { c.Drafts = true })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diags {
		if strings.Contains(d.Message, "`circulate new` wrote") {
			got = append(got, d.String())
		}
	}
	// Every placeholder the scaffold writes is found, once, with its line.
	for _, p := range scaffold.Placeholders {
		n := 0
		for _, g := range got {
			if strings.Contains(g, p.Text) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("placeholder %q: %d warnings, want 1:\n%s", p.Text, n, strings.Join(got, "\n"))
		}
	}
	for _, want := range []string{
		`content/titles/new-title.md:12:9: warning: author: "First Last" is the example ` + "`circulate new`" + ` wrote; write the author's name`,
		`content/news/new-news.md:13: warning: the text still has the example sentence ` + "`circulate new`" + ` wrote ("The news, in a few short paragraphs."); replace it with the news`,
	} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("no %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	// Filled in, the warnings go.
	res, _, err = build(t, siteFS(map[string]string{
		"content/titles/t.md": fm(`title: "T"`, "date: 2026-11-20", `author: "Ann First"`, "BODY:Why we love it."),
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags {
		if strings.Contains(d.Message, "circulate new") {
			t.Errorf("a filled-in file: %s", d)
		}
	}
}
