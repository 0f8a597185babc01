package smartrecruiters_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

type testBundle struct {
	fake  *smartrecruiters.Fake
	srv   *httptest.Server
	clock *clock
}

// setup starts a fake on a manual clock. The clock does not move on its own,
// so unless a test sets RateLimit the budget is raised to 1000 per second to
// keep the documented 10 from throttling ordinary tests.
func setup(t *testing.T, opts smartrecruiters.Options) *testBundle {
	t.Helper()
	c := fakekittest.NewClock(fakekittest.Start)
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 1000
	}
	f := smartrecruiters.New(opts)
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

// errorCode decodes the error envelope and returns its single code.
func (r result) errorCode(t *testing.T) string {
	t.Helper()
	var e smartrecruiters.ErrorBody
	r.decode(t, &e)
	require.Equal(t, http.StatusText(r.status), e.Message, "body: %s", r.body)
	require.Len(t, e.Errors, 1, "body: %s", r.body)
	require.NotEmpty(t, e.Errors[0].Message)
	return e.Errors[0].Code
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, http.DefaultClient, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

// request builds a request with the default X-SmartToken. target is a path
// (possibly from a Link header); body is JSON-encoded unless a string.
func (b *testBundle) request(t *testing.T, method, target string, body any) *http.Request {
	t.Helper()
	req := fakekittest.NewRequest(t, method, b.srv.URL+target, body)
	req.Header.Set("X-SmartToken", smartrecruiters.DefaultAPIKey)
	return req
}

func (b *testBundle) call(t *testing.T, method, target string, body any) result {
	t.Helper()
	return send(t, b.request(t, method, target, body))
}

// get requires a 200 and decodes the body into v.
func (b *testBundle) get(t *testing.T, target string, v any) result {
	t.Helper()
	res := b.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
	if v != nil {
		res.decode(t, v)
	}
	return res
}

type page[T any] struct {
	TotalFound int    `json:"totalFound"`
	NextPageID string `json:"nextPageId"`
	Content    []T    `json:"content"`
}

var nextLinkRE = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// listAll follows Link rel="next" from target to the end, checking that
// the header and nextPageId agree, and returns the pages.
func listAll[T any](t *testing.T, b *testBundle, target string) []page[T] {
	t.Helper()
	var pages []page[T]
	for target != "" {
		var p page[T]
		res := b.get(t, target, &p)
		pages = append(pages, p)
		require.Less(t, len(pages), 1000, "paging does not terminate")
		link := res.header.Get("Link")
		if p.NextPageID == "" {
			require.Empty(t, link, "no Link on the last page")
			break
		}
		m := nextLinkRE.FindStringSubmatch(link)
		require.NotNil(t, m, "Link %q", link)
		require.Contains(t, m[1], "pageId="+p.NextPageID)
		target = m[1]
	}
	return pages
}

func contentOf[T any](pages []page[T]) []T {
	var out []T
	for _, p := range pages {
		out = append(out, p.Content...)
	}
	return out
}

func candIDs(cs []smartrecruiters.Candidate) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func propertyByLabel(t *testing.T, f *smartrecruiters.Fake, label string) smartrecruiters.CandidatePropertyDefinition {
	t.Helper()
	for _, p := range f.CandidateProperties() {
		if p.Label == label {
			return p
		}
	}
	t.Fatalf("no property %q", label)
	return smartrecruiters.CandidatePropertyDefinition{}
}
