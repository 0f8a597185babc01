package outbound

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

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

// NewLimiter returns a limiter for requests per window. The burst is a
// tenth of the limit (at least 1), and the steady rate is what remains
// spread over the window, so burst + rate*window never exceeds requests.
func NewLimiter(requests int, per time.Duration) *Limiter {
	if requests <= 0 || per <= 0 {
		return &Limiter{bucket: rate.NewLimiter(rate.Inf, 1)}
	}
	burst := max(1, requests/10)
	steady := float64(requests-burst) / per.Seconds()
	if requests == burst {
		steady = float64(requests) / per.Seconds() / 2
	}
	return &Limiter{bucket: rate.NewLimiter(rate.Limit(steady), burst)}
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
// that integration in the process (syncs and deliveries spend one budget).
type Limiters struct {
	mu sync.Mutex
	m  map[string]*Limiter
}

// NewLimiters returns an empty set.
func NewLimiters() *Limiters { return &Limiters{m: map[string]*Limiter{}} }

// For returns the integration's limiter, creating it with the limit.
func (s *Limiters) For(integrationID string, requests int, per time.Duration) *Limiter {
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
