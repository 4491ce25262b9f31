package generator

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// repeatDraft is a `repeat:` as written. It becomes an item.Repeat once the
// event's start is known (keys come in any order), in finishRepeat.
type repeatDraft struct {
	node      *yaml.Node // the value of repeat:, for errors
	opt       rrule.ROption
	untilNode *yaml.Node
	untilDate bool // until: given as a date: the whole day counts
	except    []exceptDraft
	ok        bool // no errors so far
}

type exceptDraft struct {
	day    time.Time
	reason string
	node   *yaml.Node
}

// Words of the friendly form.
var (
	everyWords = map[string]rrule.Frequency{
		"day": rrule.DAILY, "daily": rrule.DAILY, "days": rrule.DAILY,
		"week": rrule.WEEKLY, "weekly": rrule.WEEKLY, "weeks": rrule.WEEKLY,
		"month": rrule.MONTHLY, "monthly": rrule.MONTHLY, "months": rrule.MONTHLY,
		"year": rrule.YEARLY, "yearly": rrule.YEARLY, "years": rrule.YEARLY, "annually": rrule.YEARLY,
	}
	weekdayWords = map[string]rrule.Weekday{
		"monday": rrule.MO, "tuesday": rrule.TU, "wednesday": rrule.WE, "thursday": rrule.TH,
		"friday": rrule.FR, "saturday": rrule.SA, "sunday": rrule.SU,
		"mon": rrule.MO, "tue": rrule.TU, "tues": rrule.TU, "wed": rrule.WE, "thu": rrule.TH,
		"thur": rrule.TH, "thurs": rrule.TH, "fri": rrule.FR, "sat": rrule.SA, "sun": rrule.SU,
	}
	weekdayList  = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
	ordinalWords = map[string]int{
		"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
		"4th": 4, "fourth": 4, "5th": 5, "fifth": 5, "last": -1,
	}
	ordinalList = []string{"1st", "2nd", "3rd", "4th", "5th", "first", "second", "third", "fourth", "fifth", "last"}
)

// parseRepeat decodes `repeat:`: the friendly group (every, interval, on,
// until or count, except) or a raw RFC 5545 RRULE string.
func parseRepeat(dec *fields.Decoder, v *yaml.Node, loc *time.Location) *repeatDraft {
	r := &repeatDraft{node: v, ok: true}
	errs := len(*dec.Diags)
	defer func() {
		if hasErrorsSince(*dec.Diags, errs) {
			r.ok = false
		}
	}()
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		r.opt, r.untilDate = parseRRule(dec, v, loc)
		return r
	}
	if v.Kind != yaml.MappingNode {
		dec.Errorf(v, "repeat: write how often, like `repeat: {every: week, on: [tuesday]}`, or an RRULE like `repeat: \"FREQ=WEEKLY;BYDAY=TU\"`")
		r.ok = false
		return r
	}
	var every, on, rawRule *yaml.Node
	dec.StrictMapping(v, "repeat", map[string]fields.Handler{
		"every": func(k string, v *yaml.Node) { every = v },
		"on":    func(k string, v *yaml.Node) { on = v },
		"rrule": func(k string, v *yaml.Node) { rawRule = v },
		"interval": func(k string, v *yaml.Node) {
			if n, ok := dec.Int("repeat: interval", v, 1); ok {
				r.opt.Interval = n
			}
		},
		"count": func(k string, v *yaml.Node) {
			if n, ok := dec.Int("repeat: count", v, 1); ok {
				r.opt.Count = n
				r.untilNode = v
			}
		},
		"until": func(k string, v *yaml.Node) {
			if t, dateOnly, ok := dec.Date("repeat: until", v, loc); ok {
				r.opt.Until, r.untilDate, r.untilNode = t, dateOnly, v
			}
		},
		"except": func(k string, v *yaml.Node) { r.except = parseExcept(dec, v, loc) },
	})
	switch {
	case every != nil && rawRule != nil:
		dec.Errorf(rawRule, "repeat: give either `every:` or `rrule:`, not both")
		return r
	case rawRule != nil:
		if rawRule.Kind != yaml.ScalarNode {
			dec.Errorf(rawRule, "repeat: rrule: needs an RRULE as text, like \"FREQ=WEEKLY;BYDAY=TU\"")
			return r
		}
		if on != nil || r.opt.Interval != 0 || r.untilNode != nil {
			dec.Errorf(rawRule, "repeat: with `rrule:`, put the days, the interval and the end in the rule itself; only `except:` goes beside it")
			return r
		}
		except := r.except
		r.opt, r.untilDate = parseRRule(dec, rawRule, loc)
		r.except = except
		return r
	case every == nil:
		dec.Errorf(v, "repeat: add how often, like `every: week` (or day, month, year)")
		return r
	}
	w := strings.ToLower(strings.TrimSpace(every.Value))
	freq, ok := everyWords[w]
	if !ok || every.Kind != yaml.ScalarNode {
		hint := ""
		if s := diag.Suggest(w, []string{"day", "week", "month", "year"}); s != "" {
			hint = fmt.Sprintf(": did you mean %q?", s)
		}
		dec.Errorf(every, "repeat: every: %q is not day, week, month or year%s (for every other week, write `every: week` and `interval: 2`)", every.Value, hint)
		return r
	}
	r.opt.Freq = freq
	if r.opt.Count > 0 && !r.opt.Until.IsZero() {
		dec.Errorf(r.untilNode, "repeat: give either `until:` (the last day) or `count:` (how many times), not both")
	}
	if on != nil {
		parseOn(dec, on, &r.opt)
	}
	return r
}

