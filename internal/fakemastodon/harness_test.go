package fakemastodon

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
	t     *testing.T
	s     *Server
	clock *fakenet.Clock
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

// req is a request to send; token "" means the right one, "-" none.
type req struct {
	method, path, body, ctype, token, key string
}

func (h *harness) send(c *http.Client, q req) (response, error) {
	r, err := http.NewRequest(q.method, h.s.URL+q.path, strings.NewReader(q.body))
	if err != nil {
		return response{}, err
	}
	switch q.token {
	case "":
		r.Header.Set("Authorization", "Bearer "+h.s.Options().Token)
	case "-":
	default:
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	if q.ctype != "" {
		r.Header.Set("Content-Type", q.ctype)
	}
	if q.key != "" {
		r.Header.Set("Idempotency-Key", q.key)
	}
	resp, err := c.Do(r)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	_ = json.Unmarshal(data, &out.body)
	return out, nil
}

func (h *harness) do(q req) response {
	h.t.Helper()
	r, err := h.send(http.DefaultClient, q)
	if err != nil {
		h.t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	return r
}

// post sends a status as JSON with an optional Idempotency-Key.
func (h *harness) post(text, key string) response {
	h.t.Helper()
	b, _ := json.Marshal(map[string]any{"status": text})
	return h.do(req{method: "POST", path: "/api/v1/statuses", body: string(b), ctype: "application/json", key: key})
}

// get walks a decoded JSON value by keys and indexes.
func get(v any, path ...any) any { return fakenet.Dig(v, path...) }
