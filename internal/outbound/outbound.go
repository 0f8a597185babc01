// Package outbound is the HTTP client every connector uses to call its ATS.
// It keeps each call inside the ATS's documented rate limit, retries what a
// retry can cure (429 after Retry-After or X-RateLimit-Reset; 5xx, timeouts
// and refused connections for idempotent requests), turns what is left into
// the wire format's error codes, refuses to leave the ATS's hosts, and
// records every exchange with credentials and tokens redacted.
package outbound

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/metrics"
)

// Defaults of Config.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 4
	DefaultMaxWait     = 30 * time.Second
	maxRecordedBody    = 8 << 10
	maxResponseBody    = 32 << 20
)

// errOffHost refuses a redirect that would leave the ATS's hosts.
var errOffHost = errors.New("refusing a redirect")

// Config configures a Client for one integration.
type Config struct {
	// Tool and IntegrationID name whose calls these are, for logs and records.
	Tool, IntegrationID string
	// BaseURL is the ATS's API root; relative request paths resolve against it.
	BaseURL string
	// AllowedHosts are further hosts the client may call (an auth host).
	// BaseURL's host is always allowed; nothing else is.
	AllowedHosts []string
	// Limiter paces the calls; nil means unpaced.
	Limiter Pacer
	// Secrets are values (keys, tokens, passwords) redacted wherever they
	// would be recorded or logged. Add minted tokens with AddSecret.
	Secrets []string
	// Auth sets the request's credentials. refresh is true after the ATS
	// answered 401, once per call: the hook should drop a cached token and
	// mint a new one.
	Auth func(ctx context.Context, req *http.Request, refresh bool) error
	// ErrorMessage extracts the ATS's own words from an error body; the
	// default uses the body's start.
	ErrorMessage func(status int, body []byte) string
	// Recorder receives every exchange; nil records nothing.
	Recorder Recorder
	// Logger logs every call; nil logs nothing.
	Logger *slog.Logger
	// HTTPClient sends the requests; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds one attempt.
	Timeout time.Duration
	// MaxAttempts bounds the attempts of one call.
	MaxAttempts int
	// MaxWait is the longest a call waits for a 429 to clear before giving
	// up with REMOTE.RATE_LIMIT_EXCEEDED (the caller may retry later).
	MaxWait time.Duration
	// Sleep waits; tests replace it. It returns early with ctx's error.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock.
	Now func() time.Time
	// DenyPrivate refuses to connect to loopback, private, link-local and
	// other non-public addresses, whatever a host name resolves to.
	DenyPrivate bool
}

// Client calls one ATS for one integration.
type Client struct {
	cfg     Config
	base    *url.URL
	hosts   []string
	secrets *secrets
	http    *http.Client
}

// New returns a client for the configuration.
func New(cfg Config) (*Client, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s: base URL %q is not an http(s) URL", cfg.Tool, cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{cfg: cfg, base: base, secrets: newSecrets(cfg.Secrets)}
	c.hosts = append([]string{base.Host}, cfg.AllowedHosts...)
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.Timeout}
		if cfg.DenyPrivate {
			hc.Transport = DenyPrivateTransport()
		}
	}
	clone := *hc
	clone.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !slices.Contains(c.hosts, req.URL.Host) {
			return fmt.Errorf("%w to %s, which is not a host of %s", errOffHost, req.URL.Host, cfg.Tool)
		}
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}
	c.http = &clone
	return c, nil
}

// AddSecret adds a value to redact, such as a freshly minted token.
func (c *Client) AddSecret(s string) { c.secrets.add(s) }

// Redact replaces every secret in s.
func (c *Client) Redact(s string) string { return c.secrets.redact(s) }

// Request is one call to the ATS.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is resolved against the base URL; an absolute URL (a next-page
	// link) must point at an allowed host.
	Path string
	// Query is added to the URL.
	Query url.Values
	// Header holds extra headers.
	Header http.Header
	// JSON, when not nil, is sent as the JSON body.
	JSON any
	// Body and ContentType send a raw body instead.
	Body        []byte
	ContentType string
	// Idempotent marks a request that may be repeated after a 5xx or a
	// timeout. GET, HEAD, PUT and DELETE are idempotent anyway; a POST is
	// only when the ATS de-duplicates it.
	Idempotent bool
	// NoAuth skips the Auth hook (the token request itself).
	NoAuth bool
}

// Response is the ATS's successful answer.
type Response struct {
	// StatusCode is the HTTP status (2xx).
	StatusCode int
	// Header holds the response headers.
	Header http.Header
	// Body is the whole response body.
	Body []byte
}

// Decode decodes the body as JSON into v.
func (r *Response) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "the ATS answered a body that is not the expected JSON", Err: err}
	}
	return nil
}

