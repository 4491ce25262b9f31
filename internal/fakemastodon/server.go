package fakemastodon

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
// Options{} is a working account whose token may post and read.
type Options struct {
	// Token is the account's access token (default "fakemastodon-token").
	Token string
	// Scopes are the token's scopes (default read, write:statuses,
	// write:media). A token made with only "read" cannot post.
	Scopes []string
	// The account: "109000000000000001", "riversidelib",
	// "Riverside Public Library".
	AccountID, Username, DisplayName string
	// Now is the server's clock, for created_at, the idempotency window and
	// rate limits; default time.Now.
	Now func() time.Time
	// MaxChars is the status length limit (default 500).
	MaxChars int
	// MediaPolls makes media processing asynchronous: POST /api/v2/media
	// answers 202 and GET /api/v1/media/:id answers 206 this many times
	// before the attachment is ready. 0 processes at once (200).
	MediaPolls int
	// StatusLimit is the statuses an account may make per 3 hours (default
	// 300); RequestLimit the requests per 5 minutes (default 300).
	StatusLimit, RequestLimit int
	// RequireAuth is a server whose API answers only signed-in apps: one in
	// limited federation mode, or with DISALLOW_UNAUTHENTICATED_API_ACCESS
	// (which servers using "authorized fetch" often set too). Its public
	// methods (accounts/lookup, accounts/:id/statuses) then answer a
	// request without a token with 401 "This API requires an authenticated
	// user", as Mastodon's Api::BaseController does.
	RequireAuth bool
}

func (o *Options) fill() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.Token, "fakemastodon-token")
	def(&o.AccountID, "109000000000000001")
	def(&o.Username, "riversidelib")
	def(&o.DisplayName, "Riverside Public Library")
	if o.Scopes == nil {
		o.Scopes = []string{"read", "write:statuses", "write:media"}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxChars == 0 {
		o.MaxChars = 500
	}
	if o.StatusLimit == 0 {
		o.StatusLimit = 300
	}
	if o.RequestLimit == 0 {
		o.RequestLimit = 300
	}
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL (the "server" of config), without a
	// trailing slash. Status and account URLs are under it too.
	URL string

	srv  *httptest.Server
	opts Options

	mu       sync.Mutex
	statuses []*status // oldest first
	notifs   []*notification
	media    map[string]*attachment
	idem     map[string]idemEntry // Idempotency-Key -> status
	nextID   int64
	requests *window // all authenticated requests, 5 minutes
	posts    *window // statuses, 3 hours
	uploads  *window // media, 30 minutes
	faults   fakenet.Queue[Fault]
	log      []Request
}

type idemEntry struct {
	id string
	at time.Time
}

// Request is one request the fake answered, for tests to count and inspect.
type Request struct {
	Method, Path, Query string
	// IdempotencyKey is the request's Idempotency-Key header, if any.
	IdempotencyKey string
	Status         int // 0 if the connection was dropped
	// Reason says why the fake refused or faulted; never sent.
	Reason string
}

// New starts a fake and, when tb is not nil, closes it when the test ends.
func New(tb testing.TB, o Options) *Server {
	o.fill()
	s := &Server{
		opts:     o,
		media:    map[string]*attachment{},
		idem:     map[string]idemEntry{},
		nextID:   113000000000000000, // Mastodon ids are 18-digit snowflakes
		requests: &window{limit: o.RequestLimit, period: 5 * time.Minute},
		posts:    &window{limit: o.StatusLimit, period: 3 * time.Hour},
		uploads:  &window{limit: 30, period: 30 * time.Minute},
	}
	// The handlers read s.URL (status and account addresses): it is set
	// before the server starts, so no request can see it unset (and the
	// race detector sees the order).
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.URL = "http://" + s.srv.Listener.Addr().String()
	s.srv.Start()
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Env returns the environment the publisher reads, as KEY=value pairs.
func (s *Server) Env() []string {
	return []string{"MASTODON_ACCESS_TOKEN=" + s.opts.Token, "CIRCULATE_MASTODON_URL=" + s.URL}
}

// Requests returns the log of requests answered so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// recorder is fakenet's: it logs the status and reason of an answer.
type recorder = fakenet.Recorder

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &recorder{ResponseWriter: rw}
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && p == "/api/v1/statuses":
		s.postStatus(w, r)
	case r.Method == http.MethodPost && p == "/api/v2/media":
		s.postMedia(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/media/"):
		s.getMedia(w, r, strings.TrimPrefix(p, "/api/v1/media/"))
	case r.Method == http.MethodGet && p == "/api/v1/accounts/verify_credentials":
		s.verifyCredentials(w, r)
	case r.Method == http.MethodGet && p == "/api/v1/accounts/lookup":
		s.lookup(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses"):
		s.accountStatuses(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/accounts/"), "/statuses"))
	case r.Method == http.MethodGet && p == "/api/v1/notifications":
		s.notifications(w, r)
	default:
		w.Reason = "no such endpoint in the fake"
		fakenet.WriteJSON(w, http.StatusNotFound, errorBody("Record not found"))
	}
	s.mu.Lock()
	s.log = append(s.log, Request{Method: r.Method, Path: p, Query: r.URL.RawQuery,
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Status: w.Status, Reason: w.Reason})
	s.mu.Unlock()
}

func errorBody(msg string) map[string]any { return map[string]any{"error": msg} }

// fail answers an error the way Mastodon does: {"error": msg}.
func fail(w *recorder, status int, reason, msg string) {
	w.Reason = reason
	fakenet.WriteJSON(w, status, errorBody(msg))
}

// timeJSON is how Mastodon writes times: ISO 8601 with milliseconds, UTC.
func timeJSON(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
