package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordedRequest is what the test server saw of one request.
type recordedRequest struct {
	method string
	uri    string
	header http.Header
	body   string
}

// testServer is an httptest server that records every request and answers
// with the handler the test gives, which learns the 1-based attempt number.
type testServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recordedRequest
}

func (s *testServer) requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.reqs...)
}

// fakeClock replaces the client's clock and sleep: sleeping records the
// wait and moves the clock on, without real waiting.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Sleep records every wait asked for, even one cut short by ctx, so tests
// also see waits that should not have been started.
func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	if err := ctx.Err(); err != nil {
		return err
	}
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// testBundle is what setup gives a test.
type testBundle struct {
	client *Client
	server *testServer
	clock  *fakeClock
}

// clockStart is the fake clock's starting time.
var clockStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// setup starts a server answering with handler and a client pointed at it
// with API key "test-key", integration "sandbox:default", the fake clock and
// jitter fixed at 0.5. opts are applied after those.
func setup(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, attempt int), opts ...Option) *testBundle {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.reqs = append(ts.reqs, recordedRequest{method: r.Method, uri: r.RequestURI, header: r.Header.Clone(), body: string(body)})
		n := len(ts.reqs)
		ts.mu.Unlock()
		handler(w, r, n)
	}))
	t.Cleanup(ts.Close)

	all := append([]Option{
		WithServerURL(ts.URL + "/v1"),
		WithAPIKey("test-key"),
		WithIntegrationID("sandbox:default"),
	}, opts...)
	c, err := New(all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clock := &fakeClock{now: clockStart}
	c.now = clock.Now
	c.sleep = clock.Sleep
	c.random = func() float64 { return 0.5 }
	return &testBundle{client: c, server: ts, clock: clock}
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// okAction is a success answer of a write with no receipt, as Kombo sends it.
const okAction = `{"status":"success","data":{},"warnings":[]}`

// okAnswer answers every request with okAction.
func okAnswer(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, okAction) }

// minimalCandidateLink is a candidate result-link request with only the
// required values.
func minimalCandidateLink(id string) PostAtsCandidatesCandidateIDResultLinksRequest {
	return PostAtsCandidatesCandidateIDResultLinksRequest{
		CandidateID: id,
		RequestBody: &PostAtsCandidatesCandidateIDResultLinksRequestBody{Label: "Assessment Result", URL: "https://acme.example/r/1"},
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()

	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.serverURL != ServerLocal {
		t.Errorf("serverURL = %q, want %q", c.serverURL, ServerLocal)
	}
	if c.userAgent != "resultlinks-sdk-go/"+Version {
		t.Errorf("userAgent = %q", c.userAgent)
	}
	if c.retry != DefaultRetryConfig() {
		t.Errorf("retry = %+v, want %+v", c.retry, DefaultRetryConfig())
	}
	if c.httpClient == http.DefaultClient || c.httpClient.Timeout != 5*time.Minute {
		t.Errorf("httpClient: want an own client with a 5 minute timeout, got %+v", c.httpClient)
	}
}

func TestNewOptions(t *testing.T) {
	t.Parallel()

	hc := &http.Client{}
	c, err := New(
		WithServerURL(ServerEU+"/"),
		WithHTTPClient(hc),
		WithRetry(RetryConfig{MaxAttempts: 2}),
		WithUserAgent("acme/1.0"),
	)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.serverURL != "https://api.kombo.dev/v1" {
		t.Errorf("serverURL = %q, want the trailing slash removed", c.serverURL)
	}
	if c.httpClient != hc {
		t.Error("WithHTTPClient: client not used")
	}
	want := DefaultRetryConfig()
	want.MaxAttempts = 2
	if c.retry != want {
		t.Errorf("retry = %+v, want %+v (zero fields from the defaults)", c.retry, want)
	}
	if c.userAgent != "acme/1.0" {
		t.Errorf("userAgent = %q", c.userAgent)
	}
}

func TestNewRejectsInvalidOptions(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"ftp scheme", WithServerURL("ftp://example.com/v1"), "absolute http or https"},
		{"relative URL", WithServerURL("/v1"), "absolute http or https"},
		{"unparsable URL", WithServerURL("http://[::1"), "server URL"},
		{"query in URL", WithServerURL("https://example.com/v1?x=1"), "query"},
		{"nil HTTP client", WithHTTPClient(nil), "nil *http.Client"},
		{"negative attempts", WithRetry(RetryConfig{MaxAttempts: -1}), "MaxAttempts"},
		{"negative interval", WithRetry(RetryConfig{InitialInterval: -time.Second}), "negative"},
		{"max below initial", WithRetry(RetryConfig{InitialInterval: 10 * time.Second, MaxInterval: time.Second}), "shorter than InitialInterval"},
		{"empty user agent", WithUserAgent(""), "empty user agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: err = %v, want one containing %q", err, tt.want)
			}
			if c != nil {
				t.Error("New returned a client along with the error")
			}
		})
	}
}

