package fakenet

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The fakes' request logs name faults as their constructors do, and tests
// of the fakes and the publisher check those reasons.
func TestFaultString(t *testing.T) {
	reset := time.Date(2026, 3, 1, 12, 15, 0, 0, time.UTC)
	for _, c := range []struct {
		f    Fault
		want string
	}{
		{Fault{Kind: Status5xx, Code: 503}, "Status5xx(503)"},
		{Fault{Kind: Then5xx, Code: 504, Name: "PostThen5xx"}, "PostThen5xx(504)"},
		{Fault{Kind: Then5xx, Code: 500, Name: "CreateThen5xx"}, "CreateThen5xx(500)"},
		{Fault{Kind: RateLimited, Reset: reset}, "RateLimited(2026-03-01T12:15:00Z)"},
		{Fault{Kind: Slow, Delay: 1500 * time.Millisecond}, "Slow(1.5s)"},
		{Fault{Kind: AcceptThenDrop}, "AcceptThenDrop()"},
		{Fault{Kind: DropBeforePost}, "DropBeforePost()"},
		{Fault{Kind: Hold}, "Hold()"},
		{Fault{Kind: Reject, Code: 418}, "Reject(418)"},
	} {
		if got := c.f.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
}

func TestQueueTakesFaultsInOrder(t *testing.T) {
	var q Queue[int]
	if _, ok := q.Next(); ok {
		t.Fatal("an empty queue gave a fault")
	}
	q.Add(1, 2)
	q.Add(3)
	if n := q.Len(); n != 3 {
		t.Fatalf("Len() = %d, want 3", n)
	}
	for want := 1; want <= 2; want++ {
		if got, ok := q.Next(); !ok || got != want {
			t.Fatalf("Next() = %d, %v; want %d", got, ok, want)
		}
	}
	q.Clear()
	if _, ok := q.Next(); ok || q.Len() != 0 {
		t.Fatalf("after Clear: Len() = %d", q.Len())
	}
}

// Refuse answers Reject with its raw body and logs it; the faults that
// come after the post is made are not its to answer.
func TestRefuse(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &Recorder{ResponseWriter: rec}
	if !w.Refuse(Fault{Kind: Reject, Code: 418, Body: `{"title":"teapot"}`}) {
		t.Fatal("Refuse did not answer Reject")
	}
	if w.Status != 418 || rec.Code != 418 || rec.Body.String() != `{"title":"teapot"}` || w.Reason != "fault: Reject(418)" {
		t.Errorf("Reject: status %d/%d body %q reason %q", w.Status, rec.Code, rec.Body, w.Reason)
	}
	for _, k := range []Kind{Status5xx, Then5xx, RateLimited, Slow, AcceptThenDrop, Hold} {
		w := &Recorder{ResponseWriter: httptest.NewRecorder()}
		if w.Refuse(Fault{Kind: k, Code: 503}) || w.Status != 0 || w.Reason != "" {
			t.Errorf("Refuse answered kind %d: status %d reason %q", k, w.Status, w.Reason)
		}
	}
}

// A Slow fault's reason comes after what the handling said, and says when
// the client gave up.
func TestAfterSlowClientGivesUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := &Recorder{ResponseWriter: rw, Reason: "duplicate"}
		if !w.After(r, Fault{Kind: Slow, Delay: time.Minute}, nil) {
			t.Error("After hung up on a Slow fault")
		}
		if want := "duplicate; fault: Slow(1m0s); the client gave up before the answer"; w.Reason != want {
			t.Errorf("reason %q, want %q", w.Reason, want)
		}
	}))
	defer srv.Close()
	c := &http.Client{Timeout: 50 * time.Millisecond}
	if resp, err := c.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatal("the client got an answer before the delay was over")
	}
}
