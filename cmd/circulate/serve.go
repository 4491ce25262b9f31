package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/serve"
	"github.com/circulate-dev/circulate/publisher"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "serve", "[flags]", "Builds the site into memory and serves it for a preview. Saving a file rebuilds it and\nreloads the open pages; a problem shows on the page, with its file and line, until it is fixed.")
	sf.register(fl)
	port := fl.Int("port", 1313, "serve on this `port` (0 picks a free one)")
	bind := fl.String("bind", "127.0.0.1", "serve on this `address` (0.0.0.0: to every network, e.g. to try the site on a phone)")
	verbose := fl.Bool("v", false, "report each rebuild: what changed, and how long until the pages were told to reload")
	if err := fl.parse(args); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usageErr("--port %d is not a port: use a number from 1 to 65535, or 0 for any free one", *port)
	}
	defer sf.close()
	if _, err := os.Stat(filepath.Join(sf.source, "config.yaml")); err != nil {
		// Not a site folder (a mistyped --source, the wrong folder): say so
		// as build does, rather than serve a page of nothing.
		if _, _, err := sf.load(e); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(*port)))
	if err != nil {
		return &cliError{code: exitBuild, err: fmt.Errorf("cannot serve on %s: %w", net.JoinHostPort(*bind, strconv.Itoa(*port)), err),
			hints: []string{"another program (perhaps another `circulate serve`) may use that port: stop it, or pick another with --port (0 picks a free one)"}}
	}
	siteURL, prefix := serveURL(ln.Addr(), *bind, &sf)

	// The cache keeps the decoded content files between rebuilds; the
	// server tells it what changed, so a rebuild reads only that.
	cache := generator.NewCache()
	srv := serve.New(serve.Options{Build: serveBuild(e, &sf, cache), Prefix: prefix, Changed: func(paths []string) { cache.Changed(paths...) }})
	first := srv.Rebuild(ctx)
	var ce *cliError
	if errors.As(first.Err, &ce) {
		// A flag that is wrong (--now, --base-url) stays wrong: no use serving.
		ln.Close()
		return first.Err
	}
	if ctx.Err() != nil {
		ln.Close()
		return nil
	}
	failing := first.Err != nil
	if failing {
		printDiags(e, sf.source, first.Diags)
		fmt.Fprintf(e.stdout, "serving the site in %s at %s (Ctrl-C to stop)\n", sf.source, siteURL)
		fmt.Fprintln(e.stderr, "circulate: the site could not be built: fix the problems listed above; the browser shows them too, and reloads when they are fixed")
	} else {
		printSummed(e, sf.source, first.Site.Warnings)
		fmt.Fprintf(e.stdout, "serving %s at %s (Ctrl-C to stop)\n", first.Site.Title, siteURL)
	}

	report := func(r serve.Report) {
		changed := changedList(r.Changed)
		if r.Err != nil {
			printDiags(e, sf.source, r.Diags)
			fmt.Fprintf(e.stderr, "circulate: the site could not be rebuilt (changed: %s); still serving the last good version, with the problems shown on every page\n", changed)
			failing = true
			return
		}
		if *verbose {
			printSummed(e, sf.source, r.Site.Warnings)
			fmt.Fprintf(e.stdout, "rebuilt in %s (changed: %s); reload signal %s after the change, to %s\n",
				millis(r.Took), changed, millis(r.Latency), countOf(r.Pages, "open page"))
		} else if failing {
			fmt.Fprintf(e.stdout, "rebuilt: the problems are fixed (changed: %s)\n", changed)
		}
		failing = false
	}
	if err := srv.Run(ctx, ln, sf.source, report); err != nil {
		return &cliError{code: exitBuild, err: fmt.Errorf("serving the site: %w", err)}
	}
	return nil
}

// serveBuild loads the site the way `build` does, to render its files on
// request, with cache keeping the content files from one load to the next.
func serveBuild(e *env, sf *siteFlags, cache *generator.Cache) serve.BuildFunc {
	// sf.load prints config warnings; serve prints them with the build's.
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: e.getenv}
	var (
		mu    sync.Mutex
		moved []generator.Redirect // the last load's old addresses
	)
	return func(ctx context.Context) (*serve.Site, error) {
		// config.yaml is read here for its diagnostics, which the overlay
		// shows and sf.load only prints; sf.load reads it again to apply
		// the flags, which costs one small file.
		fsys, err := sf.open()
		if err != nil {
			return nil, err
		}
		_, cdiags := config.Load(fsys)
		if cdiags.HasErrors() {
			return nil, &generator.BuildError{Diags: cdiags.Errors()}
		}
		gc, fsys, err := sf.load(quiet)
		if err != nil {
			return nil, err
		}
		gc.Cache = cache
		// The last rebuild's redirects are the guess: they change only
		// when an item is renamed or the ledger changes. A ledger that
		// cannot be read shows no redirects and no social box (see
		// socialPosts): a warning says so, as build does.
		mu.Lock()
		guess := moved
		mu.Unlock()
		gs, used, ledgerErr, err := loadMoved(ctx, gc, fsys, sf.source, guess)
		if ctx.Err() == nil {
			mu.Lock()
			moved = used
			mu.Unlock()
		}
		if err != nil {
			return nil, err
		}
		site := serve.NewSite(gc.Site.Title, gs, socialPosts(gc, sf.source))
		site.Warnings = append(cdiags, site.Warnings...)
		if ledgerErr != nil {
			site.Warnings = append(site.Warnings, ledgerWarning(ledgerErr))
		}
		return site, nil
	}
}

// serveURL is where the site is served, and the URL path it lives under.
// Without --base-url the site is built for the server's own address, so
// its links and feeds point at the preview rather than at the live site.
func serveURL(addr net.Addr, bind string, sf *siteFlags) (siteURL, prefix string) {
	host := bind
	if ip := net.ParseIP(bind); ip != nil && ip.IsUnspecified() {
		host = "localhost" // 0.0.0.0 is not an address a browser can open
	}
	port := "1313"
	if ta, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
	}
	origin := "http://" + net.JoinHostPort(host, port)
	if sf.baseURL == "" {
		sf.baseURL = origin + "/"
		return sf.baseURL, "/"
	}
	// A --base-url with a path previews a site that lives under it;
	// sf.load reports a --base-url that is not a URL.
	prefix = "/"
	if u, err := config.ParseBaseURL(sf.baseURL); err == nil {
		prefix = u.Path
	}
	return origin + prefix, prefix
}

// changedList names the changed files, the first few of them.
func changedList(paths []string) string {
	if len(paths) == 0 {
		return "nothing"
	}
	if len(paths) > 3 {
		return fmt.Sprintf("%s and %d more", strings.Join(paths[:3], ", "), len(paths)-3)
	}
	return strings.Join(paths, ", ")
}

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + "ms" }

// ledgerWarning is the warning of a post ledger that cannot be read: the
// preview then lacks the redirect pages of renamed items and the social
// box, which the live site has.
func ledgerWarning(err error) diag.Diagnostic {
	var l diag.List
	const lacks = "the preview has no redirect pages for renamed items and no social box until it is fixed"
	if le, ok := errors.AsType[*publisher.LedgerError](err); ok {
		l.Warnf(publisher.LedgerPath, le.Line, "the post ledger is damaged (%v): %s; restore it from git (git checkout -- %s) or fix the line", le.Err, lacks, publisher.LedgerPath)
	} else {
		l.Warnf(publisher.LedgerPath, 0, "the post ledger cannot be read (%v): %s", err, lacks)
	}
	return l[0]
}
