package delivery

import (
	"context"
	"sync"
)

// WriteSlots cap the result-link writes in flight per integration.
type WriteSlots interface {
	// Acquire takes a slot; ok is false when none is free. release gives
	// it back.
	Acquire(ctx context.Context, integrationID string) (release func(), remaining int, ok bool, err error)
	// Remaining returns the free slots of an integration.
	Remaining(ctx context.Context, integrationID string) int
	// Limit returns the cap.
	Limit() int
	// SetLimit changes the cap.
	SetLimit(limit int)
}

// Slots caps the writes in flight per integration in this process: the cap
// of a single-process server.
type Slots struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
}

var _ WriteSlots = (*Slots)(nil)

// NewSlots returns a cap of limit writes per integration.
func NewSlots(limit int) *Slots {
	return &Slots{limit: limit, used: map[string]int{}}
}

// Limit returns the cap.
func (s *Slots) Limit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit
}

// SetLimit changes the cap.
func (s *Slots) SetLimit(limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = limit
}

// Acquire takes a slot.
func (s *Slots) Acquire(_ context.Context, integrationID string) (func(), int, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used[integrationID] >= s.limit {
		return nil, 0, false, nil
	}
	s.used[integrationID]++
	var once sync.Once
	release := func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.used[integrationID]--; s.used[integrationID] <= 0 {
				delete(s.used, integrationID)
			}
		})
	}
	return release, s.limit - s.used[integrationID], true, nil
}

// Remaining returns the free slots of an integration.
func (s *Slots) Remaining(_ context.Context, integrationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit - s.used[integrationID]
}
