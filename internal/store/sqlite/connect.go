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

const connectLinkColumns = `id, environment_id, token_hash, end_user, tool, language, created_at, expires_at, used_at, integration_id,
	integration_token_hash, failed_checks`

// CreateConnectLink stores a new link.
func (s *Store) CreateConnectLink(ctx context.Context, l *resultlinks.ConnectLink) error {
	eu, _ := json.Marshal(endUserDoc(l.EndUser))
	_, err := s.write.ExecContext(ctx, `INSERT INTO connect_links (`+connectLinkColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		l.ID, l.EnvironmentID, l.TokenHash, string(eu), l.Tool, l.Language, sqlstore.FormatTime(l.CreatedAt), sqlstore.FormatTime(l.ExpiresAt),
		sqlstore.FormatTimePtr(l.UsedAt), l.IntegrationID, nullBytes(l.IntegrationTokenHash), l.FailedChecks)
	if err != nil {
		return fmt.Errorf("sqlite: create connect link: %w", err)
	}
	return nil
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func scanConnectLink(r scanner) (*resultlinks.ConnectLink, error) {
	var l resultlinks.ConnectLink
	var eu, created, expires string
	var used sql.NullString
	if err := r.Scan(&l.ID, &l.EnvironmentID, &l.TokenHash, &eu, &l.Tool, &l.Language, &created, &expires, &used, &l.IntegrationID,
		&l.IntegrationTokenHash, &l.FailedChecks); err != nil {
		return nil, err
	}
	var e endUserDoc
	if err := json.Unmarshal([]byte(eu), &e); err != nil {
		return nil, fmt.Errorf("sqlite: connect link %s end user: %w", l.ID, err)
	}
	l.EndUser = resultlinks.EndUser(e)
	var err error
	if l.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
		return nil, err
	}
	if l.ExpiresAt, err = sqlstore.ParseTime(expires); err != nil {
		return nil, err
	}
	if l.UsedAt, err = sqlstore.ParseTimePtr(used); err != nil {
		return nil, err
	}
	return &l, nil
}

// rowQueryer reads one row from a pool or a transaction.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// findConnectLink returns the link matching where, or CodeNotFound.
func findConnectLink(ctx context.Context, db rowQueryer, where string, args ...any) (*resultlinks.ConnectLink, error) {
	l, err := scanConnectLink(db.QueryRowContext(ctx, `SELECT `+connectLinkColumns+` FROM connect_links WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "This link is not known. Check that it was copied whole, or ask for a new one.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find connect link: %w", err)
	}
	return l, nil
}

// FindConnectLink returns the link whose token has the hash.
func (s *Store) FindConnectLink(ctx context.Context, tokenHash []byte) (*resultlinks.ConnectLink, error) {
	return findConnectLink(ctx, s.read, `token_hash = ?`, tokenHash)
}

// FindConnectLinkByIntegrationToken returns the used link of the
// environment whose integration token has the hash.
func (s *Store) FindConnectLinkByIntegrationToken(ctx context.Context, environmentID string, tokenHash []byte) (*resultlinks.ConnectLink, error) {
	return findConnectLink(ctx, s.read, `integration_token_hash = ? AND environment_id = ? AND used_at IS NOT NULL`, tokenHash, environmentID)
}

// CountConnectFailure adds a refused credential check to the link.
func (s *Store) CountConnectFailure(ctx context.Context, id string) (int, error) {
	var n int
	err := s.write.QueryRowContext(ctx, `UPDATE connect_links SET failed_checks = failed_checks + 1 WHERE id = ? RETURNING failed_checks`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, resultlinks.Errorf(resultlinks.CodeNotFound, "Connect link %q was not found.", id)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: count connect failure: %w", err)
	}
	return n, nil
}

// CompleteConnectLink marks the link used and creates the integration
// with its events, in one transaction.
func (s *Store) CompleteConnectLink(ctx context.Context, id string, integrationTokenHash []byte, now time.Time, in *resultlinks.Integration,
	emit ...*resultlinks.Emit) error {
	return s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `UPDATE connect_links SET used_at = ?, integration_id = ?, integration_token_hash = ?
			WHERE id = ? AND environment_id = ? AND used_at IS NULL AND expires_at > ? AND failed_checks < ?`,
			sqlstore.FormatTime(now), in.ID, integrationTokenHash, id, in.EnvironmentID, sqlstore.FormatTime(now), resultlinks.MaxConnectFailures)
		if err != nil {
			return fmt.Errorf("sqlite: complete connect link: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			l, err := findConnectLink(ctx, tx, `id = ? AND environment_id = ?`, id, in.EnvironmentID)
			if err != nil {
				return err
			}
			if err := l.Usable(now); err != nil {
				return err
			}
			return fmt.Errorf("sqlite: connect link %s did not complete", id)
		}
		if err := insertIntegration(ctx, tx, in); err != nil {
			return err
		}
		return addEvents(ctx, tx, emit)
	})
}

// DeleteConnectLinksBefore deletes the links that expired before t.
func (s *Store) DeleteConnectLinksBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM connect_links WHERE expires_at < ?`, sqlstore.FormatTime(t))
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete connect links: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
