package fakemastodon

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLength(t *testing.T) {
	long := "https://news.riverside-library.example.org/events/2026/03/moomin-weekend-readings/"
	cases := []struct {
		text string
		want int
	}{
		{"Storytime", 9},
		{strings.Repeat("a", 500), 500},
		{"See " + long, 4 + 23},
		{"two " + long + " and http://a.co", 4 + 23 + 5 + 23},
		{"no scheme: example.org/x", 24},
		{"link at the end of a sentence: https://a.example/x.", 31 + 23 + 1},
		{"👨‍👩‍👧‍👦 family", 8},  // one grapheme cluster
		{"e\u0301te\u0301", 3}, // combining accents
		{"hi @patron@example.social", 3 + 7},
		{"hi @patron", 10},
	}
	for _, c := range cases {
		if got := Length(c.text); got != c.want {
			t.Errorf("Length(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

func TestPostStatus(t *testing.T) {
	cases := []struct {
		name   string
		opts   Options
		q      req
		want   int
		errMsg string
	}{
		{name: "JSON", q: req{body: `{"status":"Storytime is back","visibility":"public","language":"en"}`, ctype: "application/json"}, want: 200},
		{name: "form", q: req{body: "status=Storytime+is+back&visibility=unlisted", ctype: "application/x-www-form-urlencoded"}, want: 200},
		{name: "no token", q: req{body: `{"status":"a"}`, ctype: "application/json", token: "-"}, want: 401, errMsg: "The access token is invalid"},
		{name: "wrong token", q: req{body: `{"status":"a"}`, ctype: "application/json", token: "other"}, want: 401},
		{name: "read-only token", opts: Options{Scopes: []string{"read"}}, q: req{body: `{"status":"a"}`, ctype: "application/json"}, want: 403, errMsg: "This action is outside the authorized scopes"},
		{name: "write covers write:statuses", opts: Options{Scopes: []string{"write"}}, q: req{body: `{"status":"a"}`, ctype: "application/json"}, want: 200},
		{name: "blank", q: req{body: `{"status":"  "}`, ctype: "application/json"}, want: 422, errMsg: "Validation failed: Text can't be blank"},
		{name: "no body", q: req{}, want: 422},
		{name: "501 characters", q: req{body: `{"status":"` + strings.Repeat("a", 501) + `"}`, ctype: "application/json"}, want: 422, errMsg: "Validation failed: Text character limit of 500 exceeded"},
		{name: "500 with a long link", q: req{body: `{"status":"` + strings.Repeat("a", 476) + ` https://example.org/` + strings.Repeat("x", 200) + `"}`, ctype: "application/json"}, want: 200},
		{name: "bad visibility", q: req{body: `{"status":"a","visibility":"everyone"}`, ctype: "application/json"}, want: 422},
		{name: "bad language", q: req{body: `{"status":"a","language":"English"}`, ctype: "application/json"}, want: 422},
		{name: "unknown media", q: req{body: `{"status":"a","media_ids":["42"]}`, ctype: "application/json"}, want: 422, errMsg: "Validation failed: Media with ID(s) 42 were not found"},
		{name: "not JSON", q: req{body: `{"status":`, ctype: "application/json"}, want: 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.opts)
			c.q.method, c.q.path = "POST", "/api/v1/statuses"
			r := h.do(c.q)
			if r.status != c.want {
				t.Fatalf("status %d, want %d: %s", r.status, c.want, r.raw)
			}
			if c.errMsg != "" && get(r.body, "error") != c.errMsg {
				t.Errorf("error %q, want %q", get(r.body, "error"), c.errMsg)
			}
			if n := len(h.s.Statuses()); (c.want == 200) != (n == 1) {
				t.Errorf("%d statuses stored", n)
			}
			if c.want == 200 {
				st := h.s.Statuses()[0]
				if get(r.body, "id") != st.ID || get(r.body, "url") != h.s.URL+"/@riversidelib/"+st.ID || get(r.body, "account", "acct") != "riversidelib" {
					t.Errorf("answer %s, stored %+v", r.raw, st)
				}
			}
			if r.status != 401 && r.status != 403 && r.header.Get("X-RateLimit-Limit") == "" {
				t.Errorf("no rate-limit headers")
			}
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	h := newHarness(t, Options{})
	first := h.post("Storytime https://example.org/a", "key-1")
	again := h.post("Storytime, edited https://example.org/a", "key-1")
	if first.status != 200 || again.status != 200 || get(first.body, "id") != get(again.body, "id") {
		t.Fatalf("same key: %s then %s", first.raw, again.raw)
	}
	if n := len(h.s.Statuses()); n != 1 {
		t.Fatalf("%d statuses, want 1", n)
	}
	if other := h.post("Storytime https://example.org/a", "key-2"); get(other.body, "id") == get(first.body, "id") {
		t.Errorf("another key returned the same status")
	}
	// Mastodon keeps the key an hour: then the same key makes a new status.
	h.clock.Add(61 * time.Minute)
	if late := h.post("Storytime https://example.org/a", "key-1"); get(late.body, "id") == get(first.body, "id") {
		t.Errorf("key honoured after an hour")
	}
	if n := len(h.s.Statuses()); n != 3 {
		t.Errorf("%d statuses, want 3", n)
	}
	// Without a key Mastodon has no duplicate guard at all.
	h.post("Same", "")
	h.post("Same", "")
	if n := len(h.s.Statuses()); n != 5 {
		t.Errorf("%d statuses, want 5", n)
	}
}

func TestContentHTML(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.post("Moomins & friends:\nhttps://news.riverside-library.example.org/events/moomin-weekend/ #kids\n\nSee you!", "")
	want := `<p>Moomins &amp; friends:<br />` +
		`<a href="https://news.riverside-library.example.org/events/moomin-weekend/" target="_blank" rel="nofollow noopener" translate="no">` +
		`<span class="invisible">https://</span><span class="ellipsis">news.riverside-library.example</span><span class="invisible">.org/events/moomin-weekend/</span></a> ` +
		`<a href="` + h.s.URL + `/tags/kids" class="mention hashtag" rel="tag">#<span>kids</span></a></p><p>See you!</p>`
	if got := get(r.body, "content"); got != want {
		t.Errorf("content\n got %s\nwant %s", got, want)
	}
	if got := shortenedLink("https://www.example.org/a"); !strings.Contains(got, `<span class="invisible">https://www.</span><span class="">example.org/a</span><span class="invisible"></span>`) {
		t.Errorf("short link: %s", got)
	}
}

func upload(h *harness, ctype, desc string) response {
	h.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	hdr := map[string][]string{"Content-Disposition": {`form-data; name="file"; filename="cover.png"`}, "Content-Type": {ctype}}
	fw, _ := mw.CreatePart(hdr)
	fw.Write([]byte("\x89PNG fake image"))
	mw.WriteField("description", desc)
	mw.Close()
	return h.do(req{method: "POST", path: "/api/v2/media", body: b.String(), ctype: mw.FormDataContentType()})
}

func TestMedia(t *testing.T) {
	h := newHarness(t, Options{})
	r := upload(h, "image/png", "A moomin on a book")
	if r.status != 200 || get(r.body, "description") != "A moomin on a book" || get(r.body, "url") == nil || get(r.body, "type") != "image" {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	id := get(r.body, "id").(string)
	p := h.do(req{method: "POST", path: "/api/v1/statuses", body: `{"status":"With a picture","media_ids":["` + id + `"]}`, ctype: "application/json"})
	if p.status != 200 || get(p.body, "media_attachments", 0, "description") != "A moomin on a book" {
		t.Fatalf("post: %d %s", p.status, p.raw)
	}
	// An attachment goes on one status only.
	if again := h.do(req{method: "POST", path: "/api/v1/statuses", body: `{"status":"x","media_ids":["` + id + `"]}`, ctype: "application/json"}); again.status != 422 {
		t.Errorf("attached twice: %d", again.status)
	}
	if r := upload(h, "text/plain", ""); r.status != 422 {
		t.Errorf("text file: %d", r.status)
	}
	if r := upload(h, "image/png", strings.Repeat("é", 1501)); r.status != 422 {
		t.Errorf("long description: %d", r.status)
	}
	if r := h.do(req{method: "POST", path: "/api/v2/media", body: "", ctype: "multipart/form-data; boundary=x", token: "-"}); r.status != 401 {
		t.Errorf("no token: %d", r.status)
	}
	ro := newHarness(t, Options{Scopes: []string{"read", "write:statuses"}})
	if r := upload(ro, "image/png", ""); r.status != 403 {
		t.Errorf("without write:media: %d", r.status)
	}
}

func TestMediaAsync(t *testing.T) {
	h := newHarness(t, Options{MediaPolls: 2})
	r := upload(h, "image/jpeg", "alt")
	if r.status != 202 || get(r.body, "url") != nil {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	id := get(r.body, "id").(string)
	body := `{"status":"x","media_ids":["` + id + `"]}`
	if p := h.do(req{method: "POST", path: "/api/v1/statuses", body: body, ctype: "application/json"}); p.status != 422 ||
		get(p.body, "error") != "Cannot attach files that have not finished processing. Try again in a moment!" {
		t.Errorf("unprocessed: %d %s", p.status, p.raw)
	}
	for i, want := range []int{206, 206, 200} {
		if g := h.do(req{method: "GET", path: "/api/v1/media/" + id}); g.status != want {
			t.Errorf("poll %d: %d", i, g.status)
		}
	}
	if p := h.do(req{method: "POST", path: "/api/v1/statuses", body: body, ctype: "application/json"}); p.status != 200 {
		t.Errorf("processed: %d %s", p.status, p.raw)
	}
	if g := h.do(req{method: "GET", path: "/api/v1/media/999"}); g.status != 404 {
		t.Errorf("unknown media: %d", g.status)
	}
}

func TestTimelineAndNotifications(t *testing.T) {
	h := newHarness(t, Options{})
	byHand := h.s.Seed("Written by hand https://example.org/hand", h.clock.Now().Add(-time.Hour))
	var ids []string
	for i := range 3 {
		h.clock.Add(time.Minute)
		ids = append(ids, get(h.post("Post "+string(rune('A'+i)), "").body, "id").(string))
	}
	patron := Account{Username: "patron", Domain: "example.social", DisplayName: "A Patron"}
	reply := h.s.SeedReply(patron, "@riversidelib@"+strings.TrimPrefix(h.s.URL, "http://")+" Is it free?", ids[0], h.clock.Now())
	h.s.SeedMention(Account{Username: "neighbour"}, "Thanks @riversidelib!", h.clock.Now().Add(time.Second))
	h.s.SeedNotification("favourite", patron, ids[1], h.clock.Now())

	path := "/api/v1/accounts/109000000000000001/statuses"
	r := h.do(req{method: "GET", path: path + "?limit=2&exclude_replies=true", token: "-"})
	if r.status != 200 || get(r.body, 0, "id") != ids[2] || get(r.body, 1, "id") != ids[1] || get(r.body, 2) != nil {
		t.Fatalf("page 1: %d %s", r.status, r.raw)
	}
	next := r.header.Get("Link")
	if !strings.Contains(next, "max_id="+ids[1]) {
		t.Errorf("Link %s", next)
	}
	r = h.do(req{method: "GET", path: path + "?limit=10&max_id=" + ids[1]})
	if get(r.body, 0, "id") != ids[0] || get(r.body, 1, "id") != byHand.ID || get(r.body, 1, "created_at") != "2026-03-01T11:00:00.000Z" {
		t.Errorf("page 2: %s", r.raw)
	}
	if r := h.do(req{method: "GET", path: "/api/v1/accounts/1/statuses"}); r.status != 404 {
		t.Errorf("other account: %d", r.status)
	}
	if r := h.do(req{method: "GET", path: path, token: "wrong"}); r.status != 401 {
		t.Errorf("wrong token on a public timeline: %d", r.status)
	}

	n := h.do(req{method: "GET", path: "/api/v1/notifications?" + url.Values{"types[]": {"mention"}}.Encode()})
	if n.status != 200 || get(n.body, 0, "type") != "mention" || get(n.body, 0, "account", "acct") != "neighbour" ||
		get(n.body, 1, "status", "id") != reply.ID || get(n.body, 1, "status", "in_reply_to_id") != ids[0] ||
		get(n.body, 1, "account", "acct") != "patron@example.social" || get(n.body, 2) != nil {
		t.Errorf("mentions: %d %s", n.status, n.raw)
	}
	if all := h.do(req{method: "GET", path: "/api/v1/notifications"}); get(all.body, 0, "type") != "favourite" {
		t.Errorf("all notifications: %s", all.raw)
	}
	if n := h.do(req{method: "GET", path: "/api/v1/notifications?since_id=2"}); get(n.body, 0, "id") != "3" || get(n.body, 1) != nil {
		t.Errorf("since_id: %s", n.raw)
	}
	ro := newHarness(t, Options{Scopes: []string{"write:statuses"}})
	if r := ro.do(req{method: "GET", path: "/api/v1/notifications"}); r.status != 403 {
		t.Errorf("without read: %d", r.status)
	}
	if r := h.do(req{method: "GET", path: "/api/v1/accounts/verify_credentials"}); get(r.body, "id") != "109000000000000001" || get(r.body, "source", "privacy") != "public" {
		t.Errorf("verify_credentials: %s", r.raw)
	}
}

// The account's id and public statuses are readable without a token, as
// on Mastodon; a server that wants a token for its API refuses them with
// 401, and a token still works there.
func TestPublicAPI(t *testing.T) {
	h := newHarness(t, Options{})
	first := h.post("First", "")
	h.do(req{method: "POST", path: "/api/v1/statuses", body: `{"status":"Followers only","visibility":"private"}`, ctype: "application/json"})
	thread := h.do(req{method: "POST", path: "/api/v1/statuses", body: `{"status":"More in this thread","in_reply_to_id":"` + get(first.body, "id").(string) + `"}`, ctype: "application/json"})
	patron := Account{Username: "patron", Domain: "example.social", DisplayName: "A Patron"}
	h.s.SeedReply(patron, "@riversidelib hello", get(first.body, "id").(string), h.clock.Now())

	host := strings.TrimPrefix(h.s.URL, "http://")
	for _, acct := range []string{"riversidelib", "@riversidelib", "RiversideLib", "riversidelib@" + host} {
		r := h.do(req{method: "GET", path: "/api/v1/accounts/lookup?acct=" + url.QueryEscape(acct), token: "-"})
		if r.status != 200 || get(r.body, "id") != "109000000000000001" || get(r.body, "acct") != "riversidelib" {
			t.Errorf("lookup %s: %d %s", acct, r.status, r.raw)
		}
	}
	if r := h.do(req{method: "GET", path: "/api/v1/accounts/lookup?acct=patron@example.social", token: "-"}); get(r.body, "acct") != "patron@example.social" {
		t.Errorf("lookup of a known remote account: %d %s", r.status, r.raw)
	}
	for _, acct := range []string{"nobody", "riversidelib@elsewhere.example", ""} {
		if r := h.do(req{method: "GET", path: "/api/v1/accounts/lookup?acct=" + acct, token: "-"}); r.status != 404 || get(r.body, "error") != "Record not found" {
			t.Errorf("lookup %q: %d %s", acct, r.status, r.raw)
		}
	}
	if r := h.do(req{method: "GET", path: "/api/v1/accounts/lookup?acct=riversidelib", token: "wrong"}); r.status != 401 {
		t.Errorf("lookup with a wrong token: %d", r.status)
	}

	// Without a token: public statuses only; exclude_replies leaves out
	// the patron's reply but keeps the account's own thread.
	statuses := "/api/v1/accounts/109000000000000001/statuses?exclude_replies=true&exclude_reblogs=true"
	r := h.do(req{method: "GET", path: statuses, token: "-"})
	var texts []string
	for i := 0; get(r.body, i) != nil; i++ {
		texts = append(texts, fmt.Sprint(get(r.body, i, "content")))
	}
	if r.status != 200 || len(texts) != 2 || get(r.body, 0, "id") != get(thread.body, "id") || strings.Contains(strings.Join(texts, " "), "Followers only") {
		t.Errorf("public statuses: %d %q", r.status, texts)
	}
	if r := h.do(req{method: "GET", path: statuses}); len(r.body.([]any)) != 3 {
		t.Errorf("with the account's token, its private status too: %s", r.raw)
	}

	locked := newHarness(t, Options{RequireAuth: true})
	locked.post("Hello", "")
	for _, path := range []string{"/api/v1/accounts/lookup?acct=riversidelib", "/api/v1/accounts/109000000000000001/statuses"} {
		r := locked.do(req{method: "GET", path: path, token: "-"})
		if r.status != 401 || get(r.body, "error") != "This API requires an authenticated user" {
			t.Errorf("%s without a token on a server that requires one: %d %s", path, r.status, r.raw)
		}
		if r := locked.do(req{method: "GET", path: path}); r.status != 200 {
			t.Errorf("%s with a token: %d %s", path, r.status, r.raw)
		}
	}
}
