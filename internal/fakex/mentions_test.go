package fakex

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

const mentionsPath = "/2/users/1234/mentions"

// allFields asks for what circulate asks for.
var allFields = "?" + url.Values{
	"expansions":   {"author_id"},
	"tweet.fields": {"created_at,conversation_id,in_reply_to_user_id,referenced_tweets,entities"},
	"user.fields":  {"username,name"},
}.Encode()

func TestMentions(t *testing.T) {
	h := newHarness(t, Options{})
	own := h.post("Storytime on Saturday https://news.example.org/events/storytime/", nil)
	ownID := get(own.body, "data", "id").(string)
	patron := User{Username: "patron", Name: "Pat Patron"}
	h.clock.Add(time.Minute)
	reply := h.s.SeedReply(patron, "Is it free? Details: https://example.com/q & more", ownID, h.clock.Now())
	h.clock.Add(time.Minute)
	mention := h.s.SeedMention(User{ID: "777", Username: "friend", Name: "A Friend"}, "Thanks ＠riversidelib for the talk!", h.clock.Now())
	h.clock.Add(time.Minute)
	h.s.SeedMention(User{Username: "other"}, "Not about the library, nor me@RiversideLib.org, nor @RiversideLibrary", h.clock.Now())
	h.s.SeedReply(User{Username: "third"}, "I think so", reply.ID, h.clock.Now()) // answers the patron, not the account

	if !strings.HasPrefix(reply.Text, "@RiversideLib Is it free?") || reply.InReplyToUserID != "1234" || reply.ConversationID != ownID {
		t.Errorf("seeded reply %+v", reply)
	}
	r := h.do("GET", mentionsPath+allFields, "", nil)
	if r.status != 200 || get(r.body, "meta", "result_count") != 2.0 || get(r.body, "data", 2) != nil {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	m := get(r.body, "data", 0)
	if get(m, "id") != mention.ID || get(m, "author_id") != "777" || get(m, "in_reply_to_user_id") != nil || get(m, "referenced_tweets") != nil ||
		get(m, "conversation_id") != mention.ID || get(m, "entities", "mentions", 0, "start") != 7.0 || get(m, "entities", "mentions", 0, "end") != 20.0 ||
		get(m, "entities", "mentions", 0, "id") != "1234" || get(m, "created_at") != "2026-03-01T12:02:00.000Z" {
		t.Errorf("mention: %v", m)
	}
	rp := get(r.body, "data", 1)
	if get(rp, "id") != reply.ID || get(rp, "text") != "@RiversideLib Is it free? Details: https://t.co/fakex00002 &amp; more" ||
		get(rp, "in_reply_to_user_id") != "1234" || get(rp, "conversation_id") != ownID ||
		get(rp, "referenced_tweets", 0, "type") != "replied_to" || get(rp, "referenced_tweets", 0, "id") != ownID ||
		get(rp, "entities", "urls", 0, "expanded_url") != "https://example.com/q" || get(rp, "entities", "mentions", 0, "start") != 0.0 ||
		get(rp, "author_id") != reply.AuthorID {
		t.Errorf("reply: %v", rp)
	}
	users := map[string]string{}
	for i := 0; get(r.body, "includes", "users", i) != nil; i++ {
		u := get(r.body, "includes", "users", i)
		users[get(u, "id").(string)] = fmt.Sprint(get(u, "name"), " @", get(u, "username"))
	}
	if len(users) != 2 || users["777"] != "A Friend @friend" || users[reply.AuthorID] != "Pat Patron @patron" {
		t.Errorf("includes.users %v", users)
	}
	// Without fields, X sends the bare posts.
	if r := h.do("GET", mentionsPath, "", nil); strings.Contains(r.raw, "author_id") || strings.Contains(r.raw, "includes") || get(r.body, "data", 1, "id") != reply.ID {
		t.Errorf("no fields: %s", r.raw)
	}
	if n := len(h.s.Posts()); n != 1 {
		t.Errorf("others' posts are not the account's: %d", n)
	}
}

func TestMentionsPagesAndBounds(t *testing.T) {
	h := newHarness(t, Options{})
	var ids []string
	for i := range 7 {
		p := h.s.SeedMention(User{Username: fmt.Sprint("p", i)}, fmt.Sprintf("@RiversideLib question %d", i), h.clock.Now())
		ids = append(ids, p.ID)
		h.clock.Add(time.Minute)
	}
	r := h.do("GET", mentionsPath+"?max_results=5", "", nil)
	next, _ := get(r.body, "meta", "next_token").(string)
	if get(r.body, "meta", "result_count") != 5.0 || get(r.body, "data", 0, "id") != ids[6] || next == "" || get(r.body, "meta", "newest_id") != ids[6] {
		t.Fatalf("page 1: %s", r.raw)
	}
	r = h.do("GET", mentionsPath+"?max_results=5&pagination_token="+next, "", nil)
	if get(r.body, "meta", "result_count") != 2.0 || get(r.body, "data", 1, "id") != ids[0] || get(r.body, "meta", "next_token") != nil {
		t.Errorf("page 2: %s", r.raw)
	}
	if r := h.do("GET", mentionsPath+"?since_id="+ids[4], "", nil); get(r.body, "meta", "result_count") != 2.0 || get(r.body, "data", 1, "id") != ids[5] {
		t.Errorf("since_id: %s", r.raw)
	}
	// start_time is inclusive, to the second.
	start := time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC).Format(time.RFC3339)
	if r := h.do("GET", mentionsPath+"?start_time="+start, "", nil); get(r.body, "meta", "result_count") != 2.0 || get(r.body, "data", 1, "id") != ids[5] {
		t.Errorf("start_time: %s", r.raw)
	}
	for _, q := range []string{"?max_results=4", "?max_results=101", "?exclude=replies", "?start_time=2026-03-01", "?start_time=2000-01-01T00:00:00Z",
		"?start_time=2026-03-01T12:05:00Z&end_time=2026-03-01T12:00:00Z", "?expansions=author", "?user.fields=handle", "?tweet.fields=reply_to", "?since_id=x"} {
		if r := h.do("GET", mentionsPath+q, "", nil); r.status != 400 {
			t.Errorf("%s: %d, want 400 %s", q, r.status, r.raw)
		}
	}
	if r := h.do("GET", "/2/users/999/mentions", "", nil); r.status != 200 || get(r.body, "errors", 0, "title") != "Not Found Error" {
		t.Errorf("unknown user: %d %s", r.status, r.raw)
	}
}

