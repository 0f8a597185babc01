package smartrecruiters_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

func TestRequestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2, RateLimit: smartrecruiters.RateLimit{Limit: 3, Window: time.Second}})
	for _, remaining := range []string{"2", "1", "0"} {
		res := b.call(t, http.MethodGet, "/jobs", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "3", res.header.Get("X-RateLimit-Limit"))
		require.Equal(t, remaining, res.header.Get("X-RateLimit-Remaining"))
		require.Equal(t, "8", res.header.Get("X-RateLimit-Concurrent-Limit"))
		require.Equal(t, "7", res.header.Get("X-RateLimit-Concurrent-Remaining"), "this request holds one slot")
	}
	res := b.call(t, http.MethodGet, "/jobs", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "TOO_MANY_REQUESTS", res.errorCode(t))
	require.Equal(t, "3", res.header.Get("X-RateLimit-Limit"))
	require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
	require.Empty(t, res.header.Get("Retry-After"), "SmartRecruiters documents no Retry-After")
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// A 401 neither spends nor reports the budget.
	req := b.request(t, http.MethodGet, "/jobs", nil)
	req.Header.Set("X-SmartToken", "nope")
	require.Equal(t, http.StatusUnauthorized, send(t, req).status)

	b.clock.Advance(time.Second)
	res = b.call(t, http.MethodGet, "/jobs", nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "2", res.header.Get("X-RateLimit-Remaining"))
}

func TestDocumentedDefaults(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)
	f := smartrecruiters.New(smartrecruiters.Options{Candidates: 1, Now: func() time.Time { return now }})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	b := &testBundle{fake: f, srv: srv}
	for i := range 10 {
		res := b.call(t, http.MethodGet, "/candidates", nil)
		require.Equal(t, http.StatusOK, res.status, "request %d", i)
		require.Equal(t, "10", res.header.Get("X-RateLimit-Limit"))
		require.Equal(t, "1", res.header.Get("X-RateLimit-Concurrent-Limit"), "GET /candidates allows one at a time")
		require.Equal(t, "0", res.header.Get("X-RateLimit-Concurrent-Remaining"))
	}
	require.Equal(t, http.StatusTooManyRequests, b.call(t, http.MethodGet, "/users", nil).status, "10 requests per second")
}

func TestRateLimitDisabled(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 1, RateLimit: smartrecruiters.RateLimit{Limit: -1},
		ConcurrencyLimit: -1, CandidatesConcurrencyLimit: -1})
	for range 30 {
		res := b.call(t, http.MethodGet, "/candidates", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Empty(t, res.header.Get("X-RateLimit-Limit"))
		require.Empty(t, res.header.Get("X-RateLimit-Concurrent-Limit"))
	}
}

func TestCandidateListingConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 3})
	b.fake.InjectFault(smartrecruiters.Fault{Kind: smartrecruiters.FaultLatency, Delay: 400 * time.Millisecond,
		Method: http.MethodGet, Path: "/candidates", Times: 1})

	first := make(chan result, 1)
	go func() { first <- b.call(t, http.MethodGet, "/candidates", nil) }()
	require.Eventually(t, func() bool { _, c := b.fake.InFlight(); return c == 1 }, 5*time.Second, 5*time.Millisecond)

	res := b.call(t, http.MethodGet, "/candidates?limit=2", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status, "a second listing while one is in flight")
	require.Equal(t, "1", res.header.Get("X-RateLimit-Concurrent-Limit"))
	require.Equal(t, "0", res.header.Get("X-RateLimit-Concurrent-Remaining"))

	res = b.call(t, http.MethodGet, "/jobs", nil)
	require.Equal(t, http.StatusOK, res.status, "other endpoints share the limit of 8")
	require.Equal(t, "6", res.header.Get("X-RateLimit-Concurrent-Remaining"))

	require.Equal(t, http.StatusOK, (<-first).status)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
	total, cands := b.fake.InFlight()
	require.Zero(t, total)
	require.Zero(t, cands)
	require.Equal(t, 1, b.fake.RateLimitedCount())
}

func TestOverallConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2, ConcurrencyLimit: 2})
	b.fake.InjectFault(smartrecruiters.Fault{Kind: smartrecruiters.FaultLatency, Delay: 400 * time.Millisecond, Path: "/jobs", Times: 2})
	done := make(chan int, 2)
	for range 2 {
		go func() { done <- b.call(t, http.MethodGet, "/jobs", nil).status }()
	}
	require.Eventually(t, func() bool { n, _ := b.fake.InFlight(); return n == 2 }, 5*time.Second, 5*time.Millisecond)
	res := b.call(t, http.MethodGet, "/users", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "2", res.header.Get("X-RateLimit-Concurrent-Limit"))
	require.Equal(t, http.StatusOK, <-done)
	require.Equal(t, http.StatusOK, <-done)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/users", nil).status)
}
