package publisher

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// bskyRecord is the part of an app.bsky.feed.post record circulate reads.
type bskyRecord struct {
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"createdAt"`
	Facets    []struct {
		Index struct {
			ByteStart int `json:"byteStart"`
			ByteEnd   int `json:"byteEnd"`
		} `json:"index"`
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
			Tag  string `json:"tag"`
			DID  string `json:"did"`
		} `json:"features"`
	} `json:"facets"`
	Reply *struct {
		Parent struct {
			URI string `json:"uri"`
		} `json:"parent"`
	} `json:"reply"`
}

type bskyPostView struct {
	URI    string `json:"uri"`
	Author struct {
		DID         string `json:"did"`
		Handle      string `json:"handle"`
		DisplayName string `json:"displayName"`
	} `json:"author"`
	Record    bskyRecord `json:"record"`
	IndexedAt time.Time  `json:"indexedAt"`
	Embed     *struct {
		Type     string `json:"$type"`
		External *struct {
			URI string `json:"uri"`
		} `json:"external"`
		Images []struct {
			Thumb    string `json:"thumb"`
			Fullsize string `json:"fullsize"`
			Alt      string `json:"alt"`
		} `json:"images"`
	} `json:"embed"`
}

// parts splits a record's text at its link facets: the text shown and the
// full URL each stands for. Facets out of order, overlapping or not on the
// text's bytes are ignored, so a malformed post still reads as text.
func (r bskyRecord) parts() []Part {
	type span struct {
		start, end int
		link       string
	}
	var spans []span
	for _, f := range r.Facets {
		for _, ft := range f.Features {
			if ft.Type == "app.bsky.richtext.facet#link" && ft.URI != "" {
				spans = append(spans, span{f.Index.ByteStart, f.Index.ByteEnd, ft.URI})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var parts []Part
	last := 0
	for _, s := range spans {
		if s.start < last || s.end <= s.start || s.end > len(r.Text) {
			continue
		}
		if s.start > last {
			parts = append(parts, Part{Text: r.Text[last:s.start]})
		}
		parts = append(parts, Part{Text: r.Text[s.start:s.end], Link: s.link})
		last = s.end
	}
	if last < len(r.Text) {
		parts = append(parts, Part{Text: r.Text[last:]})
	}
	return parts
}

// public makes an XRPC query of the public AppView, without a session.
func (b *Bluesky) public(ctx context.Context, nsid string, q url.Values) (*exchange, error) {
	x, err := send(ctx, b.client, http.MethodGet, b.cfg.AppView+"/xrpc/"+nsid+"?"+q.Encode(), http.Header{"Accept": {"application/json"}}, nil, false, "Bluesky")
	if err != nil {
		return nil, err
	}
	if x.status == http.StatusOK {
		return x, nil
	}
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(x.body, &body)
	e := &Error{Kind: Transient, Status: x.status, Message: cmp.Or(body.Message, body.Error, http.StatusText(x.status))}
	switch {
	case x.status == http.StatusTooManyRequests:
		e.Kind, e.RetryAt = RateLimited, b.cfg.Now().Add(5*time.Minute).UTC()
	case x.status == http.StatusBadRequest && strings.Contains(body.Message, "not found"):
		e.Kind = Rejected
		e.Message = "Bluesky has no account " + b.cfg.Handle + ": check social.bluesky.handle in config.yaml"
	}
	return x, e
}

func (b *Bluesky) postURL(handle, uri string) string {
	return "https://bsky.app/profile/" + handle + "/post/" + uri[strings.LastIndex(uri, "/")+1:]
}

// authorFeed reads the account's latest 50 posts (reposts left out): with
// the run's session when it has one, through the PDS; otherwise from the
// public AppView, as anyone may, so that reading the feed needs neither
// the app password nor one more login (the PDS limits them per day).
func (b *Bluesky) authorFeed(ctx context.Context) ([]bskyPostView, error) {
	q := url.Values{"actor": {b.cfg.Handle}, "limit": {"50"}, "filter": {"posts_no_replies"}}
	b.mu.Lock()
	session := b.access != ""
	b.mu.Unlock()
	var x *exchange
	var err error
	if session {
		x, err = b.call(ctx, http.MethodGet, "app.bsky.feed.getAuthorFeed", q, nil, false)
	} else {
		x, err = b.public(ctx, "app.bsky.feed.getAuthorFeed", q)
	}
	if err != nil {
		return nil, err
	}
	var out struct {
		Feed []struct {
			Post   bskyPostView    `json:"post"`
			Reason json.RawMessage `json:"reason"`
		} `json:"feed"`
	}
	if err := json.Unmarshal(x.body, &out); err != nil {
		return nil, &Error{Kind: Transient, Message: "Bluesky's feed could not be read: " + err.Error()}
	}
	var posts []bskyPostView
	for _, f := range out.Feed {
		if len(f.Reason) == 0 && f.Post.Author.Handle == b.cfg.Handle { // not a repost
			posts = append(posts, f.Post)
		}
	}
	return posts, nil
}

// Recent reads the account's latest posts, text with links expanded.
func (b *Bluesky) Recent(ctx context.Context) ([]RemotePost, error) {
	posts, err := b.authorFeed(ctx)
	if err != nil {
		return nil, err
	}
	var out []RemotePost
	for _, p := range posts {
		parts := p.Record.parts()
		rp := RemotePost{ID: p.URI[strings.LastIndex(p.URI, "/")+1:], URL: b.postURL(p.Author.Handle, p.URI),
			Created: p.Record.CreatedAt, Text: expanded(parts)}
		for _, pt := range parts {
			if pt.Link != "" {
				rp.Links = append(rp.Links, pt.Link)
			}
		}
		if p.Embed != nil && p.Embed.External != nil {
			rp.Links = append(rp.Links, p.Embed.External.URI)
		}
		out = append(out, rp)
	}
	return out, nil
}

// Timeline reads the account's n latest posts (not replies, not reposts)
// for the site.
func (b *Bluesky) Timeline(ctx context.Context, n int) ([]FeedPost, error) {
	posts, err := b.authorFeed(ctx)
	if err != nil {
		return nil, err
	}
	var out []FeedPost
	for _, p := range posts {
		if p.Record.Reply != nil {
			continue
		}
		fp := FeedPost{Network: "bluesky", ID: p.URI[strings.LastIndex(p.URI, "/")+1:], URL: b.postURL(p.Author.Handle, p.URI),
			Created: p.Record.CreatedAt, Parts: p.Record.parts()}
		if fp.Created.IsZero() {
			fp.Created = p.IndexedAt
		}
		if p.Embed != nil {
			for _, im := range p.Embed.Images {
				fp.Images = append(fp.Images, FeedImage{URL: im.Fullsize, Alt: im.Alt})
			}
		}
		out = append(out, fp)
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// Replies lists replies to the account's posts and mentions of it since a
// time, newest first.
func (b *Bluesky) Replies(ctx context.Context, since time.Time) ([]Reply, error) {
	if err := b.login(ctx); err != nil {
		return nil, err
	}
	q := url.Values{"reasons": {"reply", "mention", "quote"}, "limit": {"50"}}
	x, err := b.call(ctx, http.MethodGet, "app.bsky.notification.listNotifications", q, nil, false)
	if err != nil {
		return nil, err
	}
	var out struct {
		Notifications []struct {
			URI    string `json:"uri"`
			Reason string `json:"reason"`
			Author struct {
				Handle      string `json:"handle"`
				DisplayName string `json:"displayName"`
			} `json:"author"`
			ReasonSubject string     `json:"reasonSubject"`
			Record        bskyRecord `json:"record"`
			IndexedAt     time.Time  `json:"indexedAt"`
		} `json:"notifications"`
	}
	if err := json.Unmarshal(x.body, &out); err != nil {
		return nil, &Error{Kind: Transient, Message: "Bluesky's notifications could not be read: " + err.Error()}
	}
	var replies []Reply
	for _, n := range out.Notifications {
		if n.Reason != "reply" && n.Reason != "mention" && n.Reason != "quote" {
			continue
		}
		if !n.IndexedAt.After(since) {
			continue
		}
		r := Reply{Network: "bluesky", ID: n.URI, URL: b.postURL(n.Author.Handle, n.URI), Author: n.Author.DisplayName,
			Handle: "@" + n.Author.Handle, Text: strings.TrimSpace(expanded(n.Record.parts())), Created: n.IndexedAt, Kind: n.Reason}
		if r.Author == "" {
			r.Author = n.Author.Handle
		}
		if n.Reason == "reply" {
			parent := n.ReasonSubject
			if n.Record.Reply != nil {
				parent = n.Record.Reply.Parent.URI
			}
			r.InReplyTo = b.postURL(b.cfg.Handle, parent)
		}
		replies = append(replies, r)
	}
	return replies, nil
}
