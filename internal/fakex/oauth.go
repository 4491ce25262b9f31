package fakex

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// This file verifies OAuth 1.0a HMAC-SHA1 signatures (RFC 5849 §3.4). It is
// written from the RFC, not from the client library the publisher signs with
// (github.com/dghubble/oauth1): a fake that reused the client's code would
// accept whatever mistakes the client makes, and so prove nothing.

// oauthParams holds the parameters of an "Authorization: OAuth ..." header,
// percent-decoded.
type oauthParams map[string]string

// parseAuthorization reads the protocol parameters from the Authorization
// header (RFC 5849 §3.5.1). It fails on anything X would not accept: another
// scheme, a malformed list, a parameter given twice.
func parseAuthorization(h string) (oauthParams, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "OAuth") {
		return nil, errors.New("Authorization header is not OAuth")
	}
	p := oauthParams{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, quoted, ok := strings.Cut(part, "=")
		if !ok || len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
			return nil, fmt.Errorf("malformed Authorization parameter %q", part)
		}
		name = strings.TrimSpace(name)
		value, err := url.PathUnescape(quoted[1 : len(quoted)-1])
		if err != nil {
			return nil, fmt.Errorf("bad percent-encoding in %s: %v", name, err)
		}
		if _, dup := p[name]; dup {
			return nil, fmt.Errorf("parameter %s given twice", name)
		}
		p[name] = value
	}
	return p, nil
}

// percentEncode is RFC 5849 §3.6: every byte except the RFC 3986 unreserved
// characters becomes %XX with upper-case hex. Go's url.QueryEscape differs
// (space as "+", "~" escaped in old versions), so it is not used.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// baseStringURI is RFC 5849 §3.4.1.2: scheme and host in lower case, the
// default port dropped, no query or fragment. The fake serves plain HTTP on
// loopback, so the scheme comes from the connection, as the client saw it.
func baseStringURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := strings.ToLower(r.Host)
	if h, port, ok := strings.Cut(host, ":"); ok &&
		(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		host = h
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// requestParams collects the parameters that are signed besides the
// protocol ones (RFC 5849 §3.4.1.3.1): the query, and the body only when it
// is a form. A JSON body, as POST /2/tweets takes, is not signed at all:
// X cannot tell if it was altered, and neither does this fake.
func requestParams(r *http.Request) (url.Values, error) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("bad query: %v", err)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" || r.Body == nil {
		return params, nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	// The handler may read the body again after the signature is checked.
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("bad form body: %v", err)
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// normalizedParams is RFC 5849 §3.4.1.3.2: every name and value encoded,
// pairs sorted by name then value, joined with "=" and "&". oauth_signature
// and realm are left out.
func normalizedParams(oauth oauthParams, params url.Values) string {
	var pairs [][2]string
	for k, v := range oauth {
		if k == "oauth_signature" || k == "realm" {
			continue
		}
		pairs = append(pairs, [2]string{percentEncode(k), percentEncode(v)})
	}
	for k, vs := range params {
		for _, v := range vs {
			pairs = append(pairs, [2]string{percentEncode(k), percentEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p[0] + "=" + p[1]
	}
	return strings.Join(parts, "&")
}

// signatureBaseString is RFC 5849 §3.4.1.1.
func signatureBaseString(r *http.Request, oauth oauthParams) (string, error) {
	params, err := requestParams(r)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(r.Method) + "&" + percentEncode(baseStringURI(r)) + "&" +
		percentEncode(normalizedParams(oauth, params)), nil
}

// hmacSHA1 is RFC 5849 §3.4.2: the key is both secrets, encoded, joined by
// "&" (the token secret may be empty, the "&" never is).
func hmacSHA1(base, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(percentEncode(consumerSecret)+"&"+percentEncode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signatureMatches compares in constant time, as a real server must.
func signatureMatches(got, want string) bool {
	g, err := base64.StdEncoding.DecodeString(got)
	if err != nil {
		return false
	}
	w, _ := base64.StdEncoding.DecodeString(want)
	return hmac.Equal(g, w)
}
