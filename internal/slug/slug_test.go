package slug

import "testing"

func TestTag(t *testing.T) {
	for in, want := range map[string]string{
		"poetry":           "poetry",
		"Open Mic":         "open-mic",
		"Open  Mic!":       "open-mic",
		"café":             "café",
		"Café":             "café",
		"cafe\u0301":       "café", // e + combining acute, as macOS may write it
		"cafe":             "cafe",
		"книги":            "книги",
		"Книги":            "книги",
		"読書":               "読書",
		"हिन्दी":           "हिन्दी", // combining vowel signs are part of the word
		"local history":    "local-history",
		"C++":              "c",
		"2026":             "2026",
		"!!!":              "",
		"  kids ":          "kids",
		"Día de los Niños": "día-de-los-niños",
	} {
		if got := Tag(in); got != want {
			t.Errorf("Tag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestASCII(t *testing.T) {
	for in, want := range map[string]string{
		"Día de los Niños":      "dia-de-los-ninos",
		"Poetry Night!":         "poetry-night",
		"Crème brûlée workshop": "creme-brulee-workshop",
		"Straße der Bücher":     "strasse-der-bucher",
		"Søren's Ærø trip":      "sorens-aero-trip",
		"Łódź":                  "lodz",
		"Children’s Day":        "childrens-day",
		"Þór":                   "thor",
		"Œuvres complètes":      "oeuvres-completes",
		"книги":                 "",
		"読書 2026":               "2026",
		"  --Already-a-slug-- ": "already-a-slug",
	} {
		if got := ASCII(in); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
	}
}