// hasErrorsSince reports errors after the first from, other than unknown
// keys: a misspelt key is left out, and the rest of the rule still checked.
func hasErrorsSince(l diag.List, from int) bool {
	for _, d := range l[from:] {
		if d.Severity == diag.Error && !strings.HasPrefix(d.Message, "unknown key") {
			return true
		}
	}
	return false
}

// parseOn decodes `on:`: weekdays for a weekly series ([tuesday,
// thursday]), and for a monthly one which weekday of the month ("2nd
// tuesday", "last friday") or day numbers (15).
func parseOn(dec *fields.Decoder, on *yaml.Node, opt *rrule.ROption) {
	nodes := []*yaml.Node{on}
	if on.Kind == yaml.SequenceNode {
		nodes = on.Content
	}
	for _, n := range nodes {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			dec.Errorf(n, "repeat: on: needs days, like `on: [tuesday]` or, monthly, `on: [2nd tuesday]`")
			continue
		}
		words := strings.Fields(strings.ToLower(n.Value))
		switch opt.Freq {
		case rrule.DAILY, rrule.YEARLY:
			dec.Errorf(n, "repeat: on: goes with `every: week` or `every: month`; a series every %s happens on the day of `start:`", map[rrule.Frequency]string{rrule.DAILY: "day", rrule.YEARLY: "year"}[opt.Freq])
			return
		case rrule.WEEKLY:
			if len(words) == 2 {
				if _, isOrd := ordinalWords[words[0]]; isOrd {
					dec.Errorf(n, "repeat: on: %q is for `every: month`; every week, write the day alone, like `on: [%s]`", n.Value, words[1])
					continue
				}
			}
			if len(words) != 1 {
				dec.Errorf(n, "repeat: on: %q is not a day of the week, like tuesday", n.Value)
				continue
			}
			if wd, ok := weekday(dec, n, words[0]); ok {
				opt.Byweekday = append(opt.Byweekday, wd)
			}
		case rrule.MONTHLY:
			if d, ok := monthDay(words); ok {
				opt.Bymonthday = append(opt.Bymonthday, d)
				continue
			}
			if len(words) == 1 {
				if _, ok := weekdayWords[strings.TrimSuffix(words[0], "s")]; ok {
					dec.Errorf(n, "repeat: on: every month, say which %s: \"1st %s\", \"2nd %s\" or \"last %s\" (for every %s, write `every: week`)", words[0], words[0], words[0], words[0], words[0])
					continue
				}
			}
			if len(words) != 2 {
				dec.Errorf(n, "repeat: on: %q is not a day of the month; write it like \"2nd tuesday\", \"last friday\" or 15", n.Value)
				continue
			}
			nth, ok := ordinalWords[words[0]]
			if !ok {
				hint := ""
				if s := diag.Suggest(words[0], ordinalList); s != "" {
					hint = fmt.Sprintf(": did you mean \"%s %s\"?", s, words[1])
				}
				dec.Errorf(n, "repeat: on: %q does not say which %s of the month%s (1st, 2nd, 3rd, 4th, 5th or last)", n.Value, words[1], hint)
				continue
			}
			if wd, ok := weekday(dec, n, words[1]); ok {
				opt.Byweekday = append(opt.Byweekday, wd.Nth(nth))
			}
		}
	}
}

// weekday reads a day's name; a typo is an error with the nearest name.
func weekday(dec *fields.Decoder, n *yaml.Node, w string) (rrule.Weekday, bool) {
	if wd, ok := weekdayWords[w]; ok {
		return wd, true
	}
	if wd, ok := weekdayWords[strings.TrimSuffix(w, "s")]; ok { // "tuesdays"
		return wd, true
	}
	if s := diag.Suggest(w, weekdayList); s != "" {
		dec.Errorf(n, "repeat: on: %q is not a day of the week: did you mean %q?", w, s)
	} else {
		dec.Errorf(n, "repeat: on: %q is not a day of the week (monday, tuesday, ... sunday)", w)
	}
	return rrule.Weekday{}, false
}

