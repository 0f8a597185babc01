package workable_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func newServer(t *testing.T, f *workable.Fake) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault workable.Fault
		run   func(t *testing.T, b *bundle)
	}{
		{
			name:  "5xx for the next two matching requests",
			fault: workable.Fault{Kind: workable.FaultStatus, Path: "/spi/v3/candidates", Times: 2},
			run: func(t *testing.T, b *bundle) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/jobs", nil).status, "other paths are untouched")
				for range 2 {
					res := b.call(t, http.MethodGet, "/candidates", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.JSONEq(t, `{"error":"Service Unavailable"}`, string(res.body))
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
		{
			name:  "502 on comments until cleared",
			fault: workable.Fault{Kind: workable.FaultStatus, Status: http.StatusBadGateway, Method: http.MethodPost, Path: "/spi/v3/candidates/*/comments"},
			run: func(t *testing.T, b *bundle) {
				cand := b.fake.Candidates()[0]
				body := map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "x"}}
				for range 3 {
					require.Equal(t, http.StatusBadGateway, b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments", body).status)
				}
				require.Empty(t, b.fake.Comments(cand.ID))
				b.fake.ClearFaults()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments", body).status)
			},
		},
		{
			name:  "latency",
			fault: workable.Fault{Kind: workable.FaultLatency, Delay: 150 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *bundle) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/stages", nil).status)
				require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: workable.Fault{Kind: workable.FaultDrop, Path: "/spi/v3/*", Times: 1},
			run: func(t *testing.T, b *bundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				req := b.request(t, http.MethodGet, "/candidates", nil, func(r *http.Request) {
					r.Header.Set("Authorization", "Bearer "+workable.DefaultAccessToken)
				})
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				last := logged[len(logged)-1]
				require.Equal(t, workable.FaultDrop, last.Fault)
				require.Zero(t, last.Status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
		{
			name:  "forced 429",
			fault: workable.Fault{Kind: workable.FaultRateLimit, RetryAfter: 5 * time.Second, Times: 1},
			run: func(t *testing.T, b *bundle) {
				res := b.call(t, http.MethodGet, "/candidates", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "5", res.header.Get("Retry-After"))
				require.Equal(t, "0", res.header.Get("X-Rate-Limit-Remaining"))
				require.Equal(t, itoa(b.clock.Now().Add(5*time.Second).Unix()), res.header.Get("X-Rate-Limit-Reset"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, workable.Options{Candidates: 3, RateLimit: workable.RateLimit{Limit: 1000}})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
