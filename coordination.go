package resultlinks

import (
	"context"
	"time"
)

// Coordinator keeps the budgets that every replica of a server shares: the
// pace of calls to each ATS and the writes in flight per integration. A
// store whose database several replicas share implements it; a
// single-process store need not.
type Coordinator interface {
	// ReserveCall reserves the next call under the budget key: calls are
	// spaced interval apart with a burst of burst calls, and none start
	// before a block set by BlockCalls. It returns when the reserved call may
	// start (now or later); the caller waits until then.
	ReserveCall(ctx context.Context, key string, interval time.Duration, burst int, now time.Time) (start time.Time, err error)
	// BlockCalls holds every call under the key until until (an ATS's 429).
	BlockCalls(ctx context.Context, key string, until time.Time) error
	// AcquireWriteSlot takes one of limit write slots of the integration
	// for holder until expires (a crashed holder's slot frees itself then),
	// and reports whether one was free and how many remain.
	AcquireWriteSlot(ctx context.Context, integrationID, holder string, limit int, now, expires time.Time) (ok bool, remaining int, err error)
	// ReleaseWriteSlot gives holder's slot back.
	ReleaseWriteSlot(ctx context.Context, integrationID, holder string) error
	// FreeWriteSlots returns how many of limit slots are free now.
	FreeWriteSlots(ctx context.Context, integrationID string, limit int, now time.Time) (int, error)
}
