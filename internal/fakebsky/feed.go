package fakebsky

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Profile is another account (a patron) for seeding replies and mentions.
type Profile struct {
	Handle      string // "patron.bsky.social"
	DisplayName string
}

type notification struct {
	post    *post // the reply or mention, or nil (like, follow)
	author  *Profile
	reason  string
	subject string // reasonSubject
	at      time.Time
}

var seedURLRE = regexp.MustCompile(`https?://[^\s]+[^\s.,;:!?)'"]`)

// shortURL is how the Bluesky app shows a pasted link in the text: host
// and path, the path cut at 13 characters with "...".
func shortURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	p := u.EscapedPath()
	if p == "/" {
		p = ""
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		p += "#" + u.Fragment
	}
	if len(p) > 15 {
		return u.Host + p[:13] + "..."
	}
	return u.Host + p
}

// richText writes text as the app would post it: each link shortened in
// the text, with a #link facet holding the full URL.
func richText(text string) (string, []any) {
	var out []byte
	var facets []any
	last := 0
	for _, m := range seedURLRE.FindAllStringIndex(text, -1) {
		out = append(out, text[last:m[0]]...)
		full := text[m[0]:m[1]]
		short := shortURL(full)
		start := len(out)
		out = append(out, short...)
		facets = append(facets, map[string]any{
			"index":    map[string]any{"byteStart": json.Number(strconv.Itoa(start)), "byteEnd": json.Number(strconv.Itoa(len(out)))},
			"features": []any{map[string]any{"$type": "app.bsky.richtext.facet#link", "uri": full}},
		})
		last = m[1]
	}
	out = append(out, text[last:]...)
	return string(out), facets
}

func (s *Server) seed(author *Profile, text string, reply map[string]any, at time.Time) *post {
	body, facets := richText(text)
	rec := map[string]any{"$type": postNSID, "text": body, "createdAt": timeJSON(at), "langs": []any{"en"}}
	if facets != nil {
		rec["facets"] = facets
	}
	if reply != nil {
		rec["reply"] = reply
	}
	s.seq++
	return s.store(author, TID(at, uint64(s.seq)), rec, at)
}

// Seed adds a post as if staff had written it in the Bluesky app at at.
func (s *Server) Seed(text string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seed(nil, text, nil, at).Post
}

// SeedReply adds another account's reply to the post parentURI and the
// "reply" notification the account gets for it.
func (s *Server) SeedReply(from Profile, text, parentURI string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.find(parentURI)
	ref := map[string]any{"uri": parentURI, "cid": ""}
	root := ref
	if parent != nil {
		ref["cid"] = parent.CID
		if r, ok := parent.Record["reply"].(map[string]any); ok {
			root, _ = r["root"].(map[string]any)
		}
	}
	p := s.seed(&from, text, map[string]any{"root": root, "parent": ref}, at)
	s.notifs = append(s.notifs, &notification{post: p, author: &from, reason: "reply", subject: parentURI, at: at})
	return p.Post
}

// SeedMention adds another account's post mentioning the account.
func (s *Server) SeedMention(from Profile, text string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.seed(&from, text, nil, at)
	s.notifs = append(s.notifs, &notification{post: p, author: &from, reason: "mention", at: at})
	return p.Post
}

// SeedNotification adds a notification without a post ("like",
// "repost", "follow") about subject (a post URI) if any.
func (s *Server) SeedNotification(reason string, from Profile, subject string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifs = append(s.notifs, &notification{author: &from, reason: reason, subject: subject, at: at})
}

func (s *Server) profileJSON(p *Profile) map[string]any {
	if p == nil {
		return map[string]any{"did": s.opts.DID, "handle": s.opts.Handle, "displayName": s.opts.DisplayName,
			"avatar": "https://cdn.bsky.app/img/avatar/plain/" + s.opts.DID + "/avatar@jpeg", "labels": []any{}, "createdAt": "2023-05-01T00:00:00.000Z"}
	}
	return map[string]any{"did": didFor(p.Handle), "handle": p.Handle, "displayName": p.DisplayName, "labels": []any{}, "createdAt": "2024-01-01T00:00:00.000Z"}
}

