package main

import (
	"context"
	"io/fs"
	"slices"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/publisher"
)

// loadMoved loads the site with the old addresses of its items that the
// post ledger knows, and the ones this run will find renamed (posts link
// to them), so that each old address gets its redirect page. build, check
// and serve load the site this one way, so the preview has the redirect
// pages the built site has.
//
// Which addresses are old needs the loaded items, so the site is loaded
// with guess first, and again (from gc.Cache, when set) only when the
// redirects of its items differ: serve passes the last rebuild's, so a
// rebuild normally loads once; build and check have no guess. gc.Moved is
// set to the redirects the returned site has.
//
// ledgerErr is the ledger that could not be read (the site then has no
// redirect pages from it); each caller reports it in its own way. err is
// generator.Load's.
func loadMoved(ctx context.Context, gc *generator.Config, fsys fs.FS, source string, guess []generator.Redirect) (site *generator.Site, used []generator.Redirect, ledgerErr, err error) {
	gc.Moved = guess
	site, err = generator.Load(ctx, *gc, fsys)
	if ctx.Err() != nil {
		return site, guess, nil, err
	}
	// Even when the load failed: a guess that is out of date can be its
	// error (an old address that is an item's now), and the diagnostics
	// must be those of the right redirects.
	old, ledgerErr := publisher.Moved(source, gc.Site, site.Result.Items)
	var want []generator.Redirect
	for _, m := range old {
		want = append(want, generator.Redirect{From: m.Path, To: m.Item})
	}
	if slices.Equal(want, guess) {
		return site, guess, ledgerErr, err
	}
	gc.Moved = want
	site, err = generator.Load(ctx, *gc, fsys)
	return site, want, ledgerErr, err
}
