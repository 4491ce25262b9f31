package fakebsky

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Fault is a failure the fake injects into one createRecord
// request. Queued faults are taken one per authenticated request, in order.
type Fault struct{ f fakenet.Fault }

// Status5xx answers code before anything is made (a proxy that could not
// reach the PDS): retrying is safe.
func Status5xx(code int) Fault { return Fault{fakenet.Fault{Kind: fakenet.Status5xx, Code: code}} }

// CreateThen5xx makes the record, then answers code: the load balancer
// gave up waiting for the PDS, which finished.
func CreateThen5xx(code int) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Then5xx, Code: code, Name: "CreateThen5xx"}}
}

// RateLimited answers 429 and keeps the write window used up until reset.
func RateLimited(reset time.Time) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.RateLimited, Reset: reset}}
}

// Slow makes the record, then waits d before answering (or until the
// client gives up).
func Slow(d time.Duration) Fault { return Fault{fakenet.Fault{Kind: fakenet.Slow, Delay: d}} }

// AcceptThenDrop makes the record, then closes the connection unanswered.
func AcceptThenDrop() Fault { return Fault{fakenet.Fault{Kind: fakenet.AcceptThenDrop}} }

// Reject answers code with a raw JSON body, making nothing.
func Reject(code int, body string) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Reject, Code: code, Body: body}}
}

func (f Fault) String() string { return f.f.String() }

// Fail queues faults for the next createRecord requests.
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
		win := s.windowFor("repo-write-hour", s.opts.WriteLimitHour, time.Hour)
		win.roll(s.opts.Now())
		win.used, win.reset = win.limit, f.f.Reset
		s.mu.Unlock()
		w.Header().Set("RateLimit-Limit", strconv.Itoa(win.limit))
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(f.f.Reset.Unix(), 10))
		w.Header().Set("RateLimit-Policy", strconv.Itoa(win.limit)+";w=3600")
		xrpcError(w, http.StatusTooManyRequests, "fault: "+f.String(), "RateLimitExceeded", "Rate Limit Exceeded")
	default:
		return w.Refuse(f.f)
	}
	return true
}

// answer5xx is a 500 from the PDS itself (XRPC JSON) or a 502-504 from the
// load balancer in front of it (plain text).
func answer5xx(w *recorder, f Fault) {
	if f.f.Code == http.StatusInternalServerError {
		xrpcError(w, f.f.Code, "fault: "+f.String(), "InternalServerError", "Internal Server Error")
		return
	}
	w.Reason = "fault: " + f.String()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(f.f.Code)
	fmt.Fprintf(w, "%d %s", f.f.Code, http.StatusText(f.f.Code))
}

// after applies the faults that come once the record is made; it returns
// false when it answered (or dropped the connection) itself.
func after(w *recorder, r *http.Request, f Fault) bool {
	if f.f.Kind == fakenet.Then5xx {
		answer5xx(w, f)
		return false
	}
	return w.After(r, f.f, nil) // Bluesky's faults do not include Hold
}
