package delivery

import "sync"

// Slots caps the writes in flight per integration in this process.
type Slots struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
}

// NewSlots returns a cap of limit writes per integration.
func NewSlots(limit int) *Slots {
	return &Slots{limit: limit, used: map[string]int{}}
}

// Limit returns the cap.
func (s *Slots) Limit() int { return s.limit }

// Acquire takes a slot and reports whether one was free and how many remain.
func (s *Slots) Acquire(integrationID string) (ok bool, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used[integrationID] >= s.limit {
		return false, 0
	}
	s.used[integrationID]++
	return true, s.limit - s.used[integrationID]
}

// Release gives a slot back.
func (s *Slots) Release(integrationID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used[integrationID]--; s.used[integrationID] <= 0 {
		delete(s.used, integrationID)
	}
}

// Remaining returns the free slots of an integration.
func (s *Slots) Remaining(integrationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit - s.used[integrationID]
}

// SetLimit changes the cap.
func (s *Slots) SetLimit(limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = limit
}
