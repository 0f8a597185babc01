package smartrecruiters_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault smartrecruiters.Fault
		run   func(t *testing.T, b *testBundle)
	}{
		{
			name:  "5xx for the next two matching requests",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultStatus, Path: "/candidates", Times: 2},
			run: func(t *testing.T, b *testBundle) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/jobs", nil).status, "other paths are untouched")
				for range 2 {
					res := b.call(t, http.MethodGet, "/candidates", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.Equal(t, "SERVER_ERROR", res.errorCode(t))
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
		{
			name:  "status fault on property writes until cleared",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodPut},
			run: func(t *testing.T, b *testBundle) {
				cand := b.fake.Candidates()[0]
				path := "/candidates/" + cand.ID + "/jobs/" + cand.PrimaryAssignment.Job.ID + "/properties"
				body := []map[string]any{{"id": "portfolio", "value": "x"}}
				for range 3 {
					require.Equal(t, http.StatusInternalServerError, b.call(t, http.MethodPut, path, body).status)
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, path, nil).status)
				b.fake.ClearFaults()
				require.Equal(t, http.StatusNoContent, b.call(t, http.MethodPut, path, body).status)
			},
		},
		{
			name:  "latency",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultLatency, Delay: 150 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/jobs", nil).status)
				require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultDrop, Path: "/candidates*", Times: 1},
			run: func(t *testing.T, b *testBundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				resp, err := client.Do(b.request(t, http.MethodGet, "/candidates", nil))
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				require.Equal(t, smartrecruiters.FaultDrop, logged[len(logged)-1].Fault)
				require.Zero(t, logged[len(logged)-1].Status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
		{
			name:  "forced 429 with Retry-After",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultRateLimit, RetryAfter: 5 * time.Second, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				res := b.call(t, http.MethodGet, "/candidates", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "5", res.header.Get("Retry-After"))
				require.NotEmpty(t, res.header.Get("X-RateLimit-Limit"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
		{
			name:  "forced 429 without Retry-After",
			fault: smartrecruiters.Fault{Kind: smartrecruiters.FaultRateLimit, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				res := b.call(t, http.MethodGet, "/jobs", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Empty(t, res.header.Get("Retry-After"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, smartrecruiters.Options{Candidates: 3})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
