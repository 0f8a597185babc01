package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	err := s.read.QueryRowContext(ctx, `SELECT id, environment_id, name, prefix, hash, created_at FROM api_keys WHERE hash = ?`, hash).
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
