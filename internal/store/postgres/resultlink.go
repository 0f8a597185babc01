package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

const resultLinkColumns = `id, environment_id, integration_id, model, target_id, target_remote_id, input, idempotency_key, request_hash,
	status, attempts, receipt, warnings, error_code, error_message, created_at, updated_at, delivered_at, exchanges,
	lease_until, candidate_remote_id`

// CreateResultLink stores a new result link and, in the same transaction,
// calls enqueue (when not nil) with the transaction, a pgx.Tx. When another
// link of the integration holds the same non-empty idempotency key, it
// stores and enqueues nothing and returns that one. A concurrent insert of
// the same key waits for the other transaction and then finds its link.
func (s *Store) CreateResultLink(ctx context.Context, rl *resultlinks.ResultLink, enqueue resultlinks.EnqueueFunc) (*resultlinks.ResultLink, error) {
	input, err := json.Marshal(sqlstore.InputDocOf(rl.Input))
	if err != nil {
		return nil, fmt.Errorf("postgres: create result link: %w", err)
	}
	receipt, err := json.Marshal(rl.Receipt)
	if err != nil {
		return nil, fmt.Errorf("postgres: create result link: %w", err)
	}
	warnings, err := json.Marshal(nonNil(rl.Warnings))
	if err != nil {
		return nil, fmt.Errorf("postgres: create result link: %w", err)
	}
	exchanges, err := exchangesJSON(rl.Exchanges)
	if err != nil {
		return nil, fmt.Errorf("postgres: create result link: %w", err)
	}
	var existing *resultlinks.ResultLink
	err = s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO result_links (`+resultLinkColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
			ON CONFLICT (integration_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING`,
			rl.ID, rl.EnvironmentID, rl.IntegrationID, string(rl.Model), rl.TargetID, rl.TargetRemoteID, jsonb(input), rl.IdempotencyKey, rl.RequestHash,
			string(rl.Status), rl.Attempts, jsonb(receipt), jsonb(warnings), string(rl.ErrorCode), text(rl.ErrorMessage),
			ts(rl.CreatedAt), ts(rl.UpdatedAt), tsPtr(rl.DeliveredAt), exchanges, tsPtr(rl.LeaseUntil), rl.CandidateRemoteID)
		if err != nil {
			return fmt.Errorf("postgres: create result link: %w", err)
		}
		if tag.RowsAffected() == 1 {
			if enqueue != nil {
				return enqueue(ctx, tx)
			}
			return nil
		}
		existing, err = scanResultLink(tx.QueryRow(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE integration_id = $1 AND idempotency_key = $2`,
			rl.IntegrationID, rl.IdempotencyKey))
		if err != nil {
			return fmt.Errorf("postgres: create result link: find existing: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return existing, nil
}

func exchangesJSON(e []resultlinks.Exchange) (string, error) {
	if e == nil {
		e = []resultlinks.Exchange{}
	}
	b, err := json.Marshal(e)
	return jsonb(b), err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UpdateResultLink saves the delivery fields of a result link, or answers
// CodeNotFound.
func (s *Store) UpdateResultLink(ctx context.Context, rl *resultlinks.ResultLink) error {
	receipt, err := json.Marshal(rl.Receipt)
	if err != nil {
		return fmt.Errorf("postgres: update result link: %w", err)
	}
	exchanges, err := exchangesJSON(rl.Exchanges)
	if err != nil {
		return fmt.Errorf("postgres: update result link: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE result_links SET status = $1, attempts = $2, receipt = $3, error_code = $4, error_message = $5,
		updated_at = $6, delivered_at = $7, exchanges = $8 WHERE id = $9`,
		string(rl.Status), rl.Attempts, jsonb(receipt), string(rl.ErrorCode), text(rl.ErrorMessage), ts(rl.UpdatedAt), tsPtr(rl.DeliveredAt), exchanges, rl.ID)
	if err != nil {
		return fmt.Errorf("postgres: update result link: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", rl.ID)
	}
	return nil
}

// FindResultLink returns one result link of the environment, or CodeNotFound.
func (s *Store) FindResultLink(ctx context.Context, environmentID, id string) (*resultlinks.ResultLink, error) {
	rl, err := scanResultLink(s.pool.QueryRow(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE id = $1 AND environment_id = $2`, id, environmentID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find result link: %w", err)
	}
	return rl, nil
}

func scanResultLink(r pgx.Row) (*resultlinks.ResultLink, error) {
	var rl resultlinks.ResultLink
	var input, receipt, warnings, exchanges []byte
	var code string
	if err := r.Scan(&rl.ID, &rl.EnvironmentID, &rl.IntegrationID, &rl.Model, &rl.TargetID, &rl.TargetRemoteID, &input, &rl.IdempotencyKey,
		&rl.RequestHash, &rl.Status, &rl.Attempts, &receipt, &warnings, &code, &rl.ErrorMessage, &rl.CreatedAt, &rl.UpdatedAt, &rl.DeliveredAt,
		&exchanges, &rl.LeaseUntil, &rl.CandidateRemoteID); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(exchanges, &rl.Exchanges); err != nil {
		return nil, fmt.Errorf("result link %s exchanges: %w", rl.ID, err)
	}
	var in sqlstore.InputDoc
	if err := json.Unmarshal(input, &in); err != nil {
		return nil, fmt.Errorf("result link %s input: %w", rl.ID, err)
	}
	rl.Input = in.Input()
	if err := json.Unmarshal(receipt, &rl.Receipt); err != nil {
		return nil, fmt.Errorf("result link %s receipt: %w", rl.ID, err)
	}
	if err := json.Unmarshal(warnings, &rl.Warnings); err != nil {
		return nil, fmt.Errorf("result link %s warnings: %w", rl.ID, err)
	}
	rl.ErrorCode = resultlinks.Code(code)
	rl.CreatedAt, rl.UpdatedAt = rl.CreatedAt.UTC(), rl.UpdatedAt.UTC()
	rl.DeliveredAt, rl.LeaseUntil = utcPtr(rl.DeliveredAt), utcPtr(rl.LeaseUntil)
	return &rl, nil
}

// GetResultLink returns a result link of any environment, or CodeNotFound.
func (s *Store) GetResultLink(ctx context.Context, id string) (*resultlinks.ResultLink, error) {
	rl, err := scanResultLink(s.pool.QueryRow(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get result link: %w", err)
	}
	return rl, nil
}

// ClaimResultLink starts a delivery attempt on a QUEUED link or one whose
// attempt's lease ran out, and returns the link with whether it claimed it.
// Of concurrent claims one wins: the others wait for its row lock, find the
// lease it took, and return the link unclaimed.
func (s *Store) ClaimResultLink(ctx context.Context, id string, now, leaseUntil time.Time) (*resultlinks.ResultLink, bool, error) {
	rl, err := scanResultLink(s.pool.QueryRow(ctx, `UPDATE result_links SET status = 'DELIVERING', lease_until = $1, attempts = attempts + 1, updated_at = $2
		WHERE id = $3 AND (status = 'QUEUED' OR (status = 'DELIVERING' AND (lease_until IS NULL OR lease_until < $2)))
		RETURNING `+resultLinkColumns, ts(leaseUntil), ts(now), id))
	if err == nil {
		return rl, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, false, fmt.Errorf("postgres: claim result link: %w", err)
	}
	rl, err = s.GetResultLink(ctx, id)
	if err != nil {
		return nil, false, err
	}
	return rl, false, nil
}

// PickResultLink notes that a worker took up a QUEUED link's job.
func (s *Store) PickResultLink(ctx context.Context, id string, until, ifBefore time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE result_links SET lease_until = $1 WHERE id = $2 AND status = 'QUEUED'
		AND (lease_until IS NULL OR lease_until < $3)`, ts(until), id, ts(ifBefore)); err != nil {
		return fmt.Errorf("postgres: pick result link: %w", err)
	}
	return nil
}

// SettleResultLink records the end of an attempt that still holds its
// lease, and reports whether it did.
func (s *Store) SettleResultLink(ctx context.Context, rl *resultlinks.ResultLink, leaseUntil time.Time, emit *resultlinks.Emit) (bool, error) {
	receipt, err := json.Marshal(rl.Receipt)
	if err != nil {
		return false, fmt.Errorf("postgres: settle result link: %w", err)
	}
	exchanges, err := exchangesJSON(rl.Exchanges)
	if err != nil {
		return false, fmt.Errorf("postgres: settle result link: %w", err)
	}
	// A link queued again keeps, in lease_until, when its next attempt is due.
	var next *time.Time
	if rl.Status == resultlinks.DeliveryQueued {
		next = tsPtr(rl.LeaseUntil)
	}
	settle := func(exec func(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)) (bool, error) {
		tag, err := exec(ctx, `UPDATE result_links SET status = $1, receipt = $2, error_code = $3, error_message = $4, updated_at = $5,
		delivered_at = $6, exchanges = $7, lease_until = $10 WHERE id = $8 AND status = 'DELIVERING' AND lease_until = $9`,
			string(rl.Status), jsonb(receipt), string(rl.ErrorCode), text(rl.ErrorMessage), ts(rl.UpdatedAt), tsPtr(rl.DeliveredAt), exchanges, rl.ID,
			ts(leaseUntil), next)
		if err != nil {
			return false, fmt.Errorf("postgres: settle result link: %w", err)
		}
		return tag.RowsAffected() == 1, nil
	}
	if emit == nil {
		return settle(s.pool.Exec)
	}
	var settled bool
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if settled, err = settle(tx.Exec); err != nil || !settled {
			return err
		}
		return addEvent(ctx, tx, emit.Event, emit.Enqueue)
	})
	return settled, err
}

