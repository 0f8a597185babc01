package pacing

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
)

// Slots cap the writes in flight per integration across every replica,
// with slots held in the database. A slot expires after Lease, so a
// crashed replica's slots free themselves.
type Slots struct {
	// Coordinator keeps the slots.
	Coordinator resultlinks.Coordinator
	// Lease is how long a slot is held at most (the delivery lease).
	Lease time.Duration
	limit atomic.Int64
}

var _ delivery.WriteSlots = (*Slots)(nil)

// NewSlots returns a cap of limit writes per integration.
func NewSlots(c resultlinks.Coordinator, limit int, lease time.Duration) *Slots {
	s := &Slots{Coordinator: c, Lease: lease}
	s.limit.Store(int64(limit))
	return s
}

// Limit returns the cap.
func (s *Slots) Limit() int { return int(s.limit.Load()) }

// SetLimit changes the cap.
func (s *Slots) SetLimit(limit int) { s.limit.Store(int64(limit)) }

// Acquire takes a slot in the database.
func (s *Slots) Acquire(ctx context.Context, integrationID string) (func(), int, bool, error) {
	holder := resultlinks.NewID()
	now := time.Now()
	ok, remaining, err := s.Coordinator.AcquireWriteSlot(ctx, integrationID, holder, s.Limit(), now, now.Add(s.Lease))
	if err != nil || !ok {
		return nil, 0, false, err
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			// A slot not given back expires with its lease.
			_ = s.Coordinator.ReleaseWriteSlot(ctx, integrationID, holder)
		})
	}
	return release, remaining, true, nil
}

// Remaining returns the free slots now.
func (s *Slots) Remaining(ctx context.Context, integrationID string) int {
	n, err := s.Coordinator.FreeWriteSlots(ctx, integrationID, s.Limit(), time.Now())
	if err != nil {
		return 0
	}
	return n
}
