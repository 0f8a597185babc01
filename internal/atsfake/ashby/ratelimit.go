package ashby

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

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

// spend takes one unit of the key's budget. It returns nil when the request
// may proceed, or the 429 to send. Ashby documents only a 429 with
// Retry-After for its per-key limit, so no budget headers are sent on
// successful responses. Called with f.mu held.
func (f *Fake) spend(now time.Time) *response {
	w := f.rl
	if w.limit < 0 {
		return nil
	}
	w.roll(now)
	if w.used < w.limit {
		w.used++
		return nil
	}
	return f.throttle(w.start.Add(w.size).Sub(now), "")
}

// throttle builds a 429 with Retry-After in whole seconds (at least one) and,
// when scope is set, X-RateLimit-Scope. Called with f.mu held.
func (f *Fake) throttle(retryAfter time.Duration, scope string) *response {
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	f.throttled++
	resp := f.failure(http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests; retry after the Retry-After delay.")
	resp.header.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(retryAfter.Seconds())))))
	if scope != "" {
		resp.header.Set("X-RateLimit-Scope", scope)
	}
	return resp
}
