package workable_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

// newClock starts three seconds into a 10-second rate-limit window.
func newClock() *clock { return fakekittest.NewClock(fakekittest.Start.Add(3 * time.Second)) }

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
	return &bundle{fake: f, srv: fakekittest.Serve(t, f), clock: c}
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

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, http.DefaultClient, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

// request builds a request to target, a path below /spi/v3 (starting with
// "/") or an absolute URL such as paging.next.
func (b *bundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + "/spi/v3" + target
	}
	req := fakekittest.NewRequest(t, method, target, body)
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
