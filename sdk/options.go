package sdk

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Base URLs the client can talk to. Each one already ends in the API version, so
// operation paths such as /ats/candidates are appended to it directly.
const (
	// ServerEU is Kombo's hosted API in the European Union.
	ServerEU = "https://api.kombo.dev/v1"
	// ServerUS is Kombo's hosted API in the United States.
	ServerUS = "https://api.us.kombo.dev/v1"
	// ServerLocal is a resultlinks server running on this machine with its
	// default listen address. It is the default server URL of New.
	ServerLocal = "http://127.0.0.1:8080/v1"
)

// Version is the version of this SDK. It is part of the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent header sent unless WithUserAgent replaces it.
const DefaultUserAgent = "resultlinks-sdk-go/" + Version

// Option configures a Client in New. An option that is given an invalid value
// makes New return an error.
type Option func(*Client) error

// WithServerURL sets the base URL every request is sent to, including the
// version prefix, for example ServerEU or "https://resultlinks.example.com/v1".
// A trailing slash is removed. The URL must be absolute, with scheme http or
// https.
func WithServerURL(serverURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(serverURL)
		if err != nil {
			return fmt.Errorf("sdk: server URL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("sdk: server URL %q: want an absolute http or https URL", serverURL)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("sdk: server URL %q: must not have a query or fragment", serverURL)
		}
		c.serverURL = strings.TrimRight(serverURL, "/")
		return nil
	}
}

// WithAPIKey sets the API key sent as "Authorization: Bearer <key>" on every
// request. Without it no Authorization header is sent, which the server
// answers with 401.
func WithAPIKey(key string) Option {
	return func(c *Client) error {
		c.apiKey = key
		return nil
	}
}

// WithIntegrationID sets the integration (for example
// "greenhouse:HWUTwvyx2wLoSUHphiWVrp28") that integration-scoped calls act on
// when their request leaves XIntegrationID empty. It is sent as the
// X-Integration-Id header on /ats/* calls only; CheckAPIKey and the
// /integrations/{id} calls never send it.
func WithIntegrationID(integrationID string) Option {
	return func(c *Client) error {
		c.integrationID = integrationID
		return nil
	}
}

// WithHTTPClient sets the http.Client used to send requests, for custom
// transports, proxies or timeouts. The default is a client with a five-minute
// timeout per attempt, matching the timeout Kombo's own SDKs give write calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("sdk: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetry replaces the retry policy. Zero fields of cfg take the values of
// DefaultRetryConfig, so RetryConfig{MaxAttempts: 3} changes only the number
// of attempts. RetryConfig{MaxAttempts: 1} turns retries off.
func WithRetry(cfg RetryConfig) Option {
	return func(c *Client) error {
		cfg = cfg.withDefaults()
		if err := cfg.validate(); err != nil {
			return err
		}
		c.retry = cfg
		return nil
	}
}

// WithUserAgent replaces the User-Agent header, which is DefaultUserAgent
// unless set.
func WithUserAgent(userAgent string) Option {
	return func(c *Client) error {
		if userAgent == "" {
			return errors.New("sdk: WithUserAgent: empty user agent")
		}
		c.userAgent = userAgent
		return nil
	}
}

// CallOption changes a single write call (AddCandidateResultLink,
// AddApplicationResultLink, DeleteIntegration).
type CallOption func(*callOptions)

// callOptions is what the CallOptions of one call add up to.
type callOptions struct {
	idempotencyKey   string
	noIdempotencyKey bool
	respondAsync     bool
}

// WithIdempotencyKey sends key as the Idempotency-Key header of the call
// instead of a key the SDK makes up. Use it to make a write safe across
// process restarts: a resultlinks server that sees the same key and body
// again answers with the first result and writes nothing. An empty key keeps
// the generated one.
func WithIdempotencyKey(key string) CallOption {
	return func(o *callOptions) {
		o.idempotencyKey = key
		o.noIdempotencyKey = false
	}
}

// WithoutIdempotencyKey sends the call without an Idempotency-Key header.
// Without a key a failed write cannot be told apart from a write whose answer
// was lost, so the SDK then makes exactly one attempt and never retries it.
func WithoutIdempotencyKey() CallOption {
	return func(o *callOptions) {
		o.idempotencyKey = ""
		o.noIdempotencyKey = true
	}
}

// WithRespondAsync asks a resultlinks server to answer as soon as the result
// link is stored durably and to deliver it to the ATS in the background (it
// sends "Prefer: respond-async"). The answer's Status then says how far the
// delivery got, usually DeliveryQueued. Kombo ignores the header and always
// answers after the write.
func WithRespondAsync() CallOption {
	return func(o *callOptions) {
		o.respondAsync = true
	}
}
