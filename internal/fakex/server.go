package fakex

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Options configure a Server. Zero fields take the defaults named below, so
// Options{} is a working account with write access on X's Free plan.
type Options struct {
	// The app's keys and the user's access token; the defaults are fixed
	// strings ("fakex-consumer-key", ...) that Env hands to the publisher.
	ConsumerKey, ConsumerSecret string
	AccessToken, AccessSecret   string

	// The account: "1234", "RiversideLib", "Riverside Public Library".
	UserID, Username, Name string

	// Now is the server's clock, for the OAuth timestamp check, created_at
	// and rate-limit windows; default time.Now. Tests move it to check clock
	// skew or to let a rate limit reset. A client signing with
	// github.com/dghubble/oauth1 stamps requests with the real clock, so
	// with such a client keep Now within five minutes of time.Now.
	Now func() time.Time

	// ReadOnly makes the app lack write permission: POST /2/tweets gets 403.
	ReadOnly bool
	// ReadsForbidden answers the user timeline with 403 client-not-enrolled,
	// as X does for plans without read access.
	ReadsForbidden bool

	// WindowLimit is the requests allowed per endpoint per 15 minutes
	// (default 50); UserDayLimit the posts allowed per 24 hours (default 17,
	// the Free plan's; Basic allows 100).
	WindowLimit  int
	UserDayLimit int

	// A new post shows in the user timeline only after a lag, as on X,
	// where a post just made may be missing from the timeline for a while
	// (it is still a duplicate at once). TimelineLagReads hides it from that
	// many timeline reads after it is made; TimelineLag hides it until the
	// server's clock (Now) is that far past its creation. Both apply when
	// both are set. SetTimelineLag changes them on a running server.
	TimelineLagReads int
	TimelineLag      time.Duration
}

func (o *Options) fill() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.ConsumerKey, "fakex-consumer-key")
	def(&o.ConsumerSecret, "fakex-consumer-secret")
	def(&o.AccessToken, "1234-fakex-access-token")
	def(&o.AccessSecret, "fakex-access-secret")
	def(&o.UserID, "1234")
	def(&o.Username, "RiversideLib")
	def(&o.Name, "Riverside Public Library")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.WindowLimit == 0 {
		o.WindowLimit = 50
	}
	if o.UserDayLimit == 0 {
		o.UserDayLimit = 17
	}
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to use instead of https://api.x.com, without a
	// trailing slash.
	URL string

	srv  *httptest.Server
	opts Options

	mu      sync.Mutex
	posts   []Post // oldest first
	others  []Post // other accounts' posts (mentions, replies), oldest first
	authors map[string]User
	nextID  int64
	nextTco int
	nonces  map[string]bool
	limits  map[string]*window // per endpoint, 15 minutes
	day     *window            // POST /2/tweets, 24 hours
	faults  fakenet.Queue[Fault]
	log     []Request
	reads   int // timeline reads answered so far, for the lag

	released    chan struct{} // closed by Release: Hold answers
	releaseOnce sync.Once
}

// Request is one request the fake answered, for tests to count and inspect.
type Request struct {
	Method, Path, Query string
	// Status is what was answered; 0 if the connection was dropped.
	Status int
	// Reason says why the fake refused or faulted ("signature mismatch",
	// "fault: 503", ...). It is never sent to the client, which, like X's
	// clients, only gets X's terse bodies.
	Reason string
}

// New starts a fake and, when tb is not nil, closes it when the test ends.
// With a nil tb the caller must call Close.
func New(tb testing.TB, o Options) *Server {
	o.fill()
	s := &Server{
		opts:    o,
		nextID:  1850000000000000000, // X's ids are 19-digit snowflakes
		nonces:  map[string]bool{},
		authors: map[string]User{},
		limits:  map[string]*window{},
		day:     &window{limit: o.UserDayLimit, period: 24 * time.Hour},

		released: make(chan struct{}),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down, waiting for requests in flight (held
// ones are released).
func (s *Server) Close() {
	s.Release()
	s.srv.Close()
}

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// SetTimelineLag sets Options.TimelineLagReads and TimelineLag for the
// posts made from now on.
func (s *Server) SetTimelineLag(reads int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.TimelineLagReads, s.opts.TimelineLag = reads, d
}

// Env returns the environment the publisher reads, as KEY=value pairs: the
// four X_* credentials and CIRCULATE_X_API_URL pointing at this server.
func (s *Server) Env() []string {
	return []string{
		"X_API_KEY=" + s.opts.ConsumerKey,
		"X_API_SECRET=" + s.opts.ConsumerSecret,
		"X_ACCESS_TOKEN=" + s.opts.AccessToken,
		"X_ACCESS_SECRET=" + s.opts.AccessSecret,
		"CIRCULATE_X_API_URL=" + s.URL,
	}
}

// Requests returns the log of requests answered so far, in the order their
// handling ended (a Slow request is logged when its delay is over).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// recorder is what a request is answered through: fakenet's, which logs
// the status and reason, with an error answer handlePost holds back (see
// hold).
type recorder struct {
	fakenet.Recorder
	heldStatus int
	heldBody   any
}

// Endpoint names, also the keys of the rate-limit windows.
const (
	epPost     = "POST /2/tweets"
	epMe       = "GET /2/users/me"
	epTimeline = "GET /2/users/:id/tweets"
	epMentions = "GET /2/users/:id/mentions"
)

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &recorder{Recorder: fakenet.Recorder{ResponseWriter: rw}}
	// X dates its answers; by the server's clock, so that a client can see
	// that its own clock is off.
	w.Header().Set("Date", s.opts.Now().UTC().Format(http.TimeFormat))
	path := r.URL.Path
	// The id and what follows it in /2/users/:id/tweets or /mentions.
	rest, underUser := strings.CutPrefix(path, "/2/users/")
	userID, list, _ := strings.Cut(rest, "/")
	underUser = underUser && userID != "" && !strings.Contains(list, "/")
	switch {
	case r.Method == http.MethodPost && path == "/2/tweets":
		s.postTweet(w, r)
	case r.Method == http.MethodGet && path == "/2/users/me":
		s.me(w, r)
	case r.Method == http.MethodGet && underUser && list == "tweets":
		s.timeline(w, r, userID)
	case r.Method == http.MethodGet && underUser && list == "mentions":
		s.mentions(w, r, userID)
	default:
		w.Reason = "no such endpoint in the fake"
		fakenet.WriteJSON(w, http.StatusNotFound, problem(http.StatusNotFound, "Not Found Error", "Sorry, that page does not exist.", "about:blank"))
	}
	s.mu.Lock()
	s.log = append(s.log, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: w.Status, Reason: w.Reason})
	s.mu.Unlock()
}

// problem is the RFC 7807 shape X v2 answers errors with.
func problem(status int, title, detail, typ string) map[string]any {
	return map[string]any{"title": title, "detail": detail, "type": typ, "status": status}
}

// unauthorized is X's 401: the same body whatever the cause, so a client
// cannot (and the publisher must not try to) tell a bad key from a bad clock.
func unauthorized(w *recorder, reason string) {
	w.Reason = reason
	fakenet.WriteJSON(w, http.StatusUnauthorized, problem(http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank"))
}

// invalidRequest is X's 400 for a parameter it does not accept.
func invalidRequest(w *recorder, message string) {
	w.Reason = message
	fakenet.WriteJSON(w, http.StatusBadRequest, invalidBody(message))
}

func invalidBody(message string) map[string]any {
	return map[string]any{
		"errors": []map[string]any{{"message": message}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   "https://api.twitter.com/2/problems/invalid-request",
	}
}
