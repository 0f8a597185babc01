package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

const resultLinkColumns = `id, environment_id, integration_id, model, target_id, target_remote_id, input, idempotency_key, request_hash,
	status, attempts, receipt, warnings, error_code, error_message, created_at, updated_at, delivered_at, exchanges`

// CreateResultLink stores a new result link, or returns the one that holds
// its idempotency key already.
func (s *Store) CreateResultLink(ctx context.Context, rl *resultlinks.ResultLink, enqueue resultlinks.EnqueueFunc) (*resultlinks.ResultLink, error) {
	input, _ := json.Marshal(sqlstore.InputDocOf(rl.Input))
	receipt, _ := json.Marshal(rl.Receipt)
	warnings, _ := json.Marshal(nonNil(rl.Warnings))
	var existing *resultlinks.ResultLink
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO result_links (`+resultLinkColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT DO NOTHING`,
			rl.ID, rl.EnvironmentID, rl.IntegrationID, rl.Model, rl.TargetID, rl.TargetRemoteID, string(input), rl.IdempotencyKey, rl.RequestHash,
			rl.Status, rl.Attempts, string(receipt), string(warnings), string(rl.ErrorCode), rl.ErrorMessage,
			sqlstore.FormatTime(rl.CreatedAt), sqlstore.FormatTime(rl.UpdatedAt), sqlstore.FormatTimePtr(rl.DeliveredAt), exchangesJSON(rl.Exchanges))
		if err != nil {
			return fmt.Errorf("sqlite: create result link: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if enqueue != nil {
				return enqueue(ctx, tx)
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
	var delivered sql.NullString
	if err := r.Scan(&rl.ID, &rl.EnvironmentID, &rl.IntegrationID, &rl.Model, &rl.TargetID, &rl.TargetRemoteID, &input, &rl.IdempotencyKey, &rl.RequestHash,
		&rl.Status, &rl.Attempts, &receipt, &warnings, &code, &rl.ErrorMessage, &created, &updated, &delivered, &exchanges); err != nil {
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
	var err error
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
