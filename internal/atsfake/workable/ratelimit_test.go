package workable_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func TestRateLimitWindow(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 2, RateLimit: workable.RateLimit{Limit: 3, Window: 10 * time.Second}})
	// The clock starts at 12:00:03, inside the window 12:00:00–12:00:10.
	reset := itoa(b.clock.Now().Truncate(10 * time.Second).Add(10 * time.Second).Unix())
	for _, remaining := range []string{"2", "1", "0"} {
		res := b.call(t, http.MethodGet, "/candidates", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "3", res.header.Get("X-Rate-Limit-Limit"))
		require.Equal(t, remaining, res.header.Get("X-Rate-Limit-Remaining"))
		require.Equal(t, reset, res.header.Get("X-Rate-Limit-Reset"))
	}
	res := b.call(t, http.MethodGet, "/candidates", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.JSONEq(t, `{"error":"Rate limit exceeded"}`, string(res.body))
	require.Equal(t, "0", res.header.Get("X-Rate-Limit-Remaining"))
	require.Equal(t, reset, res.header.Get("X-Rate-Limit-Reset"))
	require.Empty(t, res.header.Get("Retry-After"), "Workable documents no Retry-After")
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// Errors of authenticated requests carry the headers too; 401s spend
	// nothing and carry none.
	res = send(t, b.request(t, http.MethodGet, "/candidates", nil, nil))
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Empty(t, res.header.Get("X-Rate-Limit-Limit"))

	// The partner token has its own budget.
	res = send(t, b.request(t, http.MethodGet, "/candidates", nil, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+workable.DefaultPartnerToken)
		r.Header.Set("X-WORKABLE-CLIENT-ID", workable.DefaultPartnerClientID)
	}))
	require.Equal(t, http.StatusOK, res.status)

	b.clock.Advance(7 * time.Second)
	res = b.call(t, http.MethodGet, "/candidates/nope", nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "2", res.header.Get("X-Rate-Limit-Remaining"), "a new window, and the 404 spent one")
}

func TestDefaultRateLimits(t *testing.T) {
	t.Parallel()
	c := newClock()
	f := workable.New(workable.Options{Candidates: 1, Now: c.Now})
	b := &bundle{fake: f, clock: c, srv: newServer(t, f)}
	for range 10 {
		require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/stages", nil).status)
	}
	res := b.call(t, http.MethodGet, "/stages", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status, "account tokens get 10 per 10 seconds")
	require.Equal(t, "10", res.header.Get("X-Rate-Limit-Limit"))

	partner := func() result {
		return send(t, b.request(t, http.MethodGet, "/stages", nil, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+workable.DefaultPartnerToken)
			r.Header.Set("X-WORKABLE-CLIENT-ID", workable.DefaultPartnerClientID)
		}))
	}
	for range 50 {
		require.Equal(t, http.StatusOK, partner().status)
	}
	require.Equal(t, http.StatusTooManyRequests, partner().status, "partner tokens get 50 per 10 seconds")
	c.Advance(10 * time.Second)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/stages", nil).status)
}
