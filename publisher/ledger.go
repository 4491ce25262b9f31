package publisher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// LedgerPath is where a site keeps its ledger, relative to the site root.
const LedgerPath = ".circulate/ledger.json"

// State is where an item stands on one network.
type State string

const (
	// Baseline: visible when circulate was adopted; never posted.
	Baseline State = "baseline"
	// Skipped: not to be posted (too old, event started, tweet: false).
	Skipped State = "skipped"
	// Pending: a post request was (or may have been) sent and its outcome
	// is not known. Recorded before the request, so a crash can never lead
	// to a second post.
	Pending State = "pending"
	// Posted: the post exists.
	Posted State = "posted"
	// Failed: the network refused the post for good (not the credentials).
	Failed State = "failed"
)

// Entry is one item on one network. Fields are in alphabetical order so
// the JSON reads with sorted keys.
type Entry struct {
	Error   string    `json:"error,omitempty"`
	ItemURL string    `json:"item_url,omitempty"`
	PostID  string    `json:"post_id,omitempty"`
	PostURL string    `json:"post_url,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	State   State     `json:"state"`
	Text    string    `json:"text,omitempty"`
	Time    time.Time `json:"time"`
}

// Ledger records what has been posted where: network -> item ID -> entry.
// It is committed to the site's repository by CI, so its format is stable
// and its diffs readable: sorted keys, two-space indent, one final newline.
type Ledger struct {
	Networks map[string]map[string]*Entry `json:"networks"`
	Version  int                          `json:"version"`

	path string // where it is saved; "" for a ledger in memory
}

// NewLedger is an empty ledger to be saved at path.
func NewLedger(path string) *Ledger {
	return &Ledger{Networks: map[string]map[string]*Entry{}, Version: 1, path: path}
}

// LoadLedger reads the ledger at path. A missing file is an empty ledger
// (a first run); a file that does not parse is an error that names it and
// is never replaced, since replacing it would post everything again.
func LoadLedger(path string) (*Ledger, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewLedger(path), nil
	}
	if err != nil {
		return nil, err
	}
	l := NewLedger(path)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(l); err != nil {
		return nil, &LedgerError{Path: path, Err: err, Line: jsonLine(data, err)}
	}
	if l.Version != 1 {
		return nil, &LedgerError{Path: path, Err: fmt.Errorf("version %d is not one this circulate knows (1); update circulate", l.Version)}
	}
	for net, items := range l.Networks {
		for id, e := range items {
			if e == nil || !slices.Contains([]State{Baseline, Skipped, Pending, Posted, Failed}, e.State) {
				return nil, &LedgerError{Path: path, Err: fmt.Errorf("%s: %s: the state is not one of baseline, skipped, pending, posted, failed", net, id)}
			}
		}
	}
	if l.Networks == nil {
		l.Networks = map[string]map[string]*Entry{}
	}
	return l, nil
}

// LedgerError is a ledger that cannot be read.
type LedgerError struct {
	Path string
	Line int
	Err  error
}

func (e *LedgerError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.Path, e.Line)
	}
	return fmt.Sprintf("%s: the post ledger is damaged (%v); it was left as it is. Restore it from git (git checkout -- %s) or fix the line; deleting it would make the next run a new baseline", where, e.Err, e.Path)
}

func jsonLine(data []byte, err error) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
	case errors.As(err, &te):
		return bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")) + 1
	}
	return 0
}

// Clone is a deep copy, not saved anywhere: what a dry run works on.
func (l *Ledger) Clone() *Ledger {
	c := NewLedger("")
	c.Version = l.Version
	for net, items := range l.Networks {
		c.Networks[net] = make(map[string]*Entry, len(items))
		for id, e := range items {
			cp := *e
			c.Networks[net][id] = &cp
		}
	}
	return c
}

// Get returns the entry of an item on a network, or nil.
func (l *Ledger) Get(network, id string) *Entry {
	return l.Networks[network][id]
}

// Set records an entry in memory; Save writes it.
func (l *Ledger) Set(network, id string, e *Entry) {
	if l.Networks[network] == nil {
		l.Networks[network] = map[string]*Entry{}
	}
	l.Networks[network][id] = e
}

// Delete forgets an item on a network (a request that surely failed).
func (l *Ledger) Delete(network, id string) {
	delete(l.Networks[network], id)
}

// Marshal is the ledger's file contents.
func (l *Ledger) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Save writes the ledger atomically: a temporary file in the same folder,
// synced, then renamed over the old one, then the folder synced, so a crash
// leaves either the old ledger or the new one, never half of one.
func (l *Ledger) Save() error {
	if l.path == "" {
		return nil
	}
	data, err := l.Marshal()
	if err != nil {
		return err
	}
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".ledger-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, l.path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Posts lists the posted entries of a network, newest first.
func (l *Ledger) Posts(network string) []PostRecord {
	var out []PostRecord
	for id, e := range l.Networks[network] {
		if e.State == Posted {
			out = append(out, PostRecord{Item: id, Entry: *e})
		}
	}
	slices.SortFunc(out, func(a, b PostRecord) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Item, b.Item)
	})
	return out
}

// RecentPosts lists the latest n posts the ledger of the site at root
// records on a network, newest first, for the site's social box. A ledger
// that cannot be read has none: the box is no reason to stop a build.
func RecentPosts(root, network string, n int) []PostRecord {
	l, err := LoadLedger(LedgerFile(root))
	if err != nil {
		return nil
	}
	posts := l.Posts(network)
	return posts[:min(n, len(posts))]
}

// PostRecord is a posted entry with its item ID.
type PostRecord struct {
	Item string
	Entry
}
