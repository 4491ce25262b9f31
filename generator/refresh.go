package generator

import "github.com/circulate-dev/circulate/internal/item"

// Posting happens after the site is written (issue 10): `circulate build`
// renders and writes the site, posts the items whose pages are in it,
// then, when the social box's posts changed, renders the site again with
// them (the box is on every page of the built-in theme); unchanged files
// are linked from the build before.

// PageFile is the file of an item's page in a built site:
// "/news/a/" -> "news/a/index.html".
func PageFile(it *item.Item) string { return indexFile(it.Path) }

// Has reports whether the build wrote (or kept unchanged) the file name:
// after Commit, whether the site now in place has it.
func (o *DirOutput) Has(name string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.written[name]
}
