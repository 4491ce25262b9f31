package fakex

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestMe(t *testing.T) {
	h := newHarness(t, Options{Name: "Riverside Library"})
	r := h.do("GET", "/2/users/me?user.fields=created_at", "", nil)
	if r.status != 200 || r.raw != `{"data":{"id":"1234","name":"Riverside Library","username":"RiversideLib"}}` {
		t.Errorf("%d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/2/users/me?fields=id", "", nil); r.status != 400 {
		t.Errorf("unknown parameter: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/2/users/me", "", func(s *signing) { s.tokenSecret = "x" }); r.status != 401 {
		t.Errorf("bad signature: %d", r.status)
	}
}

func TestTimeline(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.Seed("Posted by hand on x.com", h.clock.Now().Add(-time.Hour))
	for i := 1; i <= 6; i++ {
		h.post(fmt.Sprintf("Item %d https://example.org/items/%d", i, i), nil)
		h.clock.Add(time.Minute)
	}
	const path = "/2/users/1234/tweets"

	r := h.do("GET", path+"?tweet.fields=entities,created_at&max_results=5", "", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	first := get(r.body, "data", 0)
	if get(first, "text") != "Item 6 https://t.co/fakex00006" ||
		get(first, "created_at") != "2026-03-01T12:05:00.000Z" ||
		get(first, "entities", "urls", 0, "expanded_url") != "https://example.org/items/6" ||
		get(first, "entities", "urls", 0, "url") != "https://t.co/fakex00006" ||
		get(first, "entities", "urls", 0, "start") != 7.0 ||
		get(first, "entities", "urls", 0, "end") != 30.0 ||
		get(first, "entities", "urls", 0, "display_url") != "example.org/items/6" {
		t.Errorf("newest post: %v", first)
	}
	if n := get(r.body, "meta", "result_count"); n != 5.0 {
		t.Errorf("result_count %v", n)
	}
	next, _ := get(r.body, "meta", "next_token").(string)
	if next == "" {
		t.Fatalf("no next_token: %s", r.raw)
	}
	r = h.do("GET", path+"?max_results=5&pagination_token="+next, "", nil)
	if get(r.body, "meta", "result_count") != 2.0 || get(r.body, "data", 0, "text") != "Item 1 https://t.co/fakex00001" ||
		get(r.body, "data", 1, "text") != "Posted by hand on x.com" || get(r.body, "meta", "next_token") != nil {
		t.Errorf("second page: %s", r.raw)
	}
	// Without tweet.fields X sends neither created_at nor entities.
	if strings.Contains(r.raw, "created_at") || strings.Contains(r.raw, "entities") {
		t.Errorf("fields not asked for: %s", r.raw)
	}

	for _, q := range []string{"?max_results=4", "?max_results=101", "?max_results=x", "?tweet.fields=entity", "?count=5", "?since_id=abc"} {
		if r := h.do("GET", path+q, "", nil); r.status != 400 {
			t.Errorf("%s: %d, want 400", q, r.status)
		}
	}
	if r := h.do("GET", "/2/users/999/tweets", "", nil); r.status != 200 || get(r.body, "errors", 0, "title") != "Not Found Error" {
		t.Errorf("unknown user: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", path+"?max_results=5", "", func(s *signing) { s.consumerKey = "x" }); r.status != 401 {
		t.Errorf("unsigned: %d", r.status)
	}
}

func TestReadsForbidden(t *testing.T) {
	h := newHarness(t, Options{ReadsForbidden: true})
	r := h.do("GET", "/2/users/1234/tweets?tweet.fields=entities,created_at&max_results=10", "", nil)
	if r.status != 403 || get(r.body, "reason") != "client-not-enrolled" || get(r.body, "title") != "Client Forbidden" {
		t.Errorf("%d %s", r.status, r.raw)
	}
	// Posting and users/me still work on such a plan.
	if r := h.post("still allowed", nil); r.status != 201 {
		t.Errorf("post: %d", r.status)
	}
	if r := h.do("GET", "/2/users/me", "", nil); r.status != 200 {
		t.Errorf("me: %d", r.status)
	}
}
