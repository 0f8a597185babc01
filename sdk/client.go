package sdk

import (
	"bytes"
	"context"
	cryptorand "crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// Client calls a resultlinks server, or Kombo's API, over HTTP. Create it
// with New. A Client is safe for concurrent use by several goroutines.
type Client struct {
	serverURL     string
	apiKey        string
	integrationID string
	httpClient    *http.Client
	retry         RetryConfig
	userAgent     string

	// Seams for tests: the clock, the wait between attempts and the source
	// of jitter (a number in [0, 1)).
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64
}

// New returns a Client configured by opts. Without options it talks to
// ServerLocal, sends no API key and retries as DefaultRetryConfig says. It
// fails only when an option is given an invalid value.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		serverURL:  ServerLocal,
		httpClient: &http.Client{Timeout: 5 * time.Minute},
		retry:      DefaultRetryConfig(),
		userAgent:  DefaultUserAgent,
		now:        time.Now,
		sleep:      sleepContext,
		random:     rand.Float64,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// apiRequest is one logical call: what to send, whatever the number of
// attempts it takes.
type apiRequest struct {
	method string
	// path is relative to the server URL, with path parameters escaped.
	path  string
	query url.Values
	// body is encoded as JSON; nil sends no body.
	body any
	// integrationID is sent as X-Integration-Id when not empty.
	integrationID string
	call          callOptions
}

// envelope is the success body every endpoint answers with. Data is decoded
// into the value the caller passes in.
type envelope struct {
	Status   string    `json:"status"`
	Data     any       `json:"data"`
	Warnings []Warning `json:"warnings"`
}

// Warning is a remark the server attached to a successful write, such as
// which body keys it ignored or where in the ATS the result link landed. It is
// worth logging.
type Warning struct {
	// Message is the warning's text.
	Message string `json:"message"`
}

// integrationFor returns the integration ID an integration-scoped call acts
// on: the one on the request, else the client's default. It fails when
// neither is set, before anything is sent.
func (c *Client) integrationFor(op, requestValue string) (string, error) {
	if requestValue != "" {
		return requestValue, nil
	}
	if c.integrationID != "" {
		return c.integrationID, nil
	}
	return "", fmt.Errorf("sdk: %s: no integration ID: set XIntegrationID on the request or use WithIntegrationID", op)
}

// do sends r, retrying as the client's RetryConfig allows, and decodes the
// data of a 200 answer into data (when data is not nil). It returns the
// warnings and headers of that answer. Any other status becomes an *Error.
func (c *Client) do(ctx context.Context, r *apiRequest, data any) ([]Warning, http.Header, error) {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = encodeJSON(r.body); err != nil {
			return nil, nil, fmt.Errorf("sdk: encode request body: %w", err)
		}
	}
	idempotencyKey := ""
	if r.method != http.MethodGet && !r.call.noIdempotencyKey {
		idempotencyKey = r.call.idempotencyKey
		if idempotencyKey == "" {
			idempotencyKey = cryptorand.Text()
		}
	}
	// A write without an Idempotency-Key might be applied twice if it were
	// sent again, so it gets exactly one attempt.
	retryable := r.method == http.MethodGet || idempotencyKey != ""

	start := c.now()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("sdk: %s %s: %w", r.method, r.path, err)
		}
		req, err := c.newHTTPRequest(ctx, r, body, idempotencyKey)
		if err != nil {
			return nil, nil, err
		}

		var lastErr error
		var wait time.Duration
		resp, err := c.httpClient.Do(req)
		if err != nil {
			lastErr = fmt.Errorf("sdk: %s %s: %w", r.method, r.path, err)
			if ctx.Err() != nil || !retryableTransportError(err) {
				return nil, nil, lastErr
			}
			wait = c.backoff(attempt)
		} else {
			respBody, readErr := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case readErr != nil:
				lastErr = fmt.Errorf("sdk: %s %s: read response: %w", r.method, r.path, readErr)
				if ctx.Err() != nil {
					return nil, nil, lastErr
				}
				wait = c.backoff(attempt)
			case resp.StatusCode == http.StatusOK:
				env := envelope{Data: data}
				if err := json.Unmarshal(respBody, &env); err != nil {
					return nil, resp.Header, fmt.Errorf("sdk: %s %s: %s: %w", r.method, r.path, describeUnexpected(resp, respBody), err)
				}
				return env.Warnings, resp.Header, nil
			default:
				apiErr := newError(resp, respBody, c.now())
				if !retryableStatus(resp.StatusCode) {
					return nil, resp.Header, apiErr
				}
				lastErr = apiErr
				if d, ok := retryAfter(resp.Header, c.now()); ok {
					wait = d
				} else {
					wait = c.backoff(attempt)
				}
			}
		}

		if !retryable || attempt >= c.retry.MaxAttempts || c.now().Add(wait).Sub(start) > c.retry.MaxElapsedTime {
			return nil, nil, lastErr
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, nil, fmt.Errorf("sdk: %s %s: stopped waiting to retry: %w (last error: %w)", r.method, r.path, err, lastErr)
		}
	}
}

// newHTTPRequest builds the HTTP request for one attempt of r.
func (c *Client) newHTTPRequest(ctx context.Context, r *apiRequest, body []byte, idempotencyKey string) (*http.Request, error) {
	target := c.serverURL + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, reader)
	if err != nil {
		return nil, fmt.Errorf("sdk: build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.integrationID != "" {
		req.Header.Set("X-Integration-Id", r.integrationID)
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	if r.call.respondAsync {
		req.Header.Set("Prefer", "respond-async")
	}
	return req, nil
}

// encodeJSON encodes v as compact JSON without escaping <, > and &, which
// are common in URLs.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// applyCallOptions folds opts into one callOptions value.
func applyCallOptions(opts []CallOption) callOptions {
	var o callOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// errMissing reports a required value the caller left empty.
func errMissing(op, what string) error {
	return errors.New("sdk: " + op + ": " + what + " is required")
}
