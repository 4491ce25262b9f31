// Package config reads a site's config.yaml into a typed Config, checking
// every setting with file and line, for the generator, the publisher and the
// command line alike.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"text/template"
	"time"

	// Embedded so time zones work on machines without zone files (CI images,
	// scratch containers).
	_ "time/tzdata"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// File is the config file name at the site root.
const File = "config.yaml"

// Config is a site's settings.
type Config struct {
	Title       string
	Description string
	BaseURL     *url.URL // always ends in "/"
	Language    string
	Timezone    string
	Location    *time.Location
	Theme       string // "" for the built-in theme
	Library     Library
	CatalogURL  string // with {isbn}
	FeedItems   int
	PageSize    int
	Unsafe      bool // raw HTML in Markdown passes through
	Social      Social
	Params      map[string]any
	// Branches are the library's buildings, in config order (places.go).
	Branches []*item.Branch
	// Audiences are the groups events may be for, in config order; when
	// there are none, events may name any audience.
	Audiences []Audience
}

// Library is the library the site belongs to.
type Library struct {
	Name, Address, Phone, Email, URL string
}

// Social holds the posting settings.
type Social struct {
	MaxAge   time.Duration
	X        X
	Mastodon Mastodon
	Bluesky  Bluesky
}

// X holds the settings of the X (Twitter) account.
type X struct {
	Enabled        bool
	Handle         string // without "@"
	APIURL         string
	MaxPostsPerRun int
	Timeout        time.Duration     // per request
	Templates      map[string]string // by item kind: event, title, news
	// Prices in US dollars per post, for dry-run cost estimates.
	PricePost, PricePostWithLink float64
	// ReadTimeline lets the site's social box read the account's posts
	// from X (X bills reads); otherwise they come from the ledger.
	ReadTimeline bool
}

// Default templates for posts, by item kind.
var defaultTemplates = map[string]string{
	"event": "{{.Title}}: {{.When}} at {{.Location}} {{.URL}}",
	"title": "New on our shelves: {{.Title}} by {{.Author}} {{.URL}}",
	"news":  "{{.Title}} {{.URL}}",
}

// Default returns the settings used where config.yaml is silent.
func Default() *Config {
	u, _ := url.Parse("http://localhost:1313/")
	t := map[string]string{}
	for k, v := range defaultTemplates {
		t[k] = v
	}
	return &Config{
		Title: "Library News", BaseURL: u, Language: "en",
		Timezone: "UTC", Location: time.UTC,
		FeedItems: 20, PageSize: 10,
		Social: Social{MaxAge: 7 * 24 * time.Hour, X: X{
			APIURL: "https://api.x.com", MaxPostsPerRun: 10, Templates: t, Timeout: 20 * time.Second,
			PricePost: 0.015, PricePostWithLink: 0.2,
		},
			Mastodon: Mastodon{Visibility: "public", MaxPostsPerRun: 10, Timeout: 20 * time.Second, Templates: defaultTemplateMap()},
			Bluesky:  Bluesky{PDS: "https://bsky.social", MaxPostsPerRun: 10, Timeout: 20 * time.Second, Templates: defaultTemplateMap()},
		},
	}
}

// Load reads config.yaml from the site root. Problems are returned as a
// diag.List (warnings included); the Config is usable when it has no errors.
func Load(fsys fs.FS) (*Config, diag.List) {
	var diags diag.List
	data, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		diags.Errorf(File, 0, "no config.yaml here: run circulate in the site's folder, or give it with --source DIR (circulate init DIR makes a new site)")
		return nil, diags
	} else if err != nil {
		diags.Errorf(File, 0, "cannot read: %v", err)
		return nil, diags
	}
	cfg, d := Parse(data)
	return cfg, d
}

