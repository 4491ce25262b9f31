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

// A post shows in the timeline only after the lag, in reads or in time on
// the server's clock; it is a duplicate at once all the same.
func TestTimelineLag(t *testing.T) {
	const path = "/2/users/1234/tweets?max_results=5"
	count := func(h *harness) int {
		t.Helper()
		r := h.do("GET", path, "", nil)
		n, _ := get(r.body, "meta", "result_count").(float64)
		return int(n)
	}
	h := newHarness(t, Options{TimelineLagReads: 2})
	h.s.Seed("by hand", h.clock.Now())
	h.post("new", nil)
	if r := h.post("new", nil); r.status != 403 {
		t.Errorf("duplicate while hidden: %d", r.status)
	}
	for i, want := range []int{1, 1, 2, 2} {
		if got := count(h); got != want {
			t.Errorf("read %d: %d posts, want %d", i+1, got, want)
		}
	}

	h = newHarness(t, Options{TimelineLag: time.Minute})
	h.post("new", nil)
	if got := count(h); got != 0 {
		t.Errorf("at once: %d posts", got)
	}
	h.clock.Add(59 * time.Second)
	if got := count(h); got != 0 {
		t.Errorf("after 59s: %d posts", got)
	}
	h.clock.Add(time.Second)
	if got := count(h); got != 1 {
		t.Errorf("after a minute: %d posts", got)
	}
	// Changed on a running server: for posts made from then on.
	h.s.SetTimelineLag(1, 0)
	h.post("newer", nil)
	if got := count(h); got != 1 {
		t.Errorf("first read after a post with a lag of one read: %d posts", got)
	}
	if got := count(h); got != 2 {
		t.Errorf("second read: %d posts", got)
	}
}
