package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
)

var _ resultlinks.Coordinator = (*Store)(nil)

// slotLockSpace is the first key of the advisory locks that serialise the
// counting of one integration's write slots.
const slotLockSpace = 0x726c7773 // "rlws"

// ReserveCall reserves the next call under the budget key with one atomic
// upsert (GCRA): a call may start once the theoretical arrival time, less
// the burst tolerance, has come, and not before a 429's block.
func (s *Store) ReserveCall(ctx context.Context, key string, interval time.Duration, burst int, now time.Time) (time.Time, error) {
	tau := time.Duration(max(burst-1, 0)) * interval
	var tat, blocked time.Time
	err := s.pool.QueryRow(ctx, `INSERT INTO call_budgets (key, tat, blocked_until) VALUES ($1, $2::timestamptz + $4::interval, $2)
		ON CONFLICT (key) DO UPDATE SET tat = GREATEST(call_budgets.tat, $2, call_budgets.tat - $3::interval, call_budgets.blocked_until) + $4::interval
		RETURNING tat, blocked_until`, key, ts(now), tau, interval).Scan(&tat, &blocked)
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: reserve call: %w", err)
	}
	start := tat.Add(-interval - tau)
	if start.Before(now) {
		start = now
	}
	if start.Before(blocked) {
		start = blocked
	}
	return start, nil
}

// BlockCalls holds every call under the key until until.
func (s *Store) BlockCalls(ctx context.Context, key string, until time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO call_budgets (key, tat, blocked_until) VALUES ($1, $2, $2)
		ON CONFLICT (key) DO UPDATE SET blocked_until = GREATEST(call_budgets.blocked_until, $2)`, key, ts(until))
	if err != nil {
		return fmt.Errorf("postgres: block calls: %w", err)
	}
	return nil
}

// AcquireWriteSlot takes a write slot of the integration, counting the
// live slots under the integration's advisory lock.
func (s *Store) AcquireWriteSlot(ctx context.Context, integrationID, holder string, limit int, now, expires time.Time) (bool, int, error) {
	ok, remaining := false, 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(slotLockSpace), integrationID); err != nil {
			return fmt.Errorf("postgres: lock write slots: %w", err)
		}
		var used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM write_slots WHERE integration_id = $1 AND expires_at > $2`,
			integrationID, ts(now)).Scan(&used); err != nil {
			return fmt.Errorf("postgres: count write slots: %w", err)
		}
		if used >= limit {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM write_slots WHERE integration_id = $1 AND expires_at <= $2`, integrationID, ts(now)); err != nil {
			return fmt.Errorf("postgres: expire write slots: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO write_slots (integration_id, holder, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (integration_id, holder) DO UPDATE SET expires_at = excluded.expires_at`, integrationID, holder, ts(expires)); err != nil {
			return fmt.Errorf("postgres: take write slot: %w", err)
		}
		ok, remaining = true, limit-used-1
		return nil
	})
	return ok, remaining, err
}

// ReleaseWriteSlot gives holder's slot back.
func (s *Store) ReleaseWriteSlot(ctx context.Context, integrationID, holder string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM write_slots WHERE integration_id = $1 AND holder = $2`, integrationID, holder); err != nil {
		return fmt.Errorf("postgres: release write slot: %w", err)
	}
	return nil
}

// FreeWriteSlots returns how many of limit slots are free now.
func (s *Store) FreeWriteSlots(ctx context.Context, integrationID string, limit int, now time.Time) (int, error) {
	var used int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM write_slots WHERE integration_id = $1 AND expires_at > $2`,
		integrationID, ts(now)).Scan(&used); err != nil {
		return 0, fmt.Errorf("postgres: count write slots: %w", err)
	}
	return max(limit-used, 0), nil
}
