package recruitee

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// spend takes one unit of the company budget, or returns the 429 to send.
// Recruitee documents no rate-limit headers, so only Retry-After is sent,
// and only on the 429 itself. Called with f.mu held.
func (f *Fake) spend(now time.Time) *response {
	if f.rl.Take(now) {
		return nil
	}
	return f.throttle(f.rl.ResetAt().Sub(now))
}

// throttle builds a 429 asking the client to wait retryAfter (at least one
// second, rounded up). Called with f.mu held.
func (f *Fake) throttle(retryAfter time.Duration) *response {
	f.log.CountRateLimited()
	resp := errorResponse(http.StatusTooManyRequests, "Too many requests")
	resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(retryAfter)))
	return resp
}
