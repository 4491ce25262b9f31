package serve

import (
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Server serves the last good build of the site, with the reload script,
// and the overlay while the latest build failed. It is safe for concurrent
// use: requests read what rebuilds replace.
type Server struct {
	build   BuildFunc
	changed func(paths []string)
	prefix  string // the URL path the site lives under: "/" or "/lib/"
	quiet   time.Duration
	hub     *hub
	// epoch tells this process's versions from those of a server started
	// earlier on the same port, whose pages may still be open.
	epoch string

	mu      sync.RWMutex
	site    *Site     // nil until a build succeeds
	failure diag.List // the latest build's problems; nil when it worked
	builds  int
	version string // changes with every build, so pages can tell they are stale
}

// Options configure a Server.
type Options struct {
	Build BuildFunc
	// Prefix is the URL path the site is built for, from its base URL;
	// "" means "/".
	Prefix string
	// Quiet is how long the files must stay unchanged before a rebuild, so
	// an editor's burst of writes makes one rebuild; 0 means 30 ms. An
	// editor's save (temporary file, rename, backup) takes a few ms; a
	// longer burst, such as a git checkout, may make two rebuilds, which
	// with incremental loads cost tens of ms, less than a longer wait on
	// every save would.
	Quiet time.Duration
	// Changed, if set, hears which files changed before the rebuild they
	// cause (slash-separated, from the site's folder): an incremental
	// build forgets what it knew of them (generator.Cache.Changed).
	Changed func(paths []string)
}

// New makes a Server; it serves nothing useful until the first Rebuild.
func New(o Options) *Server {
	prefix := "/" + strings.Trim(o.Prefix, "/") + "/"
	if prefix == "//" {
		prefix = "/"
	}
	if o.Quiet <= 0 {
		o.Quiet = 30 * time.Millisecond
	}
	epoch := strconv.FormatInt(time.Now().UnixNano(), 36)
	return &Server{build: o.Build, changed: o.Changed, prefix: prefix, quiet: o.Quiet, hub: newHub(), epoch: epoch, version: epoch + "-0"}
}

// update records a build's outcome and tells every open page to reload:
// to show the new site, or the overlay. It returns how many were told.
func (s *Server) update(site *Site, err error) int {
	s.mu.Lock()
	if err != nil {
		s.failure = problems(err)
	} else {
		s.site, s.failure = site, nil
	}
	s.builds++
	s.version = s.epoch + "-" + strconv.Itoa(s.builds)
	s.mu.Unlock()
	return s.hub.broadcast("reload")
}

// ServeHTTP serves the site's files: a folder's index.html for its path,
// the site's 404.html for a missing file, and the reload stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == ReloadPath {
		s.serveEvents(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.RLock()
	site, failure, version := s.site, s.failure, s.version
	s.mu.RUnlock()

	var ov []byte
	if failure != nil {
		ov = overlayHTML(failure, site != nil)
	}
	if site == nil {
		// Nothing ever built: a blank page for the overlay to sit on.
		s.write(w, r, http.StatusServiceUnavailable, "index.html", []byte(blankPage), ov, version)
		return
	}

	name, ok := s.fileName(r.URL.Path)
	if ok {
		if data, found, err := site.file(r.Context(), name); err != nil {
			// A layout failed on this page: say so on the page, over
			// the site's overlay if the latest build failed too.
			s.write(w, r, http.StatusInternalServerError, "index.html", []byte(blankPage), pageFailedHTML(slices.Concat(failure, problems(err))), version)
			return
		} else if found {
			s.write(w, r, http.StatusOK, name, data, ov, version)
			return
		}
		// A folder asked for without its slash: send the browser to the
		// slashed path, as static hosts do, so relative links work.
		if site.has(path.Join(name, "index.html")) && !strings.HasSuffix(r.URL.Path, "/") {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
	}
	if data, found, err := site.file(r.Context(), "404.html"); found && err == nil {
		s.write(w, r, http.StatusNotFound, "404.html", data, ov, version)
		return
	}
	http.NotFound(w, r)
}

// fileName maps a URL path to the file that answers it; ok is false for a
// path outside the site's prefix.
func (s *Server) fileName(urlPath string) (name string, ok bool) {
	rest, ok := strings.CutPrefix(urlPath, s.prefix)
	if !ok {
		if urlPath+"/" != s.prefix {
			return "", false
		}
		rest = ""
	}
	if rest == "" || strings.HasSuffix(rest, "/") {
		rest += "index.html"
	}
	// Clean resolves "..", so a request cannot name a file outside the site
	// (there are none in memory, but the map key must be canonical).
	return strings.TrimPrefix(path.Clean("/"+rest), "/"), true
}

const blankPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The site could not be built</title></head><body></body></html>`

// write sends one file. Pages are never cached: after a rebuild the
// reload must fetch the new page.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, data, overlay []byte, version string) {
	ctype := contentType(name)
	if isHTML(ctype) {
		data = inject(data, overlay, scriptHTML(version))
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// contentType names the site's own kinds of file itself rather than asking
// the system's MIME table, which differs between machines (some know no
// .ics, some say text/xml).
func contentType(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".ics":
		return "text/calendar; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}
