package personio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/personio"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

type testBundle struct {
	fake  *personio.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts personio.Options) *testBundle {
	t.Helper()
	c := fakekittest.NewClock(fakekittest.Start)
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := personio.New(opts)
	srv := fakekittest.Serve(t, f)
	return &testBundle{fake: f, srv: srv, clock: c}
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

func send(t *testing.T, client *http.Client, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, client, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
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
