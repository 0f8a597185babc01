package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

const syncColumns = `id, integration_id, environment_id, full_sync, state, started_at, ended_at, pages, records, vanished, changes,
	error_code, error_message, resume`

func scanSync(r pgx.Row) (*resultlinks.Sync, error) {
	var s resultlinks.Sync
	var changes []byte
	var code, resume string
	if err := r.Scan(&s.ID, &s.IntegrationID, &s.EnvironmentID, &s.Full, &s.State, &s.StartedAt, &s.EndedAt, &s.Pages, &s.Records,
		&s.Vanished, &changes, &code, &s.ErrorMessage, &resume); err != nil {
		return nil, err
	}
	var err error
	if s.Resume, err = sqlstore.DecodeResume(resume); err != nil {
		return nil, err
	}
	s.ErrorCode, s.StartedAt = resultlinks.Code(code), s.StartedAt.UTC()
	if s.EndedAt != nil {
		ended := s.EndedAt.UTC()
		s.EndedAt = &ended
	}
	if err := json.Unmarshal(changes, &s.Changes); err != nil {
		return nil, fmt.Errorf("postgres: sync %s changes: %w", s.ID, err)
	}
	return &s, nil
}

// SaveSync inserts the sync or updates its progress and outcome.
func (s *Store) SaveSync(ctx context.Context, sy *resultlinks.Sync) error {
	return saveSync(ctx, s.pool, sy)
}

// saveSync upserts the sync through db.
func saveSync(ctx context.Context, db execer, s *resultlinks.Sync) error {
	changes := s.Changes
	if changes == nil {
		changes = resultlinks.Changes{}
	}
	doc, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("postgres: save sync: %w", err)
	}
	_, err = db.Exec(ctx, `INSERT INTO syncs (`+syncColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET full_sync = excluded.full_sync, state = excluded.state, started_at = excluded.started_at,
			ended_at = excluded.ended_at, pages = excluded.pages,
			records = excluded.records, vanished = excluded.vanished, changes = excluded.changes, error_code = excluded.error_code,
			error_message = excluded.error_message, resume = excluded.resume`,
		s.ID, s.IntegrationID, s.EnvironmentID, s.Full, string(s.State), ts(s.StartedAt), tsPtr(s.EndedAt), s.Pages, s.Records, s.Vanished,
		string(doc), string(s.ErrorCode), text(s.ErrorMessage), sqlstore.EncodeResume(s.Resume))
	if err != nil {
		return fmt.Errorf("postgres: save sync: %w", err)
	}
	return nil
}

// FinishSync saves the sync, the integration and the events in one
// transaction.
func (s *Store) FinishSync(ctx context.Context, sy *resultlinks.Sync, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := saveSync(ctx, tx, sy); err != nil {
			return err
		}
		if err := updateIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// ListSyncs returns the integration's syncs, newest first.
func (s *Store) ListSyncs(ctx context.Context, integrationID string, n int) ([]*resultlinks.Sync, error) {
	list, err := queryAll(ctx, s.pool, `SELECT `+syncColumns+` FROM syncs WHERE integration_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
		[]any{integrationID, limit(n)}, scanSync)
	if err != nil {
		return nil, fmt.Errorf("postgres: list syncs: %w", err)
	}
	return list, nil
}

// FindSync returns a sync of the environment, or CodeNotFound.
func (s *Store) FindSync(ctx context.Context, environmentID, id string) (*resultlinks.Sync, error) {
	sy, err := scanSync(s.pool.QueryRow(ctx, `SELECT `+syncColumns+` FROM syncs WHERE id = $1 AND environment_id = $2`, id, environmentID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Sync %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find sync: %w", err)
	}
	return sy, nil
}
