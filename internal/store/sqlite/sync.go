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

const syncColumns = `id, integration_id, environment_id, full_sync, state, started_at, ended_at, pages, records, vanished, changes,
	error_code, error_message, resume`

func scanSync(r scanner) (*resultlinks.Sync, error) {
	var s resultlinks.Sync
	var started, changes, code, resume string
	var ended sql.NullString
	if err := r.Scan(&s.ID, &s.IntegrationID, &s.EnvironmentID, &s.Full, &s.State, &started, &ended, &s.Pages, &s.Records, &s.Vanished,
		&changes, &code, &s.ErrorMessage, &resume); err != nil {
		return nil, err
	}
	var err error
	if s.Resume, err = sqlstore.DecodeResume(resume); err != nil {
		return nil, err
	}
	s.ErrorCode = resultlinks.Code(code)
	if err := json.Unmarshal([]byte(changes), &s.Changes); err != nil {
		return nil, fmt.Errorf("sqlite: sync %s changes: %w", s.ID, err)
	}
	if s.StartedAt, err = sqlstore.ParseTime(started); err != nil {
		return nil, err
	}
	s.EndedAt, err = sqlstore.ParseTimePtr(ended)
	return &s, err
}

// SaveSync inserts the sync or updates its progress and outcome.
func (s *Store) SaveSync(ctx context.Context, sy *resultlinks.Sync) error {
	return saveSync(ctx, s.write, sy)
}

// saveSync upserts the sync through db.
func saveSync(ctx context.Context, db execer, s *resultlinks.Sync) error {
	changes := s.Changes
	if changes == nil {
		changes = resultlinks.Changes{}
	}
	doc, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("sqlite: save sync: %w", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO syncs (`+syncColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET full_sync = excluded.full_sync, state = excluded.state, started_at = excluded.started_at,
			ended_at = excluded.ended_at, pages = excluded.pages,
			records = excluded.records, vanished = excluded.vanished, changes = excluded.changes, error_code = excluded.error_code,
			error_message = excluded.error_message, resume = excluded.resume`,
		s.ID, s.IntegrationID, s.EnvironmentID, s.Full, s.State, sqlstore.FormatTime(s.StartedAt), sqlstore.FormatTimePtr(s.EndedAt),
		s.Pages, s.Records, s.Vanished, string(doc), string(s.ErrorCode), s.ErrorMessage, sqlstore.EncodeResume(s.Resume))
	if err != nil {
		return fmt.Errorf("sqlite: save sync: %w", err)
	}
	return nil
}

// FinishSync saves the sync, the integration and the events in one
// transaction.
func (s *Store) FinishSync(ctx context.Context, sy *resultlinks.Sync, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx *txConn) error {
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
func (s *Store) ListSyncs(ctx context.Context, integrationID string, limit int) ([]*resultlinks.Sync, error) {
	list, err := queryAll(ctx, s.read, `SELECT `+syncColumns+` FROM syncs WHERE integration_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
		[]any{integrationID, limitOf(limit)}, scanSync)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list syncs: %w", err)
	}
	return list, nil
}

// FindSync returns a sync of the environment.
func (s *Store) FindSync(ctx context.Context, environmentID, id string) (*resultlinks.Sync, error) {
	sy, err := scanSync(s.read.QueryRowContext(ctx, `SELECT `+syncColumns+` FROM syncs WHERE id = ? AND environment_id = ?`, id, environmentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Sync %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find sync: %w", err)
	}
	return sy, nil
}
