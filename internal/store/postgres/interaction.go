package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
)

// CreateInteraction stores one call's log. Its duration is kept in whole
// milliseconds, as in the SQLite store.
func (s *Store) CreateInteraction(ctx context.Context, in *resultlinks.Interaction) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO interactions (id, environment_id, integration_id, method, route, path, status,
		error_code, error_message, result_link_id, started_at, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		in.ID, in.EnvironmentID, in.IntegrationID, in.Method, text(in.Route), text(in.Path), in.Status, string(in.ErrorCode), text(in.ErrorMessage),
		in.ResultLinkID, ts(in.StartedAt), in.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("postgres: create interaction: %w", err)
	}
	return nil
}

// FindInteraction returns one call's log in the environment, or CodeNotFound.
func (s *Store) FindInteraction(ctx context.Context, environmentID, id string) (*resultlinks.Interaction, error) {
	var in resultlinks.Interaction
	var code string
	var ms int64
	err := s.pool.QueryRow(ctx, `SELECT id, environment_id, integration_id, method, route, path, status, error_code, error_message,
		result_link_id, started_at, duration_ms FROM interactions WHERE id = $1 AND environment_id = $2`, id, environmentID).
		Scan(&in.ID, &in.EnvironmentID, &in.IntegrationID, &in.Method, &in.Route, &in.Path, &in.Status, &code, &in.ErrorMessage,
			&in.ResultLinkID, &in.StartedAt, &ms)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Interaction %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find interaction: %w", err)
	}
	in.ErrorCode, in.Duration, in.StartedAt = resultlinks.Code(code), time.Duration(ms)*time.Millisecond, in.StartedAt.UTC()
	return &in, nil
}

// DeleteInteractionsBefore deletes the logs of calls and the records of
// syncs started before t and the idempotency keys of result links created
// before it, and returns how many logs and sync records it deleted.
func (s *Store) DeleteInteractionsBefore(ctx context.Context, t time.Time) (int, error) {
	before := ts(t)
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM interactions WHERE started_at < $1`, `DELETE FROM syncs WHERE started_at < $1`} {
			tag, err := tx.Exec(ctx, q, before)
			if err != nil {
				return fmt.Errorf("postgres: delete logs: %w", err)
			}
			n += tag.RowsAffected()
		}
		// An idempotency key is honoured for the retention period only.
		if _, err := tx.Exec(ctx, `UPDATE result_links SET idempotency_key = '' WHERE idempotency_key <> '' AND created_at < $1`, before); err != nil {
			return fmt.Errorf("postgres: expire idempotency keys: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
