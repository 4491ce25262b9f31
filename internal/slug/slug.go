// Package slug makes the parts of web addresses and file names that
// circulate derives from what librarians write: tag pages (/tags/café/)
// and the file names `circulate new` gives new items (dia-de-los-ninos.md).
package slug

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Tag is the URL segment of a tag's page. Letters and digits of every
// script are kept, as Hugo keeps them (café -> café, книги -> книги,
// 読書 -> 読書), in lower case and in one Unicode form (NFC), so that
// "Café" and a café typed on a Mac (e + a combining accent) share a page;
// any other run of characters becomes one dash ("Open Mic!" -> open-mic).
// Accents are kept, so café and cafe are two pages, as in Hugo. "" means
// the tag has no letters or digits.
func Tag(tag string) string {
	return dashed(strings.ToLower(norm.NFC.String(tag)), func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || unicode.IsNumber(r)
	})
}

// ASCII is a name of lower-case letters a-z, digits and single dashes,
// for file names and item addresses: accents are dropped (Día de los Niños
// -> dia-de-los-ninos), letters that do not decompose are spelled out
// (ß -> ss, ø -> o, æ -> ae, ł -> l), apostrophes vanish (Children's ->
// childrens) and every other run of characters becomes one dash. Letters
// of other scripts have no such spelling: "" means nothing was left.
func ASCII(s string) string {
	if !ascii(s) {
		// Accents off: decomposed, the marks dropped, composed again.
		s, _, _ = transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	}
	var b strings.Builder
	for _, r := range s {
		if t, ok := spelled[r]; ok {
			b.WriteString(t)
			continue
		}
		if r == '\'' || r == '’' || r == 'ʼ' {
			continue
		}
		b.WriteRune(r)
	}
	return dashed(strings.ToLower(b.String()), func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
	})
}

// spelled are Latin letters without a decomposition, as people write them
// in plain ASCII.
var spelled = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'ħ': "h", 'Ħ': "h", 'ŋ': "ng", 'Ŋ': "ng", 'ſ': "s", 'ĸ': "k", 'ŀ': "l", 'Ŀ': "l",
	'ŧ': "t", 'Ŧ': "t",
}

// dashed keeps the runes keep accepts and turns every other run into one
// dash, with none at either end.
func dashed(s string, keep func(rune) bool) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if keep(r) {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// ascii reports whether s is ASCII only: it has no accents to drop, and
// the transform chain allocates its buffers on every call.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
