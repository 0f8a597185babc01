package recruitee_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

type testBundle struct {
	fake  *recruitee.Fake
	srv   *httptest.Server
	clock *clock
	base  string // server URL plus /c/{company_id}
}

func setup(t *testing.T, opts recruitee.Options) *testBundle {
	t.Helper()
	c := fakekittest.NewClock(fakekittest.Start)
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := recruitee.New(opts)
	srv := fakekittest.Serve(t, f)
	return &testBundle{fake: f, srv: srv, clock: c, base: srv.URL + "/c/" + itoa(f.CompanyID())}
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

// call sends method to base+path (or an absolute URL) with the default
// token unless token says otherwise ("-" for none).
func (b *testBundle) call(t *testing.T, method, path, token string, body any) result {
	t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = b.base + path
	}
	req := fakekittest.NewRequest(t, method, target, body)
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
	r := fakekittest.Do(t, client, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func errorBody(t *testing.T, r result) []string {
	t.Helper()
	var e recruitee.ErrorBody
	r.decode(t, &e)
	require.NotEmpty(t, e.Error, "error envelope: %s", r.body)
	return e.Error
}