func TestRequestHeadersAndPaths(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name            string
		call            func(ctx context.Context, c *Client) error
		method          string
		uri             string
		integrationID   string // "" means the header must be absent
		wantBody        bool
		wantIdempotency bool
	}{
		{
			name: "candidate result link",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddCandidateResultLink(ctx, minimalCandidateLink("a/b c?d#e%"))
				return err
			},
			method: "POST", uri: "/v1/ats/candidates/a%2Fb%20c%3Fd%23e%25/result-links",
			integrationID: "sandbox:default", wantBody: true, wantIdempotency: true,
		},
		{
			name: "application result link with its own integration",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddApplicationResultLink(ctx, PostAtsApplicationsApplicationIDResultLinksRequest{
					XIntegrationID: "greenhouse:HWUTwvyx2wLoSUHphiWVrp28",
					ApplicationID:  "26vafvWSRmbhNcxJYqjCzuJg",
					RequestBody:    &PostAtsApplicationsApplicationIDResultLinksRequestBody{Label: "L", URL: "https://acme.example/r"},
				})
				return err
			},
			method: "POST", uri: "/v1/ats/applications/26vafvWSRmbhNcxJYqjCzuJg/result-links",
			integrationID: "greenhouse:HWUTwvyx2wLoSUHphiWVrp28", wantBody: true, wantIdempotency: true,
		},
		{
			name: "candidates page",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListCandidatesPage(ctx, ListCandidatesParams{})
				return err
			},
			method: "GET", uri: "/v1/ats/candidates", integrationID: "sandbox:default",
		},
		{
			name: "applications page",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListApplicationsPage(ctx, ListApplicationsParams{XIntegrationID: "lever:x"})
				return err
			},
			method: "GET", uri: "/v1/ats/applications", integrationID: "lever:x",
		},
		{
			name: "check api key",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.CheckAPIKey(ctx)
				return err
			},
			method: "GET", uri: "/v1/check-api-key",
		},
		{
			name: "get integration",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.GetIntegration(ctx, "greenhouse:abc/def")
				return err
			},
			method: "GET", uri: "/v1/integrations/greenhouse:abc%2Fdef",
		},
		{
			name: "delete integration",
			call: func(ctx context.Context, c *Client) error {
				return c.DeleteIntegration(ctx, "greenhouse:abc")
			},
			method: "DELETE", uri: "/v1/integrations/greenhouse:abc", wantBody: true, wantIdempotency: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, okAnswer)
			if err := tt.call(context.Background(), b.client); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := b.server.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != tt.method || r.uri != tt.uri {
				t.Errorf("request = %s %s, want %s %s", r.method, r.uri, tt.method, tt.uri)
			}
			checks := map[string]string{
				"Authorization": "Bearer test-key",
				"Accept":        "application/json",
				"User-Agent":    DefaultUserAgent,
			}
			if tt.wantBody {
				checks["Content-Type"] = "application/json"
			}
			for k, want := range checks {
				if got := r.header.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if got, ok := r.header["X-Integration-Id"]; tt.integrationID == "" && ok {
				t.Errorf("X-Integration-Id sent (%q) on a call that is not integration-scoped", got)
			} else if got := r.header.Get("X-Integration-Id"); got != tt.integrationID {
				t.Errorf("X-Integration-Id = %q, want %q", got, tt.integrationID)
			}
			if !tt.wantBody && (r.body != "" || r.header.Get("Content-Type") != "") {
				t.Errorf("unexpected body %q with Content-Type %q", r.body, r.header.Get("Content-Type"))
			}
			if got := r.header.Get("Idempotency-Key"); (got != "") != tt.wantIdempotency {
				t.Errorf("Idempotency-Key = %q, want present: %v", got, tt.wantIdempotency)
			}
		})
	}
}

