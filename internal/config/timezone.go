package config

//go:generate go run mkzones.go

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
)

// A site's time zone must be a full IANA name (America/New_York): every
// datetime without an offset in the content is read in it, and calendars
// carry it. An abbreviation such as EST, or an offset such as -5, is a
// fixed offset from UTC and ignores daylight saving time, so every event
// would be an hour off all summer; such values are refused with the zone
// to write instead (SPEC §5).

// abbreviations are what people write for a zone, with the zone to write.
var abbreviations = map[string]string{
	"est": "America/New_York", "edt": "America/New_York", "et": "America/New_York", "eastern": "America/New_York",
	"cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago", "central": "America/Chicago",
	"mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver", "mountain": "America/Denver",
	"pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
	"akst": "America/Anchorage", "akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
	"ast": "America/Halifax", "adt": "America/Halifax", "nst": "America/St_Johns",
	"gmt": "Europe/London", "bst": "Europe/London", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
	"cet": "Europe/Paris", "cest": "Europe/Paris", "eet": "Europe/Athens", "eest": "Europe/Athens",
	"msk": "Europe/Moscow", "ist": "Asia/Kolkata", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
	"aest": "Australia/Sydney", "aedt": "Australia/Sydney", "acst": "Australia/Adelaide",
	"awst": "Australia/Perth", "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland",
	"est5edt": "America/New_York", "cst6cdt": "America/Chicago", "mst7mdt": "America/Denver",
	"pst8pdt": "America/Los_Angeles",
}

// byOffset suggests a zone for a UTC offset in hours, where one is common.
var byOffset = map[int]string{
	-10: "Pacific/Honolulu", -9: "America/Anchorage", -8: "America/Los_Angeles", -7: "America/Denver",
	-6: "America/Chicago", -5: "America/New_York", -4: "America/Halifax", -3: "America/Sao_Paulo",
	0: "Europe/London", 1: "Europe/Paris", 2: "Europe/Athens", 3: "Europe/Moscow",
	5: "Asia/Karachi", 8: "Asia/Singapore", 9: "Asia/Tokyo", 10: "Australia/Sydney", 12: "Pacific/Auckland",
}

var offsetRE = regexp.MustCompile(`(?i)^(?:utc|gmt|z|etc/gmt)?\s*([+\-−–])\s*(\d{1,2})(?::?(\d\d))?$`)

// checkZone returns the location of a timezone: value, or the message of
// the error (with the zone to write instead).
func checkZone(x string) (*time.Location, string) {
	if x == "UTC" || x == "Etc/UTC" {
		return time.UTC, ""
	}
	if slices.Contains(zoneNames, x) {
		loc, err := time.LoadLocation(x)
		if err == nil {
			return loc, ""
		}
	}
	lower := strings.ToLower(strings.TrimSpace(x))
	if z, ok := abbreviations[lower]; ok {
		return nil, fmt.Sprintf("%q is an abbreviation, a fixed offset from UTC that ignores daylight saving time (events would be an hour off for half the year); write the zone's full name, like %s", x, z)
	}
	if m := offsetRE.FindStringSubmatch(lower); m != nil {
		h, _ := strconv.Atoi(m[2])
		if m[1] != "+" {
			h = -h
		}
		if strings.HasPrefix(lower, "etc/gmt") {
			h = -h // Etc/GMT+5 is five hours behind UTC
		}
		write := "the zone's full name, like America/New_York"
		if z, ok := byOffset[h]; ok && (m[3] == "" || m[3] == "00") {
			write = "the zone's full name: write " + z + " (or the zone of your city)"
		}
		return nil, fmt.Sprintf("%q is an offset from UTC, which ignores daylight saving time (events would be an hour off for half the year); use %s", x, write)
	}
	if s := nearestZone(x); s != "" {
		return nil, fmt.Sprintf("%q is not a time zone name: did you mean %s?", x, s)
	}
	return nil, fmt.Sprintf("%q is not a time zone name; use a full IANA name like America/New_York or Europe/London (the list: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)", x)
}

// nearestZone finds the zone probably meant: a misspelling
// (America/New_Yrok), another case (america/new_york), or a city alone
// (New York, Chicago).
func nearestZone(x string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
	}
	want := norm(x)
	lowered := make([]string, len(zoneNames))
	cities := make([]string, len(zoneNames))
	for i, z := range zoneNames {
		lowered[i] = strings.ToLower(z)
		cities[i] = lowered[i][strings.LastIndexByte(lowered[i], '/')+1:]
	}
	pick := func(list []string) string {
		if s := diag.Nearest(want, list, max(2, len(want)/4)); s != "" {
			return zoneNames[slices.Index(list, s)]
		}
		return ""
	}
	if !strings.Contains(want, "/") {
		if z := pick(cities); z != "" {
			return z
		}
	}
	return pick(lowered)
}
