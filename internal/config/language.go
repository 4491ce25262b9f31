package config

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// languageNames are what people write for a language instead of its code.
var languageNames = map[string]string{
	"english": "en", "spanish": "es", "español": "es", "espanol": "es", "french": "fr", "français": "fr",
	"german": "de", "deutsch": "de", "italian": "it", "portuguese": "pt", "dutch": "nl",
	"chinese": "zh", "japanese": "ja", "korean": "ko", "russian": "ru", "arabic": "ar",
	"vietnamese": "vi", "tagalog": "tl", "polish": "pl", "ukrainian": "uk", "hindi": "hi",
	"welsh": "cy", "irish": "ga", "swedish": "sv", "norwegian": "nb", "danish": "da", "finnish": "fi",
}

// checkLanguage says what is wrong with a language: value (the page's
// lang attribute, which screen readers use to pick a voice), or "".
func checkLanguage(x string) string {
	if code, ok := languageNames[strings.ToLower(strings.TrimSpace(x))]; ok {
		return fmt.Sprintf("%q is a language's name; write its code: %s", x, code)
	}
	if _, err := language.Parse(x); err != nil {
		return fmt.Sprintf("%q is not a language code; write one like en, es, fr or en-US", x)
	}
	return ""
}
