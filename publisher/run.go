package publisher

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

// Setup is everything a run takes from outside the items: the site's folder
// and settings, the environment, the transport, the clock. The command
// line fills it from its flags; tests fill it with fakes.
type Setup struct {
	// Root is the site's folder: the ledger is Root/.circulate/ledger.json.
	Root string
	// Config is the site's config.yaml (social.*, base_url).
	Config *config.Config
	// Getenv reads the environment: credentials, and CIRCULATE_X_API_URL
	// (a test server instead of X). Nil reads nothing: every network is a
	// dry run.
	Getenv func(string) string
	// HTTPClient carries the requests (nil: a fresh http.Client); each
	// network sets its own timeout.
	HTTPClient *http.Client
	// Now is the clock. Nil is the real clock, which is what posting
	// always uses: the command line sets it only for dry runs (a --now
	// preview never posts). Tests of this package set it.
	Now func() time.Time
	// DryRun decides and composes but neither posts nor saves; Why says
	// why, for the person reading ("--dry-run", "not in CI").
	DryRun bool
	Why    string
	// Written reports whether an item's page is in the site this run
	// deploys: an item is posted only then, so a post never links to a page
	// that is not there. Nil means no page is: only dry runs may pass nil.
	Written func(it *item.Item) bool
	// LockWait bounds how long a run waits for another run that holds the
	// ledger's lock (0: 10 minutes); Waiting is told, now and then, that it
	// is waiting.
	LockWait time.Duration
	Waiting  func(msg string)
	// Networks limits the run to these networks (by name: x, mastodon,
	// bluesky); empty means every enabled one.
	Networks []string
	// Sleep waits between retries (nil sleeps for real); tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
}

// LedgerFile is where the ledger of the site at root is.
func LedgerFile(root string) string {
	return filepath.Join(root, filepath.FromSlash(LedgerPath))
}

func (s *Setup) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

func (s *Setup) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Result is what a run did: the items it recognised under a new ID, the
// items it held for a person, and a report per enabled network.
type Result struct {
	Moves   []Move    `json:"moves,omitempty"`
	Holds   []Hold    `json:"holds,omitempty"`
	Reports []*Report `json:"reports"`
}

// Posted reports whether the run made (or found) a post, so that what
// shows the account's posts is to be written again.
func (r *Result) Posted() bool {
	for _, rep := range r.Reports {
		for _, o := range rep.Outcomes {
			if !rep.DryRun && (o.Action == ActPosted || o.Action == ActSettled) {
				return true
			}
		}
	}
	return false
}

// Failed lists the outcomes that need a person: posts a network refused
// for good, and pending posts that could not be settled. A run that has
// any has failed, though it did all it could. Dry runs fail nothing.
func (r *Result) Failed() []Outcome {
	var out []Outcome
	for _, rep := range r.Reports {
		if rep.DryRun {
			continue
		}
		for _, o := range rep.Outcomes {
			if o.Action == ActFailed || o.Action == ActUnresolved {
				out = append(out, o)
			}
		}
	}
	return out
}

// opened is a network ready for a run.
type opened struct {
	spec networkSpec
	set  Settings
	net  Network
	comp *Composer
	dry  bool
	why  string
}

// open prepares the enabled networks; a network without credentials is a
// dry run that says which variables are missing.
func (s *Setup) open() ([]opened, error) {
	var out []opened
	for _, spec := range networkSpecs() {
		set := spec.Settings(s.Config)
		if !set.Enabled || (len(s.Networks) > 0 && !slices.Contains(s.Networks, spec.Name)) {
			continue
		}
		comp, err := NewComposer(set.Key, set.Templates)
		if err != nil {
			return nil, &ConfigError{Err: err}
		}
		net, missing := spec.Open(s, set)
		o := opened{spec: spec, set: set, net: net, comp: comp, dry: s.DryRun, why: s.Why}
		if !o.dry && len(missing) > 0 {
			o.dry, o.why = true, strings.Join(missing, ", ")+" not set"
		}
		out = append(out, o)
	}
	return out, nil
}

// Enabled lists the networks config.yaml turns on, by name.
func Enabled(cfg *config.Config) []string {
	var names []string
	for _, spec := range networkSpecs() {
		if spec.Settings(cfg).Enabled {
			names = append(names, spec.Name)
		}
	}
	return names
}

