// Package fakekittest holds the test helpers every ATS fake's tests share,
// and nothing vendor-specific: a manual clock for a fake's Options.Now, a
// test server, and building, sending and decoding requests. How to
// authenticate, page or read a vendor's errors stays in each fake's tests.
package fakekittest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Start is where the fakes' tests start their clocks unless they need
// another moment: 2026-03-02 12:00:00 UTC.
var Start = time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)

// Clock is a manual clock for a fake's Options.Now: it stands still until
// Advance moves it. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Serve starts h on an httptest server that is closed when the test ends.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Body turns v into a request body: nil is no body, a string is sent as
// it is, and anything else is encoded as JSON.
func Body(t testing.TB, v any) io.Reader {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		return bytes.NewReader(raw)
	}
}

// NewRequest builds a request to target (an absolute URL) with [Body] of
// body; a request with a body is labelled Content-Type: application/json.
func NewRequest(t testing.TB, method, target string, body any) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, Body(t, body))
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// Result is a response read in full.
type Result struct {
	// Status is the response's status code.
	Status int
	// Header is the response's header.
	Header http.Header
	// Body is the whole response body.
	Body []byte
}

// Do sends req with client and reads the whole response, failing the test
// on any transport error.
func Do(t testing.TB, client *http.Client, req *http.Request) Result {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return Result{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// Decode unmarshals the JSON body into v, failing the test (and showing
// the body) when it does not decode.
func Decode(t testing.TB, body []byte, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(body, v), "body: %s", body)
}
