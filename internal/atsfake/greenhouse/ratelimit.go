package greenhouse

import (
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// newWindow makes the fixed window of a budget. Windows are aligned to
// multiples of their size, so with a 30-second window every budget resets
// at :00 and :30.
func newWindow(rl RateLimit) *fakekit.Window {
	return fakekit.NewWindow(rl.Limit, rl.Window)
}

func (f *Fake) windowFor(api string) *fakekit.Window {
	var w *fakekit.Window
	switch api {
	case "v3":
		w = f.harvestRL
	case "v1":
		w = f.v1RL
	case "token", "auth":
		w = f.tokenRL
	}
	if w == nil || w.Off() {
		return nil
	}
	return w
}

// spend takes one unit from the budget of api. It returns nil when the
// request may proceed, or the 429 to send when the window is exhausted.
func (f *Fake) spend(api string, now time.Time) *response {
	w := f.windowFor(api)
	if w == nil || w.Take(now) {
		return nil
	}
	return f.throttle(api, w.Limit, w.ResetAt(), now)
}

// throttle builds a 429. v3 keeps X-RateLimit-* on error responses too
// [RL via AB]; v1 drops Limit and Remaining from its 429s (v1 docs,
// "Throttling"). Both send Retry-After in seconds and Reset as epoch seconds.
func (f *Fake) throttle(api string, limit int, reset, now time.Time) *response {
	f.log.CountRateLimited()
	resp := errorResponse(http.StatusTooManyRequests, "Too Many Requests")
	if api != "v1" {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		resp.header.Set("X-RateLimit-Remaining", "0")
	}
	resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(reset.Sub(now))))
	return resp
}

// forcedThrottle answers a FaultRateLimit: a 429 whatever the budget says.
func (f *Fake) forcedThrottle(api string, retryAfter time.Duration) *response {
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	now := f.now()
	limit := 0
	if w := f.windowFor(api); w != nil {
		limit = w.Limit
	}
	return f.throttle(api, limit, now.Add(retryAfter), now)
}

// peekRateHeaders adds the budget headers without spending, so that every
// response (errors included) carries them. A 429 already has its own.
func (f *Fake) peekRateHeaders(api string, resp *response, now time.Time) {
	if resp.status == http.StatusTooManyRequests {
		return
	}
	w := f.windowFor(api)
	if w == nil {
		return
	}
	resp.header.Set("X-RateLimit-Limit", strconv.Itoa(w.Limit))
	resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(w.Remaining(now)))
	resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(w.ResetAt().Unix(), 10))
}
