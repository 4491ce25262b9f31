package config

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// Audience is one of the groups events are for (config `audiences:`).
type Audience struct {
	Key   string // in content files and URLs: "kids"
	Label string // for people: "Kids (0–11)"
}

// keyRE is what a branch or audience key may be: it is a URL segment
// (/events/branch/<key>/).
var keyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Branch is the branch with this key, or nil.
func (c *Config) Branch(key string) *item.Branch {
	for _, b := range c.Branches {
		if b.Key == key {
			return b
		}
	}
	return nil
}

// BranchKeys lists the branch keys, in config order.
func (c *Config) BranchKeys() []string {
	keys := make([]string, len(c.Branches))
	for i, b := range c.Branches {
		keys[i] = b.Key
	}
	return keys
}

// AudienceKeys lists the audience keys, in config order.
func (c *Config) AudienceKeys() []string {
	keys := make([]string, len(c.Audiences))
	for i, a := range c.Audiences {
		keys[i] = a.Key
	}
	return keys
}

// AudienceLabel is the label of an audience for people: the one config
// gives, or the key with a capital ("kids" -> "Kids").
func (c *Config) AudienceLabel(key string) string {
	for _, a := range c.Audiences {
		if a.Key == key {
			return a.Label
		}
	}
	return Capitalize(strings.ReplaceAll(key, "-", " "))
}

// Capitalize puts the first letter in upper case.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parseBranches decodes `branches:`, a map from key to the branch's details.
func parseBranches(d *fields.Decoder, v *yaml.Node, cfg *Config) {
	if v.Kind != yaml.MappingNode {
		d.Errorf(v, "branches: must be a group of branches, each under its key, like\n  main:\n    name: Main Library\n    address: 120 River Street")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, bv := v.Content[i], v.Content[i+1]
		key := k.Value
		if !keyRE.MatchString(key) {
			d.Errorf(k, "branches: %q is not a usable key; it is part of the branch's web address (/events/branch/%s/), so use lower-case letters, digits and dashes, like %q", key, key, slug(key))
			continue
		}
		if seen[key] {
			d.Errorf(k, "branches: %s appears twice; keep one", key)
			continue
		}
		seen[key] = true
		b := &item.Branch{Key: key}
		s := func(dst *string) fields.Handler {
			return func(k string, v *yaml.Node) {
				if x, ok := d.String(k, v); ok {
					*dst = x
				}
			}
		}
		u := func(dst *string) fields.Handler {
			return func(k string, v *yaml.Node) {
				if x, ok := d.URL(k, v); ok {
					*dst = x
				}
			}
		}
		d.Mapping(bv, "branches."+key, map[string]fields.Handler{
			"name": s(&b.Name), "address": s(&b.Street), "city": s(&b.Locality),
			"region": s(&b.Region), "postal_code": s(&b.PostalCode), "country": s(&b.Country),
			"map": u(&b.Map), "hours": s(&b.Hours), "phone": s(&b.Phone),
		})
		if bv.Kind != yaml.MappingNode {
			continue
		}
		if b.Name == "" {
			d.Errorf(k, "branches.%s: name: missing; add the name people know it by, like `name: Eastside Branch`", key)
			b.Name = key
		}
		if b.Street == "" {
			d.Warnf(k, "branches.%s: address: missing; the events there show no address, and search engines need one (add `address: \"45 Elm Avenue\"`)", key)
		}
		cfg.Branches = append(cfg.Branches, b)
	}
}

// parseAudiences decodes `audiences:`: a list of keys ([kids, teens]) or a
// map from key to label ({kids: "Kids (0–11)"}).
func parseAudiences(d *fields.Decoder, v *yaml.Node, cfg *Config) {
	add := func(k *yaml.Node, label string) {
		key := k.Value
		switch {
		case k.Kind != yaml.ScalarNode || !keyRE.MatchString(key):
			d.Errorf(k, "audiences: %q is not a usable key; it is part of a web address (/events/audience/%s/), so use lower-case letters, digits and dashes, like %q", key, key, slug(key))
			return
		case label == "":
			label = Capitalize(strings.ReplaceAll(key, "-", " "))
		}
		for _, a := range cfg.Audiences {
			if a.Key == key {
				d.Errorf(k, "audiences: %s appears twice; keep one", key)
				return
			}
		}
		cfg.Audiences = append(cfg.Audiences, Audience{Key: key, Label: label})
	}
	switch v.Kind {
	case yaml.SequenceNode:
		for _, k := range v.Content {
			add(k, "")
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			if lv := v.Content[i+1]; lv.Tag == "!!null" {
				add(v.Content[i], "") // `teens:` alone: the default label
			} else if label, ok := d.String(v.Content[i].Value, lv); ok {
				add(v.Content[i], label)
			}
		}
	default:
		d.Errorf(v, "audiences: needs a list, like `audiences: [kids, teens, adults]`, or labels under each key, like `kids: \"Kids (0–11)\"`")
	}
}

// slug suggests a key for what was written.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Audience reports whether key is one of the configured audiences.
func (c *Config) Audience(key string) bool {
	for _, a := range c.Audiences {
		if a.Key == key {
			return true
		}
	}
	return false
}
