package outbound_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/stretchr/testify/require"
)

const secret = "sk_live_SECRET_123"

// fixture is an ATS stand-in that answers a script of statuses in turn.
type fixture struct {
	srv    *httptest.Server
	calls  atomic.Int64
	sleeps []time.Duration
	mu     sync.Mutex
	log    *outbound.Log
}

func newFixture(t *testing.T, handler func(n int64, w http.ResponseWriter, r *http.Request)) *fixture {
	t.Helper()
	f := &fixture{log: &outbound.Log{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(f.calls.Add(1), w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) client(t *testing.T, mod func(*outbound.Config)) *outbound.Client {
	t.Helper()
	cfg := outbound.Config{
		Tool: "demo", IntegrationID: "demo:1", BaseURL: f.srv.URL + "/api/", Secrets: []string{secret}, Recorder: f.log,
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.sleeps = append(f.sleeps, d)
			return ctx.Err()
		},
		Auth: func(ctx context.Context, req *http.Request, refresh bool) error {
			req.Header.Set("Authorization", "Bearer "+secret)
			return nil
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := outbound.New(cfg)
	require.NoError(t, err)
	return c
}

func TestStatusMapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   resultlinks.Code
		calls  int64
	}{
		{401, resultlinks.CodeIntegrationAuthInvalid, 2}, // one re-mint, then give up
		{403, resultlinks.CodePermissionMissing, 1},
		{404, resultlinks.CodeRemoteInputInvalid, 1},
		{422, resultlinks.CodeRemoteInputInvalid, 1},
		{500, resultlinks.CodeRemoteUnavailable, 4},
		{503, resultlinks.CodeRemoteUnavailable, 4},
		{302, resultlinks.CodeRemoteUnknown, 1},
	}
	for _, tc := range cases {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			w.Write([]byte(`{"message":"nope, token ` + secret + ` is bad"}`))
		})
		_, err := f.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "things"})
		require.Equal(t, tc.code, resultlinks.ErrorCode(err), "status %d", tc.status)
		require.Equal(t, tc.status, outbound.Status(err))
		require.Contains(t, resultlinks.ErrorMessage(err), "nope")
		require.NotContains(t, resultlinks.ErrorMessage(err), secret, "the ATS's words are redacted")
		require.Equal(t, tc.calls, f.calls.Load(), "status %d", tc.status)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	t.Run("429 waits Retry-After then succeeds", func(t *testing.T) {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(429)
				return
			}
			w.Write([]byte(`{"ok":true}`))
		})
		var out struct{ OK bool }
		_, err := f.client(t, nil).JSON(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "notes", JSON: map[string]string{"a": "b"}}, &out)
		require.NoError(t, err)
		require.True(t, out.OK)
		require.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second}, f.sleeps, "a 429 is retried even for a POST: it was not processed")
	})
	t.Run("429 with X-RateLimit-Reset", func(t *testing.T) {
		now := time.Unix(1_800_000_000, 0)
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("X-RateLimit-Reset", "1800000007")
				w.WriteHeader(429)
				return
			}
			w.Write([]byte(`{}`))
		})
		_, err := f.client(t, func(c *outbound.Config) { c.Now = func() time.Time { return now } }).Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
		require.NoError(t, err)
		require.Equal(t, []time.Duration{7 * time.Second}, f.sleeps)
	})
	t.Run("429 too long gives up with Retry-After", func(t *testing.T) {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
		})
		_, err := f.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
		require.Equal(t, resultlinks.CodeRemoteRateLimited, resultlinks.ErrorCode(err))
		var e *resultlinks.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, 120*time.Second, e.RetryAfter)
		require.Equal(t, int64(1), f.calls.Load())
	})
	t.Run("5xx is not retried for a POST", func(t *testing.T) {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) })
		_, err := f.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "notes", JSON: map[string]string{}})
		require.Equal(t, resultlinks.CodeRemoteUnavailable, resultlinks.ErrorCode(err))
		require.Equal(t, int64(1), f.calls.Load(), "a POST that may have landed is not repeated")
	})
	t.Run("5xx then success for a GET, with backoff", func(t *testing.T) {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.WriteHeader(503)
				return
			}
			w.Write([]byte(`[]`))
		})
		_, err := f.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
		require.NoError(t, err)
		require.Len(t, f.sleeps, 2)
		require.Greater(t, f.sleeps[1], f.sleeps[0]-f.sleeps[0]/2, "backoff grows")
	})
	t.Run("401 re-mints once", func(t *testing.T) {
		var refreshes atomic.Int64
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer fresh-token" {
				w.WriteHeader(401)
				return
			}
			w.Write([]byte(`{}`))
		})
		c := f.client(t, func(c *outbound.Config) {
			c.Auth = func(ctx context.Context, req *http.Request, refresh bool) error {
				tok := "stale-token"
				if refresh {
					refreshes.Add(1)
					tok = "fresh-token"
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				return nil
			}
		})
		_, err := c.Do(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "x"})
		require.NoError(t, err)
		require.Equal(t, int64(1), refreshes.Load())
		require.Equal(t, int64(2), f.calls.Load())
	})
	t.Run("dropped connection on GET", func(t *testing.T) {
		f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			conn.Close()
		})
		_, err := f.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
		require.Equal(t, resultlinks.CodeRemoteUnavailable, resultlinks.ErrorCode(err))
		require.Equal(t, int64(4), f.calls.Load())
	})
	t.Run("refused connection", func(t *testing.T) {
		c, err := outbound.New(outbound.Config{Tool: "demo", BaseURL: "http://127.0.0.1:1/", Sleep: func(context.Context, time.Duration) error { return nil }})
		require.NoError(t, err)
		_, err = c.Do(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "x"})
		require.Equal(t, resultlinks.CodeRemoteUnavailable, resultlinks.ErrorCode(err))
		require.Contains(t, resultlinks.ErrorMessage(err), "could not be reached")
	})
}

