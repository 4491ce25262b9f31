package serve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Report describes one rebuild.
type Report struct {
	Changed []string      // the files that changed, slash-separated from the site's folder
	Took    time.Duration // the build itself
	// Latency is from the last file event of the burst to the reload
	// signal: the wait for quiet, the build and the signal. It is what a
	// librarian waits between saving and seeing the page change.
	Latency time.Duration
	Site    *Site     // the new site; nil when the build failed
	Err     error     // why the build failed
	Diags   diag.List // the failed build's problems, as the overlay shows them
	Pages   int       // open pages that were told to reload
}

// Rebuild builds the site now, serves the result (or the overlay) and
// tells open pages to reload. The first call gives the server its site.
func (s *Server) Rebuild(ctx context.Context) Report {
	return s.rebuild(ctx, batch{last: time.Now()})
}

func (s *Server) rebuild(ctx context.Context, b batch) Report {
	start := time.Now()
	if s.changed != nil && len(b.paths) > 0 {
		s.changed(b.paths)
	}
	site, err := s.build(ctx)
	took := time.Since(start)
	if ctx.Err() != nil {
		// Stopping: a build cut short is not a broken site.
		return Report{Changed: b.paths, Took: took, Err: ctx.Err()}
	}
	pages := s.update(site, err)
	r := Report{Changed: b.paths, Took: took, Latency: time.Since(b.last), Site: site, Err: err, Pages: pages}
	if err != nil {
		r.Site, r.Diags = nil, problems(err)
	}
	return r
}

// Run serves on ln and rebuilds on every change to the site's files in
// source until ctx is done; then it stops the server (ending the pages'
// event streams), stops watching and returns nil. It returns early with
// the error if serving or watching fails. report, if not nil, is called
// after each rebuild. Call Rebuild once before, so the first page served
// is the site. A Server runs once.
func (s *Server) Run(ctx context.Context, ln net.Listener, source string, report func(Report)) error {
	w, err := newWatcher(source)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()

	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(s.hub.close)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	errc := make(chan error, 2)
	changes := make(chan change, 64)
	batches := make(chan batch)
	wg.Go(func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	})
	wg.Go(func() {
		if err := w.run(ctx, changes); err != nil {
			errc <- err
		}
	})
	wg.Go(func() { debounce(ctx, changes, s.quiet, 10*s.quiet, batches) })

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case runErr = <-errc:
			break loop
		case b := <-batches:
			r := s.rebuild(ctx, b)
			if ctx.Err() == nil && report != nil {
				report(r)
			}
		}
	}
	cancel()
	// Shutdown lets requests in flight finish; the event streams end at
	// once (RegisterOnShutdown above). It would also wait up to 5 s for
	// connections a browser opened ahead and sent nothing on (Chromium
	// preconnects), so after a moment (pages come from memory, in
	// microseconds) the rest are closed.
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 500*time.Millisecond)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	wg.Wait()
	return runErr
}
