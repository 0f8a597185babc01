package ashby_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 1, RateLimit: ashby.RateLimit{Limit: 3, Window: time.Minute}})
	for range 3 {
		b.ok(t, "candidate.list", nil, nil)
	}
	b.clock.Advance(20 * time.Second)
	res := b.call(t, "candidate.list", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "40", res.header.Get("Retry-After"))
	require.Empty(t, res.header.Get("X-RateLimit-Scope"), "per-key 429s carry no scope")
	require.Equal(t, "rate_limit_exceeded", res.failure(t).ErrorInfo.Code)
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// Unauthenticated requests do not spend or see the budget.
	req := b.request(t, "candidate.list", nil)
	req.SetBasicAuth("wrong", "")
	require.Equal(t, http.StatusForbidden, send(t, req).status)

	b.clock.Advance(40 * time.Second)
	b.ok(t, "candidate.list", nil, nil)
}

func TestRateLimitDisabled(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 1, RateLimit: ashby.RateLimit{Limit: -1}})
	for range 50 {
		b.ok(t, "job.list", nil, nil)
	}
	require.Zero(t, b.fake.RateLimitedCount())
}
