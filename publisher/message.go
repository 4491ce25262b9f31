package publisher

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/circulate-dev/circulate/internal/item"
)

// Message is one post to make, with what a network may use besides the
// text: the item's key (for an idempotency key or a record key that makes
// a second post of the same item impossible), its link and card, its image.
type Message struct {
	// Key is the item's ledger ID: the same across runs, edits and renames.
	Key  string
	Text string
	// Link is the item's URL; Title and Description make its preview card.
	Link, Title, Description string
	// Lang is the site's language ("en").
	Lang  string
	Image *Image // nil: no image
}

// Image is an item's picture and its description, loaded only by the
// networks that upload it.
type Image struct {
	URL, Alt string
	// Load returns the image's bytes and media type. It is set by whoever
	// knows where the built site is; nil means the image cannot be had.
	Load func(ctx context.Context) (data []byte, mediaType string, err error)
}

// Sender is a Network that posts a whole Message, not just its text.
// Mastodon and Bluesky are Senders; their Post sends a Message made of the
// text alone, keyed by the text.
type Sender interface {
	Send(ctx context.Context, m Message) (*RemotePost, error)
}

// Reply is a reply to the account, or a mention of it, waiting for staff.
type Reply struct {
	Network string    `json:"network"`
	ID      string    `json:"id"`
	URL     string    `json:"url"` // the reply itself; answer from there
	Author  string    `json:"author"`
	Handle  string    `json:"handle"` // "@patron@example.social", "@patron.bsky.social"
	Text    string    `json:"text"`   // plain text, links expanded
	Created time.Time `json:"created"`
	// InReplyTo is the URL of the account's post it answers, "" for a
	// mention outside a thread.
	InReplyTo string `json:"in_reply_to,omitempty"`
	// Item is the site's item whose post it answers, when the ledger knows
	// that post ("events/moomin-storytime"), and ItemTitle that item's
	// title.
	Item      string `json:"item,omitempty"`
	ItemTitle string `json:"item_title,omitempty"`
	// Kind is "reply" or "mention".
	Kind string `json:"kind"`
}

// ReplyReader is a Network that can list replies and mentions.
type ReplyReader interface {
	Replies(ctx context.Context, since time.Time) ([]Reply, error)
}

// FeedPost is one of the account's own posts for the site's social box:
// text as runs of plain text and links, so a page can show link text
// rather than raw URLs, and the images with their descriptions.
type FeedPost struct {
	Network string      `json:"network"`
	ID      string      `json:"id"`
	URL     string      `json:"url"`
	Created time.Time   `json:"created"`
	Parts   []Part      `json:"parts"`
	Images  []FeedImage `json:"images,omitempty"`
}

// Part is a run of a post's text; Link is set when the run is a link.
type Part struct {
	Text string `json:"text"`
	Link string `json:"link,omitempty"`
}

// FeedImage is an image of a post with its alt text.
type FeedImage struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

// TimelineReader is a Network that can read the account's own recent
// posts for the site.
type TimelineReader interface {
	Timeline(ctx context.Context, n int) ([]FeedPost, error)
}

// idemKey is an idempotency key for an item's post: the same for the same
// item and text in every run, so a re-send of a recorded text is known to
// the network as the same request.
func idemKey(key, text string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + text))
	return "circulate-" + hex.EncodeToString(sum[:16])
}

// urlRE finds the links a post's text holds: a scheme, then up to a space,
// less the punctuation that ends a sentence rather than the link.
var urlRE = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+`)

// findLinks returns the byte spans of the links in text.
func findLinks(text string) [][2]int {
	var out [][2]int
	for _, m := range urlRE.FindAllStringIndex(text, -1) {
		u := text[m[0]:m[1]]
		for len(u) > 0 {
			c := u[len(u)-1]
			if strings.ContainsRune(".,:;!?'\"", rune(c)) || (c == ')' && strings.Count(u, "(") < strings.Count(u, ")")) {
				u = u[:len(u)-1]
				continue
			}
			break
		}
		out = append(out, [2]int{m[0], m[0] + len(u)})
	}
	return out
}

// fitGraphemes cuts body with "…" so that weigh(body+tail) <= limit,
// never in the middle of a grapheme cluster (an emoji with its modifiers,
// a letter with its accents). It returns tail alone if nothing fits.
func fitGraphemes(body, tail string, limit int, weigh func(string) int) string {
	var clusters []string
	g := uniseg.NewGraphemes(body)
	for g.Next() {
		clusters = append(clusters, g.Str())
	}
	for n := len(clusters); n >= 0; n-- {
		s := strings.TrimRight(strings.Join(clusters[:n], ""), " ")
		if n < len(clusters) {
			if s == "" {
				break
			}
			s += "…"
		}
		if weigh(s+tail) <= limit {
			return s + tail
		}
	}
	return strings.TrimSpace(tail)
}

// plainParts turns a text into parts, each link a part of its own with
// the link, shortened, as its text.
func plainParts(text string) []Part {
	var parts []Part
	last := 0
	for _, l := range findLinks(text) {
		if l[0] > last {
			parts = append(parts, Part{Text: text[last:l[0]]})
		}
		parts = append(parts, Part{Text: ShortLink(text[l[0]:l[1]]), Link: text[l[0]:l[1]]})
		last = l[1]
	}
	if last < len(text) {
		parts = append(parts, Part{Text: text[last:]})
	}
	return parts
}

// postItem posts an item's text: a Sender gets the whole Message (the
// item's key, link, card and image), any other Network the text alone.
// key is the ID the item had when it was first sent (Entry.Key): the same
// when a pending post is sent again after the item was renamed.
func postItem(ctx context.Context, net Network, it *item.Item, key, text string) (*RemotePost, error) {
	s, ok := net.(Sender)
	if !ok {
		return net.Post(ctx, text)
	}
	m := Message{Key: key, Text: text, Link: it.URL, Title: it.Title, Description: it.Summary}
	if it.Image != "" {
		m.Image = &Image{URL: it.Image, Alt: it.ImageAlt}
	}
	return s.Send(ctx, m)
}

// withLoader is img with a way to load it: its own, or load by its URL;
// nil when it cannot be loaded.
func withLoader(img *Image, load func(ctx context.Context, url string) ([]byte, string, error)) *Image {
	if img == nil {
		return nil
	}
	if img.Load != nil {
		return img
	}
	if load == nil || img.URL == "" {
		return nil
	}
	cp := *img
	cp.Load = func(ctx context.Context) ([]byte, string, error) { return load(ctx, cp.URL) }
	return &cp
}
