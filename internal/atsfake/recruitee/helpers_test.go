package recruitee_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type testBundle struct {
	fake  *recruitee.Fake
	srv   *httptest.Server
	clock *clock
	base  string // server URL plus /c/{company_id}
}

func setup(t *testing.T, opts recruitee.Options) *testBundle {
	t.Helper()
	c := &clock{t: time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := recruitee.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &testBundle{fake: f, srv: srv, clock: c, base: srv.URL + "/c/" + itoa(f.CompanyID())}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// call sends method to base+path (or an absolute URL) with the default
// token unless token says otherwise ("-" for none).
func (b *testBundle) call(t *testing.T, method, path, token string, body any) result {
	t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = b.base + path
	}
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, target, rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch token {
	case "":
		req.Header.Set("Authorization", "Bearer "+recruitee.DefaultAPIToken)
	case "-":
	default:
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, http.DefaultClient, req)
}

func do(t *testing.T, client *http.Client, req *http.Request) result {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{status: resp.StatusCode, header: resp.Header, body: body}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func errorBody(t *testing.T, r result) []string {
	t.Helper()
	var e recruitee.ErrorBody
	r.decode(t, &e)
	require.NotEmpty(t, e.Error, "error envelope: %s", r.body)
	return e.Error
}
