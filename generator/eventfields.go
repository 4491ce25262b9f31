package generator

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/plural"
)

// eventHandlers adds the keys only events have to h.
func (b *builder) eventHandlers(dec *fields.Decoder, d *draft, h map[string]fields.Handler) {
	it, loc := d.it, b.cfg.Location
	e := &item.EventInfo{Status: item.Scheduled}
	it.Event = e
	text := func(dst *string) fields.Handler {
		return func(k string, v *yaml.Node) {
			if s, ok := dec.String(k, v); ok {
				*dst = s
			}
		}
	}
	h["start"] = func(k string, v *yaml.Node) {
		d.hasStart = true
		if t, dateOnly, ok := dec.Date(k, v, loc); ok {
			e.Start, d.startDate = t, dateOnly
		} else {
			d.hasStart = false
		}
	}
	h["end"] = func(k string, v *yaml.Node) {
		if t, dateOnly, ok := dec.Date(k, v, loc); ok {
			e.End, e.HasEnd, d.endDate = t, true, dateOnly
		}
	}
	h["location"] = func(k string, v *yaml.Node) {
		d.hasLoc = true
		if s, ok := dec.String(k, v); ok {
			e.Location = s
		}
	}
	h["branch"] = func(k string, v *yaml.Node) {
		d.hasLoc = true
		if s, ok := dec.String(k, v); ok {
			e.Branch = b.branch(dec, v, s)
		}
	}
	h["online"] = func(k string, v *yaml.Node) {
		d.hasLoc = true
		if u, ok := dec.URL(k, v); ok {
			e.Online = u
		}
	}
	h["audience"] = func(k string, v *yaml.Node) { e.Audience = b.audiences(dec, v) }
	h["ages"] = text(&e.Ages)
	h["cost"] = text(&e.Cost)
	h["accessibility"] = text(&e.Accessibility)
	h["registration"] = func(k string, v *yaml.Node) { e.Registration = registration(dec, v, loc) }
	h["status"] = func(k string, v *yaml.Node) {
		s, ok := dec.String(k, v)
		if !ok {
			return
		}
		switch s = strings.ToLower(s); s {
		case item.Scheduled, item.Cancelled, item.Postponed:
			e.Status = s
		case "canceled": // American spelling
			e.Status = item.Cancelled
		default:
			dec.Errorf(v, "status: %q is not one of scheduled, cancelled or postponed", s)
		}
	}
	h["repeat"] = func(k string, v *yaml.Node) { d.repeat = parseRepeat(dec, v, loc) }
}

// branch finds the branch a file names: by key, or by its name as config
// writes it. A typo is an error with the nearest key.
func (b *builder) branch(dec *fields.Decoder, v *yaml.Node, s string) *item.Branch {
	keys := b.cfg.BranchKeys()
	if len(keys) == 0 {
		dec.Errorf(v, "branch: config.yaml has no `branches:`; list the library's branches there (see docs/config.md), or write the place in `location:` instead")
		return nil
	}
	if br := b.cfg.Branch(strings.ToLower(s)); br != nil {
		return br
	}
	for _, br := range b.cfg.Branches {
		if strings.EqualFold(br.Name, s) {
			return br
		}
	}
	if near := diag.Suggest(strings.ToLower(s), keys); near != "" {
		dec.Errorf(v, "branch: %q is not one of the branches in config.yaml: did you mean %q? (write `branch: %s`)", s, near, near)
	} else {
		dec.Errorf(v, "branch: %q is not one of the branches in config.yaml; use one of %s", s, strings.Join(keys, ", "))
	}
	return nil
}

// audiences decodes `audience:`. When config.yaml lists audiences, each
// must be one of them (a typo is an error at the entry, with the nearest
// one); otherwise any words do.
func (b *builder) audiences(dec *fields.Decoder, v *yaml.Node) []string {
	nodes := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	}
	keys := b.cfg.AudienceKeys()
	var out []string
	for _, n := range nodes {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" || n.Tag == "!!null" {
			dec.Errorf(n, "audience: needs a list of audiences, like `audience: [kids, families]`")
			continue
		}
		a := strings.TrimSpace(n.Value)
		if len(keys) == 0 {
			if TagSlug(a) == "" {
				dec.Errorf(n, "audience: %q has no letters or digits", a)
				continue
			}
			out = append(out, a)
			continue
		}
		key := strings.ToLower(a)
		if b.cfg.Audience(key) {
			out = append(out, key)
			continue
		}
		if near := diag.Suggest(key, keys); near != "" {
			dec.Errorf(n, "audience: %q is not one of the audiences in config.yaml: did you mean %q?", a, near)
		} else {
			dec.Errorf(n, "audience: %q is not one of the audiences in config.yaml; use %s (or add it to `audiences:` there)", a, strings.Join(keys, ", "))
		}
	}
	return out
}

