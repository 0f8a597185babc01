package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sync"
	"syscall"
	"testing"
	"time"
)

// failThen answers the first n attempts with status (and headers), then okAction.
func failThen(n, status int, header map[string]string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, attempt int) {
		if attempt > n {
			reply(w, 200, okAction)
			return
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		reply(w, status, errorBody("null", "null", "try again", "null"))
	}
}

func TestBackoffDelays(t *testing.T) {
	t.Parallel()

	// Jitter is fixed at 0.5, so each wait is 3/4 of its base; the bases
	// double from 100 ms and stop at 250 ms.
	b := setup(t, failThen(4, 503, nil), WithRetry(RetryConfig{
		MaxAttempts:     5,
		InitialInterval: 100 * time.Millisecond,
		MaxInterval:     250 * time.Millisecond,
		MaxElapsedTime:  time.Minute,
	}))
	if _, err := b.client.CheckAPIKey(context.Background()); err != nil {
		t.Fatalf("CheckAPIKey: %v", err)
	}
	want := []time.Duration{75 * time.Millisecond, 150 * time.Millisecond, 187500 * time.Microsecond, 187500 * time.Microsecond}
	if got := b.clock.Sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	if n := len(b.server.requests()); n != 5 {
		t.Errorf("attempts = %d, want 5", n)
	}
}

