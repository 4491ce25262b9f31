package publisher

import (
	"os"
	"path/filepath"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// Check says, before any run, what would go wrong or look wrong when the
// items are posted: a template that cannot be written, a post text the
// network would cut. It warns only about posts that can still happen: an
// item already in the ledger (posted, baseline, skipped), one that will be
// skipped or is held is not posted, so a warning about it could never be
// fixed and `check --strict` would fail for ever. It reads the ledger but
// takes no lock and changes nothing.
func Check(s Setup, items []*item.Item) diag.List {
	var diags diag.List
	nets, err := s.open()
	if err != nil {
		diags.Errorf("config.yaml", 0, "%v", unwrapConfig(err))
		return diags
	}
	if len(nets) == 0 {
		return nil
	}
	l, err := LoadLedger(LedgerFile(s.Root))
	if err != nil {
		diags.Errorf(LedgerPath, 0, "%v", err)
		return diags
	}
	opts := Options{Now: s.now(), MaxAge: s.Config.Social.MaxAge}
	lines := &keyLines{root: s.Root}
	// Items found renamed follow their entries; items held say so.
	id := identify(items, l, s.Config.BaseURL)
	byID := map[string]*item.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, m := range id.moves {
		if m.Certainty == Likely {
			it := byID[m.To]
			diags.Warnf(it.File, lines.of(it, "title"), "this looks like %s, whose file is gone (%s): it keeps that item's posts and is not posted again. If it is a different item, say that %s was deleted (`circulate publish --resolve %s deleted`) and this one is posted as new", m.From, m.Why, m.From, m.From)
		}
	}
	for _, h := range id.holds {
		it := byID[h.Item]
		diags.Warnf(it.File, lines.of(it, "title"), "%s", h.Message)
	}
	id.apply(l, items, s.Config.BaseURL)
	warned := map[string]bool{}
	for _, n := range nets {
		for _, it := range items {
			if it.Kind == item.Page {
				continue
			}
			if l.Get(n.spec.Name, it.ID) != nil || SkipReason(it, opts) != "" || HoldReason(it) != "" || id.holds[it.ID].Item != "" {
				continue
			}
			if !warned[it.ID] {
				warned[it.ID] = true
				for _, f := range textFields(it) {
					if col, name := findUnwanted(f.value); col > 0 {
						diags.Warnf(it.File, lines.of(it, f.key), "%s: has an invisible character, %s, at character %d: networks refuse posts with it or show a gap, so it is left out of the post, but it is still on the web page; delete it (retype the text around it)", f.key, name, col)
					}
				}
			}
			c, err := n.comp.Compose(it, n.net)
			if err != nil {
				diags.Errorf(it.File, 1, "the post to %s cannot be written: %v", n.spec.Title, err)
				continue
			}
			if !c.Shortened {
				continue
			}
			key, fix := "title", "shorten the title or the summary, or write a shorter post yourself with `tweet:`"
			if it.Tweet != "" {
				key, fix = "tweet", "shorten `tweet:`"
			}
			diags.Warnf(it.File, lines.of(it, key), "the post to %s would be cut to fit its %d characters and read %q; %s", n.spec.Title, c.Limit, c.Text, fix)
		}
	}
	return diags
}

// keyLines finds the line of a key in an item's file, reading each file
// once.
type keyLines struct {
	root  string
	files map[string][]byte
}

func (k *keyLines) of(it *item.Item, key string) int {
	if k.files == nil {
		k.files = map[string][]byte{}
	}
	data, ok := k.files[it.File]
	if !ok {
		data, _ = os.ReadFile(filepath.Join(k.root, filepath.FromSlash(it.File)))
		k.files[it.File] = data
	}
	return fields.KeyLine(data, key)
}

func unwrapConfig(err error) error {
	if ce, ok := err.(*ConfigError); ok {
		return ce.Err
	}
	return err
}
