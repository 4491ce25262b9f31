package fakex

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPostTweet(t *testing.T) {
	longURL := "https://example.org/events/2026/03/moomin-weekend-readings-for-children-and-their-families-at-riverside"
	cases := []struct {
		name   string
		opts   Options
		before func(h *harness) // earlier requests
		body   string           // raw JSON; "" means {"text": text}
		text   string
		edit   func(*signing)
		want   int
		detail string // expected "detail" of the answer, if any
	}{
		{name: "valid", text: "Storytime is back on Saturday!", want: 201},
		{name: "no Authorization", text: "a", edit: func(s *signing) { s.noAuth = true }, want: 401, detail: "Unauthorized"},
		{name: "bad signature", text: "a", edit: func(s *signing) { s.consumerSecret = "wrong" }, want: 401},
		{name: "wrong token secret", text: "a", edit: func(s *signing) { s.tokenSecret = "wrong" }, want: 401},
		{name: "unknown consumer key", text: "a", edit: func(s *signing) { s.consumerKey = "other-app" }, want: 401},
		{name: "unknown token", text: "a", edit: func(s *signing) { s.token = "999-other-user" }, want: 401},
		{name: "clock 6 min behind", text: "a", edit: func(s *signing) { s.ts = s.ts.Add(-6 * time.Minute) }, want: 401},
		{name: "clock 6 min ahead", text: "a", edit: func(s *signing) { s.ts = s.ts.Add(6 * time.Minute) }, want: 401},
		{name: "clock 4 min ahead", text: "a", edit: func(s *signing) { s.ts = s.ts.Add(4 * time.Minute) }, want: 201},
		{name: "query added after signing", text: "a", edit: func(s *signing) {
			s.tamper = func(r *http.Request) { r.URL.RawQuery = "dry_run=true" }
		}, want: 401},
		{name: "nonce reused", text: "second", before: func(h *harness) {
			h.post("first", func(s *signing) { s.nonce = "once" })
		}, edit: func(s *signing) { s.nonce = "once" }, want: 401},
		{name: "read-only app", opts: Options{ReadOnly: true}, text: "a", want: 403, detail: "You are not permitted to perform this action."},
		{name: "empty text", text: "", want: 400, detail: "One or more parameters to your request was invalid."},
		{name: "blank text", text: " \n ", want: 400},
		{name: "no text", body: `{}`, want: 400},
		{name: "text not a string", body: `{"text": 42}`, want: 400},
		{name: "unknown member", body: `{"text": "a", "txt": "a"}`, want: 400},
		{name: "not JSON", body: `text=a`, want: 400},
		{name: "281 ASCII", text: strings.Repeat("a", 281), want: 400},
		{name: "280 ASCII", text: strings.Repeat("a", 280), want: 201},
		{name: "141 CJK", text: strings.Repeat("図", 141), want: 400},
		{name: "140 CJK", text: strings.Repeat("図", 140), want: 201},
		// 250 + 1 + 23: the 97-character link counts 23, as on X.
		{name: "long link counts 23", text: strings.Repeat("b", 250) + " " + longURL, want: 201},
		// An unknown TLD is no link to twitter-text: counted in full.
		{name: "no-TLD link counts in full", text: strings.Repeat("b", 250) + " https://news.library.example/x", want: 400},
		{name: "duplicate", text: "Same again", before: func(h *harness) { h.post("Same again", nil) },
			want: 403, detail: "You are not allowed to create a Tweet with duplicate content."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.opts)
			if c.before != nil {
				c.before(h)
			}
			n := len(h.s.Posts())
			var r response
			if c.body != "" {
				r = h.do("POST", "/2/tweets", c.body, c.edit)
			} else {
				r = h.post(c.text, c.edit)
			}
			if r.status != c.want {
				log := h.s.Requests()
				t.Fatalf("status %d, want %d; fake says %q; body %s", r.status, c.want, log[len(log)-1].Reason, r.raw)
			}
			if c.detail != "" && get(r.body, "detail") != c.detail {
				t.Errorf("detail %q, want %q", get(r.body, "detail"), c.detail)
			}
			stored := len(h.s.Posts()) - n
			if c.want == 201 {
				id, _ := get(r.body, "data", "id").(string)
				posts := h.s.Posts()
				if stored != 1 || posts[len(posts)-1].ID != id || posts[len(posts)-1].Text != c.text {
					t.Errorf("answered %s but stored %+v", r.raw, posts)
				}
				if get(r.body, "data", "edit_history_tweet_ids", 0) != id {
					t.Errorf("edit_history_tweet_ids: %s", r.raw)
				}
			} else if stored != 0 {
				t.Errorf("refused with %d but stored a post", r.status)
			}
			if r.status == 401 && r.raw != `{"detail":"Unauthorized","status":401,"title":"Unauthorized","type":"about:blank"}` {
				t.Errorf("401 body %s", r.raw)
			}
			if r.header.Get("x-rate-limit-limit") == "" || r.header.Get("x-user-limit-24hour-reset") == "" {
				t.Errorf("rate-limit headers missing: %v", r.header)
			}
		})
	}
}