// Run posts the new items among items to every enabled network, at most
// once each, and records what it did in the ledger. It returns an *Error of
// kind Auth when a network refuses the credentials (nothing more can be
// posted there until someone fixes them), a *ConfigError for a template
// that does not work, a *LedgerError for a ledger that cannot be read, and
// a *RecordError when a post was made but could not be recorded. Posts
// refused for good are in the reports (Result.Failed); they are not errors
// of the run, but the run has failed all the same.
func Run(ctx context.Context, s Setup, items []*item.Item) (*Result, error) {
	nets, err := s.open()
	if err != nil || len(nets) == 0 {
		return &Result{}, err
	}
	path := LedgerFile(s.Root)
	real := false
	for _, n := range nets {
		real = real || !n.dry
	}
	if real {
		lock, err := AcquireLock(ctx, path, s.LockWait, s.Waiting)
		if err != nil {
			return &Result{}, err
		}
		defer lock.Release()
	}
	l, err := LoadLedger(path)
	if err != nil {
		return &Result{}, err
	}
	if !real {
		l = l.Clone() // a dry run changes nothing, even in memory
	}
	base := s.Config.BaseURL
	id := identify(items, l, base)
	id.apply(l, items, base)
	res := &Result{Moves: id.moves}
	for _, h := range id.holds {
		res.Holds = append(res.Holds, h)
	}
	slices.SortFunc(res.Holds, func(a, b Hold) int { return strings.Compare(a.Item, b.Item) })
	if real && len(id.moves) > 0 {
		if err := l.Save(); err != nil {
			return res, err
		}
	}
	now := s.now()
	var netErrs []error
	lines := &keyLines{root: s.Root}
	byID := map[string]*item.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, n := range nets {
		led := l
		if n.dry && real {
			led = l.Clone()
		}
		rep, err := Publish(ctx, items, led, n.net, n.comp, Options{
			Now: now, MaxAge: s.Config.Social.MaxAge, MaxPosts: n.set.MaxPosts,
			DryRun: n.dry, Sleep: s.Sleep, Written: s.Written, Holds: id.holds,
		})
		if rep != nil {
			var renamed []Outcome
			for _, m := range id.moves {
				if led.Get(n.spec.Name, m.To) == nil {
					continue
				}
				o := Outcome{Item: m.To, Action: ActRenamed, Message: fmt.Sprintf("was %s (%s): the same item, not posted again; its old address leads to it", m.From, m.Why)}
				if it := byID[m.To]; it != nil {
					o.Title = it.Title
				}
				if m.Certainty == Likely {
					o.Message += fmt.Sprintf(". If it is a different item after all, run `circulate publish --resolve %s retry` to post it", m.To)
				}
				renamed = append(renamed, o)
			}
			rep.Outcomes = append(renamed, rep.Outcomes...)
			rep.DryRun = n.dry
			if n.dry {
				rep.Why = n.why
			}
			for i := range rep.Outcomes {
				o := &rep.Outcomes[i]
				if it := byID[o.Item]; it != nil && (o.Action == ActFailed || o.Action == ActUnresolved || len(o.Notes) > 0) {
					o.File, o.Line = it.File, lines.of(it, "title")
					if it.Tweet != "" {
						o.Line = lines.of(it, "tweet")
					}
				}
			}
			res.Reports = append(res.Reports, rep)
		}
		if err != nil {
			// A network that refuses the credentials (or fails otherwise
			// in its own way) does not hold the others up; a ledger that
			// cannot be written stops the run, since nothing could be
			// recorded.
			var ne *Error
			if !errors.As(err, &ne) {
				return res, err
			}
			netErrs = append(netErrs, &NetworkError{Network: n.spec.Name, Title: n.spec.Title, Err: ne})
		}
	}
	return res, errors.Join(netErrs...)
}

// NetworkError is the failure of one network in a run whose other networks
// went on; it wraps the network's *Error.
type NetworkError struct {
	Network, Title string
	Err            *Error
}

func (e *NetworkError) Error() string { return e.Title + ": " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

// Moved lists the old addresses of the items, from the ledger of the site
// at root and what this run will find renamed (identity.go), for the
// generator's redirect pages. It is a pure function of the items and the
// ledger: it runs before the site is rendered, so that the site a run
// deploys already has the redirect of an item it finds renamed. A ledger
// that cannot be read is an error (the run would stop on it anyway).
func Moved(root string, cfg *config.Config, items []*item.Item) ([]OldPath, error) {
	l, err := LoadLedger(LedgerFile(root))
	if err != nil {
		return nil, err
	}
	l = l.Clone()
	identify(items, l, cfg.BaseURL).apply(l, items, cfg.BaseURL)
	var out []OldPath
	for _, it := range items {
		if r := l.Items[it.ID]; r != nil && it.Kind != item.Page {
			for _, p := range r.OldPaths {
				if p != it.Path {
					out = append(out, OldPath{Path: p, Item: it.ID})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b OldPath) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// ConfigError is a post setting in config.yaml that does not work.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return "config.yaml: " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// RecordError is a post that was made but could not be recorded in the
// ledger: the next run would not know of it, so a person must record it.
type RecordError struct {
	Network, Item, PostURL string
	Err                    error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s: posted %s (%s), but the ledger could not be saved: %v", e.Network, e.Item, e.PostURL, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }
