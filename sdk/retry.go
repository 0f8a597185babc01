package sdk

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryConfig bounds how the client retries a request that failed in a way
// that may pass: HTTP 429, 502, 503 or 504, or a connection error. Waits grow
// exponentially from InitialInterval up to MaxInterval, each with random
// jitter, unless the server names a wait in Retry-After or retry-after-ms, in
// which case that wait is used as given.
//
// GET requests are always retried. Writes (POST, DELETE) are retried only when
// they carry an Idempotency-Key, which the SDK adds by default (see
// WithIdempotencyKey and WithoutIdempotencyKey).
type RetryConfig struct {
	// MaxAttempts is the most attempts one call makes, the first included.
	// 1 turns retries off; 0 means the default (5).
	MaxAttempts int
	// InitialInterval is the base wait before the first retry; each further
	// retry doubles it. 0 means the default (500 ms).
	InitialInterval time.Duration
	// MaxInterval caps the computed base wait. It does not cap a wait the
	// server asks for. 0 means the default (30 s).
	MaxInterval time.Duration
	// MaxElapsedTime caps the time from the first attempt to the start of the
	// last: a retry whose wait would end later than that is not made and the
	// last error is returned instead. 0 means the default (2 min).
	MaxElapsedTime time.Duration
}

// DefaultRetryConfig returns the retry policy a Client has unless WithRetry
// replaces it: 5 attempts, waits from 500 ms doubling up to 30 s, and at most
// 2 minutes in all.
func DefaultRetryConfig() RetryConfig {
	return RetryConfig{
		MaxAttempts:     5,
		InitialInterval: 500 * time.Millisecond,
		MaxInterval:     30 * time.Second,
		MaxElapsedTime:  2 * time.Minute,
	}
}

// withDefaults fills the zero fields of rc from DefaultRetryConfig.
func (rc RetryConfig) withDefaults() RetryConfig {
	d := DefaultRetryConfig()
	if rc.MaxAttempts == 0 {
		rc.MaxAttempts = d.MaxAttempts
	}
	if rc.InitialInterval == 0 {
		rc.InitialInterval = d.InitialInterval
	}
	if rc.MaxInterval == 0 {
		rc.MaxInterval = max(d.MaxInterval, rc.InitialInterval)
	}
	if rc.MaxElapsedTime == 0 {
		rc.MaxElapsedTime = d.MaxElapsedTime
	}
	return rc
}

// validate rejects settings that cannot describe a retry policy.
func (rc RetryConfig) validate() error {
	switch {
	case rc.MaxAttempts < 1:
		return fmt.Errorf("sdk: RetryConfig.MaxAttempts is %d, want at least 1", rc.MaxAttempts)
	case rc.InitialInterval < 0, rc.MaxInterval < 0, rc.MaxElapsedTime < 0:
		return errors.New("sdk: RetryConfig durations must not be negative")
	case rc.MaxInterval < rc.InitialInterval:
		return fmt.Errorf("sdk: RetryConfig.MaxInterval %v is shorter than InitialInterval %v", rc.MaxInterval, rc.InitialInterval)
	}
	return nil
}

// backoff returns the wait before the retry that follows attempt number
// attempt (1 for the first attempt): the base InitialInterval·2^(attempt-1),
// capped at MaxInterval, with "equal jitter": half the base plus a random part
// of the other half, so waits of concurrent clients spread out but never drop
// below half the base.
func (c *Client) backoff(attempt int) time.Duration {
	base := c.retry.InitialInterval
	for i := 1; i < attempt && base < c.retry.MaxInterval; i++ {
		base *= 2
	}
	base = min(base, c.retry.MaxInterval)
	return base/2 + time.Duration(c.random()*float64(base/2))
}

// retryableStatus reports whether an answer with this HTTP status may succeed
// when the same request is sent again.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransportError reports whether a failure to get any answer is
// worth another attempt. Certificate errors are not: they do not pass by
// waiting.
func retryableTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	return !errors.As(err, &certErr)
}

// retryAfter reads the wait a server asks for from the retry-after-ms header
// (milliseconds) or, failing that, Retry-After (whole seconds or an HTTP
// date, measured against now). It reports false when neither header holds a
// usable value. A date in the past means no wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// sleepContext waits for d or until ctx is done, whichever comes first, and
// returns ctx's error in the second case.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
