package publisher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// exchange is one HTTP request of the Mastodon and Bluesky clients and its
// answer, read whole.
type exchange struct {
	status int
	header http.Header
	body   []byte
}

// send makes a request with a JSON (or raw) body. A failure to connect is
// Transient (nothing was sent); a failure after sending is Unknown for a
// request that makes something (create), Transient for a read.
func send(ctx context.Context, c *http.Client, method, u string, header http.Header, body []byte, creates bool, network string) (*exchange, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, &Error{Kind: Transient, Message: err.Error(), Err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "circulate (+https://github.com/circulate-dev/circulate)")
	resp, err := c.Do(req)
	if err != nil {
		return nil, netError(err, creates, network)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, netError(err, creates, network)
	}
	return &exchange{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func netError(err error, creates bool, network string) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" || !creates {
		return &Error{Kind: Transient, Message: "could not reach " + network + ": " + plainNetError(err), Err: err}
	}
	return &Error{Kind: Unknown, Message: plainNetError(err), Err: err}
}

// plainNetError says what went wrong without the request (whose URL may
// carry a query worth keeping out of logs).
func plainNetError(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer within the time limit"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed before an answer"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
}

// decode reads a JSON answer; an answer that does not parse after a create
// leaves the outcome unknown.
func decode(x *exchange, out any, network string) error {
	if err := json.Unmarshal(x.body, out); err != nil {
		return &Error{Kind: Unknown, Status: x.status, Message: network + "'s answer could not be read: " + err.Error()}
	}
	return nil
}

// httpClient copies base (or makes one) with a timeout.
func httpClient(base *http.Client, timeout time.Duration) *http.Client {
	c := &http.Client{}
	if base != nil {
		cp := *base
		c = &cp
	}
	c.Timeout = timeout
	if c.Timeout == 0 {
		c.Timeout = 20 * time.Second
	}
	return c
}
