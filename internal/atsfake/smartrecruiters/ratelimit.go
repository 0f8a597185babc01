package smartrecruiters

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// SmartRecruiters limits each credential to 10 requests per second and 8
// requests in flight (1 for GET /candidates), answers 429 when either is
// exceeded, and sends X-RateLimit-Limit, X-RateLimit-Remaining,
// X-RateLimit-Concurrent-Limit and X-RateLimit-Concurrent-Remaining on every
// response (developers.smartrecruiters.com/docs/rate-limiting). It documents
// no Retry-After; clients back off exponentially.

// window is a fixed-window counter aligned to multiples of its size.
type window struct {
	limit int
	size  time.Duration
	start time.Time
	used  int
}

func (w *window) roll(now time.Time) {
	start := now.Truncate(w.size)
	if !start.Equal(w.start) {
		w.start = start
		w.used = 0
	}
}

func (w *window) remaining(now time.Time) int {
	w.roll(now)
	return max(w.limit-w.used, 0)
}

// spend takes one unit of the request budget, or returns the 429 to send.
// Called with f.mu held.
func (f *Fake) spend(r *http.Request, now time.Time) *response {
	w := f.rl
	if w.limit < 0 {
		return nil
	}
	w.roll(now)
	if w.used < w.limit {
		w.used++
		return nil
	}
	return f.throttle(r, now, "Request rate limit exceeded")
}

// concurrencyThrottle is the 429 for too many requests in flight.
func (f *Fake) concurrencyThrottle(r *http.Request, now time.Time) *response {
	return f.throttle(r, now, "Too many concurrent requests")
}

// forcedThrottle answers a FaultRateLimit.
func (f *Fake) forcedThrottle(r *http.Request, retryAfter time.Duration) *response {
	resp := f.throttle(r, f.now(), "Request rate limit exceeded")
	if retryAfter > 0 {
		resp.header.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(retryAfter.Seconds())))))
	}
	return resp
}

// throttle builds a 429 with the rate-limit headers. Called with f.mu held.
func (f *Fake) throttle(r *http.Request, now time.Time, message string) *response {
	f.throttled++
	resp := errorResponse(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", message)
	f.rateHeaders(r, resp, now)
	return resp
}

// concurrencyLimitFor is the in-flight limit that applies to r, or a
// negative number when none does.
func (f *Fake) concurrencyLimitFor(r *http.Request) (limit, inFlight int) {
	if isCandidateListing(r) && f.opts.CandidatesConcurrencyLimit > 0 {
		return f.opts.CandidatesConcurrencyLimit, f.candsFlight
	}
	return f.opts.ConcurrencyLimit, f.inFlight
}

// rateHeaders adds the four budget headers without spending anything. The
// concurrent headers describe the limit that applies to this request, so
// GET /candidates reports a limit of 1. Called with f.mu held.
func (f *Fake) rateHeaders(r *http.Request, resp *response, now time.Time) {
	if w := f.rl; w.limit >= 0 {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(w.limit))
		resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(w.remaining(now)))
	}
	if limit, inFlight := f.concurrencyLimitFor(r); limit > 0 {
		resp.header.Set("X-RateLimit-Concurrent-Limit", strconv.Itoa(limit))
		resp.header.Set("X-RateLimit-Concurrent-Remaining", strconv.Itoa(max(limit-inFlight, 0)))
	}
}
