package generator

import (
	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/slug"
)

// Tags and their pages. A tag's page is at /tags/<slug>/, where the slug
// keeps the tag's letters in every script, lower case (slug.Tag):
// "Café" and "café" share /tags/café/, "книги" and "読書" have pages of
// their own. café and cafe are two pages, as in Hugo: a word with an
// accent and one without may be two words (French "côte" and "cote"), and
// which spelling named the shared page would depend on which file came
// first. Two spellings of what is probably one tag are a warning instead,
// so the librarian picks one (docs/content.md).

// tagSpellings warns where two tags of the site differ only in accents,
// at the second file (in file order) that uses the other spelling.
func tagSpellings(srcs []*source) diag.List {
	type use struct{ tag, file string }
	byFold := map[string]use{}     // ASCII fold -> first slug and its file
	warned := map[[2]string]bool{} // slug pair already reported
	folds := map[string]string{}   // slug -> ASCII fold, worked out once per tag
	var diags diag.List
	for _, s := range srcs {
		for _, t := range s.it.Tags {
			ts := TagSlug(t)
			fold, ok := folds[ts]
			if !ok {
				fold = slug.ASCII(ts)
				folds[ts] = fold
			}
			if fold == "" {
				continue // a script without accents to drop
			}
			u, ok := byFold[fold]
			if !ok {
				byFold[fold] = use{ts, s.it.File}
				continue
			}
			if u.tag == ts || warned[[2]string{u.tag, ts}] {
				continue
			}
			warned[[2]string{u.tag, ts}] = true
			diags.Warnf(s.it.File, s.tagsLine, "tags: %q and %q (in %s) differ only in accents, so they make two topic pages, /tags/%s/ and /tags/%s/; write the tag the same way in both files", t, u.tag, u.file, ts, u.tag)
		}
	}
	return diags
}
