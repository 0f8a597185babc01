package greenhouse_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func TestHarvestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{
		Candidates:       2,
		HarvestRateLimit: greenhouse.RateLimit{Limit: 3, Window: 30 * time.Second},
	})
	tok := b.adminToken(t)
	reset := strconv.FormatInt(b.clock.Now().Add(30*time.Second).Unix(), 10)

	for _, remaining := range []string{"2", "1", "0"} {
		res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "3", res.header.Get("X-RateLimit-Limit"))
		require.Equal(t, remaining, res.header.Get("X-RateLimit-Remaining"))
		require.Equal(t, reset, res.header.Get("X-RateLimit-Reset"))
	}

	b.clock.Advance(10 * time.Second)
	res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.JSONEq(t, `{"message":"Too Many Requests"}`, string(res.body))
	require.Equal(t, "20", res.header.Get("Retry-After"))
	require.Equal(t, "3", res.header.Get("X-RateLimit-Limit"))
	require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
	require.Equal(t, reset, res.header.Get("X-RateLimit-Reset"))
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// An unauthenticated request reports the budget without spending it.
	res = b.call(t, http.MethodGet, "/v3/candidates", "", nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// Minting has its own budget and still works.
	tok = b.adminToken(t)

	b.clock.Advance(20 * time.Second)
	res = b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "2", res.header.Get("X-RateLimit-Remaining"))
}

func TestTokenAndV1RateLimits(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{
		Candidates:     1,
		TokenRateLimit: greenhouse.RateLimit{Limit: 2},
		V1RateLimit:    greenhouse.RateLimit{Limit: 1},
	})
	b.mint(t, "")
	b.mint(t, "")
	res := send(t, b.request(t, http.MethodPost, "/token?grant_type=client_credentials", nil, func(r *http.Request) {
		r.SetBasicAuth(greenhouse.DefaultClientID, greenhouse.DefaultClientSecret)
	}))
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "60", res.header.Get("Retry-After"), "the token budget uses a 60-second window")

	v1 := func() result {
		return send(t, b.request(t, http.MethodGet, "/v1/candidates", nil, func(r *http.Request) {
			r.SetBasicAuth(greenhouse.DefaultAPIKey, "")
		}))
	}
	res = v1()
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "1", res.header.Get("X-RateLimit-Limit"))
	require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
	res = v1()
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "10", res.header.Get("Retry-After"), "v1 uses a 10-second window")
	require.NotEmpty(t, res.header.Get("X-RateLimit-Reset"))
	require.Empty(t, res.header.Get("X-RateLimit-Limit"), "v1 429s omit Limit and Remaining")
	require.Empty(t, res.header.Get("X-RateLimit-Remaining"))
	require.Equal(t, 2, b.fake.RateLimitedCount())
}
