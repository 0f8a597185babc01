package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/resultlinks/resultlinks"
)

const integrationColumns = `id, environment_id, tool, name, status, setup_status, credentials, end_user, disabled_actions, created_at, updated_at,
	last_synced_at, last_full_synced_at, sync_error`

type endUserDoc struct {
	OrganizationName string  `json:"organization_name"`
	CreatorEmail     *string `json:"creator_email"`
	OriginID         *string `json:"origin_id"`
}

// CreateIntegration stores a new integration.
func (s *Store) CreateIntegration(ctx context.Context, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := insertIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// insertIntegration stores a new integration within tx.
func insertIntegration(ctx context.Context, tx pgx.Tx, in *resultlinks.Integration) error {
	eu, err := json.Marshal(endUserDoc(in.EndUser))
	if err != nil {
		return fmt.Errorf("postgres: create integration: %w", err)
	}
	creds := in.Credentials
	if creds == nil {
		creds = json.RawMessage("{}")
	}
	_, err = tx.Exec(ctx, `INSERT INTO integrations (`+integrationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		in.ID, in.EnvironmentID, in.Tool, in.Name, string(in.Status), string(in.SetupStatus), []byte(creds), jsonb(eu), actionNames(in.DisabledActions),
		ts(in.CreatedAt), ts(in.UpdatedAt), tsPtr(in.LastSyncedAt), tsPtr(in.LastFullSyncedAt), text(in.SyncError))
	if err != nil {
		return fmt.Errorf("postgres: create integration: %w", err)
	}
	return nil
}

func actionNames(a []resultlinks.Action) []string {
	out := make([]string, len(a))
	for i, v := range a {
		out[i] = string(v)
	}
	return out
}

func scanIntegration(r pgx.Row) (*resultlinks.Integration, error) {
	var in resultlinks.Integration
	var creds, eu []byte
	var actions []string
	if err := r.Scan(&in.ID, &in.EnvironmentID, &in.Tool, &in.Name, &in.Status, &in.SetupStatus, &creds, &eu, &actions,
		&in.CreatedAt, &in.UpdatedAt, &in.LastSyncedAt, &in.LastFullSyncedAt, &in.SyncError); err != nil {
		return nil, err
	}
	in.Credentials = creds
	var e endUserDoc
	if err := json.Unmarshal(eu, &e); err != nil {
		return nil, fmt.Errorf("integration %s end user: %w", in.ID, err)
	}
	in.EndUser = resultlinks.EndUser(e)
	in.DisabledActions = make([]resultlinks.Action, len(actions))
	for i, a := range actions {
		in.DisabledActions[i] = resultlinks.Action(a)
	}
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	in.LastSyncedAt, in.LastFullSyncedAt = utcPtr(in.LastSyncedAt), utcPtr(in.LastFullSyncedAt)
	return &in, nil
}

// FindIntegration returns the live integration of the environment, or
// CodeIntegrationNotFound.
func (s *Store) FindIntegration(ctx context.Context, environmentID, id string) (*resultlinks.Integration, error) {
	in, err := scanIntegration(s.pool.QueryRow(ctx, `SELECT `+integrationColumns+` FROM integrations
		WHERE id = $1 AND environment_id = $2 AND deleted_at IS NULL`, id, environmentID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find integration: %w", err)
	}
	return in, nil
}

// GetIntegration returns a live integration of any environment, or
// CodeIntegrationNotFound.
func (s *Store) GetIntegration(ctx context.Context, id string) (*resultlinks.Integration, error) {
	in, err := scanIntegration(s.pool.QueryRow(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE id = $1 AND deleted_at IS NULL`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get integration: %w", err)
	}
	return in, nil
}

// ListIntegrations returns the environment's live integrations, oldest first.
func (s *Store) ListIntegrations(ctx context.Context, environmentID string) ([]*resultlinks.Integration, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+integrationColumns+` FROM integrations
		WHERE environment_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, environmentID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list integrations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*resultlinks.Integration, error) { return scanIntegration(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list integrations: %w", err)
	}
	return out, nil
}

// UpdateIntegration saves the integration's mutable fields, or answers
// CodeIntegrationNotFound.
func (s *Store) UpdateIntegration(ctx context.Context, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	if !resultlinks.Emits(emit) {
		return updateIntegration(ctx, s.pool, in)
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := updateIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// execer runs a statement on the pool or in a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// updateIntegration saves the integration's mutable fields through db.
func updateIntegration(ctx context.Context, db execer, in *resultlinks.Integration) error {
	tag, err := db.Exec(ctx, `UPDATE integrations SET name = $1, status = $2, setup_status = $3, disabled_actions = $4, updated_at = $5,
		last_synced_at = $6, last_full_synced_at = $7, sync_error = $8 WHERE id = $9 AND environment_id = $10 AND deleted_at IS NULL`,
		in.Name, string(in.Status), string(in.SetupStatus), actionNames(in.DisabledActions), ts(in.UpdatedAt), tsPtr(in.LastSyncedAt),
		tsPtr(in.LastFullSyncedAt), text(in.SyncError), in.ID, in.EnvironmentID)
	if err != nil {
		return fmt.Errorf("postgres: update integration: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", in.ID)
	}
	return nil
}

// DeleteIntegration marks the integration deleted, drops its credentials,
// and deletes its mirrored data and connector state, or answers
// CodeIntegrationNotFound.
func (s *Store) DeleteIntegration(ctx context.Context, environmentID, id string, emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE integrations SET deleted_at = $1, credentials = $2
			WHERE id = $3 AND environment_id = $4 AND deleted_at IS NULL`, ts(time.Now()), []byte("{}"), id, environmentID)
		if err != nil {
			return fmt.Errorf("postgres: delete integration: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
		}
		if err := lockMirror(ctx, tx, id); err != nil {
			return err
		}
		for _, q := range []struct{ table, sql string }{
			{"connector_state", `DELETE FROM connector_state WHERE integration_id = $1`},
			{"jobs", `DELETE FROM jobs WHERE integration_id = $1`},
			{"stages", `DELETE FROM stages WHERE integration_id = $1`},
			{"candidates", `DELETE FROM candidates WHERE integration_id = $1`},
			{"applications", `DELETE FROM applications WHERE integration_id = $1`},
		} {
			if _, err := tx.Exec(ctx, q.sql, id); err != nil {
				return fmt.Errorf("postgres: delete integration %s: %w", q.table, err)
			}
		}
		return addEvents(ctx, tx, emit)
	})
}

// GetState returns the connector state under key, or nil when there is none.
func (s *Store) GetState(ctx context.Context, integrationID, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM connector_state WHERE integration_id = $1 AND key = $2`, integrationID, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get state: %w", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// PutState stores value under key.
func (s *Store) PutState(ctx context.Context, integrationID, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO connector_state (integration_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (integration_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		integrationID, key, value, ts(time.Now()))
	if err != nil {
		return fmt.Errorf("postgres: put state: %w", err)
	}
	return nil
}

// SetIntegrationCredentials replaces a live integration's stored credentials.
func (s *Store) SetIntegrationCredentials(ctx context.Context, id string, credentials []byte) error {
	tag, err := s.pool.Exec(ctx, `UPDATE integrations SET credentials = $1 WHERE id = $2 AND deleted_at IS NULL`, credentials, id)
	if err != nil {
		return fmt.Errorf("postgres: set credentials: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeIntegrationNotFound, "Integration %q was not found.", id)
	}
	return nil
}

// ListStateKeys returns the integration's state keys.
func (s *Store) ListStateKeys(ctx context.Context, integrationID string) ([]string, error) {
	keys, err := queryAll(ctx, s.pool, `SELECT key FROM connector_state WHERE integration_id = $1 ORDER BY key`, []any{integrationID},
		func(r pgx.Row) (string, error) {
			var k string
			err := r.Scan(&k)
			return k, err
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: list state keys: %w", err)
	}
	return keys, nil
}
