package ashby_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

type testBundle struct {
	fake  *ashby.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts ashby.Options) *testBundle {
	t.Helper()
	c := fakekittest.NewClock(fakekittest.Start)
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := ashby.New(opts)
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

// failure decodes the error envelope and checks it is one.
func (r result) failure(t *testing.T) ashby.ErrorBody {
	t.Helper()
	var e ashby.ErrorBody
	r.decode(t, &e)
	require.False(t, e.Success, "body: %s", r.body)
	require.NotNil(t, e.ErrorInfo, "body: %s", r.body)
	require.Equal(t, []string{e.ErrorInfo.Code}, e.Errors)
	return e
}

// page is a list response.
type page[T any] struct {
	Success           bool   `json:"success"`
	Results           []T    `json:"results"`
	MoreDataAvailable bool   `json:"moreDataAvailable"`
	NextCursor        string `json:"nextCursor"`
	SyncToken         string `json:"syncToken"`
}

// one is a single-object response.
type one[T any] struct {
	Success bool `json:"success"`
	Results T    `json:"results"`
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, http.DefaultClient, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

// request builds a POST to endpoint with a JSON body (a string is sent as
// is) and the default key.
func (b *testBundle) request(t *testing.T, endpoint string, body any) *http.Request {
	t.Helper()
	req := fakekittest.NewRequest(t, http.MethodPost, b.srv.URL+"/"+endpoint, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json; version=1")
	req.SetBasicAuth(ashby.DefaultAPIKey, "")
	return req
}

// call posts body to endpoint with the default key.
func (b *testBundle) call(t *testing.T, endpoint string, body any) result {
	t.Helper()
	return send(t, b.request(t, endpoint, body))
}

// ok posts and requires a successful envelope, decoding results into v.
func (b *testBundle) ok(t *testing.T, endpoint string, body any, v any) {
	t.Helper()
	res := b.call(t, endpoint, body)
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	var env struct {
		Success bool            `json:"success"`
		Results json.RawMessage `json:"results"`
	}
	res.decode(t, &env)
	require.True(t, env.Success, "body: %s", res.body)
	if v != nil {
		require.NoError(t, json.Unmarshal(env.Results, v))
	}
}

// listAll follows nextCursor from an initial body until moreDataAvailable is
// false, returning the pages and the final syncToken.
func listAll[T any](t *testing.T, b *testBundle, endpoint string, body map[string]any) ([][]T, string) {
	t.Helper()
	var pages [][]T
	req := map[string]any{}
	for k, v := range body {
		req[k] = v
	}
	for {
		res := b.call(t, endpoint, req)
		require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
		var p page[T]
		res.decode(t, &p)
		require.True(t, p.Success, "body: %s", res.body)
		pages = append(pages, p.Results)
		require.Less(t, len(pages), 1000, "paging does not terminate")
		if !p.MoreDataAvailable {
			require.Empty(t, p.NextCursor, "the last page has no cursor")
			return pages, p.SyncToken
		}
		require.NotEmpty(t, p.NextCursor)
		require.Empty(t, p.SyncToken, "only the last page carries a syncToken")
		delete(req, "syncToken")
		req["cursor"] = p.NextCursor
	}
}

func ids[T any](pages [][]T, id func(T) string) []string {
	var out []string
	for _, p := range pages {
		for _, v := range p {
			out = append(out, id(v))
		}
	}
	return out
}

func candID(c ashby.Candidate) string      { return c.ID }
func appID(a ashby.Application) string     { return a.ID }
func fieldIDOf(f ashby.CustomField) string { return f.ID }

func fieldByTitle(t *testing.T, f *ashby.Fake, objectType, title string) ashby.CustomField {
	t.Helper()
	for _, d := range f.CustomFields() {
		if d.ObjectType == objectType && d.Title == title {
			return d
		}
	}
	t.Fatalf("no %s field %q", objectType, title)
	return ashby.CustomField{}
}
