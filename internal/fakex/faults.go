package fakex

import (
	"fmt"
	"net/http"
	"time"
)

// Fault is a failure the fake injects into one POST /2/tweets request. The
// faults a test queues with Fail are taken one per authenticated post
// request, in order; a request with a bad signature is refused with 401 and
// takes none, since X would refuse it before anything could go wrong.
type Fault struct {
	kind  faultKind
	code  int
	body  string
	reset time.Time
	delay time.Duration
}

type faultKind int

const (
	faultStatus faultKind = iota
	faultRateLimited
	faultSlow
	faultDrop
	faultReject
	faultThen5xx
	faultDropBefore
	faultHold
)

// Status5xx answers with code (500, 502, 503, 504) and X's problem body.
// Nothing is stored: the client may retry safely.
func Status5xx(code int) Fault { return Fault{kind: faultStatus, code: code} }

// RateLimited answers 429 and uses up the post window until reset, as if
// other clients of the same app had spent it: every post request until the
// server's clock reaches reset gets 429, with x-rate-limit-reset = reset.
// Nothing is stored.
func RateLimited(reset time.Time) Fault { return Fault{kind: faultRateLimited, reset: reset} }

// Slow handles the request normally (the post is stored) but waits d before
// answering, or until the client gives up. A client whose timeout is shorter
// than d has posted without knowing it.
func Slow(d time.Duration) Fault { return Fault{kind: faultSlow, delay: d} }

// AcceptThenDrop handles the request normally (the post is stored), then
// closes the connection without answering: the client sees EOF or a reset
// and cannot tell whether the post went out.
func AcceptThenDrop() Fault { return Fault{kind: faultDrop} }

// PostThen5xx handles the request normally (the post is stored, or refused
// as a duplicate), then answers with code (500, 502, 503, 504) instead of
// X's answer: a gateway in front of X that lies. The client cannot tell it
// from a 5xx that stored nothing, which is why a 5xx on a post is no proof
// that the post was not made. Queue several for a gateway that answers 503
// to every attempt.
func PostThen5xx(code int) Fault { return Fault{kind: faultThen5xx, code: code} }

// Hold handles the request normally (the post is stored), then answers
// only once the test calls Release, or not at all if the client gives up
// first. With AwaitPosts, a test acts at a moment it knows: a client is
// waiting for the answer to a post that was made (a run holding the ledger
// lock; a process to kill). Slow does the same for a fixed time, which a
// loaded machine can outlast.
func Hold() Fault { return Fault{kind: faultHold} }

// Release answers every request Hold holds, now and from now on.
func (s *Server) Release() { s.releaseOnce.Do(func() { close(s.released) }) }

// DropBeforePost closes the connection without handling the request:
// nothing is stored, and the client sees what AcceptThenDrop shows it (EOF
// or a reset), so it cannot tell the two apart.
func DropBeforePost() Fault { return Fault{kind: faultDropBefore} }

// Reject answers with any status and raw body (sent as JSON), storing
// nothing: for errors this fake does not model.
func Reject(code int, body string) Fault { return Fault{kind: faultReject, code: code, body: body} }

func (f Fault) String() string {
	switch f.kind {
	case faultStatus:
		return fmt.Sprintf("Status5xx(%d)", f.code)
	case faultRateLimited:
		return fmt.Sprintf("RateLimited(%s)", f.reset.Format(time.RFC3339))
	case faultSlow:
		return fmt.Sprintf("Slow(%s)", f.delay)
	case faultDrop:
		return "AcceptThenDrop()"
	case faultThen5xx:
		return fmt.Sprintf("PostThen5xx(%d)", f.code)
	case faultDropBefore:
		return "DropBeforePost()"
	case faultHold:
		return "Hold()"
	default:
		return fmt.Sprintf("Reject(%d)", f.code)
	}
}

// Fail queues faults for the next post requests, after any already queued.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// ClearFaults drops the queued faults no request has taken yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults returns how many queued faults no request has taken yet, so
// a test can check that the client made the requests it expected.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// answerFault answers a fault that replaces the normal answer and reports
// whether it did; Slow and AcceptThenDrop act after normal handling instead.
func (s *Server) answerFault(w *recorder, f Fault) bool {
	switch f.kind {
	case faultStatus:
		s.rateHeaders(w, epPost)
		w.reason = "fault: " + f.String()
		writeJSON(w, f.code, problem(f.code, http.StatusText(f.code), http.StatusText(f.code), "about:blank"))
	case faultRateLimited:
		s.mu.Lock()
		win := s.endpointWindow(epPost)
		win.roll(s.opts.Now())
		win.used = win.limit
		win.reset = f.reset
		s.setRateHeaders(w, epPost)
		s.mu.Unlock()
		tooManyRequests(w, "fault: "+f.String())
	case faultReject:
		s.rateHeaders(w, epPost)
		w.reason = "fault: " + f.String()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.code)
		w.Write([]byte(f.body))
	case faultDropBefore:
		w.reason = "fault: " + f.String()
		hijackClose(w)
	default:
		return false
	}
	return true
}

// hijackClose closes the request's connection without an answer.
func hijackClose(w *recorder) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic("fakex: cannot hijack the connection: " + err.Error())
	}
	conn.Close()
}

// afterFault applies Slow, AcceptThenDrop or PostThen5xx once the post is
// handled and before it is answered. It returns false if the fault answered
// (or dropped the connection) and nothing more may be written.
func (s *Server) afterFault(w *recorder, r *http.Request, f Fault) bool {
	switch f.kind {
	case faultSlow:
		if w.reason == "" {
			w.reason = "fault: " + f.String()
		} else {
			w.reason += "; fault: " + f.String()
		}
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up; answering is pointless, but the post
			// stays stored, which is the point of this fault.
			w.reason += "; the client gave up before the answer"
		}
	case faultHold:
		w.reason = "fault: " + f.String()
		select {
		case <-s.released:
		case <-r.Context().Done():
			w.reason += "; the client gave up before the answer"
		}
	case faultDrop:
		w.reason = "fault: " + f.String()
		hijackClose(w)
		return false
	case faultThen5xx:
		if w.reason == "" {
			w.reason = "stored"
		}
		w.reason += "; fault: " + f.String()
		writeJSON(w, f.code, problem(f.code, http.StatusText(f.code), http.StatusText(f.code), "about:blank"))
		return false
	}
	return true
}
