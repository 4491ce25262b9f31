package config

import (
	"strings"
	"testing"
)

func TestBranchesAndAudiences(t *testing.T) {
	cfg, diags := Parse([]byte(`title: T
base_url: https://news.example.org/
branches:
  main: {name: Main Library, address: 120 River Street, city: Riverside, region: NY, postal_code: "12501", map: "https://maps.example/m", hours: "9–5"}
  eastside:
    name: Eastside Branch
    address: 45 Elm Avenue
audiences:
  kids: Kids (0–11)
  teens:
`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := strings.Join(cfg.BranchKeys(), ","); got != "main,eastside" {
		t.Errorf("branches %s", got)
	}
	if b := cfg.Branch("main"); b == nil || b.Address() != "120 River Street, Riverside, NY 12501" || b.Map != "https://maps.example/m" || b.Hours != "9–5" {
		t.Errorf("main %+v", b)
	}
	if cfg.AudienceLabel("kids") != "Kids (0–11)" || cfg.AudienceLabel("teens") != "Teens" || !cfg.Audience("teens") || cfg.Audience("adults") {
		t.Errorf("audiences %+v", cfg.Audiences)
	}
	cfg, diags = Parse([]byte("title: T\nbase_url: https://news.example.org/\naudiences: [kids, young adults]\n"))
	if len(cfg.Audiences) != 1 || cfg.AudienceLabel("kids") != "Kids" {
		t.Errorf("list form: %+v", cfg.Audiences)
	}
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `config.yaml:3:19: error: audiences: "young adults" is not a usable key`) || !strings.Contains(diags.Error(), `like "young-adults"`) {
		t.Errorf("a key with a space: %v", diags)
	}
}

func TestBranchMistakes(t *testing.T) {
	for conf, want := range map[string]string{
		"branches:\n  East Side: {name: E}\n":           `config.yaml:4:3: error: branches: "East Side" is not a usable key`,
		"branches:\n  east: {address: 1 Elm}\n":         "config.yaml:4:3: error: branches.east: name: missing",
		"branches:\n  east: {name: E}\n":                "config.yaml:4:3: warning: branches.east: address: missing",
		"branches:\n  east: {name: E, addres: 1 Elm}\n": `did you mean "address"?`,
		"branches:\n  east: {name: E, map: maps}\n":     `map: "maps" is not a web address`,
		"branches: [main, east]\n":                      "branches: must be a group of branches",
	} {
		_, diags := Parse([]byte("title: T\nbase_url: https://news.example.org/\n" + conf))
		if !strings.Contains(diags.Error(), want) {
			t.Errorf("%s: got %v, want %q", conf, diags, want)
		}
	}
}