var monthDayRE = regexp.MustCompile(`^(\d{1,2})(st|nd|rd|th)?$`)

// monthDay reads "15", "15th" or "last day" as a day of the month.
func monthDay(words []string) (int, bool) {
	if len(words) == 2 && words[0] == "last" && words[1] == "day" {
		return -1, true
	}
	if len(words) != 1 {
		return 0, false
	}
	m := monthDayRE.FindStringSubmatch(words[0])
	if m == nil {
		return 0, false
	}
	d, _ := strconv.Atoi(m[1])
	return d, d >= 1 && d <= 31
}

// parseExcept decodes `except:`, a list of dates, each a date or a group
// `{date: 2026-12-22, reason: "Library closed"}`.
func parseExcept(dec *fields.Decoder, v *yaml.Node, loc *time.Location) []exceptDraft {
	nodes := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	}
	var out []exceptDraft
	for _, n := range nodes {
		ex := exceptDraft{node: n}
		if n.Kind == yaml.MappingNode {
			var dateNode *yaml.Node
			dec.StrictMapping(n, "repeat: except", map[string]fields.Handler{
				"date":   func(k string, v *yaml.Node) { dateNode = v },
				"reason": func(k string, v *yaml.Node) { ex.reason, _ = dec.String("reason", v) },
			})
			if dateNode == nil {
				dec.Errorf(n, "repeat: except: add the day with `date: 2026-12-22`")
				continue
			}
			n = dateNode
			ex.node = n
		}
		t, _, ok := dec.Date("repeat: except", n, loc)
		if !ok {
			continue
		}
		y, m, d := t.Date()
		ex.day = time.Date(y, m, d, 0, 0, 0, 0, loc)
		out = append(out, ex)
	}
	return out
}

