package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

const integrationColumns = `id, environment_id, tool, name, status, setup_status, credentials, end_user, disabled_actions, created_at, updated_at, last_synced_at, last_full_synced_at, sync_error`

type endUserDoc struct {
	OrganizationName string  `json:"organization_name"`
	CreatorEmail     *string `json:"creator_email"`
	OriginID         *string `json:"origin_id"`
}

// CreateIntegration stores a new integration.
func (s *Store) CreateIntegration(ctx context.Context, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx *txConn) error {
		if err := insertIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// insertIntegration stores a new integration within tx.
func insertIntegration(ctx context.Context, tx *txConn, in *resultlinks.Integration) error {
	eu, _ := json.Marshal(endUserDoc(in.EndUser))
	da, _ := json.Marshal(actionsOrEmpty(in.DisabledActions))
	creds := in.Credentials
	if creds == nil {
		creds = json.RawMessage("{}")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO integrations (`+integrationColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		in.ID, in.EnvironmentID, in.Tool, in.Name, in.Status, in.SetupStatus, []byte(creds), string(eu), string(da),
		sqlstore.FormatTime(in.CreatedAt), sqlstore.FormatTime(in.UpdatedAt), sqlstore.FormatTimePtr(in.LastSyncedAt),
		sqlstore.FormatTimePtr(in.LastFullSyncedAt), in.SyncError)
	if err != nil {
		return fmt.Errorf("sqlite: create integration: %w", err)
	}
	return nil
}

func actionsOrEmpty(a []resultlinks.Action) []resultlinks.Action {
	if a == nil {
		return []resultlinks.Action{}
	}
	return a
}

type scanner interface{ Scan(...any) error }

func scanIntegration(r scanner) (*resultlinks.Integration, error) {
	var in resultlinks.Integration
	var creds []byte
	var eu, da, created, updated string
	var synced, fullSynced sql.NullString
	if err := r.Scan(&in.ID, &in.EnvironmentID, &in.Tool, &in.Name, &in.Status, &in.SetupStatus, &creds, &eu, &da, &created, &updated, &synced,
		&fullSynced, &in.SyncError); err != nil {
		return nil, err
	}
	in.Credentials = creds
	var e endUserDoc
	if err := json.Unmarshal([]byte(eu), &e); err != nil {
		return nil, fmt.Errorf("sqlite: integration %s end user: %w", in.ID, err)
	}
	in.EndUser = resultlinks.EndUser(e)
	if err := json.Unmarshal([]byte(da), &in.DisabledActions); err != nil {
		return nil, fmt.Errorf("sqlite: integration %s actions: %w", in.ID, err)
	}
	var err error
	if in.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
		return nil, err
	}
	if in.UpdatedAt, err = sqlstore.ParseTime(updated); err != nil {
		return nil, err
	}
	if in.LastSyncedAt, err = sqlstore.ParseTimePtr(synced); err != nil {
		return nil, err
	}
	if in.LastFullSyncedAt, err = sqlstore.ParseTimePtr(fullSynced); err != nil {
		return nil, err
	}
	return &in, nil
}

// FindIntegration returns the live integration of the environment.
func (s *Store) FindIntegration(ctx context.Context, environmentID, id string) (*resultlinks.Integration, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE id = ? AND environment_id = ? AND deleted_at IS NULL`, id, environmentID)
	in, err := scanIntegration(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find integration: %w", err)
	}
	return in, nil
}

// GetIntegration returns a live integration of any environment.
func (s *Store) GetIntegration(ctx context.Context, id string) (*resultlinks.Integration, error) {
	in, err := scanIntegration(s.read.QueryRowContext(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get integration: %w", err)
	}
	return in, nil
}

// ListIntegrations returns the environment's live integrations, oldest first.
func (s *Store) ListIntegrations(ctx context.Context, environmentID string) ([]*resultlinks.Integration, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE environment_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, environmentID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list integrations: %w", err)
	}
	defer rows.Close()
	var out []*resultlinks.Integration
	for rows.Next() {
		in, err := scanIntegration(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list integrations: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// UpdateIntegration saves the integration's mutable fields.
func (s *Store) UpdateIntegration(ctx context.Context, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	if !resultlinks.Emits(emit) {
		return updateIntegration(ctx, s.write, in)
	}
	return s.tx(ctx, func(tx *txConn) error {
		if err := updateIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// execer runs a statement on a pool or in a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// updateIntegration saves the integration's mutable fields through db.
func updateIntegration(ctx context.Context, db execer, in *resultlinks.Integration) error {
	da, _ := json.Marshal(actionsOrEmpty(in.DisabledActions))
	res, err := db.ExecContext(ctx, `UPDATE integrations SET name = ?, status = ?, setup_status = ?, disabled_actions = ?, updated_at = ?, last_synced_at = ?,
		last_full_synced_at = ?, sync_error = ? WHERE id = ? AND environment_id = ? AND deleted_at IS NULL`,
		in.Name, in.Status, in.SetupStatus, string(da), sqlstore.FormatTime(in.UpdatedAt), sqlstore.FormatTimePtr(in.LastSyncedAt),
		sqlstore.FormatTimePtr(in.LastFullSyncedAt), in.SyncError, in.ID, in.EnvironmentID)
	if err != nil {
		return fmt.Errorf("sqlite: update integration: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", in.ID)
	}
	return nil
}

// DeleteIntegration marks the integration deleted, drops its credentials,
// and deletes its mirrored data and connector state.
func (s *Store) DeleteIntegration(ctx context.Context, environmentID, id string, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `UPDATE integrations SET deleted_at = ?, credentials = X'7B7D' WHERE id = ? AND environment_id = ? AND deleted_at IS NULL`,
			sqlstore.FormatTime(time.Now()), id, environmentID)
		if err != nil {
			return fmt.Errorf("sqlite: delete integration: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
		}
		for _, table := range []string{"connector_state", "jobs", "stages", "candidates", "applications"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE integration_id = ?`, id); err != nil {
				return fmt.Errorf("sqlite: delete integration %s: %w", table, err)
			}
		}
		return addEvents(ctx, tx, emit)
	})
}

// GetState returns the connector state under key, or nil.
func (s *Store) GetState(ctx context.Context, integrationID, key string) ([]byte, error) {
	var v []byte
	err := s.read.QueryRowContext(ctx, `SELECT value FROM connector_state WHERE integration_id = ? AND key = ?`, integrationID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get state: %w", err)
	}
	return v, nil
}

// PutState stores the connector state under key.
func (s *Store) PutState(ctx context.Context, integrationID, key string, value []byte) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO connector_state (integration_id, key, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (integration_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		integrationID, key, value, sqlstore.FormatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("sqlite: put state: %w", err)
	}
	return nil
}

// SetIntegrationCredentials replaces a live integration's stored credentials.
func (s *Store) SetIntegrationCredentials(ctx context.Context, id string, credentials []byte) error {
	res, err := s.write.ExecContext(ctx, `UPDATE integrations SET credentials = ? WHERE id = ? AND deleted_at IS NULL`, credentials, id)
	if err != nil {
		return fmt.Errorf("sqlite: set credentials: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	return nil
}

// ListStateKeys returns the integration's state keys.
func (s *Store) ListStateKeys(ctx context.Context, integrationID string) ([]string, error) {
	return queryAll(ctx, s.read, `SELECT key FROM connector_state WHERE integration_id = ? ORDER BY key`, []any{integrationID},
		func(r scanner) (string, error) {
			var k string
			err := r.Scan(&k)
			return k, err
		})
}
