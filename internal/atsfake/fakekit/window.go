package fakekit

import (
	"math"
	"time"
)

// Window is a fixed-window request budget: Limit requests per window of
// Size. Windows are aligned to multiples of Size, so with a 30-second
// window the budget resets at :00 and :30. A negative Limit switches the
// budget off. A fake that keeps its budgets in Windows must use each one
// under its own lock.
type Window struct {
	// Limit is the number of requests allowed per window; negative means
	// no limit.
	Limit int
	// Size is the length of a window.
	Size time.Duration

	start time.Time
	used  int
}

// NewWindow returns a fresh budget of limit requests per window of size.
func NewWindow(limit int, size time.Duration) *Window {
	return &Window{Limit: limit, Size: size}
}

// Off reports whether the budget is switched off (a negative Limit).
func (w *Window) Off() bool { return w.Limit < 0 }

// Roll moves the budget to the window holding now, resetting the count
// when that is a new window.
func (w *Window) Roll(now time.Time) {
	if start := now.Truncate(w.Size); !start.Equal(w.start) {
		w.start, w.used = start, 0
	}
}

// Take spends one request of the window holding now. It reports false,
// spending nothing, when that window is exhausted; a budget that is off
// always allows and counts nothing.
func (w *Window) Take(now time.Time) bool {
	if w.Off() {
		return true
	}
	w.Roll(now)
	if w.used >= w.Limit {
		return false
	}
	w.used++
	return true
}

// Remaining returns how many requests the window holding now has left, at
// least zero.
func (w *Window) Remaining(now time.Time) int {
	w.Roll(now)
	return max(w.Limit-w.used, 0)
}

// ResetAt returns when the current window ends: the end of the window of
// the last Roll, Take or Remaining.
func (w *Window) ResetAt() time.Time { return w.start.Add(w.Size) }

// CeilSeconds rounds d up to whole seconds, at least one: the value of a
// Retry-After header asking a client to wait d.
func CeilSeconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}
