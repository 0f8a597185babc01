package personio_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/personio"
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
	fake  *personio.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts personio.Options) *testBundle {
	t.Helper()
	c := &clock{t: time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := personio.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &testBundle{fake: f, srv: srv, clock: c}
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

func send(t *testing.T, client *http.Client, req *http.Request) result {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{status: resp.StatusCode, header: resp.Header, body: body}
}

// tokenRequest posts form to the token endpoint.
func (b *testBundle) tokenRequest(t *testing.T, form url.Values) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/v2/auth/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, http.DefaultClient, req)
}

func goodForm() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {personio.DefaultClientID},
		"client_secret": {personio.DefaultClientSecret}}
}

// token mints an access token with the default credentials.
func (b *testBundle) token(t *testing.T) string {
	t.Helper()
	res := b.tokenRequest(t, goodForm())
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	res.decode(t, &tok)
	return tok.AccessToken
}

// get sends a recruiting GET with the token and the Beta header; edit may
// change the request.
func (b *testBundle) get(t *testing.T, target, token string, edit func(*http.Request)) result {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + target
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Beta", "true")
	if edit != nil {
		edit(req)
	}
	return send(t, http.DefaultClient, req)
}

type listBody struct {
	Data []map[string]any `json:"_data"`
	Meta struct {
		Links map[string]struct {
			Href string `json:"href"`
		} `json:"links"`
	} `json:"_meta"`
}

// walk follows _meta.links.next.href until it is absent and returns the ids
// per page.
func (b *testBundle) walk(t *testing.T, target, token string) (pages [][]string) {
	t.Helper()
	for target != "" {
		res := b.get(t, target, token, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var body listBody
		res.decode(t, &body)
		var ids []string
		for _, d := range body.Data {
			ids = append(ids, d["id"].(string))
		}
		pages = append(pages, ids)
		target = body.Meta.Links["next"].Href
		require.Less(t, len(pages), 500, "paging does not terminate")
	}
	return pages
}

func problemOf(t *testing.T, r result) personio.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
	var p personio.Problem
	r.decode(t, &p)
	require.NotEmpty(t, p.PersonioTraceID)
	require.NotEmpty(t, p.Errors, "problem: %s", r.body)
	return p
}
