package ashby

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// spend takes one unit of the key's budget. It returns nil when the request
// may proceed, or the 429 to send. Ashby documents only a 429 with
// Retry-After for its per-key limit, so no budget headers are sent on
// successful responses. Called with f.mu held.
func (f *Fake) spend(now time.Time) *response {
	if f.rl.Take(now) {
		return nil
	}
	return f.throttle(f.rl.ResetAt().Sub(now))
}

// throttle builds a 429 with Retry-After in whole seconds (at least one).
// The partner-wide throttle's X-RateLimit-Scope comes with the injected
// fault (see InjectFault). Called with f.mu held.
func (f *Fake) throttle(retryAfter time.Duration) *response {
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	f.log.CountRateLimited()
	resp := f.failure(http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests; retry after the Retry-After delay.")
	resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(retryAfter)))
	return resp
}
