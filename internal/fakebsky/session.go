package fakebsky

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

type token struct {
	refresh bool
	exp     time.Time
	used    bool // refresh tokens are single-use
}

// jwt makes a token shaped like the PDS's (header.payload.signature), with
// the claims a client may read; the fake only looks it up.
func (s *Server) jwt(scope string, exp time.Time) string {
	s.seq++
	enc := base64.RawURLEncoding.EncodeToString
	payload, _ := json.Marshal(map[string]any{"scope": scope, "sub": s.opts.DID, "aud": "did:web:fakebsky",
		"iat": s.opts.Now().Unix(), "exp": exp.Unix(), "jti": strconv.Itoa(s.seq)})
	return enc([]byte(`{"typ":"at+jwt","alg":"ES256K"}`)) + "." + enc(payload) + "." + enc([]byte("fakebsky-signature-"+strconv.Itoa(s.seq)))
}

// newSession makes an access and a refresh token. Callers hold mu.
func (s *Server) newSession() map[string]any {
	now := s.opts.Now()
	access := s.jwt("com.atproto.appPass", now.Add(s.opts.AccessTTL))
	refresh := s.jwt("com.atproto.refresh", now.Add(90*24*time.Hour))
	s.tokens[access] = &token{exp: now.Add(s.opts.AccessTTL)}
	s.tokens[refresh] = &token{refresh: true, exp: now.Add(90 * 24 * time.Hour)}
	return map[string]any{"accessJwt": access, "refreshJwt": refresh, "handle": s.opts.Handle, "did": s.opts.DID,
		"active": true, "email": "web@riverside-library.example.org", "emailConfirmed": true, "emailAuthFactor": false}
}

func (s *Server) createSession(w *recorder, r *http.Request) {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &in); err != nil || in.Identifier == "" || in.Password == "" {
		invalid(w, "Input must have the properties \"identifier\" and \"password\"")
		return
	}
	id := strings.ToLower(strings.TrimPrefix(in.Identifier, "@"))
	if !s.take(w, 1,
		func() *window { return s.windowFor("session-day:"+id, s.opts.SessionLimitDay, 24*time.Hour) },
		func() *window { return s.windowFor("session-5min:"+id, s.opts.SessionLimit5Min, 5*time.Minute) }) {
		return
	}
	if (id != s.opts.Handle && id != s.opts.DID) || in.Password != s.opts.AppPassword {
		xrpcError(w, http.StatusUnauthorized, "wrong identifier or password", "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	s.mu.Lock()
	s.sessions++
	out := s.newSession()
	s.mu.Unlock()
	fakenet.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) refreshSession(w *recorder, r *http.Request) {
	s.mu.Lock()
	t, _ := s.bearer(r)
	var out map[string]any
	var name, msg string
	switch {
	case t == nil:
		name, msg = "InvalidToken", "Token could not be verified"
	case !t.refresh:
		name, msg = "InvalidToken", "Invalid token type"
	case t.used:
		name, msg = "ExpiredToken", "Token has been revoked"
	case !s.opts.Now().Before(t.exp):
		name, msg = "ExpiredToken", "Token has expired"
	default:
		t.used = true
		out = s.newSession()
	}
	s.mu.Unlock()
	if out == nil {
		xrpcError(w, http.StatusBadRequest, "refresh: "+msg, name, msg)
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getSession(w *recorder, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"handle": s.opts.Handle, "did": s.opts.DID, "active": true})
}

// bearer finds the request's token. Callers hold mu.
func (s *Server) bearer(r *http.Request) (*token, string) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, ""
	}
	return s.tokens[raw], raw
}

// auth checks the access token: 401 when missing or unknown, 400
// ExpiredToken when expired, as the PDS answers.
func (s *Server) auth(w *recorder, r *http.Request) bool {
	if r.Header.Get("Authorization") == "" {
		xrpcError(w, http.StatusUnauthorized, "no Authorization header", "AuthMissing", "Authentication Required")
		return false
	}
	s.mu.Lock()
	t, _ := s.bearer(r)
	now := s.opts.Now()
	s.mu.Unlock()
	switch {
	case t == nil:
		xrpcError(w, http.StatusUnauthorized, "unknown token", "InvalidToken", "Token could not be verified")
	case t.refresh:
		xrpcError(w, http.StatusBadRequest, "refresh token used as access token", "InvalidToken", "Bad token scope")
	case !now.Before(t.exp):
		xrpcError(w, http.StatusBadRequest, "access token expired", "ExpiredToken", "Token has expired")
	default:
		return true
	}
	return false
}

// ExpireAccessTokens makes every access token issued so far expired, as if
// the run had outlasted them; refresh tokens stay valid.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if !t.refresh {
			t.exp = time.Time{}
		}
	}
}
