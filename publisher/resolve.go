package publisher

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Resolution is a person's answer about an item the runs could not settle
// on their own, given as `circulate publish --resolve ITEM VERB [URL]`:
//
//	posted URL  the post is there (its address): record it as posted
//	retry       it is not there: post it on the next run (a pending or
//	            failed item)
//	skip        never post it
//	deleted     the item was deleted, not renamed: no new item is taken
//	            for it by a guess (identity.go)
type Resolution struct {
	Network string // "" when the item has an entry on one network only
	Item    string // "events/storytime"
	Verb    string
	URL     string // for "posted"
}

// ResolveError is a resolution that cannot be applied; its message says
// how to write one that can.
type ResolveError struct{ Msg string }

func (e *ResolveError) Error() string { return e.Msg }

// Resolve applies r to the ledger, under the lock, and says what it did.
func Resolve(ctx context.Context, s Setup, r Resolution) (string, error) {
	path := LedgerFile(s.Root)
	lock, err := AcquireLock(ctx, path, s.LockWait, s.Waiting)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	l, err := LoadLedger(path)
	if err != nil {
		return "", err
	}
	var nets []string
	for net, items := range l.Networks {
		if items[r.Item] != nil && (r.Network == "" || r.Network == net) {
			nets = append(nets, net)
		}
	}
	slices.Sort(nets)
	switch {
	case len(nets) == 0:
		return "", &ResolveError{fmt.Sprintf("--resolve: %s has no entry in %s; give the item as section/slug, like events/storytime", r.Item, LedgerPath)}
	case len(nets) > 1:
		return "", &ResolveError{fmt.Sprintf("--resolve: %s is in the ledger for %s; say which network with --network", r.Item, strings.Join(nets, " and "))}
	}
	net := nets[0]
	e := l.Get(net, r.Item)
	var msg string
	switch r.Verb {
	case "posted":
		if !strings.HasPrefix(r.URL, "https://") {
			return "", &ResolveError{fmt.Sprintf("--resolve %s posted: give the post's address, like https://x.com/YourLibrary/status/1234567890", r.Item)}
		}
		e.State, e.PostURL, e.Error, e.Reason = Posted, r.URL, "", ""
		e.PostID = r.URL[strings.LastIndex(r.URL, "/")+1:]
		msg = fmt.Sprintf("%s: %s recorded as posted (%s)", net, r.Item, r.URL)
	case "retry":
		l.Delete(net, r.Item)
		msg = fmt.Sprintf("%s: %s will be posted on the next run (if it is still new enough)", net, r.Item)
	case "skip":
		e.State, e.Reason = Skipped, "skipped by hand (--resolve "+r.Item+" skip)"
		msg = fmt.Sprintf("%s: %s will not be posted", net, r.Item)
	case "deleted":
		var base *url.URL
		if s.Config != nil {
			base = s.Config.BaseURL
		}
		rec := l.record(r.Item, base)
		rec.Deleted = true
		l.Items[r.Item] = &rec
		msg = fmt.Sprintf("%s was deleted: new items are no longer taken for it (but `aliases: [%s]` in an item still says it is that one)", r.Item, rec.Path)
	default:
		return "", &ResolveError{fmt.Sprintf("--resolve %s: say `posted <post URL>`, `retry`, `skip` or `deleted`", r.Item)}
	}
	if err := l.Save(); err != nil {
		return "", err
	}
	return msg, nil
}
