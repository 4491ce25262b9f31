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
	// Attempts counts the runs that sent Text and may have reached the
	// network (pending, posted or failed entries): a pending item is sent
	// again at most a few times.
	Attempts int `json:"attempts,omitempty"`
	// Checks counts the runs that looked for a pending post and could not
	// confirm it (the account's timeline can lag).
	Checks  int    `json:"checks,omitempty"`
	Error   string `json:"error,omitempty"`
	ItemURL string `json:"item_url,omitempty"`
	// Key is the item's ID when it was first sent: what a network that
	// keys posts by item (Mastodon's Idempotency-Key, Bluesky's record
	// key) gets again when the post is sent again, even after a rename.
	Key     string `json:"key,omitempty"`
	PostID  string `json:"post_id,omitempty"`
	PostURL string `json:"post_url,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Sent is when Text was first sent.
	Sent  *time.Time `json:"sent,omitempty"`
	State State      `json:"state"`
	// Text is exactly what was sent (pending, posted) or refused (failed):
	// a pending item is only ever sent again with this text, never with
	// the item's text of the day, so the network's duplicate guard holds.
	Text string    `json:"text,omitempty"`
	Time time.Time `json:"time"`
}

// ItemRecord is what the ledger knows of an item whatever the network: its
// file, its address and what it looked like, to recognise it after its
// file is renamed or its slug changes (identity.go). Fields are in
// alphabetical order so the JSON reads with sorted keys.
type ItemRecord struct {
	// Body is a hash of the item's text (not its front matter).
	Body string `json:"body,omitempty"`
	// Date is the item's date, RFC 3339.
	Date string `json:"date,omitempty"`
	// Deleted: a person said the item was deleted, not renamed (--resolve
	// ID deleted): no new item is taken for it by a guess.
	Deleted bool   `json:"deleted,omitempty"`
	File    string `json:"file,omitempty"`
	Kind    string `json:"kind,omitempty"`
	// OldPaths are the site paths it had before (posts may link to them):
	// each gets a redirect page to the item.
	OldPaths []string `json:"old_paths,omitempty"`
	Path     string   `json:"path,omitempty"`
	Title    string   `json:"title,omitempty"`
}

// Ledger records what has been posted where: network -> item ID -> entry,
// and what each item was (item ID -> record). It is committed to the site's
// repository by CI, so its format is stable and its diffs readable: sorted
// keys, two-space indent, one final newline.
type Ledger struct {
	Items    map[string]*ItemRecord       `json:"items,omitempty"`
	Networks map[string]map[string]*Entry `json:"networks"`
	Version  int                          `json:"version"`

	path string // where it is saved; "" for a ledger in memory
}

// ledgerVersion is the format this circulate writes; it reads 1 too (no
// item records: they are filled in by the next run).
const ledgerVersion = 2

// NewLedger is an empty ledger to be saved at path.
func NewLedger(path string) *Ledger {
	return &Ledger{Items: map[string]*ItemRecord{}, Networks: map[string]map[string]*Entry{}, Version: ledgerVersion, path: path}
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
	if l.Version != 1 && l.Version != ledgerVersion {
		return nil, &LedgerError{Path: path, Err: fmt.Errorf("version %d is not one this circulate knows (1 or %d); update circulate", l.Version, ledgerVersion)}
	}
	l.Version = ledgerVersion
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
	if l.Items == nil {
		l.Items = map[string]*ItemRecord{}
	}
	for id, r := range l.Items {
		if r == nil {
			delete(l.Items, id)
		}
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
	for id, r := range l.Items {
		cp := *r
		cp.OldPaths = slices.Clone(r.OldPaths)
		c.Items[id] = &cp
	}
	return c
}

// known reports whether any network has an entry for the item.
func (l *Ledger) known(id string) bool {
	for _, items := range l.Networks {
		if items[id] != nil {
			return true
		}
	}
	return false
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
// Its record goes too when no network has an entry for it any more.
func (l *Ledger) Delete(network, id string) {
	delete(l.Networks[network], id)
	if !l.known(id) {
		delete(l.Items, id)
	}
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

// Posts lists the posted entries of a network whose post's address is
// known, newest first.
func (l *Ledger) Posts(network string) []PostRecord {
	var out []PostRecord
	for id, e := range l.Networks[network] {
		if e.State == Posted && e.PostURL != "" {
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
