package lever

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// bucket is a token bucket: it holds up to burst tokens and gains limit
// tokens per window. Lever describes its limit this way: a steady rate per
// API key or token with short bursts above it (vendors.md §2.6).
type bucket struct {
	limit  int
	window time.Duration
	burst  int
	tokens float64
	last   time.Time
}

func newBucket(rl RateLimit) *bucket {
	return &bucket{limit: rl.Limit, window: rl.Window, burst: rl.Burst, tokens: float64(rl.Burst)}
}

func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		gained := float64(b.limit) * float64(now.Sub(b.last)) / float64(b.window)
		b.tokens = math.Min(float64(b.burst), b.tokens+gained)
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
}

// take spends one token. It reports false when the bucket is empty.
func (b *bucket) take(now time.Time) bool {
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// spend takes one token from the bucket of the credential that made the
// request. It returns nil when the request may proceed, or the 429 to send.
// Called with f.mu held.
func (f *Fake) spend(cred string, now time.Time) *response {
	if f.opts.RateLimit.Limit < 0 {
		return nil
	}
	b := f.buckets[cred]
	if b == nil {
		b = newBucket(f.opts.RateLimit)
		f.buckets[cred] = b
	}
	if b.take(now) {
		return nil
	}
	return f.throttle(0)
}

// throttle builds Lever's 429. Lever documents neither X-RateLimit headers
// nor Retry-After, so the body is all a client gets unless retryAfter is
// positive (an injected fault asked for the header).
func (f *Fake) throttle(retryAfter time.Duration) *response {
	f.log.CountRateLimited()
	resp := errorResponse(http.StatusTooManyRequests, "TooManyRequests", "Rate limit exceeded, please slow down")
	if retryAfter > 0 {
		resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(retryAfter)))
	}
	return resp
}
