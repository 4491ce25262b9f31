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
	"slices"
	"sync"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/diag"
)

// Site is one successful build, as served.
type Site struct {
	Title string
	// Files are files made already, by slash-separated path, like
	// "events/index.html"; nil when the site renders them on request.
	Files    map[string][]byte
	Warnings diag.List

	gen   *generator.Site // renders the files on request, when Files is nil
	posts []generator.Post
	mu    sync.Mutex
	made  map[string][]byte // files rendered on request, the latest few
}

// BuildFunc builds the whole site from its files. When it fails with a
// *generator.BuildError, the overlay lists that error's diagnostics;
// other errors show as one message.
type BuildFunc func(ctx context.Context) (*Site, error)

// Generate loads the site in fsys, as `circulate build` does, and returns
// it ready to serve; gc.Out is not used. The files are rendered when asked
// for, not before: after an edit, the reload signal waits for the load
// only, which with gc.Cache reads just the changed files, and a browser
// then asks for a page or two of the site's thousands. Each file comes out
// as `build` would write it, with posts in the social box.
func Generate(ctx context.Context, gc generator.Config, fsys fs.FS, posts []generator.Post) (*Site, error) {
	s, err := generator.Load(ctx, gc, fsys)
	if err != nil {
		return nil, err
	}
	return NewSite(gc.Site.Title, s, posts), nil
}

// NewSite is Generate for a site loaded already, by a caller that loads
// it its own way: `circulate serve` loads with the post ledger's old
// addresses, which need the loaded items (generator and publisher do not
// import each other, so the loading that joins them stays in cmd/). s
// must have loaded without error.
func NewSite(title string, s *generator.Site, posts []generator.Post) *Site {
	return &Site{Title: title, Warnings: s.Result.Diags, gen: s, posts: posts}
}

// keepMade is how many rendered files a Site keeps: enough for the pages
// a librarian has open (and HEAD then GET), little memory. A new build is
// a new Site, so nothing kept outlives the build it came from.
const keepMade = 64

// file returns the named file of the site; found is false when the site
// has no such file, err is set when it has but it failed to render.
func (s *Site) file(ctx context.Context, name string) (data []byte, found bool, err error) {
	if s.gen == nil {
		data, found = s.Files[name]
		return data, found, nil
	}
	if _, found := slices.BinarySearch(s.gen.Files(), name); !found {
		return nil, false, nil
	}
	s.mu.Lock()
	data, found = s.made[name]
	s.mu.Unlock()
	if found {
		return data, true, nil
	}
	data, err = s.gen.RenderFile(ctx, name, s.posts)
	if err != nil {
		return nil, true, err
	}
	s.mu.Lock()
	if len(s.made) >= keepMade {
		clear(s.made)
	}
	if s.made == nil {
		s.made = map[string][]byte{}
	}
	s.made[name] = data
	s.mu.Unlock()
	return data, true, nil
}

// has reports whether the site has the named file, without making it.
func (s *Site) has(name string) bool {
	if s.gen == nil {
		_, ok := s.Files[name]
		return ok
	}
	_, ok := slices.BinarySearch(s.gen.Files(), name)
	return ok
}

// problems turns a failed build's error into the lines the overlay shows.
func problems(err error) diag.List {
	var be *generator.BuildError
	if errors.As(err, &be) && len(be.Diags) > 0 {
		return be.Diags
	}
	return diag.List{{Severity: diag.Error, Message: err.Error()}}
}
