package greenhouse_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

func newClock() *clock { return fakekittest.NewClock(fakekittest.Start) }

type testBundle struct {
	fake  *greenhouse.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts greenhouse.Options) *testBundle {
	t.Helper()
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := greenhouse.New(opts)
	return &testBundle{fake: f, srv: fakekittest.Serve(t, f), clock: c}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	fakekittest.Decode(t, r.body, v)
}

// errorBody decodes a Greenhouse error envelope.
func (r result) errorBody(t *testing.T) greenhouse.ErrorBody {
	t.Helper()
	var e greenhouse.ErrorBody
	r.decode(t, &e)
	return e
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, http.DefaultClient, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

// call sends a request with a bearer token ("" for none). target is a path
// or an absolute URL (as found in a Link header); body is JSON-encoded
// unless it is a string.
func (b *testBundle) call(t *testing.T, method, target, token string, body any) result {
	t.Helper()
	return send(t, b.request(t, method, target, body, func(r *http.Request) {
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
	}))
}

func (b *testBundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + target
	}
	req := fakekittest.NewRequest(t, method, target, body)
	if edit != nil {
		edit(req)
	}
	return req
}

// mint gets an access token for sub ("" acts as the service user).
func (b *testBundle) mint(t *testing.T, sub string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if sub != "" {
		form.Set("sub", sub)
	}
	req := b.request(t, http.MethodPost, "/token", form.Encode(), func(r *http.Request) {
		r.SetBasicAuth(greenhouse.DefaultClientID, greenhouse.DefaultClientSecret)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	})
	res := send(t, req)
	require.Equal(t, http.StatusOK, res.status, "mint: %s", res.body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	res.decode(t, &tok)
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

func (b *testBundle) adminToken(t *testing.T) string {
	t.Helper()
	return b.mint(t, strconv.FormatInt(greenhouse.AdminUserID, 10))
}

var nextLinkRE = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// nextLink returns the URL of Link rel="next", or "" when there is none.
func nextLink(t *testing.T, h http.Header) string {
	t.Helper()
	link := h.Get("Link")
	if link == "" {
		return ""
	}
	m := nextLinkRE.FindStringSubmatch(link)
	require.NotNil(t, m, "Link header %q has only rel=next in v3", link)
	return m[1]
}

// listAll follows Link rel="next" from path until it is absent and returns
// the pages' ids.
func (b *testBundle) listAll(t *testing.T, path, token string) (pages [][]int64) {
	t.Helper()
	target := path
	for target != "" {
		res := b.call(t, http.MethodGet, target, token, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var items []struct {
			ID int64 `json:"id"`
		}
		res.decode(t, &items)
		ids := make([]int64, 0, len(items))
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		pages = append(pages, ids)
		target = nextLink(t, res.header)
		require.Less(t, len(pages), 1000, "paging does not terminate")
	}
	return pages
}

func flatten(pages [][]int64) []int64 {
	var out []int64
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

const wantUnauthorized = `{"message":"Unauthorized","errors":["Token could not be decoded. Please ensure your token is from a trusted source."]}`

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
