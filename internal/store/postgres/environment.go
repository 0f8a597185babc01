package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
)

// CreateEnvironment stores a new environment.
func (s *Store) CreateEnvironment(ctx context.Context, env *resultlinks.Environment) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO environments (id, name, created_at) VALUES ($1, $2, $3)`,
		env.ID, env.Name, ts(env.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: create environment: %w", err)
	}
	return nil
}

// CreateFirstEnvironment stores env when there is no environment yet; an
// advisory lock makes replicas starting at once create only one.
func (s *Store) CreateFirstEnvironment(ctx context.Context, env *resultlinks.Environment) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('resultlinks first environment', 0))`); err != nil {
			return fmt.Errorf("postgres: lock environments: %w", err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO environments (id, name, created_at) SELECT $1, $2, $3
			WHERE NOT EXISTS (SELECT 1 FROM environments)`, env.ID, env.Name, ts(env.CreatedAt))
		if err != nil {
			return fmt.Errorf("postgres: create environment: %w", err)
		}
		created = tag.RowsAffected() == 1
		return nil
	})
	return created, err
}

// ListEnvironments returns every environment, oldest first.
func (s *Store) ListEnvironments(ctx context.Context) ([]*resultlinks.Environment, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, created_at FROM environments ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list environments: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*resultlinks.Environment, error) {
		var e resultlinks.Environment
		if err := r.Scan(&e.ID, &e.Name, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		return &e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list environments: %w", err)
	}
	return out, nil
}

// CreateAPIKey stores a new API key.
func (s *Store) CreateAPIKey(ctx context.Context, k *resultlinks.APIKey) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO api_keys (id, environment_id, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		k.ID, k.EnvironmentID, k.Name, k.Prefix, k.Hash, ts(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: create api key: %w", err)
	}
	return nil
}

// FindAPIKeyByHash returns the key with that hash, or CodeAuthenticationInvalid.
func (s *Store) FindAPIKeyByHash(ctx context.Context, hash []byte) (*resultlinks.APIKey, error) {
	var k resultlinks.APIKey
	err := s.pool.QueryRow(ctx, `SELECT id, environment_id, name, prefix, hash, created_at FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, hash).
		Scan(&k.ID, &k.EnvironmentID, &k.Name, &k.Prefix, &k.Hash, &k.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeAuthenticationInvalid, "The API key is missing or not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find api key: %w", err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return &k, nil
}

// ListAPIKeys returns the environment's keys, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context, environmentID string) ([]*resultlinks.APIKey, error) {
	keys, err := queryAll(ctx, s.pool, `SELECT id, environment_id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys
		WHERE environment_id = $1 ORDER BY created_at, id`, []any{environmentID}, func(r pgx.Row) (*resultlinks.APIKey, error) {
		var k resultlinks.APIKey
		if err := r.Scan(&k.ID, &k.EnvironmentID, &k.Name, &k.Prefix, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt); err != nil {
			return nil, err
		}
		k.CreatedAt = k.CreatedAt.UTC()
		if k.LastUsedAt != nil {
			t := k.LastUsedAt.UTC()
			k.LastUsedAt = &t
		}
		if k.RevokedAt != nil {
			t := k.RevokedAt.UTC()
			k.RevokedAt = &t
		}
		return &k, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list api keys: %w", err)
	}
	return keys, nil
}

// RevokeAPIKey revokes a key of the environment.
func (s *Store) RevokeAPIKey(ctx context.Context, environmentID, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND environment_id = $3 AND revoked_at IS NULL`,
		ts(at), id, environmentID)
	if err != nil {
		return fmt.Errorf("postgres: revoke api key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "API key %q was not found (or is revoked already).", id)
	}
	return nil
}

// TouchAPIKey records that a key was used.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, ts(at), id); err != nil {
		return fmt.Errorf("postgres: touch api key: %w", err)
	}
	return nil
}

// AddAudit stores an audit record.
func (s *Store) AddAudit(ctx context.Context, r *resultlinks.AuditRecord) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO audit_log (id, environment_id, at, actor, action, target, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		r.ID, r.EnvironmentID, ts(r.At), r.Actor, r.Action, r.Target, r.Detail)
	if err != nil {
		return fmt.Errorf("postgres: add audit: %w", err)
	}
	return nil
}

// ListAudit returns the environment's audit records, newest first.
func (s *Store) ListAudit(ctx context.Context, environmentID string, n int) ([]*resultlinks.AuditRecord, error) {
	list, err := queryAll(ctx, s.pool, `SELECT id, environment_id, at, actor, action, target, detail FROM audit_log
		WHERE environment_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, []any{environmentID, limit(n)}, func(r pgx.Row) (*resultlinks.AuditRecord, error) {
		var a resultlinks.AuditRecord
		if err := r.Scan(&a.ID, &a.EnvironmentID, &a.At, &a.Actor, &a.Action, &a.Target, &a.Detail); err != nil {
			return nil, err
		}
		a.At = a.At.UTC()
		return &a, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list audit: %w", err)
	}
	return list, nil
}
