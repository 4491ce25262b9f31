package fakebsky

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Options configure a Server; zero fields take the defaults named below.
type Options struct {
	// The account: "riversidelib.bsky.social", "did:plc:...",
	// "Riverside Public Library".
	Handle, DID, DisplayName string
	// AppPassword is the password createSession accepts
	// (default "abcd-efgh-ijkl-mnop").
	AppPassword string
	// Now is the server's clock; default time.Now.
	Now func() time.Time
	// AccessTTL is how long an access token lasts (default 2 hours).
	AccessTTL time.Duration
	// SessionLimit5Min and SessionLimitDay limit createSession per
	// identifier (defaults 30 and 300, bsky.social's).
	SessionLimit5Min, SessionLimitDay int
	// WriteLimitHour is the write points per hour (default 5000; a create
	// costs 3).
	WriteLimitHour int
}

func (o *Options) fill() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.Handle, "riversidelib.bsky.social")
	def(&o.DID, "did:plc:rvrsdlbrry7fakebsky22222")
	def(&o.DisplayName, "Riverside Public Library")
	def(&o.AppPassword, "abcd-efgh-ijkl-mnop")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AccessTTL == 0 {
		o.AccessTTL = 2 * time.Hour
	}
	if o.SessionLimit5Min == 0 {
		o.SessionLimit5Min = 30
	}
	if o.SessionLimitDay == 0 {
		o.SessionLimitDay = 300
	}
	if o.WriteLimitHour == 0 {
		o.WriteLimitHour = 5000
	}
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the PDS's base URL (config's pds), without a trailing slash.
	URL string
	// AppViewURL is the public AppView's (https://public.api.bsky.app):
	// what anyone may read without a session (getAuthorFeed), for the
	// same account and posts.
	AppViewURL string

	srv     *httptest.Server
	appview *httptest.Server
	opts    Options

	mu       sync.Mutex
	tokens   map[string]*token
	sessions int // successful createSession calls
	posts    []*post
	notifs   []*notification
	blobs    map[string]blob // by CID
	limits   map[string]*window
	faults   fakenet.Queue[Fault]
	log      []Request
	seq      int
}

// Request is one request the fake answered.
type Request struct {
	// Service is "pds" or "appview": which of the two answered.
	Service             string
	Method, NSID, Query string
	Status              int // 0 if the connection was dropped
	Reason              string
}

// New starts a fake and, when tb is not nil, closes it when the test ends.
func New(tb testing.TB, o Options) *Server {
	o.fill()
	s := &Server{opts: o, tokens: map[string]*token{}, blobs: map[string]blob{}, limits: map[string]*window{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	s.appview = httptest.NewServer(http.HandlerFunc(s.serveAppView))
	s.AppViewURL = s.appview.URL
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Close shuts the servers down.
func (s *Server) Close() {
	s.srv.Close()
	s.appview.Close()
}

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Env returns the environment the publisher reads, as KEY=value pairs.
func (s *Server) Env() []string {
	return []string{"BLUESKY_APP_PASSWORD=" + s.opts.AppPassword, "CIRCULATE_BLUESKY_URL=" + s.URL,
		"CIRCULATE_BLUESKY_APPVIEW_URL=" + s.AppViewURL}
}

// Sessions returns how many sessions createSession has made.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// Requests returns the log of requests answered so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// recorder is fakenet's: it logs the status and reason of an answer.
type recorder = fakenet.Recorder

var methods = map[string]string{
	"com.atproto.server.createSession":        http.MethodPost,
	"com.atproto.server.refreshSession":       http.MethodPost,
	"com.atproto.server.getSession":           http.MethodGet,
	"com.atproto.repo.createRecord":           http.MethodPost,
	"com.atproto.repo.getRecord":              http.MethodGet,
	"com.atproto.repo.uploadBlob":             http.MethodPost,
	"app.bsky.feed.getAuthorFeed":             http.MethodGet,
	"app.bsky.notification.listNotifications": http.MethodGet,
}

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &recorder{ResponseWriter: rw}
	nsid, ok := strings.CutPrefix(r.URL.Path, "/xrpc/")
	want, known := methods[nsid]
	switch {
	case !ok || !known:
		xrpcError(w, http.StatusNotImplemented, "no such method in the fake", "MethodNotImplemented", "Method Not Implemented")
	case r.Method != want:
		xrpcError(w, http.StatusBadRequest, "wrong method", "InvalidRequest", "Incorrect HTTP method ("+r.Method+") expected "+want)
	default:
		switch nsid {
		case "com.atproto.server.createSession":
			s.createSession(w, r)
		case "com.atproto.server.refreshSession":
			s.refreshSession(w, r)
		case "com.atproto.server.getSession":
			s.getSession(w, r)
		case "com.atproto.repo.createRecord":
			s.createRecord(w, r)
		case "com.atproto.repo.getRecord":
			s.getRecord(w, r)
		case "com.atproto.repo.uploadBlob":
			s.uploadBlob(w, r)
		case "app.bsky.feed.getAuthorFeed":
			s.getAuthorFeed(w, r)
		case "app.bsky.notification.listNotifications":
			s.listNotifications(w, r)
		}
	}
	s.logRequest("pds", r, nsid, w)
}

func (s *Server) logRequest(service string, r *http.Request, nsid string, w *recorder) {
	s.mu.Lock()
	s.log = append(s.log, Request{Service: service, Method: r.Method, NSID: nsid, Query: r.URL.RawQuery, Status: w.Status, Reason: w.Reason})
	s.mu.Unlock()
}

// serveAppView is the public AppView: app.bsky.* reads anyone may make
// without a session. It takes no PDS session token: a request that
// carries one is refused (the AppView verifies service tokens, which a
// client of the PDS does not have), and what needs a viewer
// (notifications) wants one.
func (s *Server) serveAppView(rw http.ResponseWriter, r *http.Request) {
	w := &recorder{ResponseWriter: rw}
	nsid, _ := strings.CutPrefix(r.URL.Path, "/xrpc/")
	switch {
	case nsid == "app.bsky.feed.getAuthorFeed" && r.Method == http.MethodGet:
		if r.Header.Get("Authorization") != "" {
			xrpcError(w, http.StatusUnauthorized, "a PDS session token sent to the AppView", "BadJwt", "jwt audience does not match service did")
			break
		}
		s.authorFeed(w, r)
	case nsid == "app.bsky.notification.listNotifications":
		xrpcError(w, http.StatusUnauthorized, "no service token", "AuthMissing", "Authentication Required")
	default:
		xrpcError(w, http.StatusNotImplemented, "not an AppView method in the fake", "MethodNotImplemented", "Method Not Implemented")
	}
	s.logRequest("appview", r, nsid, w)
}

// xrpcError answers an XRPC error: {"error": name, "message": msg}.
func xrpcError(w *recorder, status int, reason, name, msg string) {
	w.Reason = reason
	fakenet.WriteJSON(w, status, map[string]any{"error": name, "message": msg})
}

func invalid(w *recorder, msg string) {
	xrpcError(w, http.StatusBadRequest, msg, "InvalidRequest", msg)
}

// timeJSON is how the AppView writes times.
func timeJSON(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
