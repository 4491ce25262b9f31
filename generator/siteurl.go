package generator

import (
	"net/url"
	"strings"
)

// siteURL is the site's base URL, taken apart once per load: every
// absolute URL (permalinks, feeds, calendars, the sitemap) and every link
// within the site (templates' rel, Markdown links) is made from it, so
// none of them can disagree on the slash between the two.
// config.ParseBaseURL makes the URL it starts from.
type siteURL struct {
	u      *url.URL
	path   string // the URL's path without its final "/": "" or "/lib"
	origin string // "https://example.org"
}

func newSiteURL(u *url.URL) siteURL {
	return siteURL{u: u, path: strings.TrimSuffix(u.Path, "/"), origin: u.Scheme + "://" + u.Host}
}

// String is the base URL, ending in "/".
func (s siteURL) String() string { return s.origin + s.path + "/" }

// abs makes a site path ("/events/") an absolute URL; a URL stays as it is.
// It is percent-encoded where it must be: feeds, the sitemap and share
// cards need URIs, not /tags/café/.
func (s siteURL) abs(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return s.origin + s.path + "/" + escapeIRI(strings.TrimPrefix(p, "/"))
}

// rel makes a site path a link that works when the site lives under a
// sub-path ("/events/" -> "/lib/events/"); a URL stays as it is.
func (s siteURL) rel(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return s.path + "/" + strings.TrimPrefix(p, "/")
}
