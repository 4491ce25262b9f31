package fakemastodon

import (
	"fmt"
	"net/http"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Fault is a failure the fake injects into one POST /api/v1/statuses
// request. Queued faults are taken one per authenticated request, in order.
type Fault struct{ f fakenet.Fault }

// Status5xx answers code before anything is made (a proxy that could not
// reach Mastodon): retrying is safe.
func Status5xx(code int) Fault { return Fault{fakenet.Fault{Kind: fakenet.Status5xx, Code: code}} }

// CreateThen5xx makes the status (and remembers its Idempotency-Key), then
// answers code: the proxy timed out waiting for Mastodon, which finished.
func CreateThen5xx(code int) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Then5xx, Code: code, Name: "CreateThen5xx"}}
}

// RateLimited answers 429 and keeps the status window used up until reset.
func RateLimited(reset time.Time) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.RateLimited, Reset: reset}}
}

// Slow makes the status, then waits d before answering (or until the
// client gives up).
func Slow(d time.Duration) Fault { return Fault{fakenet.Fault{Kind: fakenet.Slow, Delay: d}} }

// AcceptThenDrop makes the status, then closes the connection unanswered.
func AcceptThenDrop() Fault { return Fault{fakenet.Fault{Kind: fakenet.AcceptThenDrop}} }

// Reject answers code with a raw JSON body, making nothing.
func Reject(code int, body string) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Reject, Code: code, Body: body}}
}

func (f Fault) String() string { return f.f.String() }

// Fail queues faults for the next status requests.
func (s *Server) Fail(faults ...Fault) { s.faults.Add(faults...) }

// PendingFaults returns how many queued faults no request has taken yet.
func (s *Server) PendingFaults() int { return s.faults.Len() }

// before answers the faults that replace the request; it reports whether
// it answered.
func (s *Server) before(w *recorder, f Fault) bool {
	switch f.f.Kind {
	case fakenet.Status5xx:
		answer5xx(w, f)
	case fakenet.RateLimited:
		s.mu.Lock()
		s.posts.roll(s.opts.Now())
		s.posts.used, s.posts.reset = s.posts.limit, f.f.Reset
		setHeaders(w, s.posts)
		s.mu.Unlock()
		fail(w, http.StatusTooManyRequests, "fault: "+f.String(), "Too many requests")
	default:
		return w.Refuse(f.f)
	}
	return true
}

// answer5xx is the HTML error page of the proxy in front of Mastodon.
func answer5xx(w *recorder, f Fault) {
	w.Reason = "fault: " + f.String()
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(f.f.Code)
	fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", f.f.Code, http.StatusText(f.f.Code))
}

// after applies the faults that come once the status is made; it returns
// false when it answered (or dropped the connection) itself.
func after(w *recorder, r *http.Request, f Fault) bool {
	if f.f.Kind == fakenet.Then5xx {
		answer5xx(w, f)
		return false
	}
	return w.After(r, f.f, nil) // Mastodon's faults do not include Hold
}
