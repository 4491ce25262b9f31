package fakenet

import (
	"encoding/json"
	"net/http"
	"time"
)

// Recorder is the ResponseWriter a fake answers through: it remembers the
// status sent and the fake's reason for the request log. Unwrap lets
// http.ResponseController reach the connection to hijack it.
type Recorder struct {
	http.ResponseWriter
	// Status is the status sent; 0 while none is (or if the connection
	// was dropped).
	Status int
	// Reason says why the fake refused or faulted; it is never sent.
	Reason string
}

func (w *Recorder) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *Recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteJSON answers status with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the fakes' own values are marshalled
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// Refuse answers the faults that replace the request and need no word of
// the network's: Reject (its status and raw body) and DropBeforePost
// (the connection closed unanswered). It reports whether it answered.
func (w *Recorder) Refuse(f Fault) bool {
	switch f.Kind {
	case Reject:
		w.Reason = "fault: " + f.String()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Code)
		w.Write([]byte(f.Body))
	case DropBeforePost:
		w.Reason = "fault: " + f.String()
		w.hangUp()
	default:
		return false
	}
	return true
}

// After applies Slow, Hold and AcceptThenDrop once the post is made and
// before it is answered; Hold waits for released to close. It returns
// false if it hung up and nothing more may be written.
func (w *Recorder) After(r *http.Request, f Fault, released <-chan struct{}) bool {
	switch f.Kind {
	case Slow:
		// After what the handling said (a duplicate, say), if anything.
		if w.Reason == "" {
			w.Reason = "fault: " + f.String()
		} else {
			w.Reason += "; fault: " + f.String()
		}
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up; answering is pointless, but the post
			// stays made, which is the point of this fault.
			w.Reason += "; the client gave up before the answer"
		}
	case Hold:
		w.Reason = "fault: " + f.String()
		select {
		case <-released:
		case <-r.Context().Done():
			w.Reason += "; the client gave up before the answer"
		}
	case AcceptThenDrop:
		w.Reason = "fault: " + f.String()
		w.hangUp()
		return false
	}
	return true
}

// hangUp closes the request's connection without an answer.
func (w *Recorder) hangUp() {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic("fakenet: cannot hijack the connection: " + err.Error())
	}
	conn.Close()
}