// Parse decodes the contents of config.yaml.
func Parse(data []byte) (*Config, diag.List) {
	var diags diag.List
	cfg := Default()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := fields.YAMLError(data, err)
		diags.Errorf(File, line, "not valid YAML: %s", msg)
		return cfg, diags
	}
	if len(doc.Content) == 0 {
		diags.Errorf(File, 1, "config.yaml is empty: it needs at least `title:` and `base_url:`")
		return cfg, diags
	}
	d := &fields.Decoder{File: File, Diags: &diags, Strict: true}
	s := func(dst *string) fields.Handler {
		return func(k string, v *yaml.Node) {
			if x, ok := d.String(k, v); ok {
				*dst = x
			}
		}
	}
	root := doc.Content[0]
	baseLine := 0
	d.Mapping(root, File, map[string]fields.Handler{
		"title":       s(&cfg.Title),
		"description": s(&cfg.Description),
		"language": func(k string, v *yaml.Node) {
			if x, ok := d.String(k, v); ok {
				if msg := checkLanguage(x); msg != "" {
					d.Errorf(v, "%s: %s", k, msg)
					return
				}
				cfg.Language = x
			}
		},
		"theme": s(&cfg.Theme),
		"catalog_url": func(k string, v *yaml.Node) {
			if x, ok := d.URL(k, v); ok {
				if !strings.Contains(x, "{isbn}") {
					d.Errorf(v, "%s: put {isbn} where the ISBN goes, like https://catalog.example.org/search?isbn={isbn}", k)
				}
				cfg.CatalogURL = x
			}
		},
		"base_url": func(k string, v *yaml.Node) {
			baseLine = d.Line(v)
			if x, ok := d.URL(k, v); ok {
				u, err := ParseBaseURL(x)
				if err != nil {
					d.Errorf(v, "%s: %v", k, err)
					return
				}
				cfg.BaseURL = u
			}
		},
		"timezone": func(k string, v *yaml.Node) {
			x, ok := d.String(k, v)
			if !ok {
				return
			}
			loc, msg := checkZone(x)
			if msg != "" {
				d.Errorf(v, "%s: %s", k, msg)
				return
			}
			cfg.Timezone, cfg.Location = x, loc
		},
		"library": func(k string, v *yaml.Node) {
			l := &cfg.Library
			d.Mapping(v, "library", map[string]fields.Handler{
				"name": s(&l.Name), "address": s(&l.Address), "phone": s(&l.Phone), "email": s(&l.Email),
				"url": func(k string, v *yaml.Node) {
					if x, ok := d.URL(k, v); ok {
						l.URL = x
					}
				},
			})
		},
		"feeds": func(k string, v *yaml.Node) {
			d.Mapping(v, "feeds", map[string]fields.Handler{"items": func(k string, v *yaml.Node) {
				if n, ok := d.Int(k, v, 1); ok {
					cfg.FeedItems = n
				}
			}})
		},
		"pagination": func(k string, v *yaml.Node) {
			d.Mapping(v, "pagination", map[string]fields.Handler{"size": func(k string, v *yaml.Node) {
				if n, ok := d.Int(k, v, 1); ok {
					cfg.PageSize = n
				}
			}})
		},
		"markup": func(k string, v *yaml.Node) {
			d.Mapping(v, "markup", map[string]fields.Handler{"unsafe": func(k string, v *yaml.Node) {
				if b, ok := d.Bool(k, v); ok {
					cfg.Unsafe = b
				}
			}})
		},
		"social":    func(k string, v *yaml.Node) { parseSocial(d, v, &cfg.Social) },
		"branches":  func(k string, v *yaml.Node) { parseBranches(d, v, cfg) },
		"audiences": func(k string, v *yaml.Node) { parseAudiences(d, v, cfg) },
		"params": func(k string, v *yaml.Node) {
			if err := v.Decode(&cfg.Params); err != nil {
				d.Errorf(v, "params: must be a set of `key: value` lines")
			}
		},
	})
	if cfg.Title == "" {
		diags.Errorf(File, 1, "title: missing; add a line like `title: Riverside Public Library — News`")
	}
	if baseLine == 0 {
		diags.Warnf(File, 1, "base_url: missing; feed and share links will point to %s (add `base_url: https://your-site.example.org/`)", cfg.BaseURL)
	}
	if cfg.Library.Name == "" {
		cfg.Library.Name = cfg.Title
	}
	return cfg, diags
}

