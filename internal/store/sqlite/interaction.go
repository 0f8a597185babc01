package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

// CreateInteraction stores one call's log.
func (s *Store) CreateInteraction(ctx context.Context, in *resultlinks.Interaction) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO interactions (id, environment_id, integration_id, method, route, path, status,
		error_code, error_message, result_link_id, started_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		in.ID, in.EnvironmentID, in.IntegrationID, in.Method, in.Route, in.Path, in.Status, string(in.ErrorCode), in.ErrorMessage,
		in.ResultLinkID, sqlstore.FormatTime(in.StartedAt), in.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("sqlite: create interaction: %w", err)
	}
	return nil
}

// FindInteraction returns one call's log in the environment.
func (s *Store) FindInteraction(ctx context.Context, environmentID, id string) (*resultlinks.Interaction, error) {
	var in resultlinks.Interaction
	var code, started string
	var ms int64
	err := s.read.QueryRowContext(ctx, `SELECT id, environment_id, integration_id, method, route, path, status, error_code, error_message,
		result_link_id, started_at, duration_ms FROM interactions WHERE id = ? AND environment_id = ?`, id, environmentID).
		Scan(&in.ID, &in.EnvironmentID, &in.IntegrationID, &in.Method, &in.Route, &in.Path, &in.Status, &code, &in.ErrorMessage,
			&in.ResultLinkID, &started, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Interaction %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find interaction: %w", err)
	}
	in.ErrorCode, in.Duration = resultlinks.Code(code), time.Duration(ms)*time.Millisecond
	if in.StartedAt, err = sqlstore.ParseTime(started); err != nil {
		return nil, err
	}
	return &in, nil
}

// DeleteInteractionsBefore applies the retention of logs, sync records and
// idempotency keys.
func (s *Store) DeleteInteractionsBefore(ctx context.Context, t time.Time) (int, error) {
	ts := sqlstore.FormatTime(t)
	var n int64
	err := s.tx(ctx, func(tx *txConn) error {
		for _, q := range []string{`DELETE FROM interactions WHERE started_at < ?`, `DELETE FROM syncs WHERE started_at < ?`} {
			res, err := tx.ExecContext(ctx, q, ts)
			if err != nil {
				return fmt.Errorf("sqlite: delete logs: %w", err)
			}
			m, _ := res.RowsAffected()
			n += m
		}
		// An idempotency key is honoured for the retention period only.
		if _, err := tx.ExecContext(ctx, `UPDATE result_links SET idempotency_key = '' WHERE idempotency_key <> '' AND created_at < ?`, ts); err != nil {
			return fmt.Errorf("sqlite: expire idempotency keys: %w", err)
		}
		return nil
	})
	return int(n), err
}
