package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

const resultLinkColumns = `id, environment_id, integration_id, model, target_id, target_remote_id, input, idempotency_key, request_hash,
	status, attempts, receipt, warnings, error_code, error_message, created_at, updated_at, delivered_at, exchanges,
	lease_until, candidate_remote_id`

// CreateResultLink stores a new result link, or returns the one that holds
// its idempotency key already.
func (s *Store) CreateResultLink(ctx context.Context, rl *resultlinks.ResultLink, enqueue resultlinks.EnqueueFunc) (*resultlinks.ResultLink, error) {
	input, _ := json.Marshal(sqlstore.InputDocOf(rl.Input))
	receipt, _ := json.Marshal(rl.Receipt)
	warnings, _ := json.Marshal(nonNil(rl.Warnings))
	var existing *resultlinks.ResultLink
	err := s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO result_links (`+resultLinkColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT (integration_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING`,
			rl.ID, rl.EnvironmentID, rl.IntegrationID, rl.Model, rl.TargetID, rl.TargetRemoteID, string(input), rl.IdempotencyKey, rl.RequestHash,
			rl.Status, rl.Attempts, string(receipt), string(warnings), string(rl.ErrorCode), rl.ErrorMessage,
			sqlstore.FormatTime(rl.CreatedAt), sqlstore.FormatTime(rl.UpdatedAt), sqlstore.FormatTimePtr(rl.DeliveredAt), exchangesJSON(rl.Exchanges),
			sqlstore.FormatTimePtr(rl.LeaseUntil), rl.CandidateRemoteID)
		if err != nil {
			return fmt.Errorf("sqlite: create result link: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if enqueue != nil {
				return enqueue(ctx, tx.Tx)
			}
			return nil
		}
		existing, err = scanResultLink(tx.QueryRowContext(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE integration_id = ? AND idempotency_key = ?`,
			rl.IntegrationID, rl.IdempotencyKey))
		if err != nil {
			return fmt.Errorf("sqlite: create result link: find existing: %w", err)
		}
		return nil
	})
	return existing, err
}

func exchangesJSON(e []resultlinks.Exchange) string {
	if e == nil {
		e = []resultlinks.Exchange{}
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UpdateResultLink saves the delivery fields of a result link.
func (s *Store) UpdateResultLink(ctx context.Context, rl *resultlinks.ResultLink) error {
	receipt, _ := json.Marshal(rl.Receipt)
	res, err := s.write.ExecContext(ctx, `UPDATE result_links SET status = ?, attempts = ?, receipt = ?, error_code = ?, error_message = ?, updated_at = ?, delivered_at = ?,
		exchanges = ? WHERE id = ?`, rl.Status, rl.Attempts, string(receipt), string(rl.ErrorCode), rl.ErrorMessage,
		sqlstore.FormatTime(rl.UpdatedAt), sqlstore.FormatTimePtr(rl.DeliveredAt), exchangesJSON(rl.Exchanges), rl.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update result link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", rl.ID)
	}
	return nil
}

// FindResultLink returns one result link of the environment.
func (s *Store) FindResultLink(ctx context.Context, environmentID, id string) (*resultlinks.ResultLink, error) {
	rl, err := scanResultLink(s.read.QueryRowContext(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE id = ? AND environment_id = ?`, id, environmentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find result link: %w", err)
	}
	return rl, nil
}

func scanResultLink(r scanner) (*resultlinks.ResultLink, error) {
	var rl resultlinks.ResultLink
	var input, receipt, warnings, code, created, updated, exchanges string
	var delivered, lease sql.NullString
	if err := r.Scan(&rl.ID, &rl.EnvironmentID, &rl.IntegrationID, &rl.Model, &rl.TargetID, &rl.TargetRemoteID, &input, &rl.IdempotencyKey, &rl.RequestHash,
		&rl.Status, &rl.Attempts, &receipt, &warnings, &code, &rl.ErrorMessage, &created, &updated, &delivered, &exchanges,
		&lease, &rl.CandidateRemoteID); err != nil {
		return nil, err
	}
	var err error
	if rl.LeaseUntil, err = sqlstore.ParseTimePtr(lease); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(exchanges), &rl.Exchanges); err != nil {
		return nil, err
	}
	var in sqlstore.InputDoc
	if err := json.Unmarshal([]byte(input), &in); err != nil {
		return nil, err
	}
	rl.Input = in.Input()
	if err := json.Unmarshal([]byte(receipt), &rl.Receipt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(warnings), &rl.Warnings); err != nil {
		return nil, err
	}
	rl.ErrorCode = resultlinks.Code(code)
	if rl.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
		return nil, err
	}
	if rl.UpdatedAt, err = sqlstore.ParseTime(updated); err != nil {
		return nil, err
	}
	if rl.DeliveredAt, err = sqlstore.ParseTimePtr(delivered); err != nil {
		return nil, err
	}
	return &rl, nil
}

