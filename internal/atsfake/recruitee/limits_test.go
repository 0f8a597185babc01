package recruitee_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 1, RateLimit: recruitee.RateLimit{Limit: 2, Window: 10 * time.Second}})
	for range 2 {
		res := b.call(t, http.MethodGet, "/candidates", "", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Empty(t, res.header.Get("Retry-After"))
	}
	b.clock.Advance(3 * time.Second)
	res := b.call(t, http.MethodGet, "/candidates", "", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "7", res.header.Get("Retry-After"))
	require.Equal(t, []string{"Too many requests"}, errorBody(t, res))
	require.Equal(t, 1, b.fake.RateLimitedCount())

	// A bad token does not spend the budget and is still a 401.
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/candidates", "bad", nil).status)

	b.clock.Advance(7 * time.Second)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault recruitee.Fault
		run   func(t *testing.T, b *testBundle)
	}{
		{
			name:  "5xx twice on one path",
			fault: recruitee.Fault{Kind: recruitee.FaultStatus, Path: "/c/*/candidates", Times: 2},
			run: func(t *testing.T, b *testBundle) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/offers", "", nil).status)
				for range 2 {
					res := b.call(t, http.MethodGet, "/candidates", "", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.Equal(t, []string{"Service Unavailable"}, errorBody(t, res))
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
			},
		},
		{
			name:  "500 on writes until cleared",
			fault: recruitee.Fault{Kind: recruitee.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodPost},
			run: func(t *testing.T, b *testBundle) {
				path := "/candidates/" + itoa(b.fake.Candidates()[0].ID) + "/notes"
				body := map[string]any{"note": map[string]any{"body": "x"}}
				require.Equal(t, http.StatusInternalServerError, b.call(t, http.MethodPost, path, "", body).status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
				b.fake.ClearFaults()
				require.Equal(t, http.StatusCreated, b.call(t, http.MethodPost, path, "", body).status)
			},
		},
		{
			name:  "latency",
			fault: recruitee.Fault{Kind: recruitee.FaultLatency, Delay: 120 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
				require.GreaterOrEqual(t, time.Since(start), 120*time.Millisecond)
			},
		},
		{
			name:  "dropped connection",
			fault: recruitee.Fault{Kind: recruitee.FaultDrop, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				req, err := http.NewRequest(http.MethodGet, b.base+"/candidates", nil)
				require.NoError(t, err)
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				require.Equal(t, recruitee.FaultDrop, logged[len(logged)-1].Fault)
				require.Zero(t, logged[len(logged)-1].Status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
			},
		},
		{
			name:  "forced 429",
			fault: recruitee.Fault{Kind: recruitee.FaultRateLimit, RetryAfter: 4 * time.Second, Times: 1},
			run: func(t *testing.T, b *testBundle) {
				res := b.call(t, http.MethodGet, "/candidates", "", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "4", res.header.Get("Retry-After"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, recruitee.Options{Candidates: 2})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
