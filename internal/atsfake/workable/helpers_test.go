package workable_test

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

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

// clock is a manual clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, time.March, 2, 12, 0, 3, 0, time.UTC)}
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

type bundle struct {
	fake  *workable.Fake
	srv   *httptest.Server
	clock *clock
}

// setup starts a fake behind httptest. Rate limits are off unless opts sets
// them, so tests can make many calls.
func setup(t *testing.T, opts workable.Options) *bundle {
	t.Helper()
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = -1
	}
	if opts.PartnerRateLimit.Limit == 0 {
		opts.PartnerRateLimit.Limit = -1
	}
	f := workable.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &bundle{fake: f, srv: srv, clock: c}
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

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{status: resp.StatusCode, header: resp.Header, body: body}
}

// request builds a request to target, a path below /spi/v3 (starting with
// "/") or an absolute URL such as paging.next.
func (b *bundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + "/spi/v3" + target
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
	if edit != nil {
		edit(req)
	}
	return req
}

// call sends a request with the default account token.
func (b *bundle) call(t *testing.T, method, target string, body any) result {
	t.Helper()
	return send(t, b.request(t, method, target, body, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+workable.DefaultAccessToken)
	}))
}

type candidatePage struct {
	Candidates []workable.Candidate `json:"candidates"`
	Paging     *workable.Paging     `json:"paging"`
}

// listAll follows paging.next verbatim from path until it is absent and
// returns each page's candidates plus the next URLs seen.
func (b *bundle) listAll(t *testing.T, path string) (pages [][]workable.Candidate, nexts []string) {
	t.Helper()
	target := path
	for {
		res := b.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var p candidatePage
		res.decode(t, &p)
		pages = append(pages, p.Candidates)
		if p.Paging == nil {
			require.NotContains(t, string(res.body), `"paging"`, "the last page has no paging object")
			return pages, nexts
		}
		require.NotEmpty(t, p.Paging.Next)
		nexts = append(nexts, p.Paging.Next)
		target = p.Paging.Next
		require.Less(t, len(pages), 1000, "paging does not terminate")
	}
}

func ids(pages [][]workable.Candidate) []string {
	var out []string
	for _, p := range pages {
		for _, c := range p {
			out = append(out, c.ID)
		}
	}
	return out
}

func errorOf(t *testing.T, r result) string {
	t.Helper()
	var e workable.ErrorBody
	r.decode(t, &e)
	return e.Error
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