// RRULE parts circulate takes, and those it refuses with a reason.
var (
	rruleParts   = []string{"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "WKST"}
	rruleRefused = map[string]string{
		"BYHOUR": "the time of day comes from `start:`", "BYMINUTE": "the time of day comes from `start:`",
		"BYSECOND": "the time of day comes from `start:`", "DTSTART": "the first date comes from `start:`",
		"BYEASTER": "it is not part of RFC 5545",
	}
	rruleFreqs = []string{"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
	bydayRE    = regexp.MustCompile(`^[+-]?(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$`)
)

// parseRRule reads a raw RRULE (RFC 5545 3.3.10), "FREQ=WEEKLY;BYDAY=TU",
// with rrule-go after checking each part, so that an error points at the
// part at fault (its column) and names what was probably meant. An UNTIL
// date without a time counts the whole day.
func parseRRule(dec *fields.Decoder, v *yaml.Node, loc *time.Location) (rrule.ROption, bool) {
	s := strings.TrimSpace(v.Value)
	base := 0 // offset of s in the line, after a quote
	if v.Style == yaml.DoubleQuotedStyle || v.Style == yaml.SingleQuotedStyle {
		base = 1
	}
	if strings.Contains(v.Value, "\n") {
		base = -1 // no column inside a folded value
	}
	at := func(off int, format string, args ...any) {
		n := *v
		if base >= 0 {
			n.Column += base + off
		}
		dec.Errorf(&n, "repeat: "+format, args...)
	}
	off := 0
	if p, ok := cutPrefixFold(s, "RRULE:"); ok {
		s, off = p, len("RRULE:")
	}
	seen := map[string]bool{}
	var until string
	var untilOff int
	var keep []string
	bad := false
	for _, part := range strings.Split(s, ";") {
		partOff := off
		off += len(part) + 1
		if part == "" {
			continue
		}
		key, val, hasEq := strings.Cut(strings.ToUpper(part), "=")
		switch {
		case !hasEq || val == "":
			at(partOff, "%q in the rule needs a value, like FREQ=WEEKLY", part)
			bad = true
			continue
		case rruleRefused[key] != "":
			at(partOff, "%s is not used in circulate's rules: %s", key, rruleRefused[key])
			bad = true
			continue
		case !slices.Contains(rruleParts, key):
			if near := diag.Suggest(key, rruleParts); near != "" {
				at(partOff, "%q is not a part of an RRULE: did you mean %s?", key, near)
			} else {
				at(partOff, "%q is not a part of an RRULE (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, ...)", key)
			}
			bad = true
			continue
		case seen[key]:
			at(partOff, "%s is in the rule twice; keep one", key)
			bad = true
			continue
		}
		seen[key] = true
		valOff := partOff + len(key) + 1
		switch key {
		case "FREQ":
			if !slices.Contains(rruleFreqs, val) {
				if near := diag.Suggest(val, rruleFreqs); near != "" {
					at(valOff, "FREQ=%s: did you mean FREQ=%s?", val, near)
				} else {
					at(valOff, "FREQ=%s: a library event repeats DAILY, WEEKLY, MONTHLY or YEARLY", val)
				}
				bad = true
			}
		case "BYDAY", "WKST":
			for _, d := range strings.Split(val, ",") {
				if !bydayRE.MatchString(d) {
					at(valOff, "%s=%s: %q is not a day; days are MO, TU, WE, TH, FR, SA, SU, with a number before for the nth in the month (2TU, -1FR)", key, val, d)
					bad = true
				}
				valOff += len(d) + 1
			}
		case "UNTIL":
			until, untilOff = val, valOff
			continue // read below, in the site's zone
		}
		keep = append(keep, key+"="+val)
	}
	if !seen["FREQ"] && !bad {
		at(0, "the rule needs FREQ, like \"FREQ=WEEKLY;BYDAY=TU\"")
		bad = true
	}
	if seen["COUNT"] && until != "" {
		at(untilOff, "give either UNTIL or COUNT, not both")
		bad = true
	}
	if bad {
		return rrule.ROption{}, false
	}
	opt, err := rrule.StrToROptionInLocation(strings.Join(keep, ";"), loc)
	if err != nil {
		at(0, "%q is not a valid RRULE: %v", v.Value, err)
		return rrule.ROption{}, false
	}
	if until == "" {
		return *opt, false
	}
	var dateOnly bool
	switch len(until) {
	case 8:
		opt.Until, err = time.ParseInLocation("20060102", until, loc)
		dateOnly = true
	case 15:
		opt.Until, err = time.ParseInLocation("20060102T150405", until, loc)
	case 16:
		opt.Until, err = time.Parse("20060102T150405Z", until)
	default:
		err = fmt.Errorf("bad length")
	}
	if err != nil {
		at(untilOff, "UNTIL=%s is not a date; write it like UNTIL=20270525", until)
		return rrule.ROption{}, false
	}
	return *opt, dateOnly
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// finishRepeat makes the event's Repeat from its draft, now that start is
// known, and checks that the rule, start and exceptions agree: start must
// be the series' first date, and each exception one of its dates.
func finishRepeat(dec *fields.Decoder, d *draft, startLine int) {
	r, e := d.repeat, d.it.Event
	if r == nil || !r.ok || !d.hasStart {
		return
	}
	opt := r.opt
	if r.untilDate {
		y, m, dd := opt.Until.Date()
		opt.Until = time.Date(y, m, dd, 23, 59, 59, 0, e.Start.Location())
	}
	if !opt.Until.IsZero() && opt.Until.Before(e.Start) {
		n := r.untilNode
		if n == nil {
			n = r.node
		}
		dec.Errorf(n, "repeat: until: %s is before start (%s); until is the last day the event may happen", opt.Until.Format("2006-01-02"), e.Start.Format("2006-01-02"))
		return
	}
	rep, err := item.NewRepeat(opt, e.Start, e.AllDay)
	if err != nil {
		dec.Errorf(r.node, "repeat: the rule cannot be used: %v", err)
		return
	}
	first, ok := rep.FirstStart()
	switch {
	case !ok:
		dec.Errorf(r.node, "repeat: this rule gives no dates at all; check `on:` and `until:`")
		return
	case !sameDay(first, e.Start):
		dec.Diags.Errorf(dec.File, startLine, "start: %s is a %s, and it is not a date of the series (%s); make start the first date, %s, or change `repeat:`",
			e.Start.Format("2006-01-02"), e.Start.Format("Monday"), strings.ToLower(rep.Pattern()[:1])+rep.Pattern()[1:], first.Format("2006-01-02 (Monday)"))
		return
	}
	for _, ex := range r.except {
		if rep.AddException(ex.day, ex.reason) {
			continue
		}
		msg := fmt.Sprintf("repeat: except: %s (a %s) is not a date of the series (%s)", ex.day.Format("2006-01-02"), ex.day.Format("Monday"), rep.Describe())
		if near, ok := rep.NearestStart(ex.day); ok {
			msg += fmt.Sprintf(": did you mean %s (%s)?", near.Format("2006-01-02"), near.Format("Monday"))
		}
		dec.Errorf(ex.node, "%s", msg)
	}
	e.Repeat = rep
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
