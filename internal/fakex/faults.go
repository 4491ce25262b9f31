package fakex

import (
	"net/http"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Fault is a failure the fake injects into one POST /2/tweets request. The
// faults a test queues with Fail are taken one per authenticated post
// request, in order; a request with a bad signature is refused with 401 and
// takes none, since X would refuse it before anything could go wrong.
type Fault struct{ f fakenet.Fault }

// Status5xx answers with code (500, 502, 503, 504) and X's problem body.
// Nothing is stored: the client may retry safely.
func Status5xx(code int) Fault { return Fault{fakenet.Fault{Kind: fakenet.Status5xx, Code: code}} }

// RateLimited answers 429 and uses up the post window until reset, as if
// other clients of the same app had spent it: every post request until the
// server's clock reaches reset gets 429, with x-rate-limit-reset = reset.
// Nothing is stored.
func RateLimited(reset time.Time) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.RateLimited, Reset: reset}}
}

// Slow handles the request normally (the post is stored) but waits d before
// answering, or until the client gives up. A client whose timeout is shorter
// than d has posted without knowing it.
func Slow(d time.Duration) Fault { return Fault{fakenet.Fault{Kind: fakenet.Slow, Delay: d}} }

// AcceptThenDrop handles the request normally (the post is stored), then
// closes the connection without answering: the client sees EOF or a reset
// and cannot tell whether the post went out.
func AcceptThenDrop() Fault { return Fault{fakenet.Fault{Kind: fakenet.AcceptThenDrop}} }

// PostThen5xx handles the request normally (the post is stored, or refused
// as a duplicate), then answers with code (500, 502, 503, 504) instead of
// X's answer: a gateway in front of X that lies. The client cannot tell it
// from a 5xx that stored nothing, which is why a 5xx on a post is no proof
// that the post was not made. Queue several for a gateway that answers 503
// to every attempt.
func PostThen5xx(code int) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Then5xx, Code: code, Name: "PostThen5xx"}}
}

// Hold handles the request normally (the post is stored), then answers
// only once the test calls Release, or not at all if the client gives up
// first. With AwaitPosts, a test acts at a moment it knows: a client is
// waiting for the answer to a post that was made (a run holding the ledger
// lock; a process to kill). Slow does the same for a fixed time, which a
// loaded machine can outlast.
func Hold() Fault { return Fault{fakenet.Fault{Kind: fakenet.Hold}} }

// Release answers every request Hold holds, now and from now on.
func (s *Server) Release() { s.releaseOnce.Do(func() { close(s.released) }) }

// DropBeforePost closes the connection without handling the request:
// nothing is stored, and the client sees what AcceptThenDrop shows it (EOF
// or a reset), so it cannot tell the two apart.
func DropBeforePost() Fault { return Fault{fakenet.Fault{Kind: fakenet.DropBeforePost}} }

// Reject answers with any status and raw body (sent as JSON), storing
// nothing: for errors this fake does not model.
func Reject(code int, body string) Fault {
	return Fault{fakenet.Fault{Kind: fakenet.Reject, Code: code, Body: body}}
}

func (f Fault) String() string { return f.f.String() }

// Fail queues faults for the next post requests, after any already queued.
func (s *Server) Fail(faults ...Fault) { s.faults.Add(faults...) }

// ClearFaults drops the queued faults no request has taken yet.
func (s *Server) ClearFaults() { s.faults.Clear() }

// PendingFaults returns how many queued faults no request has taken yet, so
// a test can check that the client made the requests it expected.
func (s *Server) PendingFaults() int { return s.faults.Len() }

// answerFault answers a fault that replaces the normal answer and reports
// whether it did; Slow, Hold, AcceptThenDrop and PostThen5xx act after
// normal handling instead.
func (s *Server) answerFault(w *recorder, f Fault) bool {
	switch f.f.Kind {
	case fakenet.Status5xx:
		s.rateHeaders(w, epPost)
		w.Reason = "fault: " + f.String()
		fakenet.WriteJSON(w, f.f.Code, problem(f.f.Code, http.StatusText(f.f.Code), http.StatusText(f.f.Code), "about:blank"))
	case fakenet.RateLimited:
		s.mu.Lock()
		win := s.endpointWindow(epPost)
		win.roll(s.opts.Now())
		win.used = win.limit
		win.reset = f.f.Reset
		s.setRateHeaders(w, epPost)
		s.mu.Unlock()
		tooManyRequests(w, "fault: "+f.String())
	case fakenet.Reject:
		s.rateHeaders(w, epPost)
		return w.Refuse(f.f)
	default:
		return w.Refuse(f.f)
	}
	return true
}

// afterFault applies Slow, Hold, AcceptThenDrop or PostThen5xx once the
// post is handled and before it is answered. It returns false if the fault
// answered (or dropped the connection) and nothing more may be written.
func (s *Server) afterFault(w *recorder, r *http.Request, f Fault) bool {
	if f.f.Kind != fakenet.Then5xx {
		return w.After(r, f.f, s.released)
	}
	if w.Reason == "" {
		w.Reason = "stored"
	}
	w.Reason += "; fault: " + f.String()
	fakenet.WriteJSON(w, f.f.Code, problem(f.f.Code, http.StatusText(f.f.Code), http.StatusText(f.f.Code), "about:blank"))
	return false
}