func TestHostsAndRecording(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/redirect" {
			http.Redirect(w, r, "http://example.org/steal", http.StatusFound)
			return
		}
		w.Header().Set("Set-Cookie", "session="+secret)
		w.Write([]byte(`{"token":"` + secret + `","query":"` + r.URL.RawQuery + `"}`))
	})
	c := f.client(t, nil)
	_, err := c.Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "https://evil.example/x"})
	require.Equal(t, resultlinks.CodeRemoteUnknown, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "evil.example")
	_, err = c.Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "redirect"})
	require.Error(t, err, "a redirect off the ATS's hosts is refused")
	require.Equal(t, int64(1), f.calls.Load(), "neither request left for another host")

	res, err := c.Do(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "things", Query: map[string][]string{"key": {secret}},
		JSON: map[string]string{"password": secret, "name": "x"}})
	require.NoError(t, err)
	require.Contains(t, string(res.Body), secret, "the caller gets the real answer")
	ex := f.log.Exchanges()
	last := ex[len(ex)-1]
	require.Equal(t, http.MethodPost, last.Method)
	require.Equal(t, 200, last.Status)
	require.Equal(t, "demo", last.Tool)
	require.Equal(t, "[REDACTED]", last.RequestHeaders["Authorization"])
	require.Equal(t, "[REDACTED]", last.ResponseHeaders["Set-Cookie"])
	for _, e := range ex {
		for _, s := range []string{e.URL, e.RequestBody, e.ResponseBody} {
			require.NotContains(t, s, secret)
		}
		for _, v := range e.RequestHeaders {
			require.NotContains(t, v, secret)
		}
	}
	require.True(t, strings.Contains(last.ResponseBody, "[REDACTED]"))

	// Secrets not known in advance (a freshly minted token) are redacted by key.
	tok := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"eyJ.minted.token","token_type":"Bearer"}`))
	})
	_, err = tok.client(t, nil).Do(context.Background(), &outbound.Request{Method: http.MethodPost, Path: "token",
		Body: []byte("grant_type=client_credentials&client_secret=plain-secret"), ContentType: "application/x-www-form-urlencoded"})
	require.NoError(t, err)
	te := tok.log.Exchanges()[0]
	require.NotContains(t, te.ResponseBody, "eyJ.minted.token")
	require.Contains(t, te.ResponseBody, `"token_type":"Bearer"`)
	require.NotContains(t, te.RequestBody, "plain-secret")
	c.AddSecret("minted-token-xyz")
	require.Equal(t, "a [REDACTED] b", c.Redact("a minted-token-xyz b"))
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	// 20 per second: burst 2, then 18/s; 12 calls can't all start at once.
	l := outbound.NewLimiter(20, time.Second)
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < 12; i++ {
		require.NoError(t, l.Wait(ctx))
	}
	require.Greater(t, time.Since(start), 400*time.Millisecond, "paced, not burst")
	require.Positive(t, l.Waited())

	b := outbound.NewLimiter(1000, time.Second)
	b.Block(time.Now().Add(150 * time.Millisecond))
	start = time.Now()
	require.NoError(t, b.Wait(ctx))
	require.GreaterOrEqual(t, time.Since(start), 140*time.Millisecond, "a block holds every caller")

	cctx, cancel := context.WithCancel(ctx)
	b.Block(time.Now().Add(time.Hour))
	cancel()
	require.Error(t, b.Wait(cctx))

	set := outbound.NewLimiters()
	require.Same(t, set.For("a", 10, time.Second), set.For("a", 10, time.Second))
	require.NotSame(t, set.For("a", 10, time.Second), set.For("b", 10, time.Second))
}

func TestDenyPrivateTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(n int64, w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) })
	c, err := outbound.New(outbound.Config{Tool: "demo", BaseURL: f.srv.URL, DenyPrivate: true,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
	require.Error(t, err)
	require.Contains(t, resultlinks.ErrorMessage(err), "private or loopback")
	require.Zero(t, f.calls.Load(), "nothing reached the loopback server")
	// The same client without the switch reaches it.
	open, err := outbound.New(outbound.Config{Tool: "demo", BaseURL: f.srv.URL})
	require.NoError(t, err)
	_, err = open.Do(context.Background(), &outbound.Request{Method: http.MethodGet, Path: "x"})
	require.NoError(t, err)
}

func TestCheckPublicURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url    string
		refuse bool
	}{
		{"http://127.0.0.1:9000/hooks", true},
		{"http://[::1]/hooks", true},
		{"https://10.1.2.3/hooks", true},
		{"https://192.168.0.10/hooks", true},
		{"http://169.254.169.254/latest/meta-data", true},
		{"http://100.64.0.1/", true},
		{"http://localhost:8080/hooks", true},
		{"http://api.localhost/hooks", true},
		{"https://8.8.8.8/hooks", false},
		{"https://[2001:4860:4860::8888]/hooks", false},
		{"https://hooks.invalid/rl", false}, // does not resolve: the transport checks each call
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := outbound.CheckPublicURL(context.Background(), "url", tt.url)
			if !tt.refuse {
				require.NoError(t, err)
				return
			}
			require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
			require.ErrorContains(t, err, "url: ")
			require.ErrorContains(t, err, "--deny-private-targets")
		})
	}
}
