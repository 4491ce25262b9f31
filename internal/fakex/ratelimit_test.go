package fakex

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

func TestWindowLimit(t *testing.T) {
	h := newHarness(t, Options{WindowLimit: 3})
	reset := strconv.FormatInt(h.clock.Now().Add(15*time.Minute).Unix(), 10)
	for i, want := range []struct {
		status    int
		remaining string
	}{{201, "2"}, {201, "1"}, {201, "0"}, {429, "0"}, {429, "0"}} {
		r := h.post(fmt.Sprintf("post %d", i), nil)
		if r.status != want.status || r.header.Get("x-rate-limit-remaining") != want.remaining ||
			r.header.Get("x-rate-limit-limit") != "3" || r.header.Get("x-rate-limit-reset") != reset {
			t.Fatalf("request %d: %d remaining %s reset %s, want %d %s %s", i, r.status,
				r.header.Get("x-rate-limit-remaining"), r.header.Get("x-rate-limit-reset"), want.status, want.remaining, reset)
		}
		if r.status == 429 && r.raw != `{"detail":"Too Many Requests","status":429,"title":"Too Many Requests","type":"about:blank"}` {
			t.Errorf("429 body %s", r.raw)
		}
	}
	if n := len(h.s.Posts()); n != 3 {
		t.Errorf("%d posts stored, want 3", n)
	}
	// Other endpoints have windows of their own.
	if r := h.do("GET", "/2/users/me", "", nil); r.status != 200 || r.header.Get("x-rate-limit-remaining") != "2" {
		t.Errorf("users/me: %d remaining %s", r.status, r.header.Get("x-rate-limit-remaining"))
	}
	h.clock.Add(15 * time.Minute)
	if r := h.post("after the reset", nil); r.status != 201 || r.header.Get("x-rate-limit-remaining") != "2" {
		t.Errorf("after reset: %d remaining %s", r.status, r.header.Get("x-rate-limit-remaining"))
	}
}

func TestUserDayLimit(t *testing.T) {
	h := newHarness(t, Options{UserDayLimit: 2})
	dayReset := strconv.FormatInt(h.clock.Now().Add(24*time.Hour).Unix(), 10)
	for i, want := range []struct {
		status    int
		remaining string
	}{{201, "1"}, {201, "0"}, {429, "0"}} {
		r := h.post(fmt.Sprintf("post %d", i), nil)
		h.clock.Add(20 * time.Minute) // a new 15-minute window each time
		if r.status != want.status || r.header.Get("x-user-limit-24hour-remaining") != want.remaining ||
			r.header.Get("x-user-limit-24hour-limit") != "2" || r.header.Get("x-user-limit-24hour-reset") != dayReset {
			t.Fatalf("request %d: %d, headers %v", i, r.status, r.header)
		}
	}
	h.clock.Add(24 * time.Hour)
	if r := h.post("next day", nil); r.status != 201 {
		t.Errorf("next day: %d", r.status)
	}
}

func TestRefusedRequestsCount(t *testing.T) {
	// A 400 or 403 uses up the allowance too; a 401 does not (X cannot
	// tell whose allowance it would be).
	h := newHarness(t, Options{WindowLimit: 5})
	h.post("", nil)
	h.post("dup", nil)
	h.post("dup", nil)
	r := h.post("x", func(s *signing) { s.consumerSecret = "bad" })
	if r.status != 401 || r.header.Get("x-rate-limit-remaining") != "2" {
		t.Errorf("401: %d remaining %s, want 2", r.status, r.header.Get("x-rate-limit-remaining"))
	}
}
