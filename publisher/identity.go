package publisher

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Item identity across renames.
//
// The ledger keys entries by item ID ("news/a-2": section and slug), and a
// librarian changes both without a second thought: renaming a-2.md to
// a-2-renamed.md, or adding `slug:`. The item is the same, its post is
// made, and posting it again under its new ID would be a second post of
// one item (issue 10). So the ledger also keeps a record of each item it
// has an entry for (ItemRecord): its file, its address, the addresses it
// had before, and a fingerprint (kind, date, title, a hash of its text).
//
// Before each run (and before the site is rendered, so that this run's
// site already has the redirect pages), every item the ledger has no entry
// for is compared with the entries whose item is gone from the site:
//
//   - certain: its `aliases:` name the entry's address (or one it had), or
//     it is in the entry's file (the slug changed, or a rename back);
//   - likely: the same kind and at least two of the same date, the same
//     title, the same text;
//   - a guess: the same kind and the same title or text, but not two.
//
// A certain or likely match, unique both ways, moves the entries to the
// item's new ID ("renamed"), keeping the old address in the record: it is
// not posted again, and the old address becomes a redirect page (the post
// links to it). A likely match is said (check warns, the run reports it),
// since it could be wrong. A guess, or a match that is not unique, holds
// the item, neither posted nor recorded, and says how to settle it: name
// the old address in `aliases:` (then it is certain), or say that the old
// item was deleted (`circulate publish --resolve OLD deleted`). Holding
// costs a delay; guessing wrong would cost a second post.

// Certainty says how sure a match is.
type Certainty string

const (
	Certain Certainty = "certain"
	Likely  Certainty = "likely"
)

// Move is an item the ledger knew under another ID.
type Move struct {
	From      string    `json:"from"` // the ID the ledger had
	To        string    `json:"to"`   // the item's ID now
	Certainty Certainty `json:"certainty"`
	Why       string    `json:"why"` // "the same file, content/news/a.md"
}

// Hold is an item that may be one the ledger knew under another ID: it
// waits for a person to say.
type Hold struct {
	Item       string   `json:"item"`
	Candidates []string `json:"candidates"` // the IDs it may be
	Message    string   `json:"message"`
}

// identity is the outcome of matching items with the ledger.
type identity struct {
	moves []Move
	holds map[string]Hold
}

// orphan is an entry whose item is gone from the site.
type orphan struct {
	id  string
	rec ItemRecord
}

// identify matches the items the ledger has no entry for with the entries
// whose item is gone. It changes nothing.
func identify(items []*item.Item, l *Ledger, base *url.URL) identity {
	out := identity{holds: map[string]Hold{}}
	present := make(map[string]bool, len(items))
	for _, it := range items {
		present[it.ID] = true
	}
	var orphans []*orphan
	for _, id := range l.ids() {
		if !present[id] {
			orphans = append(orphans, &orphan{id: id, rec: l.record(id, base)})
		}
	}
	if len(orphans) == 0 {
		return out
	}
	var fresh []*item.Item
	for _, it := range items {
		if it.Kind != item.Page && !l.known(it.ID) {
			fresh = append(fresh, it)
		}
	}
	slices.SortFunc(fresh, func(a, b *item.Item) int { return strings.Compare(a.ID, b.ID) })

	taken := map[*orphan]bool{}
	decided := map[string]bool{}
	type level struct {
		c     Certainty
		match func(it *item.Item, o *orphan) string // why, or ""
	}
	for _, lv := range []level{{Certain, certainMatch}, {Likely, likelyMatch}} {
		cands := map[string][]*orphan{}
		rev := map[*orphan][]*item.Item{}
		whys := map[string]string{}
		for _, it := range fresh {
			if decided[it.ID] {
				continue
			}
			for _, o := range orphans {
				if taken[o] {
					continue
				}
				if why := lv.match(it, o); why != "" {
					cands[it.ID] = append(cands[it.ID], o)
					rev[o] = append(rev[o], it)
					whys[it.ID+"\x00"+o.id] = why
				}
			}
		}
		for _, it := range fresh {
			cs := cands[it.ID]
			switch {
			case len(cs) == 0:
				continue
			case len(cs) == 1 && len(rev[cs[0]]) == 1:
				o := cs[0]
				taken[o] = true
				out.moves = append(out.moves, Move{From: o.id, To: it.ID, Certainty: lv.c, Why: whys[it.ID+"\x00"+o.id]})
			default:
				out.holds[it.ID] = hold(it, cs, "more than one item could be this one or it could be more than one")
			}
			decided[it.ID] = true
		}
	}
	for _, it := range fresh {
		if decided[it.ID] {
			continue
		}
		var cs []*orphan
		why := ""
		for _, o := range orphans {
			if w := guessMatch(it, o); w != "" && !taken[o] {
				cs, why = append(cs, o), w
			}
		}
		if len(cs) > 0 {
			if len(cs) > 1 {
				why = "the same title or text"
			}
			out.holds[it.ID] = hold(it, cs, why)
		}
	}
	return out
}

func hold(it *item.Item, cs []*orphan, why string) Hold {
	h := Hold{Item: it.ID}
	var olds, deletes []string
	for _, o := range cs {
		h.Candidates = append(h.Candidates, o.id)
		olds = append(olds, o.rec.Path)
		deletes = append(deletes, "`circulate publish --resolve "+o.id+" deleted`")
	}
	h.Message = fmt.Sprintf("held, not posted: it may be %s, whose file is gone (%s), renamed; posting it could post that item twice. If it is, add `aliases: [%s]` to its front matter; if it is another item, run %s",
		strings.Join(h.Candidates, " or "), why, strings.Join(olds, ", "), strings.Join(deletes, " and "))
	return h
}

