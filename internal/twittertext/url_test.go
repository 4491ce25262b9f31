package twittertext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUnknownTLDIsNotALink is the reason the TLD list is embedded: ".example"
// is reserved and not in twitter-text's list, so X does not shorten the link
// and every character counts; ".org" is, so the same link weighs 23.
func TestUnknownTLDIsNotALink(t *testing.T) {
	unknown := "https://news.library.example/x"
	if got, want := Weighted(unknown), utf8.RuneCountInString(unknown); got != want {
		t.Errorf("Weighted(%q) = %d, want %d (letter by letter)", unknown, got, want)
	}
	known := "https://news.library.org/x"
	if got := Weighted(known); got != URLLength {
		t.Errorf("Weighted(%q) = %d, want %d", known, got, URLLength)
	}
	post := "New page: " + strings.Repeat("word ", 20) + known
	if got, want := Weighted(post), 10+100+URLLength; got != want {
		t.Errorf("Weighted(post with link) = %d, want %d", got, want)
	}
}

func TestLinkWeights(t *testing.T) {
	tests := []struct {
		text string
		want int
		why  string
	}{
		{"Read https://example.org/a/b?c=d.", 5 + 23 + 1, "a final full stop is not part of the link"},
		{"HTTPS://www.ExaMPLE.COM/index.html", 23, "scheme and TLD match in any case"},
		{"http://example.com/path_(with)_parens", 23, "balanced parentheses stay in the path"},
		{"http://test_underscore.twitter.com", 23, "underscore allowed in a subdomain"},
		{"http://domain-dash_2314352345_dfasd.foo-cow_4352.com", 52, "underscore not allowed before the TLD"},
		{"http://☃.net/", 23, "non-ASCII domain after a scheme"},
		{"http://あいう.com", 23, "non-ASCII domain after a scheme"},
		{"example.community", 23, `"community" is a TLD; "com" must not stop before "munity"`},
		{"example.comx", 12, "comx is no TLD"},
		{"example.com", 23, "no scheme, generic TLD"},
		{"www.example.com.", 23 + 1, "no scheme, full stop after"},
		{"foo.co.jp", 23, "no scheme, three labels"},
		{"example.de", 10, "no scheme: a bare two-label domain with a country TLD is no link"},
		{"example.de/x", 23, "... unless it has a path"},
		{"http://example.de", 23, "... or a scheme"},
		{"t.co", 23, "... or is .co or .tv"},
		{"see example.com:8080/x", 4 + 23, "port and path belong to the link"},
		{"ftp://www.example.com/", 22, "other schemes: no link, and none without scheme after '/'"},
		{"foo@example.com", 15, "an e-mail address is no link"},
		{"日本語example.com", 6 + 23, "only the ASCII domain of a schemeless match"},
		{"https://t.co/abcdef/more", 23 + 5, "a t.co link ends after its slug"},
		{"x.xn--p1ai", 23, "punycode TLD"},
		{"https://" + strings.Repeat("a", 64) + ".com", 8 + 64 + 4, "DNS label longer than 63"},
	}
	for _, tt := range tests {
		if got := Weighted(tt.text); got != tt.want {
			t.Errorf("Weighted(%q) = %d, want %d (%s)", tt.text, got, tt.want, tt.why)
		}
	}
}

func TestTLDList(t *testing.T) {
	tl := tlds()
	if len(tl.rank) < 1500 {
		t.Fatalf("only %d TLDs parsed from tld_lib.yml", len(tl.rank))
	}
	for _, name := range []string{"org", "com", "community", "co", "jp", "рф", "پاکستان"} {
		if _, ok := tl.rank[name]; !ok {
			t.Errorf("TLD %q missing", name)
		}
	}
	if _, ok := tl.rank["example"]; ok {
		t.Error(`"example" must not be a known TLD`)
	}
	if !tl.country["co"] || tl.country["com"] {
		t.Error("country TLDs wrongly classified")
	}
	if tl.rank["org"] >= tl.rank["jp"] {
		t.Error("generic TLDs must rank before country TLDs, as in twitter-text's regex")
	}
}

// TestPunycode checks the encoder against RFC 3492's samples and well-known
// domains: a label's encoded length decides whether a link counts.
func TestPunycode(t *testing.T) {
	tests := map[string]string{
		"bücher":            "xn--bcher-kva",
		"münchen":           "xn--mnchen-3ya",
		"☃":                 "xn--n3h",
		"他们为什么不说中文":         "xn--ihqwcrb4cv8a8dqg056pqjye",
		"3年B組金八先生":          "xn--3B-ww4c5e180e575a65lsy2b",
		"ليهمابتكلموشعربي؟": "xn--egbpdaj6bu4bxfgehfvwxn",
		"example":           "example",
	}
	for in, want := range tests {
		if got := punycodeASCII(in); got != want {
			t.Errorf("punycodeASCII(%q) = %q, want %q", in, got, want)
		}
	}
}
