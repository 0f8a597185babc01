package personio_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/personio"
)

func TestRateLimits(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{
		RateLimit:      personio.RateLimit{Limit: 2, Window: time.Minute},
		TokenRateLimit: personio.RateLimit{Limit: 1, Window: time.Minute},
	})
	tok := b.token(t)
	res := b.tokenRequest(t, goodForm())
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "60", res.header.Get("Retry-After"))

	b.clock.Advance(15 * time.Second)
	for range 2 {
		require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
	}
	res = b.get(t, "/v2/recruiting/jobs", tok, nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "45", res.header.Get("Retry-After"))
	require.Equal(t, "Too many requests", problemOf(t, res).Errors[0].Title)
	require.Equal(t, 2, b.fake.RateLimitedCount())

	// 401s do not spend the budget.
	require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", "papi-x", nil).status)
	b.clock.Advance(45 * time.Second)
	require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault personio.Fault
		run   func(t *testing.T, b *testBundle, tok string)
	}{
		{
			name:  "503 twice on candidates",
			fault: personio.Fault{Kind: personio.FaultStatus, Path: "/v2/recruiting/candidates", Times: 2},
			run: func(t *testing.T, b *testBundle, tok string) {
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
				for range 2 {
					res := b.get(t, "/v2/recruiting/candidates", tok, nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					problemOf(t, res)
				}
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/candidates", tok, nil).status)
			},
		},
		{
			name:  "token endpoint outage until cleared",
			fault: personio.Fault{Kind: personio.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodPost},
			run: func(t *testing.T, b *testBundle, tok string) {
				require.Equal(t, http.StatusInternalServerError, b.tokenRequest(t, goodForm()).status)
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
				b.fake.ClearFaults()
				b.token(t)
			},
		},
		{
			name:  "latency",
			fault: personio.Fault{Kind: personio.FaultLatency, Delay: 120 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
				require.GreaterOrEqual(t, time.Since(start), 120*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: personio.Fault{Kind: personio.FaultDrop, Path: "/v2/recruiting/*", Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				req, err := http.NewRequest(http.MethodGet, b.srv.URL+"/v2/recruiting/jobs", nil)
				require.NoError(t, err)
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				require.Equal(t, personio.FaultDrop, logged[len(logged)-1].Fault)
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
			},
		},
		{
			name:  "forced 429",
			fault: personio.Fault{Kind: personio.FaultRateLimit, RetryAfter: 3 * time.Second, Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				res := b.get(t, "/v2/recruiting/jobs", tok, nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "3", res.header.Get("Retry-After"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, personio.Options{Candidates: 2})
			tok := b.token(t)
			b.fake.InjectFault(tt.fault)
			tt.run(t, b, tok)
		})
	}
}