func parseSocial(d *fields.Decoder, v *yaml.Node, so *Social) {
	d.Mapping(v, "social", map[string]fields.Handler{
		"max_age": func(k string, v *yaml.Node) {
			if dur, err := ParseDuration(v.Value); err != nil || v.Kind != yaml.ScalarNode {
				d.Errorf(v, "%s: %q is not a duration; write it like 7d, 36h or 90m", k, v.Value)
			} else if dur < 0 {
				d.Errorf(v, "%s: %q is negative; write how old an item may be and still be posted, like 7d (0 means any age)", k, v.Value)
			} else {
				so.MaxAge = dur
			}
		},
		"mastodon": func(k string, v *yaml.Node) { parseMastodon(d, v, &so.Mastodon) },
		"bluesky":  func(k string, v *yaml.Node) { parseBluesky(d, v, &so.Bluesky) },
		"x": func(k string, v *yaml.Node) {
			x := &so.X
			d.Mapping(v, "social.x", map[string]fields.Handler{
				"enabled": func(k string, v *yaml.Node) {
					if b, ok := d.Bool(k, v); ok {
						x.Enabled = b
					}
				},
				"handle": func(k string, v *yaml.Node) {
					if h, ok := d.String(k, v); ok {
						h = strings.TrimPrefix(strings.TrimSpace(h), "@")
						if !xHandleRE.MatchString(h) {
							d.Errorf(v, "%s: %q is not an X handle: write the account's username, up to 15 letters, digits and _, without spaces or quotes, like RiversideLib", k, v.Value)
							return
						}
						x.Handle = h
					}
				},
				"read_timeline": boolInto(d, &x.ReadTimeline),
				"api_url": func(k string, v *yaml.Node) {
					if u, ok := d.URL(k, v); ok {
						x.APIURL = strings.TrimSuffix(u, "/")
					}
				},
				"timeout": func(k string, v *yaml.Node) {
					if dur, err := ParseDuration(v.Value); err != nil || dur <= 0 {
						d.Errorf(v, "%s: %q is not a duration; write it like 20s or 1m", k, v.Value)
					} else {
						x.Timeout = dur
					}
				},
				"max_posts_per_run": func(k string, v *yaml.Node) {
					if n, ok := d.Int(k, v, 0); ok {
						x.MaxPostsPerRun = n
					}
				},
				"prices": func(k string, v *yaml.Node) {
					d.Mapping(v, "social.x.prices", map[string]fields.Handler{
						"post":           price(d, &x.PricePost),
						"post_with_link": price(d, &x.PricePostWithLink),
					})
				},
				"templates": func(k string, v *yaml.Node) {
					tm := map[string]fields.Handler{}
					for kind := range defaultTemplates {
						tm[kind] = func(k string, v *yaml.Node) {
							if s, ok := d.String(k, v); ok {
								if _, err := template.New(k).Parse(s); err != nil {
									d.Errorf(v, "%s: the template does not parse: %v", k, tmplErr(err))
									return
								}
								x.Templates[k] = s
							}
						}
					}
					d.Mapping(v, "social.x.templates", tm)
				},
			})
		},
	})
}

func price(d *fields.Decoder, dst *float64) fields.Handler {
	return func(k string, v *yaml.Node) {
		var f float64
		if err := v.Decode(&f); err != nil || f < 0 {
			d.Errorf(v, "%s: %q is not a price in dollars, like 0.015", k, v.Value)
			return
		}
		*dst = f
	}
}

// xHandleRE is what X allows in a username.
var xHandleRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// ParseBaseURL reads a site's base URL (config.yaml's base_url, or
// --base-url) into the one form every part of circulate works with: http
// or https, a host, no user name or password, no ? or # part, a path
// ending in "/".
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not a web address like https://example.org/lib/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("%q must not have a ? or # part", s)
	}
	if u.User != nil {
		return nil, fmt.Errorf("the address has a user name or password in it (the part before @); it would be in every link of the site and every post: remove it, like %s",
			(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// ParseDuration accepts Go durations plus days ("7d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		dd, err := time.ParseDuration(n + "h")
		return dd * 24, err
	}
	return time.ParseDuration(s)
}

func tmplErr(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