// Do sends the request, pacing and retrying it, and returns the 2xx answer
// or an *resultlinks.Error with the wire code of the failure.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	u, err := c.resolve(req)
	if err != nil {
		return nil, err
	}
	var body []byte
	ctype := req.ContentType
	if req.JSON != nil {
		if body, err = json.Marshal(req.JSON); err != nil {
			return nil, fmt.Errorf("%s: encoding request: %w", c.cfg.Tool, err)
		}
		ctype = "application/json"
	} else {
		body = req.Body
	}
	idempotent := req.Idempotent || req.Method == http.MethodGet || req.Method == http.MethodHead ||
		req.Method == http.MethodPut || req.Method == http.MethodDelete
	refreshed := false
	var last error
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if c.cfg.Limiter != nil {
			waitStart := time.Now()
			err := c.cfg.Limiter.Wait(ctx)
			metrics.RateLimitWait.WithLabelValues(c.cfg.Tool).Add(time.Since(waitStart).Seconds())
			if err != nil {
				return nil, c.contextError(ctx, err)
			}
		}
		hreq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("%s: building request: %w", c.cfg.Tool, err)
		}
		hreq.Header.Set("Accept", "application/json")
		hreq.Header.Set("User-Agent", "resultlinks")
		if ctype != "" {
			hreq.Header.Set("Content-Type", ctype)
		}
		for k, vs := range req.Header {
			hreq.Header[k] = slices.Clone(vs)
		}
		if c.cfg.Auth != nil && !req.NoAuth {
			if err := c.cfg.Auth(ctx, hreq, refreshed && attempt > 1 && errorStatus(last) == http.StatusUnauthorized); err != nil {
				return nil, err
			}
		}
		sent := time.Now()
		res, rbody, callErr := c.send(hreq)
		c.record(hreq, body, res, rbody, callErr, attempt, time.Since(sent))
		if errors.Is(callErr, errPrivateTarget) {
			return nil, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: fmt.Sprintf("%s: %v", c.cfg.Tool, errPrivateTarget), Err: callErr}
		}
		if errors.Is(callErr, errOffHost) {
			return nil, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: c.secrets.redact(describe(callErr)), Err: callErr}
		}
		if callErr != nil {
			last = c.transportError(ctx, callErr)
			if ctx.Err() != nil {
				return nil, c.contextError(ctx, ctx.Err())
			}
			if !idempotent && !notSent(callErr) {
				return nil, last
			}
			if err := c.backoff(ctx, attempt); err != nil {
				return nil, err
			}
			continue
		}
		if res.StatusCode >= 200 && res.StatusCode < 300 {
			return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: rbody}, nil
		}
		last = c.statusError(res, rbody)
		switch {
		case res.StatusCode == http.StatusUnauthorized && c.cfg.Auth != nil && !refreshed && !req.NoAuth:
			// A token may have expired or been revoked: mint a new one once.
			refreshed = true
			continue
		case res.StatusCode == http.StatusTooManyRequests:
			wait := c.retryAfter(res)
			if c.cfg.Limiter != nil {
				c.cfg.Limiter.Block(c.cfg.Now().Add(wait))
			}
			if wait > c.cfg.MaxWait || attempt == c.cfg.MaxAttempts {
				var e *resultlinks.Error
				if errors.As(last, &e) {
					e.RetryAfter = wait
				}
				return nil, last
			}
			if err := c.cfg.Sleep(ctx, wait); err != nil {
				return nil, c.contextError(ctx, err)
			}
			continue
		case res.StatusCode >= 500 && idempotent:
			if d := c.retryAfter(res); res.Header.Get("Retry-After") != "" && d <= c.cfg.MaxWait {
				if err := c.cfg.Sleep(ctx, d); err != nil {
					return nil, c.contextError(ctx, err)
				}
				continue
			}
			if err := c.backoff(ctx, attempt); err != nil {
				return nil, err
			}
			continue
		}
		return nil, last
	}
	return nil, last
}

// JSON sends the request and decodes a JSON answer into out (when not nil).
func (c *Client) JSON(ctx context.Context, req *Request, out any) (*Response, error) {
	res, err := c.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(res.Body)) > 0 {
		if err := res.Decode(out); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (c *Client) resolve(req *Request) (*url.URL, error) {
	ref, err := url.Parse(req.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: bad path %q: %w", c.cfg.Tool, req.Path, err)
	}
	u := c.base.ResolveReference(ref)
	if ref.Host == "" && !strings.HasPrefix(req.Path, "/") {
		// A relative path continues the base path.
		u = c.base.JoinPath(ref.Path)
		u.RawQuery = ref.RawQuery
	}
	if !slices.Contains(c.hosts, u.Host) || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown,
			Message: fmt.Sprintf("%s: refusing to call %s, which is not a host of this ATS", c.cfg.Tool, u.Host)}
	}
	if len(req.Query) > 0 {
		q := u.Query()
		for k, vs := range req.Query {
			for _, v := range vs {
				q.Add(k, v)
			}
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

func (c *Client) send(req *http.Request) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(req.Context(), c.cfg.Timeout)
	defer cancel()
	res, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBody))
	if err != nil {
		return res, nil, err
	}
	return res, body, nil
}

