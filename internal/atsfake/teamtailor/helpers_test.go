package teamtailor_test

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

	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
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
	fake  *teamtailor.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts teamtailor.Options) *testBundle {
	t.Helper()
	c := &clock{t: time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := teamtailor.New(opts)
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

// listDoc is a list document as a client decodes it.
type listDoc struct {
	Data     []teamtailor.Resource `json:"data"`
	Included []teamtailor.Resource `json:"included"`
	Links    map[string]string     `json:"links"`
	Meta     map[string]any        `json:"meta"`
}

type oneDoc struct {
	Data teamtailor.Resource `json:"data"`
}

// request builds a request with the default key, API version and (for a
// body) the JSON:API content type; edit may change any of it.
func (b *testBundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + target
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
	req.Header.Set("Authorization", "Token token="+teamtailor.DefaultAPIKey)
	req.Header.Set("X-Api-Version", teamtailor.DefaultAPIVersion)
	if body != nil {
		req.Header.Set("Content-Type", teamtailor.MediaType)
	}
	if edit != nil {
		edit(req)
	}
	return req
}

func (b *testBundle) call(t *testing.T, method, target string, body any) result {
	t.Helper()
	return send(t, http.DefaultClient, b.request(t, method, target, body, nil))
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

func errorsOf(t *testing.T, r result) []teamtailor.ErrorObject {
	t.Helper()
	var e teamtailor.ErrorsBody
	r.decode(t, &e)
	require.NotEmpty(t, e.Errors, "errors document: %s", r.body)
	require.Equal(t, teamtailor.MediaType, r.header.Get("Content-Type"))
	return e.Errors
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// rel builds a to-one relationship member for a write.
func rel(typ string, id int64) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": itoa(id)}}
}

// walk follows links.next from target until it is absent and returns the
// ids per page.
func (b *testBundle) walk(t *testing.T, target string) (pages [][]string) {
	t.Helper()
	for target != "" {
		res := b.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var doc listDoc
		res.decode(t, &doc)
		var ids []string
		for _, r := range doc.Data {
			ids = append(ids, r.ID)
		}
		pages = append(pages, ids)
		target = doc.Links["next"]
		require.Less(t, len(pages), 500, "paging does not terminate")
	}
	return pages
}

// list GETs target, requires 200 and decodes a fresh list document.
func (b *testBundle) list(t *testing.T, target string) listDoc {
	t.Helper()
	res := b.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
	var doc listDoc
	res.decode(t, &doc)
	return doc
}