// certainMatch: the item says it is the orphan (aliases), or it is in the
// orphan's file.
func certainMatch(it *item.Item, o *orphan) string {
	for _, a := range it.Aliases {
		if a == o.rec.Path || slices.Contains(o.rec.OldPaths, a) {
			return "its aliases: name " + a
		}
	}
	if o.rec.File != "" && o.rec.File == it.File {
		return "the same file, " + it.File
	}
	return ""
}

// likelyMatch: the same kind and two of date, title, text.
func likelyMatch(it *item.Item, o *orphan) string {
	if o.rec.Deleted || o.rec.Kind != string(it.Kind) {
		return ""
	}
	same := signals(it, o.rec)
	if len(same) < 2 {
		return ""
	}
	return "the same " + strings.Join(same, " and ")
}

// guessMatch: the same kind and title or text.
func guessMatch(it *item.Item, o *orphan) string {
	if o.rec.Deleted || o.rec.Kind != string(it.Kind) {
		return ""
	}
	var same []string
	for _, s := range signals(it, o.rec) {
		if s != "date" {
			same = append(same, s)
		}
	}
	if len(same) == 0 {
		return ""
	}
	return "the same " + strings.Join(same, " and ")
}

// signals lists what the item and the record have in common of "date",
// "title" and "text".
func signals(it *item.Item, r ItemRecord) []string {
	var same []string
	if d, err := time.Parse(time.RFC3339, r.Date); err == nil && d.Equal(it.Date) {
		same = append(same, "date")
	}
	if r.Title != "" && normTitle(r.Title) == normTitle(it.Title) {
		same = append(same, "title")
	}
	if r.Body != "" && r.Body == bodyHash(it) {
		same = append(same, "text")
	}
	return same
}

func normTitle(s string) string { return strings.ToLower(normText(s)) }

// bodyHash is a short hash of an item's rendered text, or "" for none.
func bodyHash(it *item.Item) string {
	if strings.TrimSpace(string(it.Body)) == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(it.Body))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// recordOf is the record of an item as it is now, keeping old addresses.
func recordOf(it *item.Item, old *ItemRecord) *ItemRecord {
	r := &ItemRecord{Body: bodyHash(it), Date: it.Date.Format(time.RFC3339), File: it.File,
		Kind: string(it.Kind), Path: it.Path, Title: it.Title}
	if old != nil {
		for _, p := range old.OldPaths {
			if p != it.Path && !slices.Contains(r.OldPaths, p) {
				r.OldPaths = append(r.OldPaths, p)
			}
		}
	}
	return r
}

// setEntry records an item's entry on a network, and the item's record.
func (l *Ledger) setEntry(network string, it *item.Item, e *Entry) {
	l.Set(network, it.ID, e)
	l.Items[it.ID] = recordOf(it, l.Items[it.ID])
}

// ids lists every item ID the ledger has an entry or a record for, sorted.
func (l *Ledger) ids() []string {
	seen := map[string]bool{}
	for _, items := range l.Networks {
		for id := range items {
			seen[id] = true
		}
	}
	for id := range l.Items {
		seen[id] = true
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// record is what the ledger knows of an item: its record, or for a ledger
// written before records (version 1), what its entries say (the address
// posts link to).
func (l *Ledger) record(id string, base *url.URL) ItemRecord {
	if r := l.Items[id]; r != nil {
		return *r
	}
	r := ItemRecord{}
	section, _, _ := strings.Cut(id, "/")
	for _, k := range item.Kinds {
		if k.Section() == section {
			r.Kind = string(k)
		}
	}
	for _, net := range slices.Sorted(maps.Keys(l.Networks)) {
		if e := l.Networks[net][id]; e != nil && e.ItemURL != "" {
			r.Path = sitePath(e.ItemURL, base)
			break
		}
	}
	return r
}

// sitePath is the site path of an item's URL: without the host and the
// base URL's own path, "/news/a/".
func sitePath(itemURL string, base *url.URL) string {
	u, err := url.Parse(itemURL)
	if err != nil {
		return ""
	}
	p := u.Path
	if base != nil && strings.HasPrefix(p, base.Path) {
		p = "/" + strings.TrimPrefix(p, base.Path)
	}
	return p
}

// apply moves the entries and records of each move to the item's new ID,
// then brings the records of the items the ledger knows up to date.
func (id identity) apply(l *Ledger, items []*item.Item, base *url.URL) {
	for _, m := range id.moves {
		rec := l.record(m.From, base)
		for _, entries := range l.Networks {
			if e := entries[m.From]; e != nil {
				entries[m.To] = e
				delete(entries, m.From)
			}
		}
		delete(l.Items, m.From)
		if rec.Path != "" && !slices.Contains(rec.OldPaths, rec.Path) {
			rec.OldPaths = append(rec.OldPaths, rec.Path)
		}
		l.Items[m.To] = &rec
	}
	for _, it := range items {
		if it.Kind != item.Page && l.known(it.ID) {
			l.Items[it.ID] = recordOf(it, l.Items[it.ID])
		}
	}
}

// OldPath is an old address of an item, which posts may link to: the site
// serves a redirect page there.
type OldPath struct {
	Path string // "/news/a-2/"
	Item string // the item's ID now, "news/a-2-renamed"
}
