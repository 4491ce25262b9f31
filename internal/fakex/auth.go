package fakex

import (
	"net/http"
	"strconv"
	"time"
)

// maxSkew is how far the request's oauth_timestamp may be from the server's
// clock. X refuses requests from a machine whose clock is off by minutes, a
// real failure on CI runners and laptops resumed from sleep.
const maxSkew = 5 * time.Minute

// authenticate checks the request's OAuth 1.0a user-context signature and
// returns why it fails, or "" when it passes. The reason is for the log only.
func (s *Server) authenticate(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "no Authorization header"
	}
	p, err := parseAuthorization(h)
	if err != nil {
		return err.Error()
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if p[k] == "" {
			return "missing " + k
		}
	}
	if p["oauth_signature_method"] != "HMAC-SHA1" {
		return "oauth_signature_method is not HMAC-SHA1"
	}
	if v, ok := p["oauth_version"]; ok && v != "1.0" {
		return "oauth_version is not 1.0"
	}
	if p["oauth_consumer_key"] != s.opts.ConsumerKey {
		return "unknown consumer key"
	}
	if p["oauth_token"] != s.opts.AccessToken {
		return "unknown access token"
	}
	ts, err := strconv.ParseInt(p["oauth_timestamp"], 10, 64)
	if err != nil {
		return "oauth_timestamp is not a number"
	}
	if d := s.opts.Now().Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return "oauth_timestamp off by " + d.Round(time.Second).String() + " (clock skew)"
	}
	base, err := signatureBaseString(r, p)
	if err != nil {
		return err.Error()
	}
	if !signatureMatches(p["oauth_signature"], hmacSHA1(base, s.opts.ConsumerSecret, s.opts.AccessSecret)) {
		return "signature mismatch; base string " + base
	}
	// Only a correctly signed request uses up its nonce, so a forged request
	// cannot block a genuine one. A replayed request is refused even though
	// its signature is right: that is what the nonce is for.
	key := p["oauth_consumer_key"] + "&" + p["oauth_token"] + "&" + p["oauth_nonce"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nonces[key] {
		return "nonce reused"
	}
	s.nonces[key] = true
	return ""
}
