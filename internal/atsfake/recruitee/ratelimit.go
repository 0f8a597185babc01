package recruitee

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
	if start := now.Truncate(w.size); !start.Equal(w.start) {
		w.start, w.used = start, 0
	}
}

func (w *window) take(now time.Time) bool {
	w.roll(now)
	if w.used >= w.limit {
		return false
	}
	w.used++
	return true
}

// spend takes one unit of the company budget, or returns the 429 to send.
// Recruitee documents no rate-limit headers, so only Retry-After is sent,
// and only on the 429 itself. Called with f.mu held.
func (f *Fake) spend(now time.Time) *response {
	if f.rl.limit < 0 || f.rl.take(now) {
		return nil
	}
	return f.throttle(f.rl.start.Add(f.rl.size).Sub(now))
}

// throttle builds a 429 asking the client to wait retryAfter (at least one
// second, rounded up). Called with f.mu held.
func (f *Fake) throttle(retryAfter time.Duration) *response {
	f.throttled++
	secs := max(int(math.Ceil(retryAfter.Seconds())), 1)
	resp := errorResponse(http.StatusTooManyRequests, "Too many requests")
	resp.header.Set("Retry-After", strconv.Itoa(secs))
	return resp
}
