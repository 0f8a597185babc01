package outbound

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer paces the calls of one budget.
type Pacer interface {
	// Wait returns when a call may start.
	Wait(ctx context.Context) error
	// Block holds every call of the budget until t (a 429's Retry-After).
	Block(t time.Time)
}

// Pacers hands out the pacer of each integration's budget.
type Pacers interface {
	// For returns the integration's pacer for requests per window.
	For(integrationID string, requests int, per time.Duration) Pacer
}

// Limiter paces one integration's calls to its ATS: a token bucket sized so
// that no window of the documented length ever holds more calls than the
// documented limit, plus a block that a 429's Retry-After sets for every
// caller sharing the limiter.
type Limiter struct {
	bucket  *rate.Limiter
	mu      sync.Mutex
	blocked time.Time
	waited  time.Duration
}

// Budget returns the burst and the spacing of calls that keep requests per
// window: the burst is a tenth of the limit (at least 1), and the steady
// rate is what remains spread over the window, so that no window ever
// holds more than requests calls. ok is false for an unlimited budget.
func Budget(requests int, per time.Duration) (burst int, interval time.Duration, ok bool) {
	if requests <= 0 || per <= 0 {
		return 0, 0, false
	}
	burst = max(1, requests/10)
	if requests == burst {
		return burst, 2 * per / time.Duration(requests), true
	}
	return burst, per / time.Duration(requests-burst), true
}

// NewLimiter returns an in-process limiter for requests per window.
func NewLimiter(requests int, per time.Duration) *Limiter {
	burst, interval, ok := Budget(requests, per)
	if !ok {
		return &Limiter{bucket: rate.NewLimiter(rate.Inf, 1)}
	}
	return &Limiter{bucket: rate.NewLimiter(rate.Every(interval), burst)}
}

// Wait blocks until a call may be made.
func (l *Limiter) Wait(ctx context.Context) error {
	start := time.Now()
	l.mu.Lock()
	until := l.blocked
	l.mu.Unlock()
	if d := time.Until(until); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	err := l.bucket.Wait(ctx)
	l.mu.Lock()
	l.waited += time.Since(start)
	l.mu.Unlock()
	return err
}

// Block holds every call until t (a 429's Retry-After).
func (l *Limiter) Block(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.blocked) {
		l.blocked = t
	}
}

// Waited returns the total time callers spent waiting on the limiter.
func (l *Limiter) Waited() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waited
}

// Limiters hands out one Limiter per integration, shared by every call of
// that integration in the process (syncs and deliveries spend one budget):
// the pacing of a single-process server.
type Limiters struct {
	mu sync.Mutex
	m  map[string]*Limiter
}

// NewLimiters returns an empty set.
func NewLimiters() *Limiters { return &Limiters{m: map[string]*Limiter{}} }

// For returns the integration's limiter, creating it with the limit.
func (s *Limiters) For(integrationID string, requests int, per time.Duration) Pacer {
	if s == nil {
		return NewLimiter(requests, per)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.m[integrationID]
	if !ok {
		l = NewLimiter(requests, per)
		s.m[integrationID] = l
	}
	return l
}
