package teamtailor

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

// secondsUntil rounds d up to whole seconds, at least one.
func secondsUntil(d time.Duration) int { return max(int(math.Ceil(d.Seconds())), 1) }

// spend takes one unit of the key's budget or returns the 429. Called with
// f.mu held.
func (f *Fake) spend(k *keyRec, now time.Time) *response {
	if k.rl.limit < 0 || k.rl.take(now) {
		return nil
	}
	return f.throttle(k.rl.limit, k.rl.start.Add(k.rl.size).Sub(now))
}

// throttle builds a 429 with the X-Rate-Limit-* headers and Retry-After.
// X-Rate-Limit-Reset is the number of seconds until the window resets.
func (f *Fake) throttle(limit int, wait time.Duration) *response {
	f.throttled++
	secs := strconv.Itoa(secondsUntil(wait))
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
		limit = k.rl.limit
	}
	return f.throttle(max(limit, 0), retryAfter)
}

// rateHeaders adds the key's budget to an authenticated response that is
// not itself a 429.
func (f *Fake) rateHeaders(k *keyRec, resp *response, now time.Time) {
	if resp.status == http.StatusTooManyRequests || k.rl.limit < 0 {
		return
	}
	k.rl.roll(now)
	resp.header.Set("X-Rate-Limit-Limit", strconv.Itoa(k.rl.limit))
	resp.header.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(k.rl.limit-k.rl.used, 0)))
	resp.header.Set("X-Rate-Limit-Reset", strconv.Itoa(secondsUntil(k.rl.start.Add(k.rl.size).Sub(now))))
}
