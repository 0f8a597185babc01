package lever_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

func TestTokenBucket(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1, RateLimit: lever.RateLimit{Limit: 1, Window: time.Minute, Burst: 3}})
	for range 3 {
		require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status)
	}
	res := b.call(t, http.MethodGet, "/v1/stages", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.JSONEq(t, `{"code":"TooManyRequests","message":"Rate limit exceeded, please slow down"}`, string(res.body))
	require.Empty(t, res.header.Get("Retry-After"), "Lever documents no Retry-After")
	require.Empty(t, res.header.Get("X-RateLimit-Limit"), "nor rate-limit headers")
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// The OAuth token has a bucket of its own.
	res = send(t, b.request(t, http.MethodGet, "/v1/stages", nil, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+lever.DefaultOAuthToken)
	}))
	require.Equal(t, http.StatusOK, res.status)

	// A minute refills one token.
	b.clock.Advance(30 * time.Second)
	require.Equal(t, http.StatusTooManyRequests, b.call(t, http.MethodGet, "/v1/stages", nil).status)
	b.clock.Advance(30 * time.Second)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status)
	require.Equal(t, http.StatusTooManyRequests, b.call(t, http.MethodGet, "/v1/stages", nil).status)
	require.Equal(t, 3, b.fake.RateLimitedCount())

	// Unauthenticated requests spend nothing.
	require.Equal(t, http.StatusUnauthorized, send(t, b.request(t, http.MethodGet, "/v1/stages", nil, nil)).status)
	require.Equal(t, 3, b.fake.RateLimitedCount())
}

func TestDefaultRateLimit(t *testing.T) {
	t.Parallel()
	c := newClock()
	f := lever.New(lever.Options{Candidates: 1, Now: c.Now})
	b := &bundle{fake: f, clock: c}
	b.srv = newServer(t, f)
	for range 20 {
		require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status)
	}
	require.Equal(t, http.StatusTooManyRequests, b.call(t, http.MethodGet, "/v1/stages", nil).status, "bursts stop at 20")
	c.Advance(100 * time.Millisecond)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status, "10 per second refill")
}
