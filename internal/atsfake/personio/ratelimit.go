package personio

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

func (w *window) take(now time.Time) bool {
	if start := now.Truncate(w.size); !start.Equal(w.start) {
		w.start, w.used = start, 0
	}
	if w.used >= w.limit {
		return false
	}
	w.used++
	return true
}

// throttle builds a 429: a problem+json body and Retry-After in whole
// seconds (at least one). Personio documents no other rate headers for v2.
// Called with f.mu held.
func (f *Fake) throttle(wait time.Duration) *response {
	f.throttled++
	if wait <= 0 {
		wait = time.Second
	}
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	resp := f.problem(http.StatusTooManyRequests, "Too many requests",
		"The rate limit has been exceeded; retry after "+strconv.Itoa(secs)+" seconds.")
	resp.header.Set("Retry-After", strconv.Itoa(secs))
	return resp
}