// registration decodes `registration:`: a sign-up link, or a group with
// url, required, capacity, full and opens.
func registration(dec *fields.Decoder, v *yaml.Node, loc *time.Location) *item.Registration {
	r := &item.Registration{}
	if v.Kind == yaml.ScalarNode {
		if u, ok := dec.URL("registration", v); ok {
			r.URL = u
			return r
		}
		return nil
	}
	if v.Kind != yaml.MappingNode {
		dec.Errorf(v, "registration: write the sign-up link, or a group of `url:`, `required:`, `capacity:`, `full:` and `opens:` lines")
		return nil
	}
	flag := func(dst *bool) fields.Handler {
		return func(k string, v *yaml.Node) {
			if x, ok := dec.Bool(k, v); ok {
				*dst = x
			}
		}
	}
	dec.StrictMapping(v, "registration", map[string]fields.Handler{
		"url": func(k string, v *yaml.Node) {
			if u, ok := dec.URL(k, v); ok {
				r.URL = u
			}
		},
		"required": flag(&r.Required),
		"full":     flag(&r.Full),
		"capacity": func(k string, v *yaml.Node) {
			if n, ok := dec.Int(k, v, 1); ok {
				r.Capacity = n
			}
		},
		"opens": func(k string, v *yaml.Node) {
			if t, _, ok := dec.Date(k, v, loc); ok {
				r.Opens = t
			}
		},
	})
	return r
}

// checkPlace reports an event with nowhere to be, and one whose location
// names a branch without `branch:` (its page would show no address).
func (b *builder) checkPlace(dec *fields.Decoder, d *draft) {
	e, name := d.it.Event, dec.File
	if !d.hasLoc {
		msg := "location: missing; add where it happens, like `location: \"Community Room, Main Library\"`"
		if keys := b.cfg.BranchKeys(); len(keys) > 0 {
			msg += fmt.Sprintf(", or the branch, like `branch: %s` (one of %s)", keys[0], strings.Join(keys, ", "))
		}
		dec.Diags.Errorf(name, 1, "%s, or `online:` with the link for an online event", msg)
		return
	}
	if e.Branch != nil || e.Location == "" {
		return
	}
	for _, br := range b.cfg.Branches {
		if strings.Contains(strings.ToLower(e.Location), strings.ToLower(br.Name)) {
			dec.Diags.Warnf(name, d.lineOf["location"], "location: %q is at the %s; add `branch: %s` so that the page shows its address and hours and the event is listed with the branch's events", e.Location, br.Name, br.Key)
			return
		}
	}
}

// registrationText says how to sign up, plainly: "Registration required:
// <link>", "Full — join the waiting list: <link>". With now (not zero), a
// sign-up that has not opened says when it opens. It never counts places
// left: circulate does not know them.
func registrationText(r *item.Registration, now time.Time) string {
	var s string
	switch {
	case r.Full:
		s = "Full — join the waiting list"
	case !r.Opens.IsZero() && (now.IsZero() || r.Opens.After(now)):
		s = "Registration opens " + r.Opens.Format("Monday, January 2, 2006")
		if r.Opens.Hour() != 0 || r.Opens.Minute() != 0 {
			s += " at " + clockText(r.Opens)
		}
		if r.Required {
			s += " (required)"
		}
	case r.Required:
		s = "Registration required"
	default:
		s = "Register"
	}
	if r.Capacity > 0 && !r.Full {
		s += "; " + plural.Count(r.Capacity, "place")
	}
	if r.URL != "" {
		s += ": " + r.URL
	}
	return s
}

// clockText: "10:30 AM", "6 PM".
func clockText(t time.Time) string {
	if t.Minute() == 0 {
		return t.Format("3 PM")
	}
	return t.Format("3:04 PM")
}
