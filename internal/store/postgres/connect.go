package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
)

const connectLinkColumns = `id, environment_id, token_hash, end_user, tool, language, created_at, expires_at, used_at, integration_id,
	integration_token_hash, failed_checks`

// CreateConnectLink stores a new link.
func (s *Store) CreateConnectLink(ctx context.Context, l *resultlinks.ConnectLink) error {
	eu, err := json.Marshal(endUserDoc(l.EndUser))
	if err != nil {
		return fmt.Errorf("postgres: create connect link: %w", err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO connect_links (`+connectLinkColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		l.ID, l.EnvironmentID, l.TokenHash, jsonb(eu), text(l.Tool), text(l.Language), ts(l.CreatedAt), ts(l.ExpiresAt), tsPtr(l.UsedAt),
		l.IntegrationID, nullBytes(l.IntegrationTokenHash), l.FailedChecks)
	if err != nil {
		return fmt.Errorf("postgres: create connect link: %w", err)
	}
	return nil
}

func nullBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func scanConnectLink(r pgx.Row) (*resultlinks.ConnectLink, error) {
	var l resultlinks.ConnectLink
	var eu []byte
	if err := r.Scan(&l.ID, &l.EnvironmentID, &l.TokenHash, &eu, &l.Tool, &l.Language, &l.CreatedAt, &l.ExpiresAt, &l.UsedAt, &l.IntegrationID,
		&l.IntegrationTokenHash, &l.FailedChecks); err != nil {
		return nil, err
	}
	var e endUserDoc
	if err := json.Unmarshal(eu, &e); err != nil {
		return nil, fmt.Errorf("postgres: connect link %s end user: %w", l.ID, err)
	}
	l.EndUser = resultlinks.EndUser(e)
	l.CreatedAt, l.ExpiresAt, l.UsedAt = l.CreatedAt.UTC(), l.ExpiresAt.UTC(), utcPtr(l.UsedAt)
	return &l, nil
}

// rowQueryer reads one row from a pool or a transaction.
type rowQueryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// findConnectLink returns the link matching where, or CodeNotFound.
func findConnectLink(ctx context.Context, db rowQueryer, where string, args ...any) (*resultlinks.ConnectLink, error) {
	l, err := scanConnectLink(db.QueryRow(ctx, `SELECT `+connectLinkColumns+` FROM connect_links WHERE `+where, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "This link is not known. Check that it was copied whole, or ask for a new one.")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find connect link: %w", err)
	}
	return l, nil
}

// FindConnectLink returns the link whose token has the hash.
func (s *Store) FindConnectLink(ctx context.Context, tokenHash []byte) (*resultlinks.ConnectLink, error) {
	return findConnectLink(ctx, s.pool, `token_hash = $1`, tokenHash)
}

// FindConnectLinkByIntegrationToken returns the used link of the
// environment whose integration token has the hash.
func (s *Store) FindConnectLinkByIntegrationToken(ctx context.Context, environmentID string, tokenHash []byte) (*resultlinks.ConnectLink, error) {
	return findConnectLink(ctx, s.pool, `integration_token_hash = $1 AND environment_id = $2 AND used_at IS NOT NULL`, tokenHash, environmentID)
}

// CountConnectFailure adds a refused credential check to the link.
func (s *Store) CountConnectFailure(ctx context.Context, id string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `UPDATE connect_links SET failed_checks = failed_checks + 1 WHERE id = $1 RETURNING failed_checks`, id).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, resultlinks.Errorf(resultlinks.CodeNotFound, "Connect link %q was not found.", id)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: count connect failure: %w", err)
	}
	return n, nil
}

// CompleteConnectLink marks the link used and creates the integration
// with its events, in one transaction. The conditional update takes the
// link's row lock, so of concurrent calls exactly one completes.
func (s *Store) CompleteConnectLink(ctx context.Context, id string, integrationTokenHash []byte, now time.Time, in *resultlinks.Integration,
	emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE connect_links SET used_at = $1, integration_id = $2, integration_token_hash = $3
			WHERE id = $4 AND environment_id = $5 AND used_at IS NULL AND expires_at > $1 AND failed_checks < $6`,
			ts(now), in.ID, integrationTokenHash, id, in.EnvironmentID, resultlinks.MaxConnectFailures)
		if err != nil {
			return fmt.Errorf("postgres: complete connect link: %w", err)
		}
		if tag.RowsAffected() == 0 {
			l, err := findConnectLink(ctx, tx, `id = $1 AND environment_id = $2`, id, in.EnvironmentID)
			if err != nil {
				return err
			}
			if err := l.Usable(now); err != nil {
				return err
			}
			return fmt.Errorf("postgres: connect link %s did not complete", id)
		}
		if err := insertIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// DeleteConnectLinksBefore deletes the links that expired before t.
func (s *Store) DeleteConnectLinksBefore(ctx context.Context, t time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM connect_links WHERE expires_at < $1`, ts(t))
	if err != nil {
		return 0, fmt.Errorf("postgres: delete connect links: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
