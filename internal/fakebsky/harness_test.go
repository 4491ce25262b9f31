package fakebsky

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

type harness struct {
	t      *testing.T
	s      *Server
	clock  *fakenet.Clock
	access string
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	clock := fakenet.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	o.Now = clock.Now
	return &harness{t: t, s: New(t, o), clock: clock}
}

type response struct {
	status int
	header http.Header
	raw    string
	body   any
}

func (h *harness) send(c *http.Client, method, nsid, query, body, ctype, token string) (response, error) {
	return h.sendTo(c, h.s.URL, method, nsid, query, body, ctype, token)
}

// appview is a GET from the public AppView.
func (h *harness) appview(nsid, query, token string) response {
	h.t.Helper()
	r, err := h.sendTo(http.DefaultClient, h.s.AppViewURL, "GET", nsid, query, "", "", token)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) sendTo(c *http.Client, base, method, nsid, query, body, ctype, token string) (response, error) {
	u := base + "/xrpc/" + nsid
	if query != "" {
		u += "?" + query
	}
	r, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(r)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	_ = json.Unmarshal(data, &out.body)
	return out, nil
}

func (h *harness) do(method, nsid, query, body, token string) response {
	h.t.Helper()
	ct := ""
	if method == "POST" {
		ct = "application/json"
	}
	r, err := h.send(http.DefaultClient, method, nsid, query, body, ct, token)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) login() response {
	h.t.Helper()
	r := h.do("POST", "com.atproto.server.createSession", "", `{"identifier":"riversidelib.bsky.social","password":"abcd-efgh-ijkl-mnop"}`, "")
	if r.status == 200 {
		h.access = get(r.body, "accessJwt").(string)
	}
	return r
}

// create posts a record (a JSON string) with an optional rkey.
func (h *harness) create(record, rkey string) response {
	h.t.Helper()
	body := `{"repo":"did:plc:rvrsdlbrry7fakebsky22222","collection":"app.bsky.feed.post","record":` + record
	if rkey != "" {
		body += `,"rkey":"` + rkey + `"`
	}
	return h.do("POST", "com.atproto.repo.createRecord", "", body+"}", h.access)
}

func get(v any, path ...any) any { return fakenet.Dig(v, path...) }
