package postgres

import (
	"context"
	"errors"
	"fmt"

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
	err := s.pool.QueryRow(ctx, `SELECT id, environment_id, name, prefix, hash, created_at FROM api_keys WHERE hash = $1`, hash).
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
