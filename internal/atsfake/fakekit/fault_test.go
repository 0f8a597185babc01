package fakekit_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

func TestFaultsMatch(t *testing.T) {
	t.Parallel()
	var fs fakekit.Faults
	require.Nil(t, fs.Match(http.MethodGet, "/v1/items"), "the zero value has no faults")

	fs.Inject(fakekit.Fault{Kind: fakekit.FaultStatus, Method: http.MethodPost, Path: "/v1/*", Times: 2})
	fs.Inject(fakekit.Fault{Kind: fakekit.FaultLatency, Path: "/v1/items"})

	ft := fs.Match(http.MethodGet, "/v1/items")
	require.NotNil(t, ft)
	require.Equal(t, fakekit.FaultLatency, ft.Kind, "the method filter skips the first fault")

	for range 2 {
		ft = fs.Match(http.MethodPost, "/v1/items")
		require.NotNil(t, ft)
		require.Equal(t, fakekit.FaultStatus, ft.Kind)
		require.Equal(t, http.StatusServiceUnavailable, ft.Status, "a status fault defaults to 503")
	}
	ft = fs.Match(http.MethodPost, "/v1/items")
	require.NotNil(t, ft)
	require.Equal(t, fakekit.FaultLatency, ft.Kind, "the first fault is used up; Times zero never is")

	require.Nil(t, fs.Match(http.MethodGet, "/v2/items"), "the path pattern does not match")
	fs.Inject(fakekit.Fault{Kind: fakekit.FaultDrop, Path: "["})
	require.NotNil(t, fs.Match(http.MethodGet, "/v1/items"))
	require.Nil(t, fs.Match(http.MethodGet, "/x"), "a bad pattern matches nothing")

	fs.Clear()
	require.Nil(t, fs.Match(http.MethodGet, "/v1/items"))
}

func TestFaultKindString(t *testing.T) {
	t.Parallel()
	require.Equal(t, "status", fakekit.FaultStatus.String())
	require.Equal(t, "latency", fakekit.FaultLatency.String())
	require.Equal(t, "drop", fakekit.FaultDrop.String())
	require.Equal(t, "rate_limit", fakekit.FaultRateLimit.String())
	require.Equal(t, "none", fakekit.FaultKind(0).String())
}

// answer is a built response, as a fake would have one.
type answer struct {
	status int
	body   string
}

// serve answers like a fake: apply the fault, then send the forced answer or
// serve the request (200 "served").
func serve(ft fakekit.Fault, abandoned chan<- struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := fakekit.Apply(w, r, ft, fakekit.Answers[*answer]{
			Abandon: func() { abandoned <- struct{}{} },
			Status: func(status int) *answer {
				return &answer{status: status, body: "forced " + http.StatusText(status)}
			},
			RateLimit: func(retryAfter time.Duration) *answer {
				return &answer{status: http.StatusTooManyRequests, body: "slow down " + retryAfter.String()}
			},
		})
		if !ok {
			return
		}
		if a == nil {
			a = &answer{status: http.StatusOK, body: "served"}
		}
		fakekit.WriteResponse(w, a.status, http.Header{"X-Fake": {"yes"}}, []byte(a.body))
	}
}

func get(t *testing.T, url string) (*http.Response, string, error) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body), nil
}

func TestApply(t *testing.T) {
	t.Parallel()
	scope := http.Header{}
	scope.Set("X-Scope", "partner")
	tests := []struct {
		name       string
		fault      fakekit.Fault
		wantStatus int
		wantBody   string
		wantHeader string
	}{
		{"latency serves the request", fakekit.Fault{Kind: fakekit.FaultLatency, Delay: 20 * time.Millisecond}, http.StatusOK, "served", ""},
		{"status builds the fake's error", fakekit.Fault{Kind: fakekit.FaultStatus, Status: http.StatusBadGateway, Header: scope}, http.StatusBadGateway, "forced Bad Gateway", "partner"},
		{"rate limit builds the fake's 429", fakekit.Fault{Kind: fakekit.FaultRateLimit, RetryAfter: 2 * time.Second, Header: scope}, http.StatusTooManyRequests, "slow down 2s", "partner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(serve(tt.fault, make(chan struct{}, 1)))
			t.Cleanup(srv.Close)
			start := time.Now()
			resp, body, err := get(t, srv.URL)
			require.NoError(t, err)
			require.GreaterOrEqual(t, time.Since(start), tt.fault.Delay)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			require.Equal(t, tt.wantBody, body)
			require.Equal(t, "yes", resp.Header.Get("X-Fake"))
			require.Equal(t, tt.wantHeader, resp.Header.Get("X-Scope"))
		})
	}
}

func TestApplyDrop(t *testing.T) {
	t.Parallel()
	abandoned := make(chan struct{}, 1)
	srv := httptest.NewServer(serve(fakekit.Fault{Kind: fakekit.FaultDrop}, abandoned))
	t.Cleanup(srv.Close)
	_, _, err := get(t, srv.URL)
	require.Error(t, err)
	select {
	case <-abandoned:
	default:
		t.Fatal("Abandon was not called before the connection closed")
	}
}

func TestApplyClientGone(t *testing.T) {
	t.Parallel()
	abandoned := make(chan struct{}, 1)
	h := serve(fakekit.Fault{Kind: fakekit.FaultStatus, Status: http.StatusBadGateway, Delay: time.Hour}, abandoned)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	rec := httptest.NewRecorder()
	h(rec, req.WithContext(ctx))
	<-abandoned
	require.Empty(t, rec.Body.String(), "nothing is written for a client that left")
}

func TestSleep(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	require.True(t, fakekit.Sleep(req, 0))
	require.True(t, fakekit.Sleep(req, time.Millisecond))
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	require.False(t, fakekit.Sleep(req.WithContext(ctx), time.Hour))
}

func TestApplyHoldsLock(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	held := func() bool {
		if mu.TryLock() {
			mu.Unlock()
			return false
		}
		return true
	}
	a := fakekit.Answers[bool]{
		Lock:      &mu,
		Abandon:   func() {},
		Status:    func(int) bool { return held() },
		RateLimit: func(time.Duration) bool { return held() },
	}
	for _, kind := range []fakekit.FaultKind{fakekit.FaultStatus, fakekit.FaultRateLimit} {
		got, ok := fakekit.Apply(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil), fakekit.Fault{Kind: kind}, a)
		require.True(t, ok)
		require.True(t, got, "%s is built holding Lock", kind)
	}
	require.False(t, held(), "Lock is released afterwards")
}
