// Package fields decodes YAML mappings (config.yaml and front matter) into
// typed values key by key, so that every problem is reported with the file
// and line of the value at fault and a hint of the fix, and so that loose
// values mean what we decided rather than what YAML 1.1 guessed (yaml.v3
// reads `draft: "yes"` as true; here only true and false are booleans).
package fields

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Decoder decodes values of one file, collecting diagnostics.
type Decoder struct {
	File  string
	Diags *diag.List
	// LineOffset is added to node lines: front matter starts after "---".
	LineOffset int
	// Strict makes every Mapping a StrictMapping: config.yaml, where a
	// misspelt key silently changes the site (`timzone:` put every event
	// in UTC). Front matter stays lenient (SPEC §2).
	Strict bool
}

// Line is the line of n in the file.
func (d *Decoder) Line(n *yaml.Node) int { return n.Line + d.LineOffset }

// Errorf reports an error at n.
func (d *Decoder) Errorf(n *yaml.Node, format string, args ...any) {
	*d.Diags = append(*d.Diags, diag.Diagnostic{File: d.File, Line: d.Line(n), Col: n.Column,
		Severity: diag.Error, Message: fmt.Sprintf(format, args...)})
}

// Warnf reports a warning at n.
func (d *Decoder) Warnf(n *yaml.Node, format string, args ...any) {
	*d.Diags = append(*d.Diags, diag.Diagnostic{File: d.File, Line: d.Line(n), Col: n.Column,
		Severity: diag.Warning, Message: fmt.Sprintf(format, args...)})
}

// warnCode reports a warning of the kind code at n.
func (d *Decoder) warnCode(n *yaml.Node, code, format string, args ...any) {
	*d.Diags = append(*d.Diags, diag.Diagnostic{File: d.File, Line: d.Line(n), Col: n.Column,
		Severity: diag.Warning, Message: fmt.Sprintf(format, args...), Code: code})
}

// Handler decodes the value of one key.
type Handler func(key string, value *yaml.Node)

// Mapping calls the handler of each key of m; unknown keys are warnings that
// suggest the known key probably meant, and repeated keys are errors.
func (d *Decoder) Mapping(m *yaml.Node, where string, handlers map[string]Handler) {
	d.mapping(m, where, handlers, false)
}

// StrictMapping is Mapping where an unknown key is an error: for groups
// where a misspelt key would change what happens without a word (`untill:`
// in an event's `repeat:` would make it repeat for ever).
func (d *Decoder) StrictMapping(m *yaml.Node, where string, handlers map[string]Handler) {
	d.mapping(m, where, handlers, true)
}

func (d *Decoder) mapping(m *yaml.Node, where string, handlers map[string]Handler, strict bool) {
	strict = strict || d.Strict
	if m.Kind != yaml.MappingNode {
		d.Errorf(m, "%s must be a set of `key: value` lines", where)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := k.Value
		if seen[key] {
			d.Errorf(k, "%s: the key appears twice; keep one", key)
			continue
		}
		seen[key] = true
		h, ok := handlers[key]
		if !ok {
			names := make([]string, 0, len(handlers))
			for n := range handlers {
				names = append(names, n)
			}
			switch s := diag.Suggest(key, names); {
			case strict && s != "":
				d.Errorf(k, "unknown key %q in %s: did you mean %q?", key, where, s)
			case strict:
				slices.Sort(names)
				d.Errorf(k, "unknown key %q in %s; the keys it takes are %s", key, where, strings.Join(names, ", "))
			case s != "":
				d.warnCode(k, diag.UnknownKey, "unknown key %q in %s: did you mean %q?", key, where, s)
			default:
				d.warnCode(k, diag.UnknownKey, "unknown key %q in %s is ignored (theme data goes under `params:`)", key, where)
			}
			continue
		}
		h(key, v)
	}
}

