package fakex

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
)

func TestPercentEncode(t *testing.T) {
	// RFC 5849 §3.6 and the examples of X's "Percent encoding parameters".
	for in, want := range map[string]string{
		"Ladies + Gentlemen": "Ladies%20%2B%20Gentlemen",
		"An encoded string!": "An%20encoded%20string%21",
		"Dogs, Cats & Mice":  "Dogs%2C%20Cats%20%26%20Mice",
		"☃":                  "%E2%98%83",
		"-._~azAZ09":         "-._~azAZ09",
		"=%3D":               "%3D%253D",
	} {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRFC5849BaseString is the example of RFC 5849 §3.4.1: query and form
// parameters, a repeated name, empty values, "+" as a space in the form.
func TestRFC5849BaseString(t *testing.T) {
	req := httptest.NewRequest("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", strings.NewReader("c2&a3=2+q"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p, err := parseAuthorization(`OAuth realm="Example",
		oauth_consumer_key="9djdj82h48djs9d2",
		oauth_token="kkk9d7dh3k39sjv7",
		oauth_signature_method="HMAC-SHA1",
		oauth_timestamp="137131201",
		oauth_nonce="7d8f3e4a",
		oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`)
	if err != nil {
		t.Fatal(err)
	}
	if p["oauth_signature"] != "bYT5CMsGcbgUdFHObYMEfcx6bsw=" || p["realm"] != "Example" {
		t.Errorf("parsed %v", p)
	}
	got, err := signatureBaseString(req, p)
	if err != nil {
		t.Fatal(err)
	}
	const want = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got != want {
		t.Errorf("base string\n got %s\nwant %s", got, want)
	}
}

// TestTwitterVector is the worked example of X's "Creating a signature".
func TestTwitterVector(t *testing.T) {
	const (
		body    = "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
		wantSig = "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
		wantB   = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	)
	newReq := func() *http.Request {
		req := httptest.NewRequest("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", `OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", `+
			`oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", `+
			`oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", `+
			`oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"`)
		return req
	}
	req := newReq()
	p, err := parseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := signatureBaseString(req, p)
	if err != nil {
		t.Fatal(err)
	}
	if base != wantB {
		t.Errorf("base string\n got %s\nwant %s", base, wantB)
	}
	if sig := hmacSHA1(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"); sig != wantSig {
		t.Errorf("signature %s, want %s", sig, wantSig)
	}

	// The whole check, as the server runs it, with its clock at the
	// example's timestamp: accepted once, then refused as a replay.
	s := New(t, Options{
		ConsumerKey: "xvz1evFS4wEEPTGEFPHBog", ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		AccessToken: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", AccessSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
		Now: func() time.Time { return time.Unix(1318622958+60, 0) },
	})
	if reason := s.authenticate(newReq()); reason != "" {
		t.Errorf("the published example is refused: %s", reason)
	}
	if reason := s.authenticate(newReq()); reason != "nonce reused" {
		t.Errorf("replayed example: reason %q, want nonce reused", reason)
	}
	tampered := newReq()
	tampered.URL.RawQuery = "include_entities=false"
	if reason := s.authenticate(tampered); !strings.HasPrefix(reason, "signature mismatch") {
		t.Errorf("tampered example: reason %q, want a signature mismatch", reason)
	}
}

// tamperTransport changes a request after dghubble/oauth1 has signed it.
type tamperTransport func(*http.Request)

func (f tamperTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultTransport.RoundTrip(r)
}

// TestDghubbleOAuth1 signs with the library the publisher uses: the fake
// must accept what it signs, and refuse it once the signed parts are
// changed or the secrets are wrong.
func TestDghubbleOAuth1(t *testing.T) {
	type tc struct {
		name   string
		key    string // consumer key, secret, token, token secret
		secret string
		token  string
		tokSec string
		tamper func(*http.Request)
		method string
		target string
		body   string
		want   int
	}
	s := New(t, Options{})
	o := s.Options()
	ok := tc{key: o.ConsumerKey, secret: o.ConsumerSecret, token: o.AccessToken, tokSec: o.AccessSecret, method: "POST", target: "/2/tweets"}
	cases := []func(c *tc){
		func(c *tc) {
			c.name, c.body, c.want = "post", `{"text":"New at the library: Moomin weekend https://example.org/moomins"}`, 201
		},
		func(c *tc) {
			c.name, c.method, c.target, c.want = "me with query", "GET", "/2/users/me?user.fields=created_at,description&expansions=pinned_tweet_id", 200
		},
		func(c *tc) {
			c.name, c.method, c.target, c.want = "timeline", "GET", "/2/users/1234/tweets?tweet.fields=entities,created_at&max_results=5", 200
		},
		func(c *tc) {
			c.name, c.method, c.target, c.want = "timeline query changed", "GET", "/2/users/1234/tweets?tweet.fields=entities,created_at&max_results=5", 401
			c.tamper = func(r *http.Request) { r.URL.RawQuery = "tweet.fields=entities&max_results=5" }
		},
		func(c *tc) {
			c.name, c.method, c.target, c.want = "query added", "GET", "/2/users/me", 401
			c.tamper = func(r *http.Request) { r.URL.RawQuery = "user.fields=id" }
		},
		func(c *tc) {
			c.name, c.body, c.want = "signed query dropped", `{"text":"path"}`, 401
			c.target = "/2/tweets?x=1"
			c.tamper = func(r *http.Request) { r.URL.RawQuery = ""; r.URL.Path = "/2/tweets" }
		},
		func(c *tc) {
			c.name, c.method, c.target, c.want = "path changed to another user", "GET", "/2/users/9999/tweets", 401
			c.tamper = func(r *http.Request) { r.URL.Path = "/2/users/1234/tweets" }
		},
		func(c *tc) {
			// X does not sign a JSON body, so neither can the fake notice.
			c.name, c.body, c.want = "JSON body changed is not noticed", `{"text":"before"}`, 201
			c.tamper = func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader(`{"text":"after"}`))
				r.ContentLength = int64(len(`{"text":"after"}`))
			}
		},
		func(c *tc) { c.name, c.body, c.want, c.secret = "wrong consumer secret", `{"text":"a"}`, 401, "nope" },
		func(c *tc) { c.name, c.body, c.want, c.tokSec = "wrong token secret", `{"text":"b"}`, 401, "nope" },
		func(c *tc) { c.name, c.body, c.want, c.key = "unknown consumer key", `{"text":"c"}`, 401, "nope" },
		func(c *tc) { c.name, c.body, c.want, c.token = "unknown token", `{"text":"d"}`, 401, "1234-nope" },
	}
	for _, edit := range cases {
		c := ok
		edit(&c)
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			if c.tamper != nil {
				ctx = context.WithValue(ctx, oauth1.HTTPClient, &http.Client{Transport: tamperTransport(c.tamper)})
			}
			client := oauth1.NewConfig(c.key, c.secret).Client(ctx, oauth1.NewToken(c.token, c.tokSec))
			var body *strings.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			var req *http.Request
			var err error
			if body != nil {
				req, err = http.NewRequest(c.method, s.URL+c.target, body)
				req.Header.Set("Content-Type", "application/json")
			} else {
				req, err = http.NewRequest(c.method, s.URL+c.target, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				log := s.Requests()
				t.Errorf("status %d, want %d (fake says: %s)", resp.StatusCode, c.want, log[len(log)-1].Reason)
			}
		})
	}
}
