package greenhouse_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault greenhouse.Fault
		run   func(t *testing.T, b *testBundle, tok string)
	}{
		{
			name:  "5xx for the next two matching requests",
			fault: greenhouse.Fault{Kind: greenhouse.FaultStatus, Path: "/v3/candidates", Times: 2},
			run: func(t *testing.T, b *testBundle, tok string) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/applications", tok, nil).status,
					"other paths are untouched")
				for range 2 {
					res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.JSONEq(t, `{"message":"Service Unavailable"}`, string(res.body))
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
			},
		},
		{
			name:  "status fault on writes only, until cleared",
			fault: greenhouse.Fault{Kind: greenhouse.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodPatch},
			run: func(t *testing.T, b *testBundle, tok string) {
				path := "/v3/applications/" + itoa(b.fake.Applications(0)[0].ID)
				for range 3 {
					require.Equal(t, http.StatusInternalServerError, b.call(t, http.MethodPatch, path, tok, map[string]any{}).status)
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
				b.fake.ClearFaults()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodPatch, path, tok, map[string]any{}).status)
			},
		},
		{
			name:  "latency",
			fault: greenhouse.Fault{Kind: greenhouse.FaultLatency, Delay: 150 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				start := time.Now()
				res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
				require.Equal(t, http.StatusOK, res.status)
				require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: greenhouse.Fault{Kind: greenhouse.FaultDrop, Path: "/v3/*", Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				// A fresh connection, so the client cannot silently retry.
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				req := b.request(t, http.MethodGet, "/v3/candidates", nil, func(r *http.Request) {
					r.Header.Set("Authorization", "Bearer "+tok)
				})
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				last := logged[len(logged)-1]
				require.Equal(t, greenhouse.FaultDrop, last.Fault)
				require.Zero(t, last.Status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
			},
		},
		{
			name:  "forced 429",
			fault: greenhouse.Fault{Kind: greenhouse.FaultRateLimit, RetryAfter: 5 * time.Second, Times: 1},
			run: func(t *testing.T, b *testBundle, tok string) {
				res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "5", res.header.Get("Retry-After"))
				require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
			},
		},
		{
			name:  "token endpoint outage",
			fault: greenhouse.Fault{Kind: greenhouse.FaultStatus, Status: http.StatusBadGateway, Path: "/token", Times: 1},
			run: func(t *testing.T, b *testBundle, _ string) {
				res := send(t, b.request(t, http.MethodPost, "/token?grant_type=client_credentials", nil, func(r *http.Request) {
					r.SetBasicAuth(greenhouse.DefaultClientID, greenhouse.DefaultClientSecret)
				}))
				require.Equal(t, http.StatusBadGateway, res.status)
				b.mint(t, "")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, greenhouse.Options{Candidates: 3})
			tok := b.adminToken(t)
			b.fake.InjectFault(tt.fault)
			tt.run(t, b, tok)
		})
	}
}
