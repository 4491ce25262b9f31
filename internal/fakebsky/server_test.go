package fakebsky

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSessions(t *testing.T) {
	h := newHarness(t, Options{SessionLimit5Min: 3})
	r := h.login()
	if r.status != 200 || get(r.body, "did") != "did:plc:rvrsdlbrry7fakebsky22222" || strings.Count(h.access, ".") != 2 {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	if r.header.Get("RateLimit-Remaining") != "2" || r.header.Get("RateLimit-Policy") != "3;w=300" {
		t.Errorf("headers %v", r.header)
	}
	bad := h.do("POST", "com.atproto.server.createSession", "", `{"identifier":"riversidelib.bsky.social","password":"wrong"}`, "")
	if bad.status != 401 || get(bad.body, "error") != "AuthenticationRequired" || get(bad.body, "message") != "Invalid identifier or password" {
		t.Errorf("wrong password: %d %s", bad.status, bad.raw)
	}
	h.login()
	if r := h.login(); r.status != 429 || get(r.body, "error") != "RateLimitExceeded" || r.header.Get("RateLimit-Remaining") != "0" {
		t.Errorf("fourth login in 5 minutes: %d %s", r.status, r.raw)
	}
	if h.s.Sessions() != 2 {
		t.Errorf("sessions %d", h.s.Sessions())
	}
	h.clock.Add(5 * time.Minute)
	if r := h.login(); r.status != 200 {
		t.Errorf("after 5 minutes: %d", r.status)
	}
}

func TestSessionDayLimit(t *testing.T) {
	h := newHarness(t, Options{SessionLimitDay: 2})
	h.login()
	h.clock.Add(10 * time.Minute)
	h.login()
	h.clock.Add(10 * time.Minute)
	if r := h.login(); r.status != 429 || r.header.Get("RateLimit-Policy") != "2;w=86400" {
		t.Errorf("third login in a day: %d %v", r.status, r.header)
	}
}

func TestExpiryAndRefresh(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.login()
	refresh := get(r.body, "refreshJwt").(string)
	rec := `{"$type":"app.bsky.feed.post","text":"hello","createdAt":"2026-03-01T12:00:00Z"}`
	if r := h.create(rec, ""); r.status != 200 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	h.clock.Add(2 * time.Hour)
	if r := h.create(rec, ""); r.status != 400 || get(r.body, "error") != "ExpiredToken" {
		t.Fatalf("expired: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "com.atproto.server.refreshSession", "", "", h.access); r.status != 400 || get(r.body, "error") != "InvalidToken" {
		t.Errorf("refresh with the access token: %d %s", r.status, r.raw)
	}
	nr := h.do("POST", "com.atproto.server.refreshSession", "", "", refresh)
	if nr.status != 200 {
		t.Fatalf("refresh: %d %s", nr.status, nr.raw)
	}
	h.access = get(nr.body, "accessJwt").(string)
	if r := h.create(rec, ""); r.status != 200 {
		t.Errorf("after refresh: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "com.atproto.server.refreshSession", "", "", refresh); r.status != 400 || get(r.body, "error") != "ExpiredToken" {
		t.Errorf("refresh token used twice: %d %s", r.status, r.raw)
	}
	h.s.ExpireAccessTokens()
	if r := h.create(rec, ""); get(r.body, "error") != "ExpiredToken" {
		t.Errorf("ExpireAccessTokens: %s", r.raw)
	}
	if r := h.do("POST", "com.atproto.repo.createRecord", "", "{}", ""); r.status != 401 || get(r.body, "error") != "AuthMissing" {
		t.Errorf("no token: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "com.atproto.repo.createRecord", "", "{}", "nonsense"); r.status != 401 {
		t.Errorf("bad token: %d %s", r.status, r.raw)
	}
	if h.s.Sessions() != 1 {
		t.Errorf("refresh counted as a session")
	}
}

func TestTID(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tid := TID(at, 7)
	if !ValidTID(tid) || len(tid) != 13 {
		t.Errorf("TID %q", tid)
	}
	if TID(at.Add(time.Microsecond), 7) <= tid {
		t.Errorf("TIDs do not sort by time")
	}
	for _, bad := range []string{"3jzfcijpj2z2", "3jzfcijpj2z2aa", "kjzfcijpj2z2a", "3jzfcijpj2z2A", "3jzfcijpj2z21", "self"} {
		if ValidTID(bad) {
			t.Errorf("ValidTID(%q)", bad)
		}
	}
	if !ValidTID("3jzfcijpj2z2a") {
		t.Errorf("the spec's example")
	}
}

func TestCreateRecord(t *testing.T) {
	link := "https://news.riverside-library.example.org/events/storytime/"
	text := "Storytime 🦆 café " + link
	start := strings.Index(text, link)
	facet := func(s, e int, uri string) string {
		return fmt.Sprintf(`[{"index":{"byteStart":%d,"byteEnd":%d},"features":[{"$type":"app.bsky.richtext.facet#link","uri":%q}]}]`, s, e, uri)
	}
	rec := func(text, extra string) string {
		return fmt.Sprintf(`{"$type":"app.bsky.feed.post","text":%q,"createdAt":"2026-03-01T12:00:00.000Z"%s}`, text, extra)
	}
	cases := []struct {
		name, record, rkey string
		want               int
		msg                string
	}{
		{name: "plain", record: rec("hello", ""), want: 200},
		{name: "with facet and langs", record: rec(text, `,"langs":["en"],"facets":`+facet(start, len(text), link)), want: 200},
		{name: "facet on a shortened link", record: rec("See news.riverside-library.example.org/events/st...", `,"facets":`+facet(4, 51, link)), want: 200},
		{name: "facet cuts a character", record: rec(text, `,"facets":`+facet(strings.Index(text, "🦆")+1, len(text), link)), want: 400},
		{name: "facet counted in code points", record: rec(text, `,"facets":`+facet(len([]rune(text[:start])), len([]rune(text)), link)), want: 400},
		{name: "facet past the end", record: rec(text, `,"facets":`+facet(start, len(text)+1, link)), want: 400},
		{name: "facet on other text", record: rec("Storytime "+link, `,"facets":`+facet(0, 9, link)), want: 400},
		{name: "300 graphemes", record: rec(strings.Repeat("é", 300), ""), want: 200},
		{name: "301 graphemes", record: rec(strings.Repeat("a", 301), ""), want: 400, msg: "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"},
		{name: "300 graphemes over 3000 bytes", record: rec(strings.Repeat("👨‍👩‍👧‍👦", 300), ""), want: 400},
		{name: "no createdAt", record: `{"$type":"app.bsky.feed.post","text":"a"}`, want: 400},
		{name: "bad createdAt", record: `{"$type":"app.bsky.feed.post","text":"a","createdAt":"yesterday"}`, want: 400},
		{name: "four langs", record: rec("a", `,"langs":["en","fr","de","es"]`), want: 400},
		{name: "bad lang", record: rec("a", `,"langs":["English!"]`), want: 400},
		{name: "wrong $type", record: `{"$type":"app.bsky.feed.like","text":"a","createdAt":"2026-03-01T12:00:00Z"}`, want: 400},
		{name: "valid rkey", record: rec("a", ""), rkey: "3jzfcijpj2z2a", want: 200},
		{name: "rkey not a TID", record: rec("a", ""), rkey: "storytime", want: 400},
		{name: "card without thumb", record: rec(link, `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"`+link+`","title":"Storytime","description":"Songs"}}`), want: 200},
		{name: "card without title", record: rec(link, `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"`+link+`","description":""}}`), want: 400},
		{name: "card with a blob never uploaded", record: rec(link, `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"`+link+`","title":"t","description":"d","thumb":{"$type":"blob","ref":{"$link":"bafkreinotuploaded"},"mimeType":"image/png","size":3}}}`), want: 400},
		{name: "unknown embed", record: rec("a", `,"embed":{"$type":"app.bsky.embed.poll"}`), want: 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.login()
			r := h.create(c.record, c.rkey)
			if r.status != c.want {
				t.Fatalf("status %d, want %d: %s", r.status, c.want, r.raw)
			}
			if c.msg != "" && get(r.body, "message") != c.msg {
				t.Errorf("message %q", get(r.body, "message"))
			}
			if (c.want == 200) != (len(h.s.Posts()) == 1) {
				t.Errorf("%d posts stored", len(h.s.Posts()))
			}
			if c.want == 200 {
				p := h.s.Posts()[0]
				if get(r.body, "uri") != p.URI || !strings.HasPrefix(p.CID, "bafyrei") || !ValidTID(p.RKey) || get(r.body, "validationStatus") != "valid" {
					t.Errorf("answer %s, stored %+v", r.raw, p)
				}
				if c.rkey != "" && p.RKey != c.rkey {
					t.Errorf("rkey %s", p.RKey)
				}
			}
		})
	}
}

func TestBlobs(t *testing.T) {
	h := newHarness(t, Options{})
	h.login()
	up, _ := h.send(http.DefaultClient, "POST", "com.atproto.repo.uploadBlob", "", "\x89PNG\r\n\x1a\nfake", "image/png", h.access)
	ref := get(up.body, "blob", "ref", "$link")
	if up.status != 200 || get(up.body, "blob", "mimeType") != "image/png" || !strings.HasPrefix(fmt.Sprint(ref), "bafkrei") {
		t.Fatalf("upload: %d %s", up.status, up.raw)
	}
	thumb := fmt.Sprintf(`{"$type":"blob","ref":{"$link":%q},"mimeType":"image/png","size":12}`, ref)
	rec := `{"$type":"app.bsky.feed.post","text":"x","createdAt":"2026-03-01T12:00:00Z","embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://example.org/","title":"t","description":"d","thumb":` + thumb + `}}}`
	if r := h.create(rec, ""); r.status != 200 {
		t.Fatalf("card with thumb: %d %s", r.status, r.raw)
	}
	feed := h.do("GET", "app.bsky.feed.getAuthorFeed", "actor=riversidelib.bsky.social", "", h.access)
	if th := get(feed.body, "feed", 0, "post", "embed", "external", "thumb"); !strings.HasPrefix(fmt.Sprint(th), "https://cdn.bsky.app/img/feed_thumbnail/") {
		t.Errorf("view: %s", feed.raw)
	}
	txt, _ := h.send(http.DefaultClient, "POST", "com.atproto.repo.uploadBlob", "", "just text", "text/plain", h.access)
	bad := strings.Replace(rec, fmt.Sprint(ref), fmt.Sprint(get(txt.body, "blob", "ref", "$link")), 1)
	bad = strings.Replace(bad, "image/png", "text/plain", 1)
	if r := h.create(bad, ""); r.status != 400 {
		t.Errorf("text as a thumb: %d %s", r.status, r.raw)
	}
	big, _ := h.send(http.DefaultClient, "POST", "com.atproto.repo.uploadBlob", "", strings.Repeat("x", 1000001), "image/jpeg", h.access)
	bad = strings.Replace(rec, fmt.Sprint(ref), fmt.Sprint(get(big.body, "blob", "ref", "$link")), 1)
	bad = strings.Replace(bad, "image/png", "image/jpeg", 1)
	if r := h.create(bad, ""); r.status != 400 || !strings.Contains(r.raw, "too large") {
		t.Errorf("big thumb: %d %s", r.status, r.raw)
	}
}

func TestDuplicateRKey(t *testing.T) {
	h := newHarness(t, Options{})
	h.login()
	first := `{"$type":"app.bsky.feed.post","text":"first","createdAt":"2026-03-01T12:00:00Z"}`
	if r := h.create(first, "3jzfcijpj2z2a"); r.status != 200 {
		t.Fatal(r.raw)
	}
	r := h.create(`{"$type":"app.bsky.feed.post","text":"second","createdAt":"2026-03-01T12:00:00Z"}`, "3jzfcijpj2z2a")
	if r.status != 500 || get(r.body, "error") != "InternalServerError" || len(h.s.Posts()) != 1 {
		t.Fatalf("duplicate: %d %s, %d posts", r.status, r.raw, len(h.s.Posts()))
	}
	g := h.do("GET", "com.atproto.repo.getRecord", "repo=did:plc:rvrsdlbrry7fakebsky22222&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2a", "", "")
	if g.status != 200 || get(g.body, "value", "text") != "first" {
		t.Errorf("getRecord: %d %s", g.status, g.raw)
	}
	g = h.do("GET", "com.atproto.repo.getRecord", "repo=riversidelib.bsky.social&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2b", "", "")
	if g.status != 400 || get(g.body, "error") != "RecordNotFound" {
		t.Errorf("missing: %d %s", g.status, g.raw)
	}
}

func TestFeedAndNotifications(t *testing.T) {
	h := newHarness(t, Options{})
	h.login()
	byHand := h.s.Seed("Come to the book sale! https://news.riverside-library.example.org/news/book-sale-2026/", h.clock.Now().Add(-time.Hour))
	if byHand.Text != "Come to the book sale! news.riverside-library.example.org/news/book-sa..." {
		t.Errorf("seeded text %q", byHand.Text)
	}
	for i := range 3 {
		h.clock.Add(time.Minute)
		h.create(fmt.Sprintf(`{"$type":"app.bsky.feed.post","text":"post %d","createdAt":"2026-03-01T12:00:00Z"}`, i), "")
	}
	own := h.s.Own()
	patron := Profile{Handle: "patron.bsky.social", DisplayName: "A Patron"}
	reply := h.s.SeedReply(patron, "Is it free?", own[1].URI, h.clock.Now())
	h.s.SeedMention(Profile{Handle: "friend.bsky.social"}, "Thanks @riversidelib.bsky.social", h.clock.Now().Add(time.Second))
	h.s.SeedNotification("like", patron, own[2].URI, h.clock.Now().Add(2*time.Second))

	// The feed: from the public AppView without a session, from the PDS
	// with one (and only with one, as on bsky.social).
	f := h.appview("app.bsky.feed.getAuthorFeed", "actor=did:plc:rvrsdlbrry7fakebsky22222&limit=2&filter=posts_no_replies", "")
	if f.status != 200 || get(f.body, "feed", 0, "post", "record", "text") != "post 2" || get(f.body, "feed", 2) != nil || get(f.body, "cursor") == nil {
		t.Fatalf("page 1: %s", f.raw)
	}
	f = h.do("GET", "app.bsky.feed.getAuthorFeed", "actor=riversidelib.bsky.social&limit=2&cursor="+get(f.body, "cursor").(string), "", h.access)
	if get(f.body, "feed", 0, "post", "record", "text") != "post 0" || get(f.body, "feed", 1, "post", "uri") != byHand.URI ||
		get(f.body, "feed", 1, "post", "record", "facets", 0, "features", 0, "uri") != "https://news.riverside-library.example.org/news/book-sale-2026/" || get(f.body, "cursor") != nil {
		t.Errorf("page 2: %s", f.raw)
	}
	if f := h.appview("app.bsky.feed.getAuthorFeed", "actor=someone.else", ""); f.status != 400 {
		t.Errorf("other actor: %d", f.status)
	}
	if f := h.do("GET", "app.bsky.feed.getAuthorFeed", "actor=riversidelib.bsky.social", "", ""); f.status != 401 || get(f.body, "error") != "AuthMissing" {
		t.Errorf("the PDS without a session: %d %s", f.status, f.raw)
	}
	if f := h.appview("app.bsky.feed.getAuthorFeed", "actor=riversidelib.bsky.social", h.access); f.status != 401 {
		t.Errorf("the AppView with a PDS session token: %d %s", f.status, f.raw)
	}
	if f := h.appview("app.bsky.notification.listNotifications", "", ""); f.status != 401 {
		t.Errorf("notifications from the AppView without a viewer: %d %s", f.status, f.raw)
	}
	if f := h.appview("com.atproto.server.createSession", "", ""); f.status != 501 {
		t.Errorf("a PDS method on the AppView: %d %s", f.status, f.raw)
	}
	var services []string
	for _, r := range h.s.Requests() {
		if r.NSID == "app.bsky.feed.getAuthorFeed" {
			services = append(services, r.Service)
		}
	}
	if strings.Join(services, ",") != "appview,pds,appview,pds,appview" {
		t.Errorf("getAuthorFeed served by %v", services)
	}
	n := h.do("GET", "app.bsky.notification.listNotifications", "reasons=reply&reasons=mention&limit=10", "", h.access)
	if n.status != 200 || get(n.body, "notifications", 0, "reason") != "mention" || get(n.body, "notifications", 1, "uri") != reply.URI ||
		get(n.body, "notifications", 1, "reasonSubject") != own[1].URI || get(n.body, "notifications", 1, "record", "reply", "parent", "uri") != own[1].URI ||
		get(n.body, "notifications", 1, "author", "handle") != "patron.bsky.social" || get(n.body, "notifications", 2) != nil {
		t.Errorf("notifications: %d %s", n.status, n.raw)
	}
	if n := h.do("GET", "app.bsky.notification.listNotifications", "limit=1", "", h.access); get(n.body, "notifications", 0, "reason") != "like" || get(n.body, "cursor") != "1" {
		t.Errorf("all: %s", n.raw)
	}
	if n := h.do("GET", "app.bsky.notification.listNotifications", "", "", ""); n.status != 401 {
		t.Errorf("no token: %d", n.status)
	}
}

func TestUnknownMethod(t *testing.T) {
	h := newHarness(t, Options{})
	if r := h.do("GET", "app.bsky.feed.getTimeline", "", "", ""); r.status != 501 {
		t.Errorf("%d", r.status)
	}
	if r := h.do("GET", "com.atproto.repo.createRecord", "", "", ""); r.status != 400 {
		t.Errorf("GET on a procedure: %d", r.status)
	}
}
