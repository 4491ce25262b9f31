package fakex

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// The tests of the server sign with a small test signer built on the fake's
// own primitives, so that they can sign with any timestamp (a real client
// library signs with the real clock). oauth_test.go checks those primitives
// against published vectors and against github.com/dghubble/oauth1.

type harness struct {
	t     *testing.T
	s     *Server
	clock *fakenet.Clock
	nonce int
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	clock := fakenet.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	o.Now = clock.Now
	return &harness{t: t, s: New(t, o), clock: clock}
}

// signing is how one request is signed; cases change it to break it.
type signing struct {
	consumerKey, consumerSecret string
	token, tokenSecret          string
	ts                          time.Time
	nonce                       string
	noAuth                      bool
	tamper                      func(*http.Request) // after signing
}

type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func (h *harness) defaultSigning() signing {
	h.nonce++
	o := h.s.Options()
	return signing{o.ConsumerKey, o.ConsumerSecret, o.AccessToken, o.AccessSecret,
		h.clock.Now(), "nonce" + strconv.Itoa(h.nonce), false, nil}
}

// do sends a request signed as sg says (nil: correctly).
func (h *harness) do(method, target, body string, edit func(*signing)) response {
	h.t.Helper()
	return h.doWith(http.DefaultClient, method, target, body, edit)
}

func (h *harness) doWith(c *http.Client, method, target, body string, edit func(*signing)) response {
	h.t.Helper()
	r, err := h.send(c, method, target, body, edit)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, target, err)
	}
	return r
}

func (h *harness) send(c *http.Client, method, target, body string, edit func(*signing)) (response, error) {
	req, err := http.NewRequest(method, h.s.URL+target, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	sg := h.defaultSigning()
	if edit != nil {
		edit(&sg)
	}
	if !sg.noAuth {
		testSign(req, sg)
	}
	if sg.tamper != nil {
		sg.tamper(req)
	}
	resp, err := c.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		h.t.Fatalf("%s %s: answer is not a JSON object: %v\n%s", method, target, err, raw)
	}
	return out, nil
}

func (h *harness) post(text string, edit func(*signing)) response {
	h.t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	return h.do("POST", "/2/tweets", string(body), edit)
}

func testSign(req *http.Request, sg signing) {
	p := oauthParams{
		"oauth_consumer_key":     sg.consumerKey,
		"oauth_token":            sg.token,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(sg.ts.Unix(), 10),
		"oauth_nonce":            sg.nonce,
		"oauth_version":          "1.0",
	}
	base, err := signatureBaseString(req, p)
	if err != nil {
		panic(err)
	}
	p["oauth_signature"] = hmacSHA1(base, sg.consumerSecret, sg.tokenSecret)
	var parts []string
	for k, v := range p {
		parts = append(parts, percentEncode(k)+`="`+percentEncode(v)+`"`)
	}
	req.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
}

// get walks a decoded JSON value: get(body, "data", "id").
func get(v any, path ...any) any { return fakenet.Dig(v, path...) }
