package generator

import (
	"strconv"
	"strings"
	"sync"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Cache keeps the decoded content files of a site between loads, so that a
// load after an edit reads and parses (YAML and Markdown) only the files
// that changed. `serve` keeps one for as long as it runs and passes it in
// Config.Cache; `build` loads once and needs none.
//
// A cached file is trusted until Changed names it: the cache does not stat
// every file on each load, because on this project's machines stat-ing
// 10,000 files costs more (60 ms) than all the rest of an incremental load.
// Files that appeared or disappeared are found by listing the content
// folder (a few ms), so only edits of existing files need Changed.
//
// Everything else a load does (the theme, the checks across items, the
// model of the site) is redone every time from the cached items; a cached
// item is never modified, so sites loaded one after the other can share it.
type Cache struct {
	mu    sync.Mutex
	key   string             // the settings the cached files were decoded with
	srcs  map[string]*source // by file name, "content/news/x.md"
	stale map[string]bool    // names (or folders) Changed named since
	// The parsed layouts, kept until a file in themes/ changes (the
	// built-in theme is in the binary and does not).
	theme       *theme
	themeDiags  diag.List
	themeForKey string
}

// NewCache makes an empty cache.
func NewCache() *Cache { return &Cache{} }

// Changed says that these files of the site changed, appeared or were
// removed. Names are slash-separated and relative to the site's folder, as
// the file watcher reports them; a folder stands for everything in it. A
// name outside content/ (config.yaml, or anything the caller cannot place,
// such as a lost-events marker) empties the cache, so the next load reads
// everything; files in static/ and themes/ do not, as no content file's
// decoding depends on them.
func (c *Cache) Changed(names ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range names {
		switch {
		case n == ContentDir || strings.HasPrefix(n, ContentDir+"/"):
			if c.stale == nil {
				c.stale = map[string]bool{}
			}
			c.stale[n] = true
		case n == "themes" || strings.HasPrefix(n, "themes/"):
			c.theme = nil
		case n == "static" || strings.HasPrefix(n, "static/"):
		default:
			c.srcs, c.stale, c.theme = nil, nil, nil
		}
	}
}

// Reset empties the cache.
func (c *Cache) Reset() {
	c.mu.Lock()
	c.srcs, c.stale, c.theme = nil, nil, nil
	c.mu.Unlock()
}

// Len is how many files the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.srcs)
}

// cachedTheme returns the layouts parsed by an earlier load with the same
// theme settings, parsing them when there are none.
func (b *builder) cachedTheme() (*theme, diag.List) {
	c := b.opts.Cache
	if c == nil || b.opts.Theme != nil {
		return b.loadTheme() // a theme given as an fs.FS: no telling if it changed
	}
	key := b.base.String() + "\x00" + b.cfg.Theme
	c.mu.Lock()
	th, diags := c.theme, c.themeDiags
	ok := th != nil && c.themeForKey == key
	c.mu.Unlock()
	if !ok {
		th, diags = b.loadTheme()
		c.mu.Lock()
		c.theme, c.themeDiags, c.themeForKey = th, diags, key
		c.mu.Unlock()
	}
	// The layouts are shared (html/template runs them concurrently); the
	// overlay of theme files is this load's, over this load's folder.
	cp := *th
	cp.fs = b.themeFS
	return &cp, diags
}

// cacheKey is everything a content file's decoding depends on besides its
// bytes: a load with other settings starts from an empty cache.
func (b *builder) cacheKey() string {
	return strings.Join([]string{
		b.base.String(), b.cfg.Location.String(), b.cfg.CatalogURL,
		strconv.FormatBool(b.cfg.Unsafe),
		b.now.Format("2006-01-02"), // the "date: missing" error and the event date warnings
	}, "\x00")
}

// take holds the cache for a load by b until put (loads that share a cache
// run one at a time) and returns the look-up of the files it may reuse.
func (c *Cache) take(key string) func(name string) *source {
	c.mu.Lock()
	if c.key != key {
		c.key, c.srcs, c.stale = key, nil, nil
	}
	return func(name string) *source {
		if c.isStale(name) {
			return nil
		}
		return c.srcs[name]
	}
}

// isStale reports whether Changed named the file or a folder it is in.
func (c *Cache) isStale(name string) bool {
	if len(c.stale) == 0 {
		return false
	}
	for p := name; ; {
		if c.stale[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// put stores the files of a complete load (every listed file, loaded or
// cached) and releases the cache. After a load cut short, complete is false
// and the cache keeps what it had, stale marks included.
func (c *Cache) put(srcs map[string]*source, complete bool) {
	defer c.mu.Unlock()
	if !complete {
		return
	}
	c.srcs, c.stale = srcs, nil
}