// postView is app.bsky.feed.defs#postView. Callers hold mu.
func (s *Server) postView(p *post) map[string]any {
	v := map[string]any{"uri": p.URI, "cid": p.CID, "author": s.profileJSON(p.author), "record": p.Record,
		"replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, "indexedAt": timeJSON(p.IndexedAt), "labels": []any{}}
	if e, ok := p.Record["embed"].(map[string]any); ok && e["$type"] == "app.bsky.embed.external" {
		ext, _ := e["external"].(map[string]any)
		view := map[string]any{"uri": ext["uri"], "title": ext["title"], "description": ext["description"]}
		if th, ok := ext["thumb"].(map[string]any); ok {
			ref, _ := th["ref"].(map[string]any)
			view["thumb"] = "https://cdn.bsky.app/img/feed_thumbnail/plain/" + s.opts.DID + "/" + ref["$link"].(string) + "@jpeg"
		}
		v["embed"] = map[string]any{"$type": "app.bsky.embed.external#view", "external": view}
	}
	return v
}

func limitParam(w *recorder, q url.Values) (int, bool) {
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			invalid(w, "limit must be between 1 and 100")
			return 0, false
		}
		limit = n
	}
	return limit, true
}

// getAuthorFeed is app.bsky.feed.getAuthorFeed on the PDS, which proxies
// it to the AppView for a signed-in client only: without a session it
// answers 401 AuthMissing, as bsky.social does. Anyone may read the same
// feed from the public AppView (serveAppView).
func (s *Server) getAuthorFeed(w *recorder, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.authorFeed(w, r)
}

// authorFeed answers getAuthorFeed: the actor's posts, newest first; the
// cursor is the indexedAt of the last one, as the AppView's is.
func (s *Server) authorFeed(w *recorder, r *http.Request) {
	q := r.URL.Query()
	limit, ok := limitParam(w, q)
	if !ok {
		return
	}
	if a := q.Get("actor"); a != s.opts.DID && a != s.opts.Handle {
		invalid(w, "Profile not found")
		return
	}
	filter := q.Get("filter")
	if filter != "" && !slices.Contains([]string{"posts_with_replies", "posts_no_replies", "posts_with_media", "posts_and_author_threads", "posts_with_video"}, filter) {
		invalid(w, "Invalid filter: "+filter)
		return
	}
	var before time.Time
	if c := q.Get("cursor"); c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			invalid(w, "Malformed cursor")
			return
		}
		before = t
	}
	s.mu.Lock()
	feed := []any{}
	var last time.Time
	more := false
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := s.posts[i]
		if p.author != nil || (!before.IsZero() && !p.IndexedAt.Before(before)) {
			continue
		}
		if _, isReply := p.Record["reply"]; isReply && filter == "posts_no_replies" {
			continue
		}
		if len(feed) == limit {
			more = true
			break
		}
		feed = append(feed, map[string]any{"post": s.postView(p)})
		last = p.IndexedAt
	}
	s.mu.Unlock()
	out := map[string]any{"feed": feed}
	if more {
		out["cursor"] = timeJSON(last)
	}
	fakenet.WriteJSON(w, http.StatusOK, out)
}

// listNotifications is app.bsky.notification.listNotifications, newest
// first, optionally only some reasons.
func (s *Server) listNotifications(w *recorder, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	q := r.URL.Query()
	limit, ok := limitParam(w, q)
	if !ok {
		return
	}
	reasons := q["reasons"]
	skip := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			invalid(w, "Malformed cursor")
			return
		}
		skip = n
	}
	s.mu.Lock()
	var list []*notification
	for i := len(s.notifs) - 1; i >= 0; i-- {
		if n := s.notifs[i]; len(reasons) == 0 || slices.Contains(reasons, n.reason) {
			list = append(list, n)
		}
	}
	out := []any{}
	for i := skip; i < len(list) && len(out) < limit; i++ {
		n := list[i]
		j := map[string]any{"author": s.profileJSON(n.author), "reason": n.reason, "isRead": false,
			"indexedAt": timeJSON(n.at), "labels": []any{}}
		if n.subject != "" {
			j["reasonSubject"] = n.subject
		}
		if n.post != nil {
			j["uri"], j["cid"], j["record"] = n.post.URI, n.post.CID, n.post.Record
		} else {
			j["uri"] = "at://" + didFor(n.author.Handle) + "/app.bsky.feed.like/" + TID(n.at, 1)
			j["cid"] = cid(0x71, []byte(j["uri"].(string)))
			j["record"] = map[string]any{"$type": "app.bsky.feed.like", "createdAt": timeJSON(n.at)}
		}
		out = append(out, j)
	}
	body := map[string]any{"notifications": out}
	if skip+len(out) < len(list) {
		body["cursor"] = strconv.Itoa(skip + len(out))
	}
	s.mu.Unlock()
	fakenet.WriteJSON(w, http.StatusOK, body)
}