// GetResultLink returns a result link of any environment.
func (s *Store) GetResultLink(ctx context.Context, id string) (*resultlinks.ResultLink, error) {
	rl, err := scanResultLink(s.read.QueryRowContext(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get result link: %w", err)
	}
	return rl, nil
}

// ClaimResultLink starts a delivery attempt on a QUEUED link or one whose
// attempt's lease ran out.
func (s *Store) ClaimResultLink(ctx context.Context, id string, now, leaseUntil time.Time) (*resultlinks.ResultLink, bool, error) {
	var rl *resultlinks.ResultLink
	claimed := false
	err := s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `UPDATE result_links SET status = 'DELIVERING', lease_until = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = ? AND (status = 'QUEUED' OR (status = 'DELIVERING' AND (lease_until IS NULL OR lease_until < ?)))`,
			sqlstore.FormatTime(leaseUntil), sqlstore.FormatTime(now), id, sqlstore.FormatTime(now))
		if err != nil {
			return fmt.Errorf("sqlite: claim result link: %w", err)
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		rl, err = scanResultLink(tx.QueryRowContext(ctx, `SELECT `+resultLinkColumns+` FROM result_links WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return resultlinks.Errorf(resultlinks.CodeNotFound, "Result link %q was not found.", id)
		}
		return err
	})
	return rl, claimed, err
}

// PickResultLink notes that a worker took up a QUEUED link's job.
func (s *Store) PickResultLink(ctx context.Context, id string, until, ifBefore time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE result_links SET lease_until = ? WHERE id = ? AND status = 'QUEUED'
		AND (lease_until IS NULL OR lease_until < ?)`, sqlstore.FormatTime(until), id, sqlstore.FormatTime(ifBefore)); err != nil {
		return fmt.Errorf("sqlite: pick result link: %w", err)
	}
	return nil
}

// SettleResultLink records the end of an attempt that still holds its lease.
func (s *Store) SettleResultLink(ctx context.Context, rl *resultlinks.ResultLink, leaseUntil time.Time, emit *resultlinks.Emit) (bool, error) {
	receipt, _ := json.Marshal(rl.Receipt)
	// A link queued again keeps, in lease_until, when its next attempt is due.
	var next sql.NullString
	if rl.Status == resultlinks.DeliveryQueued {
		next = sqlstore.FormatTimePtr(rl.LeaseUntil)
	}
	settle := func(exec func(ctx context.Context, query string, args ...any) (sql.Result, error)) (bool, error) {
		res, err := exec(ctx, `UPDATE result_links SET status = ?, receipt = ?, error_code = ?, error_message = ?, updated_at = ?,
		delivered_at = ?, exchanges = ?, lease_until = ? WHERE id = ? AND status = 'DELIVERING' AND lease_until = ?`,
			rl.Status, string(receipt), string(rl.ErrorCode), rl.ErrorMessage, sqlstore.FormatTime(rl.UpdatedAt),
			sqlstore.FormatTimePtr(rl.DeliveredAt), exchangesJSON(rl.Exchanges), next, rl.ID, sqlstore.FormatTime(leaseUntil))
		if err != nil {
			return false, fmt.Errorf("sqlite: settle result link: %w", err)
		}
		n, _ := res.RowsAffected()
		return n == 1, nil
	}
	if emit == nil {
		return settle(s.write.ExecContext)
	}
	var settled bool
	err := s.tx(ctx, func(tx *txConn) error {
		var err error
		if settled, err = settle(tx.ExecContext); err != nil || !settled {
			return err
		}
		return addEvent(ctx, tx, emit.Event, emit.Enqueue)
	})
	return settled, err
}

// FailQueuedResultLink marks a QUEUED link FAILED.
func (s *Store) FailQueuedResultLink(ctx context.Context, id string, code resultlinks.Code, message string, now time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE result_links SET status = 'FAILED', error_code = ?, error_message = ?, updated_at = ?
		WHERE id = ? AND status = 'QUEUED'`, string(code), message, sqlstore.FormatTime(now), id)
	if err != nil {
		return false, fmt.Errorf("sqlite: fail result link: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ListStaleResultLinks returns links whose delivery stalled.
func (s *Store) ListStaleResultLinks(ctx context.Context, before time.Time, limit int) ([]*resultlinks.ResultLink, error) {
	ts := sqlstore.FormatTime(before)
	list, err := queryAll(ctx, s.read, `SELECT `+resultLinkColumns+` FROM result_links
		WHERE status IN ('DELIVERING', 'QUEUED') AND lease_until < ?
		ORDER BY created_at LIMIT ?`, []any{ts, limitOf(limit)}, scanResultLink)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list stale result links: %w", err)
	}
	return list, nil
}

// RequeueResultLink puts a FAILED link back to QUEUED.
func (s *Store) RequeueResultLink(ctx context.Context, id string, now time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE result_links SET status = 'QUEUED', updated_at = ? WHERE id = ? AND status = 'FAILED'`,
		sqlstore.FormatTime(now), id)
	if err != nil {
		return false, fmt.Errorf("sqlite: requeue result link: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ListResultLinks returns the environment's result links, newest first.
func (s *Store) ListResultLinks(ctx context.Context, environmentID string, f resultlinks.ResultLinkFilter) ([]*resultlinks.ResultLink, error) {
	where := []string{"environment_id = ?"}
	args := []any{environmentID}
	if f.IntegrationID != "" {
		where, args = append(where, "integration_id = ?"), append(args, f.IntegrationID)
	}
	if f.TargetID != "" {
		where, args = append(where, "target_id = ?"), append(args, f.TargetID)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.BeforeCreatedAt != nil {
		ts := sqlstore.FormatTime(*f.BeforeCreatedAt)
		where, args = append(where, "(created_at < ? OR (created_at = ? AND id < ?))"), append(args, ts, ts, f.BeforeID)
	}
	args = append(args, limitOf(f.Limit))
	list, err := queryAll(ctx, s.read, `SELECT `+resultLinkColumns+` FROM result_links WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ?`, args, scanResultLink)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list result links: %w", err)
	}
	return list, nil
}
