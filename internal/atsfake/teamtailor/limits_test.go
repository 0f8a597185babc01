package teamtailor_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{RateLimit: teamtailor.RateLimit{Limit: 3, Window: 10 * time.Second}})
	b.fake.AddAPIKey("second-key", teamtailor.ScopeAdmin, true)
	b.clock.Advance(2 * time.Second)
	for _, remaining := range []string{"2", "1", "0"} {
		res := b.call(t, http.MethodGet, "/v1/jobs", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "3", res.header.Get("X-Rate-Limit-Limit"))
		require.Equal(t, remaining, res.header.Get("X-Rate-Limit-Remaining"))
		require.Equal(t, "8", res.header.Get("X-Rate-Limit-Reset"))
	}
	b.clock.Advance(3 * time.Second)
	res := b.call(t, http.MethodGet, "/v1/jobs", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	errs := errorsOf(t, res)
	require.Equal(t, "429", errs[0].Status)
	require.Equal(t, "Too Many Requests", errs[0].Title)
	require.Equal(t, "5", res.header.Get("Retry-After"))
	require.Equal(t, "5", res.header.Get("X-Rate-Limit-Reset"))
	require.Equal(t, "0", res.header.Get("X-Rate-Limit-Remaining"))
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// The budget is per key.
	other := send(t, http.DefaultClient, b.request(t, http.MethodGet, "/v1/jobs", nil, func(r *http.Request) {
		r.Header.Set("Authorization", "Token token=second-key")
	}))
	require.Equal(t, http.StatusOK, other.status)
	require.Equal(t, "2", other.header.Get("X-Rate-Limit-Remaining"))

	b.clock.Advance(5 * time.Second)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault teamtailor.Fault
		run   func(t *testing.T, b *testBundle)
	}{
		{
			name:  "503 twice on candidates",
			fault: teamtailor.Fault{Kind: teamtailor.FaultStatus, Path: "/v1/candidates", Times: 2},
			run: func(t *testing.T, b *testBundle) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
				for range 2 {
					res := b.call(t, http.MethodGet, "/v1/candidates", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.Equal(t, "503", errorsOf(t, res)[0].Status)
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/candidates", nil).status)
			},
		},
		{
			name:  "502 on writes until cleared",
			fault: teamtailor.Fault{Kind: teamtailor.FaultStatus, Status: http.StatusBadGateway, Method: http.MethodPost},
			run: func(t *testing.T, b *testBundle) {
				body := noteDoc("x", b.fake.Candidates()[0].ID, teamtailor.AdminUserID)
				require.Equal(t, http.StatusBadGateway, b.call(t, http.MethodPost, "/v1/notes", body).status)
				b.fake.ClearFaults()
				require.Equal(t, http.StatusCreated, b.call(t, http.MethodPost, "/v1/notes", body).status)
			},
		},
		{
			name:  "latency",
			fault: teamtailor.Fault{Kind: teamtailor.FaultLatency, Delay: 120 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
				require.GreaterOrEqual(t, time.Since(start), 120*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: teamtailor.Fault{Kind: teamtailor.FaultDrop, Path: "/v1/*", Times: 1},
			run: func(t *testing.T, b *testBundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				resp, err := client.Do(b.request(t, http.MethodGet, "/v1/jobs", nil, nil))
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				require.Equal(t, teamtailor.FaultDrop, logged[len(logged)-1].Fault)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
			},
		},
		{
			name:  "forced 429",
			fault: teamtailor.Fault{Kind: teamtailor.FaultRateLimit, RetryAfter: 6 * time.Second, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				res := b.call(t, http.MethodGet, "/v1/jobs", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "6", res.header.Get("Retry-After"))
				require.Equal(t, "6", res.header.Get("X-Rate-Limit-Reset"))
				require.Equal(t, "50", res.header.Get("X-Rate-Limit-Limit"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, teamtailor.Options{Candidates: 2})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
