package publisher

import (
	"context"
	"html"
	"strings"
)

// Timeline reads the account's latest posts for the site's social box
// (only with social.x.read_timeline: true, since X bills reads). X shows
// links as t.co links; each is replaced by where it leads, in order.
func (x *X) Timeline(ctx context.Context, n int) ([]FeedPost, error) {
	recent, err := x.Recent(ctx)
	if err != nil {
		return nil, err
	}
	var out []FeedPost
	for _, rp := range recent {
		text := html.UnescapeString(rp.Text)
		var parts []Part
		last, next := 0, 0
		for _, l := range findLinks(text) {
			link := text[l[0]:l[1]]
			if strings.HasPrefix(link, "https://t.co/") && next < len(rp.Links) {
				link = rp.Links[next]
				next++
			}
			if l[0] > last {
				parts = append(parts, Part{Text: text[last:l[0]]})
			}
			parts = append(parts, Part{Text: ShortLink(link), Link: link})
			last = l[1]
		}
		if last < len(text) {
			parts = append(parts, Part{Text: text[last:]})
		}
		out = append(out, FeedPost{Network: "x", ID: rp.ID, URL: rp.URL, Created: rp.Created, Parts: parts})
		if len(out) == n {
			break
		}
	}
	return out, nil
}
