package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/circulate-dev/circulate"
	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/scaffold"
	slugpkg "github.com/circulate-dev/circulate/internal/slug"
)

func runNew(ctx context.Context, e *env, args []string) error {
	fl := newFlags(e, "new", `event|title|news|page "Title" [flags]`, "Writes a new content file with today's date and every key explained, and prints its path.")
	source := fl.String("source", ".", "the site's `folder`")
	isbn := fl.String("isbn", "", "for a title: its `ISBN` (checked first)")
	slug := fl.String("slug", "", "the file name (and web address) to use instead of one made from the title")
	// Flags may come after the kind and title: circulate new title "X" --isbn 978...
	var pos []string
	rest := args
	for len(rest) > 0 {
		if err := fl.parseArgs(rest); err != nil {
			return err
		}
		rest = fl.Args()
		if len(rest) > 0 {
			pos, rest = append(pos, rest[0]), rest[1:]
		}
	}
	if len(pos) != 2 {
		return usageErr(`new: give the kind and the title, like: circulate new event "Winter Storytime"`)
	}
	kind, title := pos[0], strings.TrimSpace(pos[1])
	if _, ok := scaffold.Kinds[kind]; !ok {
		return usageErr("new: %q is not one of event, title, news, page", kind)
	}
	if title == "" {
		return usageErr("new: the title is empty")
	}
	f := scaffold.File{Kind: kind, Title: title, Slug: *slug}
	if f.Slug == "" {
		// File names and addresses are plain ASCII: Día -> dia.
		f.Slug = slugpkg.ASCII(title)
	}
	if f.Slug == "" {
		return usageErr("new: %q has no letters a-z or digits to name the file after; add --slug with a name in them, like --slug book-club", title)
	}
	if *isbn != "" {
		if kind != "title" {
			return usageErr("new: --isbn is for titles")
		}
		if _, err := generator.NormalizeISBN(*isbn); err != nil {
			return usageErr("new: --isbn %q %v", *isbn, err)
		}
		f.ISBN = *isbn
	}
	cfg, diags := config.Load(os.DirFS(*source))
	if diags.HasErrors() {
		printDiags(e, *source, diags)
		return &cliError{code: exitBuild, err: errors.New("config.yaml has errors (listed above)")}
	}
	f.Now = time.Now().In(cfg.Location)
	p, err := f.Write(*source)
	if errors.Is(err, scaffold.ErrExists) {
		return &cliError{code: exitBuild, err: err, hints: []string{"edit that file, or choose another name with --slug"}}
	}
	if err != nil {
		return &cliError{code: exitBuild, err: err}
	}
	fmt.Fprintln(e.stdout, filepath.ToSlash(p))
	return nil
}

func runInit(ctx context.Context, e *env, args []string) error {
	fl := newFlags(e, "init", "DIR [--empty]", "Makes a new site in DIR from the built-in example library, ready to build.\nWith --empty, a bare site instead: the settings, with a comment on each, and one page.")
	empty := fl.Bool("empty", false, "make a bare site (no example items) instead of the example library")
	// The flag may come after the folder: circulate init my-library --empty
	var pos []string
	rest := args
	for len(rest) > 0 || pos == nil {
		if err := fl.parseArgs(rest); err != nil {
			return err
		}
		rest = fl.Args()
		if len(rest) == 0 {
			break
		}
		pos, rest = append(pos, rest[0]), rest[1:]
	}
	if len(pos) != 1 {
		return usageErr("init: give the folder for the new site, like: circulate init my-library")
	}
	dir := pos[0]
	site, what := circulate.Example(), "the example library"
	if *empty {
		var err error
		if site, err = scaffold.Empty(circulate.Example()); err != nil {
			return &cliError{code: exitBuild, err: err}
		}
		what = "a bare site"
	}
	files, err := scaffold.Init(dir, site, moduleVersion())
	if err != nil {
		return &cliError{code: exitBuild, err: err}
	}
	fmt.Fprintf(e.stdout, "made a new site in %s from %s (%s)\nnext: edit %s, then run: cd %s && circulate build\n",
		dir, what, countOf(len(files), "file"), filepath.Join(dir, "config.yaml"), dir)
	return nil
}
