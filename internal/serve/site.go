// Package serve is `circulate serve`: it keeps a build of the site in
// memory, serves it over HTTP, rebuilds it when the site's files change and
// tells open browser tabs to reload over server-sent events. A failed
// rebuild leaves the last good site served, with the problems shown over
// every page, so a librarian sees on the page they are looking at what to
// fix.
//
// Nothing here is ever written into `circulate build` output: the reload
// script and the overlay are added to HTML responses as they are served.
package serve

import (
	"context"
	"errors"
	"io/fs"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/diag"
)

// Site is one successful build, as served.
type Site struct {
	Title    string
	Files    map[string][]byte // slash-separated paths, like "events/index.html"
	Warnings diag.List
}

// BuildFunc builds the whole site from its files. When it fails with a
// *generator.BuildError, the overlay lists that error's diagnostics;
// other errors show as one message.
type BuildFunc func(ctx context.Context) (*Site, error)

// Generate loads and renders the site in fsys into memory, the way
// `circulate build` writes it to disk; gc.Out is not used.
func Generate(ctx context.Context, gc generator.Config, fsys fs.FS) (*Site, error) {
	s, err := generator.Load(ctx, gc, fsys)
	if err != nil {
		return nil, err
	}
	out := &generator.MapOutput{}
	res, err := s.Render(ctx, gc.Posts, out)
	if err != nil {
		return nil, err
	}
	return &Site{Title: gc.Site.Title, Files: out.Files, Warnings: res.Diags}, nil
}

// problems turns a failed build's error into the lines the overlay shows.
func problems(err error) diag.List {
	var be *generator.BuildError
	if errors.As(err, &be) && len(be.Diags) > 0 {
		return be.Diags
	}
	return diag.List{{Severity: diag.Error, Message: err.Error()}}
}
