package generator

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendLD appends the JSON of a JSON-LD value, byte for byte as
// json.Marshal writes it (keys sorted; <, > and & escaped, so the result is
// safe in a <script> element), without json.Marshal's reflection: every
// item page has JSON-LD, and encoding it through reflection was a tenth of
// a page's time. ok is false for a value of a type it does not know; the
// caller then uses json.Marshal.
func appendLD(buf []byte, v any) (_ []byte, ok bool) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), true
	case string:
		return appendJSONString(buf, v), true
	case bool:
		return strconv.AppendBool(buf, v), true
	case int:
		return strconv.AppendInt(buf, int64(v), 10), true
	case ld:
		if v == nil {
			return append(buf, "null"...), true
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k)
			buf = append(buf, ':')
			if buf, ok = appendLD(buf, v[k]); !ok {
				return buf, false
			}
		}
		return append(buf, '}'), true
	case []ld:
		return appendSlice(buf, v)
	case []any:
		return appendSlice(buf, v)
	case []string:
		return appendSlice(buf, v)
	}
	return buf, false
}

func appendSlice[T any](buf []byte, v []T) ([]byte, bool) {
	if v == nil {
		return append(buf, "null"...), true
	}
	buf = append(buf, '[')
	for i, x := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		var ok bool
		if buf, ok = appendLD(buf, x); !ok {
			return buf, false
		}
	}
	return append(buf, ']'), true
}

// appendJSONString quotes s as encoding/json does with HTML escaping on.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= ' ' && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch b {
			case '\\', '"':
				buf = append(buf, '\\', b)
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// marshalJSON is json.Marshal through appendLD where it can.
func marshalJSON(v any) ([]byte, error) {
	if buf, ok := appendLD(make([]byte, 0, 512), v); ok {
		return buf, nil
	}
	return json.Marshal(v)
}
