package teamtailor

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// spend takes one unit of the key's budget or returns the 429. Called with
// f.mu held.
func (f *Fake) spend(k *keyRec, now time.Time) *response {
	if k.rl.Take(now) {
		return nil
	}
	return f.throttle(k.rl.Limit, k.rl.ResetAt().Sub(now))
}

// throttle builds a 429 with the X-Rate-Limit-* headers and Retry-After.
// X-Rate-Limit-Reset is the number of seconds until the window resets.
func (f *Fake) throttle(limit int, wait time.Duration) *response {
	f.log.CountRateLimited()
	secs := strconv.Itoa(fakekit.CeilSeconds(wait))
	resp := simpleError(http.StatusTooManyRequests, "Too Many Requests",
		"Rate limit exceeded; retry after "+secs+" seconds.")
	resp.header.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	resp.header.Set("X-Rate-Limit-Remaining", "0")
	resp.header.Set("X-Rate-Limit-Reset", secs)
	resp.header.Set("Retry-After", secs)
	return resp
}

// forcedThrottle answers a FaultRateLimit. Called with f.mu held.
func (f *Fake) forcedThrottle(r *http.Request, retryAfter time.Duration) *response {
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	limit := f.opts.RateLimit.Limit
	if k, ok := f.keys[keyOf(r)]; ok {
		limit = k.rl.Limit
	}
	return f.throttle(max(limit, 0), retryAfter)
}

// rateHeaders adds the key's budget to an authenticated response that is
// not itself a 429.
func (f *Fake) rateHeaders(k *keyRec, resp *response, now time.Time) {
	if resp.status == http.StatusTooManyRequests || k.rl.Off() {
		return
	}
	resp.header.Set("X-Rate-Limit-Limit", strconv.Itoa(k.rl.Limit))
	resp.header.Set("X-Rate-Limit-Remaining", strconv.Itoa(k.rl.Remaining(now)))
	resp.header.Set("X-Rate-Limit-Reset", strconv.Itoa(fakekit.CeilSeconds(k.rl.ResetAt().Sub(now))))
}