// FailQueuedResultLink marks a QUEUED link FAILED, and reports whether it did.
func (s *Store) FailQueuedResultLink(ctx context.Context, id string, code resultlinks.Code, message string, now time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE result_links SET status = 'FAILED', error_code = $1, error_message = $2, updated_at = $3
		WHERE id = $4 AND status = 'QUEUED'`, string(code), text(message), ts(now), id)
	if err != nil {
		return false, fmt.Errorf("postgres: fail result link: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// RequeueResultLink puts a FAILED link back to QUEUED, and reports whether it did.
func (s *Store) RequeueResultLink(ctx context.Context, id string, now time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE result_links SET status = 'QUEUED', updated_at = $1 WHERE id = $2 AND status = 'FAILED'`, ts(now), id)
	if err != nil {
		return false, fmt.Errorf("postgres: requeue result link: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ListStaleResultLinks returns links whose delivery stalled.
func (s *Store) ListStaleResultLinks(ctx context.Context, before time.Time, n int) ([]*resultlinks.ResultLink, error) {
	list, err := queryAll(ctx, s.pool, `SELECT `+resultLinkColumns+` FROM result_links
		WHERE status IN ('DELIVERING', 'QUEUED') AND lease_until < $1
		ORDER BY created_at LIMIT $2`, []any{ts(before), limit(n)}, scanResultLink)
	if err != nil {
		return nil, fmt.Errorf("postgres: list stale result links: %w", err)
	}
	return list, nil
}

// ListResultLinks returns the environment's result links matching f,
// newest first (by creation time, then ID).
func (s *Store) ListResultLinks(ctx context.Context, environmentID string, f resultlinks.ResultLinkFilter) ([]*resultlinks.ResultLink, error) {
	var w where
	w.add("environment_id = $?", environmentID)
	if f.IntegrationID != "" {
		w.add("integration_id = $?", f.IntegrationID)
	}
	if f.TargetID != "" {
		w.add("target_id = $?", f.TargetID)
	}
	if f.Status != "" {
		w.add("status = $?", string(f.Status))
	}
	if f.BeforeCreatedAt != nil {
		w.add("(created_at, id) < ($?, $?)", ts(*f.BeforeCreatedAt), f.BeforeID)
	}
	args := append(w.args, limit(f.Limit))
	list, err := queryAll(ctx, s.pool, `SELECT `+resultLinkColumns+` FROM result_links WHERE `+strings.Join(w.conds, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT $`+strconv.Itoa(len(args)), args, scanResultLink)
	if err != nil {
		return nil, fmt.Errorf("postgres: list result links: %w", err)
	}
	return list, nil
}
