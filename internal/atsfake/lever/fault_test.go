package lever_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

func newServer(t *testing.T, f *lever.Fake) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault lever.Fault
		run   func(t *testing.T, b *bundle)
	}{
		{
			name:  "5xx for the next two matching requests",
			fault: lever.Fault{Kind: lever.FaultStatus, Path: "/v1/opportunities", Times: 2},
			run: func(t *testing.T, b *bundle) {
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status, "other paths are untouched")
				for range 2 {
					res := b.call(t, http.MethodGet, "/v1/opportunities", nil)
					require.Equal(t, http.StatusServiceUnavailable, res.status)
					require.JSONEq(t, `{"code":"ServiceUnavailableError","message":"Service Unavailable"}`, string(res.body))
				}
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities", nil).status)
			},
		},
		{
			name:  "500 on note writes until cleared",
			fault: lever.Fault{Kind: lever.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodPost, Path: "/v1/opportunities/*/notes"},
			run: func(t *testing.T, b *bundle) {
				path := "/v1/opportunities/" + b.fake.Opportunities()[0].ID + "/notes"
				before := len(b.fake.Notes(b.fake.Opportunities()[0].ID))
				for range 3 {
					res := b.call(t, http.MethodPost, path, map[string]any{"value": "x"})
					require.Equal(t, http.StatusInternalServerError, res.status)
					require.Equal(t, "InternalServerError", res.errorBody(t).Code)
				}
				require.Len(t, b.fake.Notes(b.fake.Opportunities()[0].ID), before, "a faulted write changes nothing")
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, path, nil).status)
				b.fake.ClearFaults()
				require.Equal(t, http.StatusCreated, b.call(t, http.MethodPost, path, map[string]any{"value": "x"}).status)
			},
		},
		{
			name:  "latency",
			fault: lever.Fault{Kind: lever.FaultLatency, Delay: 150 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *bundle) {
				start := time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status)
				require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
				start = time.Now()
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/stages", nil).status)
				require.Less(t, time.Since(start), 150*time.Millisecond, "only once")
			},
		},
		{
			name:  "dropped connection",
			fault: lever.Fault{Kind: lever.FaultDrop, Path: "/v1/*", Times: 1},
			run: func(t *testing.T, b *bundle) {
				client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				req := b.request(t, http.MethodGet, "/v1/opportunities", nil, func(r *http.Request) {
					r.SetBasicAuth(lever.DefaultAPIKey, "")
				})
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				require.Error(t, err)
				logged := b.fake.Requests()
				last := logged[len(logged)-1]
				require.Equal(t, lever.FaultDrop, last.Fault)
				require.Zero(t, last.Status)
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities", nil).status)
			},
		},
		{
			name:  "forced 429 with Retry-After",
			fault: lever.Fault{Kind: lever.FaultRateLimit, RetryAfter: 1500 * time.Millisecond, Times: 1},
			run: func(t *testing.T, b *bundle) {
				res := b.call(t, http.MethodGet, "/v1/opportunities", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Equal(t, "TooManyRequests", res.errorBody(t).Code)
				require.Equal(t, "2", res.header.Get("Retry-After"))
				require.Equal(t, 1, b.fake.RateLimitedCount())
				require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities", nil).status)
			},
		},
		{
			name:  "forced 429 without Retry-After",
			fault: lever.Fault{Kind: lever.FaultRateLimit, Times: 1},
			run: func(t *testing.T, b *bundle) {
				res := b.call(t, http.MethodGet, "/v1/opportunities", nil)
				require.Equal(t, http.StatusTooManyRequests, res.status)
				require.Empty(t, res.header.Get("Retry-After"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, lever.Options{Candidates: 3})
			b.fake.InjectFault(tt.fault)
			tt.run(t, b)
		})
	}
}