func TestPostAnswerAndStore(t *testing.T) {
	h := newHarness(t, Options{})
	text := "Moomins & friends: https://example.org/moomins. More at HTTPS://Example.com/a?b=c, or https://news.library.example/x"
	r := h.post(text, nil)
	if r.status != 201 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	const wantText = "Moomins &amp; friends: https://t.co/fakex00001. More at https://t.co/fakex00002, or https://news.library.example/x"
	if got := get(r.body, "data", "text"); got != wantText {
		t.Errorf("answered text\n got %q\nwant %q", got, wantText)
	}
	p := h.s.Posts()[0]
	if p.Text != text || p.CreatedAt != h.clock.Now() {
		t.Errorf("stored %+v", p)
	}
	want := []URL{
		{Start: 23, End: 46, URL: "https://t.co/fakex00001", ExpandedURL: "https://example.org/moomins", DisplayURL: "example.org/moomins"},
		{Start: 56, End: 79, URL: "https://t.co/fakex00002", ExpandedURL: "HTTPS://Example.com/a?b=c", DisplayURL: "Example.com/a?b=c"},
	}
	if len(p.URLs) != len(want) || p.URLs[0] != want[0] || p.URLs[1] != want[1] {
		t.Errorf("URLs\n got %+v\nwant %+v", p.URLs, want)
	}
	for _, u := range p.URLs {
		if got := string([]rune(wantText)[u.Start:u.End]); got != u.URL {
			t.Errorf("entity %d..%d is %q, want %q", u.Start, u.End, got, u.URL)
		}
	}
	r = h.post("Another post", nil)
	if id1, id2 := p.ID, get(r.body, "data", "id").(string); len(id2) != len(id1) || id2 <= id1 {
		t.Errorf("ids %s then %s: not increasing", id1, id2)
	}
}

func TestDisplayURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.org/":                              "example.org/",
		"http://example.org":                                    "example.org",
		"https://example.org/events/2026/03/moomin-weekend-x-y": "example.org/events/2026/0…",
	} {
		if got := displayURL(in); got != want {
			t.Errorf("displayURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnknownEndpoint(t *testing.T) {
	h := newHarness(t, Options{})
	for _, target := range []string{"/1.1/statuses/update.json", "/2/tweets/search/recent", "/2/users/1234/x/tweets"} {
		if r := h.do("GET", target, "", nil); r.status != 404 {
			t.Errorf("GET %s: %d, want 404", target, r.status)
		}
	}
	if r := h.do("DELETE", "/2/tweets", "", nil); r.status != 404 {
		t.Errorf("DELETE /2/tweets: %d, want 404", r.status)
	}
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t, Options{})
	h.post("one", nil)
	h.post("one", nil)
	h.post("two", func(s *signing) { s.consumerSecret = "x" })
	h.do("GET", "/2/users/me", "", nil)
	log := h.s.Requests()
	want := []struct {
		method, path string
		status       int
		reason       string
	}{
		{"POST", "/2/tweets", 201, ""},
		{"POST", "/2/tweets", 403, "duplicate of "},
		{"POST", "/2/tweets", 401, "signature mismatch"},
		{"GET", "/2/users/me", 200, ""},
	}
	if len(log) != len(want) {
		t.Fatalf("log %+v", log)
	}
	for i, w := range want {
		l := log[i]
		if l.Method != w.method || l.Path != w.path || l.Status != w.status || !strings.HasPrefix(l.Reason, w.reason) {
			t.Errorf("log[%d] = %+v, want %+v", i, l, w)
		}
	}
}

func TestEnvAndDefaults(t *testing.T) {
	s := New(nil, Options{})
	defer s.Close()
	env := strings.Join(s.Env(), "\n")
	for _, k := range []string{"X_API_KEY=fakex-consumer-key", "X_API_SECRET=", "X_ACCESS_TOKEN=", "X_ACCESS_SECRET=", "CIRCULATE_X_API_URL=" + s.URL} {
		if !strings.Contains(env, k) {
			t.Errorf("Env lacks %s:\n%s", k, env)
		}
	}
	o := s.Options()
	if o.UserID != "1234" || o.Username != "RiversideLib" || o.WindowLimit != 50 || o.UserDayLimit != 17 {
		t.Errorf("defaults %+v", o)
	}
}