func TestBackoffJitterRange(t *testing.T) {
	t.Parallel()

	c, err := New(WithRetry(RetryConfig{InitialInterval: time.Second, MaxInterval: 8 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		attempt int
		random  float64
		want    time.Duration
	}{
		{1, 0, 500 * time.Millisecond},
		{1, 0.999, 999500 * time.Microsecond},
		{3, 0, 2 * time.Second},
		{4, 0.5, 6 * time.Second},
		{10, 0, 4 * time.Second},
		{60, 0.999, 7996 * time.Millisecond},
	}
	for _, tt := range tests {
		c.random = func() float64 { return tt.random }
		if got := c.backoff(tt.attempt); got != tt.want {
			t.Errorf("backoff(%d) with jitter %v = %v, want %v", tt.attempt, tt.random, got, tt.want)
		}
	}
}

func TestRetryAfterHeaders(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		status int
		header map[string]string
		want   time.Duration
	}{
		{"seconds", 429, map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"HTTP date", 503, map[string]string{"Retry-After": clockStart.Add(12 * time.Second).Format(http.TimeFormat)}, 12 * time.Second},
		{"date in the past", 503, map[string]string{"Retry-After": clockStart.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"milliseconds", 429, map[string]string{"retry-after-ms": "1500"}, 1500 * time.Millisecond},
		{"milliseconds win over seconds", 429, map[string]string{"retry-after-ms": "250", "Retry-After": "9"}, 250 * time.Millisecond},
		{"wait longer than MaxInterval is still honoured", 429, map[string]string{"Retry-After": "45"}, 45 * time.Second},
		{"unreadable value falls back to backoff", 502, map[string]string{"Retry-After": "soon"}, 375 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, failThen(1, tt.status, tt.header))
			if _, err := b.client.CheckAPIKey(context.Background()); err != nil {
				t.Fatalf("CheckAPIKey: %v", err)
			}
			if got := b.clock.Sleeps(); !reflect.DeepEqual(got, []time.Duration{tt.want}) {
				t.Errorf("waits = %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestRetryStopsAtMaxAttempts(t *testing.T) {
	t.Parallel()

	b := setup(t, failThen(100, 503, nil), WithRetry(RetryConfig{MaxAttempts: 3, InitialInterval: time.Second}))
	_, err := b.client.ListCandidatesPage(context.Background(), ListCandidatesParams{})
	if !errors.Is(err, ErrRemoteUnavailable) {
		t.Fatalf("err = %v, want the last 503 answer", err)
	}
	if n := len(b.server.requests()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
	if got := b.clock.Sleeps(); len(got) != 2 {
		t.Errorf("waits = %v, want 2", got)
	}
}

func TestRetryStopsAtMaxElapsedTime(t *testing.T) {
	t.Parallel()

	t.Run("backoff", func(t *testing.T) {
		t.Parallel()
		// Waits are 300, 600 and 1200 ms; the third would end at 2.1 s,
		// past the 2 s budget, so only two retries are made.
		b := setup(t, failThen(100, 504, nil), WithRetry(RetryConfig{
			MaxAttempts: 10, InitialInterval: 400 * time.Millisecond, MaxElapsedTime: 2 * time.Second,
		}))
		_, err := b.client.CheckAPIKey(context.Background())
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 504 {
			t.Fatalf("err = %v, want the last 504 answer", err)
		}
		if got, want := b.clock.Sleeps(), []time.Duration{300 * time.Millisecond, 600 * time.Millisecond}; !reflect.DeepEqual(got, want) {
			t.Errorf("waits = %v, want %v", got, want)
		}
		if n := len(b.server.requests()); n != 3 {
			t.Errorf("attempts = %d, want 3", n)
		}
	})
	t.Run("Retry-After beyond the budget", func(t *testing.T) {
		t.Parallel()
		b := setup(t, failThen(100, 429, map[string]string{"Retry-After": "300"}))
		_, err := b.client.CheckAPIKey(context.Background())
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.RetryAfter != 300*time.Second {
			t.Fatalf("err = %v, want the 429 answer with its RetryAfter", err)
		}
		if got := b.clock.Sleeps(); len(got) != 0 {
			t.Errorf("waits = %v, want none", got)
		}
		if n := len(b.server.requests()); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
	})
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	t.Parallel()

	for _, status := range []int{400, 401, 403, 404, 409, 422, 500} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			b := setup(t, failThen(100, status, nil))
			_, err := b.client.ListApplicationsPage(context.Background(), ListApplicationsParams{})
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Fatalf("err = %v, want an *Error with status %d", err, status)
			}
			if n := len(b.server.requests()); n != 1 {
				t.Errorf("attempts = %d, want 1", n)
			}
		})
	}
}

func TestRetryDisabled(t *testing.T) {
	t.Parallel()

	b := setup(t, failThen(100, 503, nil), WithRetry(RetryConfig{MaxAttempts: 1}))
	if _, err := b.client.CheckAPIKey(context.Background()); !errors.Is(err, ErrRemoteUnavailable) {
		t.Fatalf("err = %v, want the 503 answer", err)
	}
	if n := len(b.server.requests()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()

	keys := func(reqs []recordedRequest) []string {
		var out []string
		for _, r := range reqs {
			out = append(out, r.header.Get("Idempotency-Key"))
		}
		return out
	}

	t.Run("generated once per call, reused by its retries", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		calls := 0
		b := setup(t, func(w http.ResponseWriter, r *http.Request, attempt int) {
			// Each call fails twice (503, then 502) before it succeeds.
			mu.Lock()
			defer mu.Unlock()
			calls++
			switch calls % 3 {
			case 1:
				reply(w, 503, errorBody("REMOTE.SERVICE_UNAVAILABLE", "null", "down", "null"))
			case 2:
				reply(w, 502, errorBody("null", "null", "bad gateway", "null"))
			default:
				reply(w, 200, okAction)
			}
		})
		ctx := context.Background()
		if _, err := b.client.AddCandidateResultLink(ctx, minimalCandidateLink("c1")); err != nil {
			t.Fatalf("first call: %v", err)
		}
		if _, err := b.client.AddCandidateResultLink(ctx, minimalCandidateLink("c1")); err != nil {
			t.Fatalf("second call: %v", err)
		}
		k := keys(b.server.requests())
		if len(k) != 6 {
			t.Fatalf("attempts = %d, want 6", len(k))
		}
		if k[0] == "" || k[0] != k[1] || k[1] != k[2] {
			t.Errorf("first call's keys = %q, want one non-empty key on all attempts", k[:3])
		}
		if k[3] == "" || k[3] != k[4] || k[4] != k[5] {
			t.Errorf("second call's keys = %q, want one non-empty key on all attempts", k[3:])
		}
		if k[0] == k[3] {
			t.Errorf("both calls sent key %q, want a new key per call", k[0])
		}
		bodies := b.server.requests()
		if bodies[0].body != bodies[2].body {
			t.Errorf("retry body %q differs from first body %q", bodies[2].body, bodies[0].body)
		}
	})

	t.Run("caller's key", func(t *testing.T) {
		t.Parallel()
		b := setup(t, failThen(1, 429, nil))
		_, err := b.client.AddApplicationResultLink(context.Background(), PostAtsApplicationsApplicationIDResultLinksRequest{ApplicationID: "a1"},
			WithIdempotencyKey("grading-job-42"))
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(b.server.requests()); !reflect.DeepEqual(got, []string{"grading-job-42", "grading-job-42"}) {
			t.Errorf("keys = %q, want the caller's key on both attempts", got)
		}
	})

	t.Run("DELETE retried with one key", func(t *testing.T) {
		t.Parallel()
		b := setup(t, failThen(1, 504, nil))
		if err := b.client.DeleteIntegration(context.Background(), "sandbox:x"); err != nil {
			t.Fatal(err)
		}
		k := keys(b.server.requests())
		if len(k) != 2 || k[0] == "" || k[0] != k[1] {
			t.Errorf("keys = %q, want two attempts with one key", k)
		}
	})

	t.Run("without a key a write gets one attempt", func(t *testing.T) {
		t.Parallel()
		b := setup(t, failThen(100, 503, nil))
		_, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1"), WithoutIdempotencyKey())
		if !errors.Is(err, ErrRemoteUnavailable) {
			t.Fatalf("err = %v, want the 503 answer", err)
		}
		reqs := b.server.requests()
		if len(reqs) != 1 {
			t.Fatalf("attempts = %d, want 1", len(reqs))
		}
		if _, ok := reqs[0].header["Idempotency-Key"]; ok {
			t.Errorf("Idempotency-Key sent: %q", reqs[0].header.Get("Idempotency-Key"))
		}
		if got := b.clock.Sleeps(); len(got) != 0 {
			t.Errorf("waits = %v, want none", got)
		}
	})

	t.Run("GET carries no key", func(t *testing.T) {
		t.Parallel()
		b := setup(t, okAnswer)
		if _, err := b.client.GetIntegration(context.Background(), "sandbox:x"); err != nil {
			t.Fatal(err)
		}
		if got := keys(b.server.requests()); !reflect.DeepEqual(got, []string{""}) {
			t.Errorf("keys = %q, want none", got)
		}
	})
}

// flakyTransport fails the first n round trips with a connection error.
type flakyTransport struct {
	mu    sync.Mutex
	n     int
	tries int
}

func (f *flakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.tries++
	fail := f.tries <= f.n
	f.mu.Unlock()
	if fail {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return nil, syscall.ECONNREFUSED
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestConnectionErrors(t *testing.T) {
	t.Parallel()

	t.Run("GET retried", func(t *testing.T) {
		t.Parallel()
		ft := &flakyTransport{n: 2}
		b := setup(t, okAnswer, WithHTTPClient(&http.Client{Transport: ft}))
		if _, err := b.client.CheckAPIKey(context.Background()); err != nil {
			t.Fatalf("CheckAPIKey: %v", err)
		}
		if ft.tries != 3 || len(b.server.requests()) != 1 {
			t.Errorf("tries = %d, reaching the server %d; want 3 and 1", ft.tries, len(b.server.requests()))
		}
		if got, want := b.clock.Sleeps(), []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}; !reflect.DeepEqual(got, want) {
			t.Errorf("waits = %v, want %v", got, want)
		}
	})

	t.Run("write with key retried", func(t *testing.T) {
		t.Parallel()
		ft := &flakyTransport{n: 1}
		b := setup(t, okAnswer, WithHTTPClient(&http.Client{Transport: ft}))
		if _, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1")); err != nil {
			t.Fatalf("AddCandidateResultLink: %v", err)
		}
		if ft.tries != 2 {
			t.Errorf("tries = %d, want 2", ft.tries)
		}
		if got := b.server.requests()[0].body; got != `{"label":"Assessment Result","url":"https://acme.example/r/1"}` {
			t.Errorf("body of the retry = %q, want the full body again", got)
		}
	})

	t.Run("write without key not retried", func(t *testing.T) {
		t.Parallel()
		ft := &flakyTransport{n: 1}
		b := setup(t, okAnswer, WithHTTPClient(&http.Client{Transport: ft}))
		_, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1"), WithoutIdempotencyKey())
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("err = %v, want the connection error", err)
		}
		if ft.tries != 1 {
			t.Errorf("tries = %d, want 1", ft.tries)
		}
	})
}

func TestContextCancellation(t *testing.T) {
	t.Parallel()

	t.Run("while waiting to retry", func(t *testing.T) {
		t.Parallel()
		b := setup(t, failThen(100, 503, nil))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b.client.sleep = func(ctx context.Context, d time.Duration) error {
			cancel()
			return sleepContext(ctx, d)
		}
		_, err := b.client.AddCandidateResultLink(ctx, minimalCandidateLink("c1"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want it to wrap context.Canceled", err)
		}
		if !errors.Is(err, ErrRemoteUnavailable) {
			t.Errorf("err = %v, want it to wrap the last answer too", err)
		}
		if n := len(b.server.requests()); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
	})

	t.Run("before the first attempt", func(t *testing.T) {
		t.Parallel()
		b := setup(t, okAnswer)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := b.client.ListCandidatesPage(ctx, ListCandidatesParams{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := len(b.server.requests()); n != 0 {
			t.Errorf("attempts = %d, want 0", n)
		}
	})

	t.Run("during a request", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			<-r.Context().Done()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := b.client.CheckAPIKey(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
		if got := b.clock.Sleeps(); len(got) != 0 {
			t.Errorf("waits = %v, want no retry after the context ended", got)
		}
	})
}

func TestSleepContext(t *testing.T) {
	t.Parallel()

	if err := sleepContext(context.Background(), time.Millisecond); err != nil {
		t.Errorf("short sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled sleep took %v", d)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	t.Parallel()

	tests := []struct {
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{map[string]string{}, 0, false},
		{map[string]string{"Retry-After": "0"}, 0, true},
		{map[string]string{"Retry-After": "-5"}, 0, false},
		{map[string]string{"Retry-After": " 3 "}, 3 * time.Second, true},
		{map[string]string{"Retry-After": "Sun, 01 Mar 2026 12:01:00 GMT"}, time.Minute, true},
		{map[string]string{"Retry-After-Ms": "12.5"}, 12500 * time.Microsecond, true},
		{map[string]string{"Retry-After-Ms": "x", "Retry-After": "2"}, 2 * time.Second, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.header {
			h.Set(k, v)
		}
		got, ok := retryAfter(h, clockStart)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%v) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