func TestNoAuthorizationWithoutAPIKey(t *testing.T) {
	t.Parallel()

	b := setup(t, okAnswer, WithAPIKey(""), WithUserAgent("acme-grader/2.1"))
	if _, err := b.client.CheckAPIKey(context.Background()); err != nil {
		t.Fatalf("CheckAPIKey: %v", err)
	}
	r := b.server.requests()[0]
	if _, ok := r.header["Authorization"]; ok {
		t.Errorf("Authorization sent without an API key: %q", r.header.Get("Authorization"))
	}
	if got := r.header.Get("User-Agent"); got != "acme-grader/2.1" {
		t.Errorf("User-Agent = %q, want the one set with WithUserAgent", got)
	}
}

func TestRespondAsyncHeader(t *testing.T) {
	t.Parallel()

	b := setup(t, okAnswer)
	ctx := context.Background()
	if _, err := b.client.AddCandidateResultLink(ctx, minimalCandidateLink("c1"), WithRespondAsync()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.AddCandidateResultLink(ctx, minimalCandidateLink("c1")); err != nil {
		t.Fatal(err)
	}
	reqs := b.server.requests()
	if got := reqs[0].header.Get("Prefer"); got != "respond-async" {
		t.Errorf("with WithRespondAsync: Prefer = %q, want respond-async", got)
	}
	if got := reqs[1].header.Get("Prefer"); got != "" {
		t.Errorf("without WithRespondAsync: Prefer = %q, want none", got)
	}
}

func TestMissingRequiredValuesSendNothing(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		call func(ctx context.Context, c *Client) error
		want string
	}{
		{"empty candidate ID", func(ctx context.Context, c *Client) error {
			_, err := c.AddCandidateResultLink(ctx, minimalCandidateLink(""))
			return err
		}, "CandidateID is required"},
		{"empty application ID", func(ctx context.Context, c *Client) error {
			_, err := c.AddApplicationResultLink(ctx, PostAtsApplicationsApplicationIDResultLinksRequest{})
			return err
		}, "ApplicationID is required"},
		{"result link without integration", func(ctx context.Context, c *Client) error {
			_, err := c.AddCandidateResultLink(ctx, minimalCandidateLink("c1"))
			return err
		}, "no integration ID"},
		{"candidates page without integration", func(ctx context.Context, c *Client) error {
			_, err := c.ListCandidatesPage(ctx, ListCandidatesParams{})
			return err
		}, "no integration ID"},
		{"applications walk without integration", func(ctx context.Context, c *Client) error {
			for _, err := range c.ListApplications(ctx, ListApplicationsParams{}) {
				return err
			}
			return nil
		}, "no integration ID"},
		{"get integration without ID", func(ctx context.Context, c *Client) error {
			_, err := c.GetIntegration(ctx, "")
			return err
		}, "integration ID is required"},
		{"delete integration without ID", func(ctx context.Context, c *Client) error {
			return c.DeleteIntegration(ctx, "")
		}, "integration ID is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, okAnswer, WithIntegrationID(""))
			err := tt.call(context.Background(), b.client)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			var apiErr *Error
			if errors.As(err, &apiErr) {
				t.Errorf("got an *Error (%v) for a value checked before sending", apiErr)
			}
			if n := len(b.server.requests()); n != 0 {
				t.Errorf("server got %d requests, want none", n)
			}
		})
	}
}

func TestSuccessWithUnexpectedBody(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>maintenance</html>")
	})
	_, err := b.client.CheckAPIKey(context.Background())
	if err == nil {
		t.Fatal("want an error for a 200 answer that is not JSON")
	}
	for _, want := range []string{"status 200", "text/html", "<html>maintenance</html>"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
