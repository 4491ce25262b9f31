package twittertext

import (
	"strings"
	"testing"
	"unicode"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

const link = " https://example.org/2024/05/a-page-about-something"

func TestTruncateUnchangedWhenItFits(t *testing.T) {
	for _, body := range []string{"", "Short title", "Cafe\u0301 (not NFC, kept as given)", strings.Repeat("x", 280-URLLength-1)} {
		got, ok := Truncate(body, link, MaxLength)
		if !ok || got != body+link {
			t.Errorf("Truncate(%q) = %q, %v; want it unchanged", body, got, ok)
		}
	}
}

func TestTruncateLongest(t *testing.T) {
	// No spaces, so no word boundary to prefer: x weighs 1, the ellipsis 2,
	// the link 23 plus its space, so 254 x fill the 280 exactly.
	got, ok := Truncate(strings.Repeat("x", 300), link, MaxLength)
	want := strings.Repeat("x", 254) + Ellipsis + link
	if !ok || got != want {
		t.Errorf("Truncate = %q, %v; want %q", got, ok, want)
	}
}

func TestTruncatePrefersWordBoundary(t *testing.T) {
	body := strings.Repeat("lorem ipsum dolor sit amet, ", 20)
	got, _ := Truncate(body, link, 100)
	prefix := strings.TrimSuffix(strings.TrimSuffix(got, link), Ellipsis)
	if !strings.HasPrefix(body, prefix) || !strings.HasPrefix(body[len(prefix):], " ") && !strings.HasPrefix(body[len(prefix):], ", ") {
		t.Errorf("cut %q is not at the end of a word", got)
	}
	if strings.HasSuffix(prefix, ",") {
		t.Errorf("cut %q leaves a comma before the ellipsis", got)
	}
	// A word longer than 20 characters is cut inside rather than dropped.
	long := "see " + strings.Repeat("y", 200)
	got, _ = Truncate(long, "", 50)
	if want := "see " + strings.Repeat("y", 44) + Ellipsis; got != want {
		t.Errorf("Truncate(long word) = %q, want %q", got, want)
	}
}

func TestTruncateTailTooLong(t *testing.T) {
	if got, ok := Truncate("body", strings.Repeat("y", 279), MaxLength); ok || got != "" {
		t.Errorf("Truncate = %q, %v; want \"\", false", got, ok)
	}
}

func TestTruncateDropsOnlyTrailingSpace(t *testing.T) {
	body := strings.Repeat("z", 280-URLLength-1) + "     "
	if got, ok := Truncate(body, link, MaxLength); !ok || got != strings.TrimSpace(body)+link {
		t.Errorf("Truncate = %q, %v; want the body without its trailing spaces and no ellipsis", got, ok)
	}
}

// TestTruncateInvariants cuts bodies full of things that must not be split,
// at every limit from nothing to more than enough, and checks each result.
func TestTruncateInvariants(t *testing.T) {
	family := "👨\u200d👩\u200d👧\u200d👦"
	bodies := map[string]string{
		"emoji":     strings.Repeat("Family "+family+" and flag 🇯🇵, ", 12),
		"marks":     strings.Repeat("x\u0301y\u0323\u0307 ", 60),
		"cjk":       strings.Repeat("故人西辞黄鹤楼，烟花三月下扬州。", 12),
		"links":     strings.Repeat("See https://example.org/a/rather/long/path?q=1 and example.com/x then ", 6),
		"devanagri": strings.Repeat("क्षत्रिय हिन्दी ", 30),
	}
	for name, body := range bodies {
		nfc := norm.NFC.String(body)
		boundaries := map[int]bool{}
		for g, p := uniseg.NewGraphemes(nfc), 0; g.Next(); {
			boundaries[p] = true
			p += len(g.Str())
		}
		links := extractURLs(nfc)
		// Every limit near the tail's own weight, then a sample of the rest.
		for limit := 0; limit <= Weighted(body+link)+2; limit += 1 + limit/60 {
			got, ok := Truncate(body, link, limit)
			if !ok {
				if Weighted(Ellipsis+link) <= limit {
					t.Fatalf("%s/%d: not ok although the tail fits", name, limit)
				}
				continue
			}
			if w := Weighted(got); w > limit {
				t.Fatalf("%s/%d: %q weighs %d", name, limit, got, w)
			}
			if !strings.HasSuffix(got, link) {
				t.Fatalf("%s/%d: tail lost in %q", name, limit, got)
			}
			prefix := strings.TrimSuffix(got, link)
			if prefix == body || prefix == strings.TrimRightFunc(nfc, unicode.IsSpace) {
				continue // whole, or only trailing white space dropped
			}
			prefix, cut := strings.CutSuffix(prefix, Ellipsis)
			if !cut || !strings.HasPrefix(nfc, prefix) || !boundaries[len(prefix)] {
				t.Fatalf("%s/%d: %q is not the body cut at a grapheme boundary", name, limit, got)
			}
			for _, l := range links {
				if l.start < len(prefix) && len(prefix) < l.end {
					t.Fatalf("%s/%d: link %q cut in %q", name, limit, nfc[l.start:l.end], got)
				}
			}
			if strings.Count(prefix, "\u200d") != 3*strings.Count(prefix, family) {
				t.Fatalf("%s/%d: family emoji split in %q", name, limit, got)
			}
		}
	}
}
