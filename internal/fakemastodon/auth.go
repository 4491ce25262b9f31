package fakemastodon

import (
	"net/http"
	"slices"
	"strings"
)

// authenticate checks the bearer token and that it carries scope (or the
// top-level scope it belongs to: "write" covers "write:statuses"). It
// answers 401 or 403 itself and returns false on failure. optional lets a
// request without any token through (public methods), but never one with a
// wrong token, and not on a server with Options.RequireAuth.
func (s *Server) authenticate(w *recorder, r *http.Request, scope string, optional bool) bool {
	h := r.Header.Get("Authorization")
	if h == "" && optional {
		if s.opts.RequireAuth {
			fail(w, http.StatusUnauthorized, "no token, and the server requires one for its API", "This API requires an authenticated user")
			return false
		}
		return true
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token != s.opts.Token {
		why := "unknown token"
		if h == "" {
			why = "no Authorization header"
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`)
		fail(w, http.StatusUnauthorized, why, "The access token is invalid")
		return false
	}
	top, _, _ := strings.Cut(scope, ":")
	if !slices.Contains(s.opts.Scopes, scope) && !slices.Contains(s.opts.Scopes, top) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token."`)
		fail(w, http.StatusForbidden, "token lacks scope "+scope, "This action is outside the authorized scopes")
		return false
	}
	return true
}
