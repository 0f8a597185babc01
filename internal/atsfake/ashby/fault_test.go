package ashby_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault ashby.Fault
		run   func(t *testing.T, b *testBundle)
	}{
		{
			name:  "5xx for the next two matching requests",
			fault: ashby.Fault{Kind: ashby.FaultStatus, Path: "/candidate.list", Times: 2},
			run: func(t *testing.T, b *testBundle) {
				b.ok(t, "application.list", nil, nil)
				for range 2 {
					res := b.call(t, "candidate.list", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.False(t, res.failure(t).Success)
				}
				b.ok(t, "candidate.list", nil, nil)
			},
		},
		{
			name:  "status fault on writes until cleared",
			fault: ashby.Fault{Kind: ashby.FaultStatus, Status: http.StatusBadGateway, Path: "/customField.*"},
			run: func(t *testing.T, b *testBundle) {
				for range 3 {
					require.Equal(t, http.StatusBadGateway, b.call(t, "customField.list", nil).status)
				}
				b.fake.ClearFaults()
				b.ok(t, "customField.list", nil, nil)
			},
		},
		{
			name:  "latency",
			fault: ashby.Fault{Kind: ashby.FaultLatency, Delay: 150 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				start := time.Now()
				b.ok(t, "candidate.list", nil, nil)
				require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: ashby.Fault{Kind: ashby.FaultDrop, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				resp, err := client.Do(b.request(t, "candidate.list", nil))
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				require.Equal(t, ashby.FaultDrop, logged[len(logged)-1].Fault)
				require.Zero(t, logged[len(logged)-1].Status)
				b.ok(t, "candidate.list", nil, nil)
			},
		},
		{
			name:  "forced partner-wide 429",
			fault: ashby.Fault{Kind: ashby.FaultRateLimit, RetryAfter: 5 * time.Second, Scope: ashby.ScopeIntegrationPartner, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				res := b.call(t, "candidate.list", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "5", res.header.Get("Retry-After"))
				require.Equal(t, "integration-partner", res.header.Get("X-RateLimit-Scope"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				b.ok(t, "candidate.list", nil, nil)
			},
		},
		{
			name:  "method filter",
			fault: ashby.Fault{Kind: ashby.FaultStatus, Method: http.MethodGet},
			run: func(t *testing.T, b *testBundle) {
				b.ok(t, "candidate.list", nil, nil)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, ashby.Options{Candidates: 3})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
