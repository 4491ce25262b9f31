package twittertext

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// validateCase is one weighted-length case of twitter-text's validate.yml.
type validateCase struct {
	Description string
	Text        string
	Weighted    int
	Valid       bool
}

// loadValidateSection reads one section of testdata/validate.yml. The file's
// layout is fixed ("- description:", "text:", "weightedLength:", "valid:",
// strings double-quoted with only escapes Go shares), so a line reader
// avoids a YAML dependency for tests.
func loadValidateSection(t *testing.T, section string) []validateCase {
	t.Helper()
	data, err := os.ReadFile("testdata/validate.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []validateCase
	in := false
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			in = line == "  "+section+":"
			continue
		}
		if !in {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "- "), ": ")
		if !ok {
			continue
		}
		switch key {
		case "description":
			cases = append(cases, validateCase{Description: unquote(t, value)})
		case "text":
			cases[len(cases)-1].Text = unquote(t, value)
		case "weightedLength":
			n, err := strconv.Atoi(value)
			if err != nil {
				t.Fatalf("%s: weightedLength %q: %v", section, value, err)
			}
			cases[len(cases)-1].Weighted = n
		case "valid":
			cases[len(cases)-1].Valid = value == "true"
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in section %s", section)
	}
	return cases
}

func unquote(t *testing.T, s string) string {
	t.Helper()
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("unquote %.40q: %v", s, err)
	}
	return u
}

func checkCases(t *testing.T, cases []validateCase) {
	for _, c := range cases {
		t.Run(c.Description, func(t *testing.T) {
			got := Parse(c.Text)
			if got.Weighted != c.Weighted || got.Valid != c.Valid {
				t.Errorf("Parse(%.60q) = weighted %d valid %v, want %d %v",
					c.Text, got.Weighted, got.Valid, c.Weighted, c.Valid)
			}
		})
	}
}

// TestConformanceV3 runs the sections of validate.yml written for the v3
// configuration, the one X applies today: emoji sequences count 2, and
// directional marks do not make a text invalid.
func TestConformanceV3(t *testing.T) {
	for _, section := range []string{
		"WeightedTweetsWithDiscountedEmojiCounterTest",
		"UnicodeDirectionalMarkerCounterTest",
	} {
		t.Run(section, func(t *testing.T) { checkCases(t, loadValidateSection(t, section)) })
	}
}

// TestConformanceNFC runs the normalisation cases of WeightedTweetsCounterTest,
// the section for the older v2 configuration. Only these three ("'Á' is
// normalized into 1 char", "שּׁ is normalized into 3 chars" and "282 chars with a
// normalized character ...") are taken: they contain no emoji, and every
// character they hold weighs the same under v2 and v3, so their expectations
// are v3's too. The section's other cases reappear in the v3 section, with
// today's counts where they differ: two count emoji per code point (a family
// of four as 11), which X no longer does.
func TestConformanceNFC(t *testing.T) {
	var nfc []validateCase
	for _, c := range loadValidateSection(t, "WeightedTweetsCounterTest") {
		if strings.Contains(c.Description, "normalized") {
			nfc = append(nfc, c)
		}
	}
	if len(nfc) != 3 {
		t.Fatalf("found %d normalisation cases, want 3", len(nfc))
	}
	checkCases(t, nfc)
}

// TestConfigMatchesV3 keeps the constants of weight.go in step with
// twitter-text's config/v3.json.
func TestConfigMatchesV3(t *testing.T) {
	data, err := os.ReadFile("testdata/config-v3.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		MaxWeightedTweetLength int
		Scale                  int
		DefaultWeight          int
		EmojiParsingEnabled    bool
		TransformedURLLength   int
		Ranges                 []struct{ Start, End, Weight int }
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.MaxWeightedTweetLength != MaxLength || cfg.Scale != scale || cfg.DefaultWeight != defaultWeight ||
		!cfg.EmojiParsingEnabled || cfg.TransformedURLLength != URLLength {
		t.Errorf("config v3 %+v differs from the package constants", cfg)
	}
	if len(cfg.Ranges) != len(weightRanges) {
		t.Fatalf("config v3 has %d ranges, package %d", len(cfg.Ranges), len(weightRanges))
	}
	for i, r := range cfg.Ranges {
		if w := weightRanges[i]; int(w.lo) != r.Start || int(w.hi) != r.End || r.Weight != rangeWeight {
			t.Errorf("range %d: config %+v, package %+v weight %d", i, r, w, rangeWeight)
		}
	}
}
