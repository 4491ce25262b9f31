package config

import (
	"strings"
	"testing"
)

// TestStrictConfig: config.yaml is strict (SPEC §5): an unknown key, a time
// zone that is not a full IANA name, a bad URL are errors with line and
// column and the value probably meant (issue 11).
func TestStrictConfig(t *testing.T) {
	base := "title: Test Library\nbase_url: https://news.example.org/\n"
	for _, c := range []struct {
		name, yaml string
		want       string // "line:col: message part"; "" = no error
	}{
		{"misspelt timezone key", "timzone: America/New_York\n", `3:1: unknown key "timzone" in config.yaml: did you mean "timezone"?`},
		{"unknown key without a near one", "colour: blue\n", `3:1: unknown key "colour" in config.yaml; the keys it takes are `},
		{"misspelt nested key", "library:\n  nmae: Riverside\n", `4:3: unknown key "nmae" in library: did you mean "name"?`},
		{"misspelt feeds key", "feeds: {item: 20}\n", `3:9: unknown key "item" in feeds: did you mean "items"?`},
		{"misspelt social.x key", "social:\n  x:\n    handel: Lib\n", `5:5: unknown key "handel" in social.x: did you mean "handle"?`},
		{"misspelt template kind", "social:\n  x:\n    templates:\n      evnt: \"{{.Title}}\"\n", `6:7: unknown key "evnt" in social.x.templates: did you mean "event"?`},
		{"EST", "timezone: EST\n", `3:11: timezone: "EST" is an abbreviation, a fixed offset from UTC that ignores daylight saving time (events would be an hour off for half the year); write the zone's full name, like America/New_York`},
		{"PST", "timezone: PST\n", `like America/Los_Angeles`},
		{"EST5EDT", "timezone: EST5EDT\n", `like America/New_York`},
		{"offset -5", "timezone: -5\n", `3:11: timezone: "-5" is an offset from UTC, which ignores daylight saving time (events would be an hour off for half the year); use the zone's full name: write America/New_York (or the zone of your city)`},
		{"offset UTC-05:00", "timezone: UTC-05:00\n", `write America/New_York`},
		{"offset Etc/GMT+5", "timezone: Etc/GMT+5\n", `write America/New_York`},
		{"offset +1", "timezone: \"+1\"\n", `write Europe/Paris`},
		{"misspelt zone", "timezone: America/New_Yrok\n", `3:11: timezone: "America/New_Yrok" is not a time zone name: did you mean America/New_York?`},
		{"zone in lower case", "timezone: america/chicago\n", `did you mean America/Chicago?`},
		{"a city alone", "timezone: New York\n", `did you mean America/New_York?`},
		{"nonsense zone", "timezone: Riverside\n", `"Riverside" is not a time zone name; use a full IANA name`},
		{"Local", "timezone: Local\n", `is not a time zone name`},
		{"full zone", "timezone: Europe/London\n", ""},
		{"UTC", "timezone: UTC\n", ""},
		{"catalog_url without a scheme", "catalog_url: catalog.example.org/?isbn={isbn}\n", `3:14: catalog_url: "catalog.example.org/?isbn={isbn}" is not a full web address: write https://catalog.example.org/?isbn={isbn}`},
		{"misspelt scheme", "library:\n  url: htps://library.example.org/\n", `4:8: url: "htps://library.example.org/" does not start with http:// or https://: did you mean https://library.example.org/?`},
		{"no host", "social:\n  x:\n    api_url: https://\n", `5:14: api_url: "https://" has no host name after https://`},
		{"space in a URL", "library:\n  url: https://library example.org/\n", `has a space in it`},
		{"language name", "language: English\n", `3:11: language: "English" is a language's name; write its code: en`},
		{"bad language code", "language: xx-yy-zz-!!\n", `is not a language code`},
		{"good language", "language: es-419\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, diags := Parse([]byte(base + c.yaml))
			errs := diags.Errors()
			if c.want == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors:\n%v", errs)
				}
				return
			}
			for _, d := range errs {
				// "config.yaml:3:1: error: msg" -> "3:1: msg"
				s := strings.Replace(strings.TrimPrefix(d.String(), "config.yaml:"), ": error: ", ": ", 1)
				if strings.Contains(s, c.want) {
					return
				}
			}
			t.Fatalf("no error %q; got:\n%v", c.want, errs)
		})
	}
	// A base_url is a URL too.
	_, diags := Parse([]byte("title: T\nbase_url: news.example.org\n"))
	if got := diags.Errors().Error(); !strings.Contains(got, `config.yaml:2:11: error: base_url: "news.example.org" is not a full web address: write https://news.example.org`) {
		t.Errorf("base_url without https://: %s", got)
	}
}

// ParseBaseURL is the one place a base URL is normalised: config.yaml's
// base_url and --base-url both go through it.
func TestParseBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://news.example.org":          "https://news.example.org/",
		"https://news.example.org/":         "https://news.example.org/",
		"https://example.github.io/lib":     "https://example.github.io/lib/",
		" https://example.github.io/lib/  ": "https://example.github.io/lib/",
		"http://localhost:1313":             "http://localhost:1313/",
	} {
		u, err := ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"https://user:pw@example.org/", "news.example.org", "ftp://example.org/", "https://", "https://x.org/?a=1", "https://x.org/#top", "/lib/"} {
		if u, err := ParseBaseURL(in); err == nil {
			t.Errorf("ParseBaseURL(%q) = %v, want an error", in, u)
		}
	}
	cfg, diags := Parse([]byte("title: T\nbase_url: https://example.github.io/lib\n"))
	if diags.HasErrors() || cfg.BaseURL.String() != "https://example.github.io/lib/" {
		t.Errorf("base_url: %v %v", cfg.BaseURL, diags)
	}
}