// Mentions are read like the timeline: signed, on a plan with reads, in a
// rate-limit window of their own.
func TestMentionsChecks(t *testing.T) {
	h := newHarness(t, Options{WindowLimit: 2})
	if r := h.do("GET", mentionsPath, "", func(s *signing) { s.tokenSecret = "wrong" }); r.status != 401 {
		t.Errorf("bad signature: %d", r.status)
	}
	if r := h.do("GET", mentionsPath, "", func(s *signing) { s.ts = s.ts.Add(-10 * time.Minute) }); r.status != 401 {
		t.Errorf("clock skew: %d", r.status)
	}
	for i, want := range []int{200, 200, 429} {
		if r := h.do("GET", mentionsPath, "", nil); r.status != want || r.header.Get("x-rate-limit-limit") != "2" {
			t.Errorf("read %d: %d %v", i+1, r.status, r.header)
		}
	}
	if r := h.do("GET", "/2/users/1234/tweets", "", nil); r.status != 200 {
		t.Errorf("the timeline has a window of its own: %d", r.status)
	}
	nr := newHarness(t, Options{ReadsForbidden: true})
	if r := nr.do("GET", mentionsPath, "", nil); r.status != 403 || get(r.body, "reason") != "client-not-enrolled" {
		t.Errorf("plan without reads: %d %s", r.status, r.raw)
	}
	defer func() {
		if recover() == nil {
			t.Error("SeedReply to an unknown post did not panic")
		}
	}()
	h.s.SeedReply(User{Username: "x"}, "hi", "1", h.clock.Now())
}
