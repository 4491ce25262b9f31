package twittertext

import (
	"testing"
	"unicode"

	"github.com/rivo/uniseg"
)

func TestEmojiWeights(t *testing.T) {
	tests := []struct {
		text string
		want int
		why  string
	}{
		{"👨\u200d👩\u200d👧\u200d👦", 2, "ZWJ family: 7 code points"},
		{"👩\u200d💻", 2, "ZWJ profession"},
		{"🏳\ufe0f\u200d🌈", 2, "ZWJ with variation selector"},
		{"👍🏽", 2, "skin tone"},
		{"🇯🇵", 2, "flag"},
		{"🇦🇧🇨", 4, "a flag and a lone regional indicator"},
		{"🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2, "tag sequence (Scotland)"},
		{"#\ufe0f\u20e3", 2, "keycap"},
		{"1\u20e3", 2, "keycap without variation selector"},
		{"©", 1, "text-style symbol, weight-1 range"},
		{"©\ufe0f", 2, "... as emoji"},
		{"☺\ufe0e", 4, "explicitly text style: two code points of weight 2"},
		{"😀\u0301", 3, "a combining mark on an emoji counts on its own"},
		{"x\u0301", 2, "letter and combining mark: 1 + 1"},
		{"क्\u200dष", 4, "Devanagari with ZWJ is not emoji"},
		{"a\ufe0f", 3, "stray variation selector weighs 2"},
	}
	for _, tt := range tests {
		if got := Weighted(tt.text); got != tt.want {
			t.Errorf("Weighted(%+q) = %d, want %d (%s)", tt.text, got, tt.want, tt.why)
		}
	}
}

// TestExtendedPictographicMatchesUniseg checks the table in emoji_table.go
// against uniseg's grapheme rules for every code point: after an emoji and a
// ZWJ, only an Extended_Pictographic code point joins the cluster, apart
// from those that join any cluster (Extend, ZWJ, SpacingMark), which also
// join after "a".
func TestExtendedPictographicMatchesUniseg(t *testing.T) {
	if testing.Short() {
		t.Skip("walks all of Unicode")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue
		}
		s := string(r)
		want := uniseg.GraphemeClusterCount("😀\u200d"+s) == 1 && uniseg.GraphemeClusterCount("a"+s) == 2
		if got := unicode.Is(extendedPictographic, r); got != want {
			t.Errorf("U+%04X: table says %v, uniseg %v", r, got, want)
		}
	}
}
