package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"text/template"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/fields"
)

// Mastodon holds the settings of the Mastodon account.
type Mastodon struct {
	Enabled        bool
	Server         string // https://mastodon.social, no trailing slash
	Handle         string // the account's username, without "@" or server
	Visibility     string // public, unlisted or private
	MaxPostsPerRun int
	Timeout        time.Duration
	Templates      map[string]string
}

// Bluesky holds the settings of the Bluesky account.
type Bluesky struct {
	Enabled        bool
	Handle         string // riversidelib.bsky.social, without "@"
	PDS            string // https://bsky.social, no trailing slash
	MaxPostsPerRun int
	Timeout        time.Duration
	Templates      map[string]string
}

func defaultTemplateMap() map[string]string {
	t := map[string]string{}
	for k, v := range defaultTemplates {
		t[k] = v
	}
	return t
}

// templatesHandler reads a network's templates: only the kinds that exist,
// each one a template that parses.
func templatesHandler(d *fields.Decoder, where string, dst map[string]string) fields.Handler {
	return func(k string, v *yaml.Node) {
		tm := map[string]fields.Handler{}
		for kind := range defaultTemplates {
			tm[kind] = func(k string, v *yaml.Node) {
				if s, ok := d.String(k, v); ok {
					if _, err := template.New(k).Parse(s); err != nil {
						d.Errorf(v, "%s: the template does not parse: %v", k, tmplErr(err))
						return
					}
					dst[k] = s
				}
			}
		}
		d.Mapping(v, where+".templates", tm)
	}
}

func boolInto(d *fields.Decoder, dst *bool) fields.Handler {
	return func(k string, v *yaml.Node) {
		if b, ok := d.Bool(k, v); ok {
			*dst = b
		}
	}
}

func timeoutInto(d *fields.Decoder, dst *time.Duration) fields.Handler {
	return func(k string, v *yaml.Node) {
		if dur, err := ParseDuration(v.Value); err != nil || dur <= 0 {
			d.Errorf(v, "%s: %q is not a duration; write it like 20s or 1m", k, v.Value)
		} else {
			*dst = dur
		}
	}
}

func postsInto(d *fields.Decoder, dst *int) fields.Handler {
	return func(k string, v *yaml.Node) {
		if n, ok := d.Int(k, v, 0); ok {
			*dst = n
		}
	}
}

var mastodonUserRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func parseMastodon(d *fields.Decoder, v *yaml.Node, m *Mastodon) {
	handleNode := (*yaml.Node)(nil)
	serverSet := false
	d.Mapping(v, "social.mastodon", map[string]fields.Handler{
		"enabled": boolInto(d, &m.Enabled),
		"server": func(k string, v *yaml.Node) {
			if u, ok := d.URL(k, v); ok {
				p, _ := url.Parse(u)
				if p.Scheme != "https" && p.Hostname() != "localhost" && p.Hostname() != "127.0.0.1" {
					d.Errorf(v, "%s: %q must start with https:// (the server of your account, like https://mastodon.social)", k, u)
					return
				}
				if p.Path != "" && p.Path != "/" {
					d.Errorf(v, "%s: %q should be the server alone, like https://%s", k, u, p.Host)
					return
				}
				m.Server, serverSet = strings.TrimSuffix(u, "/"), true
			}
		},
		"handle": func(k string, v *yaml.Node) {
			h, ok := d.String(k, v)
			if !ok {
				return
			}
			handleNode = v
			user, server, _ := strings.Cut(strings.TrimPrefix(h, "@"), "@")
			if !mastodonUserRE.MatchString(user) {
				d.Errorf(v, "%s: %q is not a Mastodon username; write the account's name alone, like riversidelib (for @riversidelib@mastodon.social)", k, h)
				return
			}
			m.Handle = user
			if server != "" && m.Server == "" {
				m.Server = "https://" + server
			}
		},
		"visibility": func(k string, v *yaml.Node) {
			s, ok := d.String(k, v)
			if !ok {
				return
			}
			switch s {
			case "public", "unlisted", "private":
				m.Visibility = s
			default:
				d.Errorf(v, "%s: %q is not one of public, unlisted, private (public: on the account and in public timelines; unlisted: on the account only)", k, s)
			}
		},
		"max_posts_per_run": postsInto(d, &m.MaxPostsPerRun),
		"timeout":           timeoutInto(d, &m.Timeout),
		"templates":         templatesHandler(d, "social.mastodon", m.Templates),
	})
	if m.Enabled && m.Handle == "" && handleNode == nil {
		d.Errorf(v, "social.mastodon: enabled, but no handle: add `handle: riversidelib` (the account's username) under social.mastodon")
	}
	if m.Enabled && m.Server == "" && !serverSet {
		d.Errorf(v, "social.mastodon: enabled, but no server: add `server: https://mastodon.social` (the server your account is on) under social.mastodon")
	}
}

var bskyHandleRE = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

func parseBluesky(d *fields.Decoder, v *yaml.Node, b *Bluesky) {
	d.Mapping(v, "social.bluesky", map[string]fields.Handler{
		"enabled": boolInto(d, &b.Enabled),
		"handle": func(k string, v *yaml.Node) {
			h, ok := d.String(k, v)
			if !ok {
				return
			}
			h = strings.TrimPrefix(h, "@")
			if !bskyHandleRE.MatchString(h) {
				hint := ""
				if !strings.Contains(h, ".") {
					hint = fmt.Sprintf(" (%s.bsky.social?)", h)
				}
				d.Errorf(v, "%s: %q is not a Bluesky handle; write the full handle, like riversidelib.bsky.social%s", k, h, hint)
				return
			}
			b.Handle = strings.ToLower(h)
		},
		"pds": func(k string, v *yaml.Node) {
			if u, ok := d.URL(k, v); ok {
				p, _ := url.Parse(u)
				if p.Scheme != "https" && p.Hostname() != "localhost" && p.Hostname() != "127.0.0.1" {
					d.Errorf(v, "%s: %q must start with https:// (the default, https://bsky.social, is right for accounts made on bsky.app)", k, u)
					return
				}
				b.PDS = strings.TrimSuffix(u, "/")
			}
		},
		"max_posts_per_run": postsInto(d, &b.MaxPostsPerRun),
		"timeout":           timeoutInto(d, &b.Timeout),
		"templates":         templatesHandler(d, "social.bluesky", b.Templates),
	})
	if b.Enabled && b.Handle == "" {
		d.Errorf(v, "social.bluesky: enabled, but no handle: add `handle: riversidelib.bsky.social` under social.bluesky")
	}
}