// errPrivateTarget refuses a connection to a non-public address.
var errPrivateTarget = errors.New("refusing to connect to a private or loopback address (--deny-private-targets)")

// DenyPrivateTransport returns a transport that refuses to connect to
// loopback, private, link-local and unspecified addresses, and uses no proxy.
func DenyPrivateTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: denyPrivate}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil
	return tr
}

// denyPrivate is a dialer's Control: it sees the address actually dialled,
// after name resolution, so a public name pointing inward is refused too.
func denyPrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return errPrivateTarget
	}
	if !Public(ip) {
		return errPrivateTarget
	}
	return nil
}

// Public reports whether ip is a public unicast address: not loopback,
// private, link-local, unspecified, multicast or carrier-grade NAT.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || cgnat.Contains(ip))
}

// CheckPublicURL answers CodeInputInvalid when rawURL's host is, or
// resolves to, an address that is not public: what a server refusing
// private targets would refuse to call. A name that does not resolve now
// is let through; the transport checks every call again.
func CheckPublicURL(ctx context.Context, field, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s: is not a URL", field)
	}
	host := u.Hostname()
	refused := resultlinks.Errorf(resultlinks.CodeInputInvalid,
		"%s: %s is a private or loopback address, which this server refuses to call (--deny-private-targets)", field, host)
	if ip, err := netip.ParseAddr(host); err == nil {
		if !Public(ip) {
			return refused
		}
		return nil
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return refused
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, ip := range addrs {
		if !Public(ip) {
			return refused
		}
	}
	return nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// notSent reports whether a transport error happened before the request
// could reach the ATS, so even a non-idempotent request is safe to repeat.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) backoff(ctx context.Context, attempt int) error {
	d := 250 * time.Millisecond << (attempt - 1)
	d += time.Duration(rand.Int64N(int64(d / 2)))
	if err := c.cfg.Sleep(ctx, d); err != nil {
		return c.contextError(ctx, err)
	}
	return nil
}

// retryAfter reads how long the ATS asks to wait: Retry-After (seconds or
// an HTTP date), else X-RateLimit-Reset (epoch seconds, or seconds to go
// when small), else one second.
func (c *Client) retryAfter(res *http.Response) time.Duration {
	now := c.cfg.Now()
	if v := strings.TrimSpace(res.Header.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
			return time.Duration(n * float64(time.Second))
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	for _, h := range []string{"X-RateLimit-Reset", "X-Rate-Limit-Reset", "RateLimit-Reset"} {
		if v := strings.TrimSpace(res.Header.Get(h)); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				if n > 1_000_000_000 {
					return max(time.Unix(n, 0).Sub(now), 0)
				}
				return time.Duration(n) * time.Second
			}
		}
	}
	return time.Second
}

func errorStatus(err error) int {
	var s *statusErr
	if errors.As(err, &s) {
		return s.status
	}
	return 0
}

// statusErr carries the HTTP status under a mapped *resultlinks.Error.
type statusErr struct {
	status int
}

func (s *statusErr) Error() string { return "HTTP " + strconv.Itoa(s.status) }

// Status returns the HTTP status the ATS answered with an error, or 0.
func Status(err error) int { return errorStatus(err) }

func (c *Client) statusError(res *http.Response, body []byte) error {
	msg := ""
	if c.cfg.ErrorMessage != nil {
		msg = c.cfg.ErrorMessage(res.StatusCode, body)
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
	}
	msg = c.secrets.redact(msg)
	cause := &statusErr{status: res.StatusCode}
	code := resultlinks.CodeRemoteUnknown
	switch s := res.StatusCode; {
	case s == http.StatusUnauthorized:
		code = resultlinks.CodeIntegrationAuthInvalid
	case s == http.StatusForbidden:
		code = resultlinks.CodePermissionMissing
	case s == http.StatusTooManyRequests:
		code = resultlinks.CodeRemoteRateLimited
	case s >= 500:
		code = resultlinks.CodeRemoteUnavailable
	case s >= 400:
		code = resultlinks.CodeRemoteInputInvalid
	}
	text := fmt.Sprintf("%s answered HTTP %d", c.cfg.Tool, res.StatusCode)
	if msg != "" {
		text += ": " + msg
	}
	return &resultlinks.Error{Code: code, Message: text, Err: cause}
}

func (c *Client) transportError(ctx context.Context, err error) error {
	return &resultlinks.Error{Code: resultlinks.CodeRemoteUnavailable,
		Message: fmt.Sprintf("%s could not be reached: %s", c.cfg.Tool, c.secrets.redact(describe(err))), Err: err}
}

func (c *Client) contextError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnavailable, Message: fmt.Sprintf("%s did not answer in time", c.cfg.Tool), Err: err}
	}
	return err
}

func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
