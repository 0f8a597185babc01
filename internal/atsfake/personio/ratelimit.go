package personio

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// throttle builds a 429: a problem+json body and Retry-After in whole
// seconds (at least one). Personio documents no other rate headers for v2.
// Called with f.mu held.
func (f *Fake) throttle(wait time.Duration) *response {
	f.log.CountRateLimited()
	if wait <= 0 {
		wait = time.Second
	}
	secs := fakekit.CeilSeconds(wait)
	resp := f.problem(http.StatusTooManyRequests, "Too many requests",
		"The rate limit has been exceeded; retry after "+strconv.Itoa(secs)+" seconds.")
	resp.header.Set("Retry-After", strconv.Itoa(secs))
	return resp
}
