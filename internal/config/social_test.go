package config

import (
	"strings"
	"testing"
)

func TestSocialNetworks(t *testing.T) {
	head := "title: T\nbase_url: https://news.example.org/\nsocial:\n"
	cases := []struct {
		name  string
		yaml  string
		err   string // "" for none; else "line: text" found in the errors
		check func(t *testing.T, c *Config)
	}{
		{name: "both", yaml: `  mastodon:
    enabled: true
    server: https://mastodon.social/
    handle: "@riversidelib"
    visibility: unlisted
    max_posts_per_run: 3
    templates:
      news: "News: {{.Title}} {{.URL}}"
  bluesky:
    enabled: true
    handle: "@RiversideLib.bsky.social"
  x:
    read_timeline: true
`, check: func(t *testing.T, c *Config) {
			m, b := c.Social.Mastodon, c.Social.Bluesky
			if !m.Enabled || m.Server != "https://mastodon.social" || m.Handle != "riversidelib" || m.Visibility != "unlisted" || m.MaxPostsPerRun != 3 ||
				m.Templates["news"] != "News: {{.Title}} {{.URL}}" || m.Templates["event"] == "" {
				t.Errorf("mastodon %+v", m)
			}
			if !b.Enabled || b.Handle != "riversidelib.bsky.social" || b.PDS != "https://bsky.social" || b.MaxPostsPerRun != 10 {
				t.Errorf("bluesky %+v", b)
			}
			if !c.Social.X.ReadTimeline {
				t.Errorf("read_timeline")
			}
		}},
		{name: "handle with server", yaml: "  mastodon: {enabled: true, handle: \"@lib@social.example.org\"}\n", check: func(t *testing.T, c *Config) {
			if c.Social.Mastodon.Server != "https://social.example.org" || c.Social.Mastodon.Handle != "lib" {
				t.Errorf("%+v", c.Social.Mastodon)
			}
		}},
		{name: "mastodon without server", yaml: "  mastodon:\n    enabled: true\n    handle: lib\n", err: "5: social.mastodon: enabled, but no server"},
		{name: "mastodon without handle", yaml: "  mastodon:\n    enabled: true\n    server: https://mastodon.social\n", err: "5:5: error: social.mastodon: enabled, but no handle"},
		{name: "mastodon http server", yaml: "  mastodon:\n    server: http://mastodon.social\n", err: "5: server: \"http://mastodon.social\" must start with https://"},
		{name: "mastodon server with a path", yaml: "  mastodon:\n    server: https://mastodon.social/@lib\n", err: "5:13: error: server: \"https://mastodon.social/@lib\" should be the server alone"},
		{name: "mastodon bad handle", yaml: "  mastodon:\n    handle: river side\n", err: "5: handle: \"river side\" is not a Mastodon username"},
		{name: "bad visibility", yaml: "  mastodon:\n    visibility: everyone\n", err: "5: visibility: \"everyone\" is not one of public, unlisted, private"},
		{name: "bad template", yaml: "  bluesky:\n    templates:\n      news: \"{{.Title\"\n", err: "6: news: the template does not parse"},
		{name: "bluesky handle without domain", yaml: "  bluesky:\n    handle: riversidelib\n", err: "5: handle: \"riversidelib\" is not a Bluesky handle; write the full handle, like riversidelib.bsky.social (riversidelib.bsky.social?)"},
		{name: "bluesky without handle", yaml: "  bluesky:\n    enabled: true\n", err: "5: social.bluesky: enabled, but no handle"},
		{name: "bluesky pds http", yaml: "  bluesky:\n    pds: http://bsky.social\n", err: "5:10: error: pds: \"http://bsky.social\" must start with https://"},
		{name: "negative posts", yaml: "  bluesky:\n    max_posts_per_run: -1\n", err: "5: "},
		{name: "bad timeout", yaml: "  mastodon:\n    timeout: soon\n", err: "5: timeout: \"soon\" is not a duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, diags := Parse([]byte(head + c.yaml))
			var errs []string
			for _, d := range diags.Errors() {
				errs = append(errs, d.String())
			}
			all := strings.Join(errs, "\n")
			switch {
			case c.err == "" && len(errs) > 0:
				t.Fatalf("errors: %s", all)
			case c.err != "" && !matches(all, c.err):
				t.Fatalf("errors %q, want config.yaml:%s", all, c.err)
			}
			if c.check != nil {
				c.check(t, cfg)
			}
		})
	}
}

// matches reports whether one of the errors is at the line (and column)
// and has the text that err ("5: text" or "5:13: error: text") gives.
func matches(all, err string) bool {
	line, text, _ := strings.Cut(err, ": ")
	for _, e := range strings.Split(all, "\n") {
		if strings.HasPrefix(e, "config.yaml:"+line+":") && strings.Contains(e, text) {
			return true
		}
	}
	return false
}
