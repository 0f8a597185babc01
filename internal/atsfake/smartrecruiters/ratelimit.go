package smartrecruiters

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// SmartRecruiters limits each credential to 10 requests per second and 8
// requests in flight (1 for GET /candidates), answers 429 when either is
// exceeded, and sends X-RateLimit-Limit, X-RateLimit-Remaining,
// X-RateLimit-Concurrent-Limit and X-RateLimit-Concurrent-Remaining on every
// response (developers.smartrecruiters.com/docs/rate-limiting). It documents
// no Retry-After; clients back off exponentially.

// spend takes one unit of the request budget, or returns the 429 to send.
// Called with f.mu held.
func (f *Fake) spend(r *http.Request, now time.Time) *response {
	if f.rl.Take(now) {
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
		resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(retryAfter)))
	}
	return resp
}

// throttle builds a 429 with the rate-limit headers. Called with f.mu held.
func (f *Fake) throttle(r *http.Request, now time.Time, message string) *response {
	f.log.CountRateLimited()
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
	if w := f.rl; !w.Off() {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(w.Limit))
		resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(w.Remaining(now)))
	}
	if limit, inFlight := f.concurrencyLimitFor(r); limit > 0 {
		resp.header.Set("X-RateLimit-Concurrent-Limit", strconv.Itoa(limit))
		resp.header.Set("X-RateLimit-Concurrent-Remaining", strconv.Itoa(max(limit-inFlight, 0)))
	}
}