// isNull reports an empty value (`key:` or `key: null`).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// String decodes a scalar as text. Numbers and dates are accepted as written
// (a title may be "1984"); lists, maps and empty values are errors.
func (d *Decoder) String(key string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.Errorf(n, "%s: needs a text value, like `%s: \"Some text\"`", key, key)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// Bool decodes true or false, and nothing else.
func (d *Decoder) Bool(key string, n *yaml.Node) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Style == 0 {
		switch n.Value {
		case "true", "True", "TRUE":
			return true, true
		case "false", "False", "FALSE":
			return false, true
		}
	}
	d.Errorf(n, "%s: %s is not true or false (write `%s: true` or `%s: false`, without quotes)", key, quote(n), key, key)
	return false, false
}

// Int decodes a whole number of at least lo.
func (d *Decoder) Int(key string, n *yaml.Node, lo int) (int, bool) {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil || v < lo {
		d.Errorf(n, "%s: %s is not a whole number of at least %d", key, quote(n), lo)
		return 0, false
	}
	return v, true
}

// Strings decodes a list of texts; a single text is taken as a list of one.
func (d *Decoder) Strings(key string, n *yaml.Node) ([]string, bool) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return []string{strings.TrimSpace(n.Value)}, true
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, "%s: needs a list, like `%s: [one, two]`", key, key)
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || isNull(c) || strings.TrimSpace(c.Value) == "" {
			d.Errorf(c, "%s: each entry must be a short text", key)
			ok = false
			continue
		}
		out = append(out, strings.TrimSpace(c.Value))
	}
	return out, ok
}

// URL decodes an absolute http(s) URL. A mistake is an error with the
// address as it was probably meant, where that can be told.
func (d *Decoder) URL(key string, n *yaml.Node) (string, bool) {
	s, ok := d.String(key, n)
	if !ok {
		return "", false
	}
	if msg := CheckURL(s); msg != "" {
		d.Errorf(n, "%s: %s", key, msg)
		return "", false
	}
	return s, true
}

// CheckURL says what is wrong with an address that must be an absolute
// http(s) URL, or "".
func CheckURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "is empty; write a web address in full, starting with https://"
	case strings.ContainsAny(s, " \t"):
		return fmt.Sprintf("%q has a space in it; a web address has none (write a space in a path as %%20)", s)
	case err != nil:
		return fmt.Sprintf("%q is not a web address (%v); write it in full, starting with https://", s, plainURLErr(err))
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" || u.Hostname() == "" {
			return fmt.Sprintf("%q has no host name after %s://; write it like https://www.example.org/", s, u.Scheme)
		}
		if h := u.Hostname(); strings.HasPrefix(h, ".") || strings.HasSuffix(h, "..") || strings.Contains(h, "..") {
			return fmt.Sprintf("%q: %q is not a host name", s, h)
		}
		return ""
	case u.Scheme == "":
		// news.library.org/x, or //news.library.org/x
		guess := "https://" + strings.TrimPrefix(s, "//")
		if g, err := url.Parse(guess); err == nil && strings.Contains(g.Hostname(), ".") {
			return fmt.Sprintf("%q is not a full web address: write %s", s, guess)
		}
		return fmt.Sprintf("%q is not a web address; write it in full, starting with https://", s)
	default:
		if sug := diag.Suggest(strings.ToLower(u.Scheme), []string{"https", "http"}); sug != "" && u.Scheme != "mailto" {
			rest := s[len(u.Scheme):]
			rest = "://" + strings.TrimLeft(strings.TrimPrefix(rest, ":"), "/")
			return fmt.Sprintf("%q does not start with http:// or https://: did you mean %s%s?", s, sug, rest)
		}
		return fmt.Sprintf("%q is not a web address; write it in full, starting with https://", s)
	}
}

