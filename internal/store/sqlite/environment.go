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

// CreateEnvironment stores a new environment.
func (s *Store) CreateEnvironment(ctx context.Context, env *resultlinks.Environment) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO environments (id, name, created_at) VALUES (?, ?, ?)`,
		env.ID, env.Name, sqlstore.FormatTime(env.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create environment: %w", err)
	}
	return nil
}

// CreateFirstEnvironment stores env when there is no environment yet (the
// write transaction serialises processes).
func (s *Store) CreateFirstEnvironment(ctx context.Context, env *resultlinks.Environment) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO environments (id, name, created_at) SELECT ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM environments)`, env.ID, env.Name, sqlstore.FormatTime(env.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("sqlite: create environment: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ListEnvironments returns every environment, oldest first.
func (s *Store) ListEnvironments(ctx context.Context) ([]*resultlinks.Environment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, created_at FROM environments ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list environments: %w", err)
	}
	defer rows.Close()
	var out []*resultlinks.Environment
	for rows.Next() {
		var e resultlinks.Environment
		var created string
		if err := rows.Scan(&e.ID, &e.Name, &created); err != nil {
			return nil, fmt.Errorf("sqlite: list environments: %w", err)
		}
		if e.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// CreateAPIKey stores a new API key.
func (s *Store) CreateAPIKey(ctx context.Context, k *resultlinks.APIKey) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO api_keys (id, environment_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.EnvironmentID, k.Name, k.Prefix, k.Hash, sqlstore.FormatTime(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create api key: %w", err)
	}
	return nil
}

// FindAPIKeyByHash returns the key with that hash.
func (s *Store) FindAPIKeyByHash(ctx context.Context, hash []byte) (*resultlinks.APIKey, error) {
	var k resultlinks.APIKey
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT id, environment_id, name, prefix, hash, created_at FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, hash).
		Scan(&k.ID, &k.EnvironmentID, &k.Name, &k.Prefix, &k.Hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeAuthenticationInvalid, "The API key is missing or not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find api key: %w", err)
	}
	if k.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
		return nil, err
	}
	return &k, nil
}

// ListAPIKeys returns the environment's keys, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context, environmentID string) ([]*resultlinks.APIKey, error) {
	return queryAll(ctx, s.read, `SELECT id, environment_id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys
		WHERE environment_id = ? ORDER BY created_at, id`, []any{environmentID}, func(r scanner) (*resultlinks.APIKey, error) {
		var k resultlinks.APIKey
		var created string
		var used, revoked sql.NullString
		if err := r.Scan(&k.ID, &k.EnvironmentID, &k.Name, &k.Prefix, &created, &used, &revoked); err != nil {
			return nil, err
		}
		var err error
		if k.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
			return nil, err
		}
		if k.LastUsedAt, err = sqlstore.ParseTimePtr(used); err != nil {
			return nil, err
		}
		k.RevokedAt, err = sqlstore.ParseTimePtr(revoked)
		return &k, err
	})
}

// RevokeAPIKey revokes a key of the environment.
func (s *Store) RevokeAPIKey(ctx context.Context, environmentID, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND environment_id = ? AND revoked_at IS NULL`,
		sqlstore.FormatTime(at), id, environmentID)
	if err != nil {
		return fmt.Errorf("sqlite: revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "API key %q was not found (or is revoked already).", id)
	}
	return nil
}

// TouchAPIKey records that a key was used.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, sqlstore.FormatTime(at), id); err != nil {
		return fmt.Errorf("sqlite: touch api key: %w", err)
	}
	return nil
}

// AddAudit stores an audit record.
func (s *Store) AddAudit(ctx context.Context, r *resultlinks.AuditRecord) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO audit_log (id, environment_id, at, actor, action, target, detail) VALUES (?,?,?,?,?,?,?)`,
		r.ID, r.EnvironmentID, sqlstore.FormatTime(r.At), r.Actor, r.Action, r.Target, r.Detail)
	if err != nil {
		return fmt.Errorf("sqlite: add audit: %w", err)
	}
	return nil
}

// ListAudit returns the environment's audit records, newest first.
func (s *Store) ListAudit(ctx context.Context, environmentID string, limit int) ([]*resultlinks.AuditRecord, error) {
	return queryAll(ctx, s.read, `SELECT id, environment_id, at, actor, action, target, detail FROM audit_log
		WHERE environment_id = ? ORDER BY at DESC, id DESC LIMIT ?`, []any{environmentID, limitOf(limit)}, func(r scanner) (*resultlinks.AuditRecord, error) {
		var a resultlinks.AuditRecord
		var at string
		if err := r.Scan(&a.ID, &a.EnvironmentID, &at, &a.Actor, &a.Action, &a.Target, &a.Detail); err != nil {
			return nil, err
		}
		var err error
		a.At, err = sqlstore.ParseTime(at)
		return &a, err
	})
}
