package generator

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/circulate-dev/circulate/bench/sitegen"
)

// appendLD writes what json.Marshal writes, for strings with every kind of
// character JSON and HTML escape, and for the JSON-LD of every item of the
// example site and of a corpus of each shape, without falling back to
// json.Marshal for any of them.
func TestAppendLDIsJSONMarshal(t *testing.T) {
	values := []any{
		"plain", "", `quote " backslash \ slash /`, "<script>&amp;</script>", "tab\tnew\nline\rcr",
		"\x00\x01\x08\x0c\x1f\x7f", "caf\u00e9 読書 📚", "line\u2028para\u2029", "bad \xff utf-8 \xc3",
		ld{"b": 1, "a": []string{"x", "y"}, "@type": "Thing", "n": nil, "t": true, "e": []string{}, "z": []string(nil)},
		[]ld{{"name": "A"}, nil}, []any{"a", 2, false, ld{}},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendLD(nil, v)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("appendLD(%#v) = %s, %v; json.Marshal: %s", v, got, ok, want)
		}
	}
	if _, ok := appendLD(nil, 1.5); ok {
		t.Error("a float is not left to json.Marshal")
	}

	check := func(s *Site) int {
		n := 0
		for _, it := range s.Result.Items {
			if it.Slug == "" {
				continue
			}
			for _, doc := range []ld{s.b.itemLDValue(it)} {
				want, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				got, ok := appendLD(nil, doc)
				if !ok {
					t.Errorf("%s: appendLD fell back to json.Marshal", it.File)
				} else if !bytes.Equal(got, want) {
					t.Errorf("%s: appendLD and json.Marshal differ:\n%s\n%s", it.File, got, want)
				}
				n++
			}
		}
		return n
	}
	s, _ := loadExample(t)
	n := check(s)
	for _, name := range sitegen.ShapeNames() {
		n += check(loadCorpus(t, name, 300, 5))
	}
	if n < 900 {
		t.Errorf("checked %d documents", n)
	}
}