// plainURLErr drops the operation and the address a *url.Error repeats.
func plainURLErr(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// Date decodes a date (2026-12-05) or a datetime (2026-12-05T10:30, seconds
// and an offset optional; a space instead of T is accepted). Without an
// offset the time is in loc. dateOnly reports a date without a time.
func (d *Decoder) Date(key string, n *yaml.Node, loc *time.Location) (t time.Time, dateOnly, ok bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.Errorf(n, "%s: needs a date, like `%s: 2026-12-05` or `%s: 2026-12-05T10:30`", key, key, key)
		return time.Time{}, false, false
	}
	t, dateOnly, err := ParseTime(n.Value, loc)
	if err != nil {
		d.Errorf(n, "%s: %q is not a date (%v)", key, n.Value, err)
		return time.Time{}, false, false
	}
	return t, dateOnly, true
}

var layouts = []struct {
	layout   string
	dateOnly bool
	zoned    bool
}{
	{"2006-01-02", true, false},
	{"2006-01-02T15:04", false, false},
	{"2006-01-02T15:04:05", false, false},
	{time.RFC3339, false, true},
	{"2006-01-02T15:04Z07:00", false, true},
}

// ParseTime parses the date forms front matter and --now accept.
func ParseTime(s string, loc *time.Location) (t time.Time, dateOnly bool, err error) {
	s = strings.TrimSpace(s)
	norm := s
	if len(norm) > 10 && norm[10] == ' ' {
		norm = norm[:10] + "T" + strings.TrimSpace(norm[11:])
	}
	for _, l := range layouts {
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, norm)
			t = t.In(loc)
		} else {
			t, err = time.ParseInLocation(l.layout, norm, loc)
		}
		if err == nil {
			return t, l.dateOnly, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("use a real date as YYYY-MM-DD, like 2026-12-05, or a date and time like 2026-12-05T10:30%s", dateHint(norm))
}

// dateHint explains the most common mistakes: month 13, day 31 in a short
// month, a US-style date.
func dateHint(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		m, _ := strconv.Atoi(s[5:7])
		day, _ := strconv.Atoi(s[8:10])
		switch {
		case m < 1 || m > 12:
			return fmt.Sprintf("; there is no month %d", m)
		case day < 1 || day > 31:
			return fmt.Sprintf("; there is no day %d", day)
		case day > 28:
			return fmt.Sprintf("; %s has no day %d", time.Month(m), day)
		}
	}
	if strings.Count(s, "/") == 2 {
		return "; dates with slashes are ambiguous"
	}
	return ""
}

func quote(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return "this value"
	}
	return strconv.Quote(n.Value)
}

// YAMLError turns a yaml.v3 error about src into a line (1-based, within
// src) and a message a librarian can act on. yaml.v3 sometimes reports the
// line after the end (an unclosed quote) or no line at all.
func YAMLError(src []byte, err error) (int, string) {
	raw := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(raw, "line "); ok {
		n, msg, _ := strings.Cut(rest, ": ")
		line, _ = strconv.Atoi(n)
		raw = msg
	}
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	find := func(match func(string) bool) int {
		for i, l := range lines {
			if match(l) {
				return i + 1
			}
		}
		return 0
	}
	msg := raw + " (check the indentation, and put text that contains `: ` or starts with a quote or a [ in double quotes)"
	switch {
	case strings.Contains(raw, "unexpected end of stream"):
		if l := find(func(l string) bool { return strings.Count(l, `"`)%2 == 1 }); l > 0 {
			line = l
		}
		msg = "a quote (\") is opened but not closed; end the text with a quote on the same line"
	case strings.Contains(raw, "mapping values are not allowed"):
		if line == 0 {
			line = find(func(l string) bool { _, v, _ := strings.Cut(l, ": "); return strings.Contains(v, ": ") })
		}
		msg = "this line has a second `: ` or is indented under a line that is not a group; put a value containing `: ` in double quotes, and start keys at the beginning of the line"
	case strings.Contains(raw, "expected ',' or ']'"):
		msg = "a list in [brackets] is not closed: end it with ] on the same line"
	case strings.Contains(raw, "cannot start any token"):
		msg = "a line starts with a tab or an odd character; indent with spaces, and quote text that starts with @, ` or %"
	}
	return min(max(line, 1), len(lines)), msg
}
