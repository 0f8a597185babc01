package workable

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// windowFor returns the budget of a token type, nil when its limit is off.
// Windows are aligned to multiples of their size, so with 10-second windows
// every budget resets at :00, :10, :20 and so on. Called with f.mu held.
func (f *Fake) windowFor(tok string) *fakekit.Window {
	rl := f.opts.RateLimit
	if tok == "partner" {
		rl = f.opts.PartnerRateLimit
	}
	if rl.Limit < 0 {
		return nil
	}
	w := f.windows[tok]
	if w == nil {
		w = fakekit.NewWindow(rl.Limit, rl.Window)
		f.windows[tok] = w
	}
	return w
}

// setRateHeaders adds Workable's budget headers, which every response of an
// authenticated request carries (vendors.md §3.7; Reset is the Unix time in
// seconds when the next window starts).
func setRateHeaders(resp *response, limit, remaining int, reset time.Time) {
	resp.header.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	resp.header.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	resp.header.Set("X-Rate-Limit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
}

// throttle builds the 429 for an exhausted window. Workable documents no
// Retry-After: a client is expected to wait for X-Rate-Limit-Reset. w may
// be nil for a forced 429 while limits are off; then no headers are sent.
func (f *Fake) throttle(w *fakekit.Window, now time.Time, retryAfter time.Duration) *response {
	f.log.CountRateLimited()
	resp := errorResponse(http.StatusTooManyRequests, "Rate limit exceeded")
	if retryAfter > 0 {
		resp.header.Set("Retry-After", strconv.Itoa(fakekit.CeilSeconds(retryAfter)))
	}
	if w != nil {
		reset := w.ResetAt()
		if retryAfter > 0 {
			reset = now.Add(retryAfter)
		}
		setRateHeaders(resp, w.Limit, 0, reset)
	}
	return resp
}

// forcedThrottle answers a FaultRateLimit. Called with f.mu held.
func (f *Fake) forcedThrottle(r *http.Request, retryAfter time.Duration) *response {
	now := f.now()
	tok, ok := f.authenticate(r)
	if !ok {
		tok = "account"
	}
	w := f.windowFor(tok)
	if w != nil {
		w.Roll(now)
	}
	return f.throttle(w, now, retryAfter)
}
