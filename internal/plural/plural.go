// Package plural writes counts the way circulate prints them everywhere
// (the command line, warnings, the theme): "1 post", "2 posts",
// "3,412 images". One helper, so that no message says "1 items".
package plural

import (
	"strconv"
	"strings"
)

// Count is n and the noun, in the singular for 1 and the plural otherwise:
// Count(1, "item") is "1 item", Count(3412, "image") is "3,412 images".
// The plural is made by the rules of English (post -> posts, match ->
// matches, entry -> entries); give it when it is irregular or the noun is
// more than a word: Count(n, "feed or calendar", "feeds and calendars").
func Count(n int, noun string, plural ...string) string {
	if n == 1 || n == -1 {
		return Number(n) + " " + noun
	}
	if len(plural) > 0 {
		return Number(n) + " " + plural[0]
	}
	return Number(n) + " " + Of(noun)
}

// Noun is noun as Count writes it after n, without the number: for a
// number shown apart ("3" in a badge, "items" for screen readers).
func Noun(n int, noun string, plural ...string) string {
	s := Count(n, noun, plural...)
	return s[len(Number(n))+1:]
}

// Of is the plural of noun, by the rules of English; for a noun of several
// words, the last word takes it ("open page" -> "open pages").
func Of(noun string) string {
	switch {
	case noun == "":
		return ""
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "z"),
		strings.HasSuffix(noun, "ch"), strings.HasSuffix(noun, "sh"):
		return noun + "es"
	case strings.HasSuffix(noun, "y") && len(noun) > 1 && !strings.ContainsRune("aeiou", rune(noun[len(noun)-2])):
		return noun[:len(noun)-1] + "ies"
	}
	return noun + "s"
}

// Number writes n with a comma between thousands: 3412 -> "3,412".
func Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
