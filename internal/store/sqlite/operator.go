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

// CreateOperator stores an operator unless its e-mail address is taken.
func (s *Store) CreateOperator(ctx context.Context, o *resultlinks.Operator) error {
	res, err := s.write.ExecContext(ctx, `INSERT INTO operators (id, environment_id, email, password_hash, created_at)
		SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM operators WHERE email = ?)`,
		o.ID, o.EnvironmentID, o.Email, o.PasswordHash, sqlstore.FormatTime(o.CreatedAt), o.Email)
	if err != nil {
		return fmt.Errorf("sqlite: create operator: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "email: an operator with %s exists already", o.Email)
	}
	return nil
}

func scanOperator(r scanner) (*resultlinks.Operator, error) {
	var o resultlinks.Operator
	var created string
	if err := r.Scan(&o.ID, &o.EnvironmentID, &o.Email, &o.PasswordHash, &created); err != nil {
		return nil, err
	}
	var err error
	o.CreatedAt, err = sqlstore.ParseTime(created)
	return &o, err
}

// FindOperatorByEmail returns the operator with the address.
func (s *Store) FindOperatorByEmail(ctx context.Context, email string) (*resultlinks.Operator, error) {
	o, err := scanOperator(s.read.QueryRowContext(ctx, `SELECT id, environment_id, email, password_hash, created_at FROM operators WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Operator %q was not found.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find operator: %w", err)
	}
	return o, nil
}

// ListOperators returns the environment's operators, oldest first.
func (s *Store) ListOperators(ctx context.Context, environmentID string) ([]*resultlinks.Operator, error) {
	out, err := queryAll(ctx, s.read, `SELECT id, environment_id, email, password_hash, created_at FROM operators
		WHERE environment_id = ? ORDER BY created_at, id`, []any{environmentID}, scanOperator)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list operators: %w", err)
	}
	return out, nil
}

// DeleteOperator deletes an operator of the environment and its sessions.
func (s *Store) DeleteOperator(ctx context.Context, environmentID, id string) error {
	return s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM operators WHERE id = ? AND environment_id = ?`, id, environmentID)
		if err != nil {
			return fmt.Errorf("sqlite: delete operator: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return resultlinks.Errorf(resultlinks.CodeNotFound, "Operator %q was not found.", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE operator_id = ?`, id); err != nil {
			return fmt.Errorf("sqlite: delete operator's sessions: %w", err)
		}
		return nil
	})
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *resultlinks.Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, environment_id, api_key_id, operator_id, actor, csrf,
		created_at, idle_until, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		ss.ID, ss.TokenHash, ss.EnvironmentID, ss.APIKeyID, ss.OperatorID, ss.Actor, ss.CSRF,
		sqlstore.FormatTime(ss.CreatedAt), sqlstore.FormatTime(ss.IdleUntil), sqlstore.FormatTime(ss.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	return nil
}

// FindSession returns the live session with the token hash.
func (s *Store) FindSession(ctx context.Context, tokenHash []byte, now time.Time) (*resultlinks.Session, error) {
	var ss resultlinks.Session
	var created, idle, expires string
	at := sqlstore.FormatTime(now)
	err := s.read.QueryRowContext(ctx, `SELECT s.id, s.token_hash, s.environment_id, s.api_key_id, s.operator_id, s.actor, s.csrf,
		s.created_at, s.idle_until, s.expires_at FROM sessions s
		WHERE s.token_hash = ? AND s.idle_until > ? AND s.expires_at > ?
		AND (s.api_key_id = '' OR EXISTS (SELECT 1 FROM api_keys k WHERE k.id = s.api_key_id AND k.environment_id = s.environment_id AND k.revoked_at IS NULL))
		AND (s.operator_id = '' OR EXISTS (SELECT 1 FROM operators o WHERE o.id = s.operator_id AND o.environment_id = s.environment_id))`,
		tokenHash, at, at).
		Scan(&ss.ID, &ss.TokenHash, &ss.EnvironmentID, &ss.APIKeyID, &ss.OperatorID, &ss.Actor, &ss.CSRF, &created, &idle, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "The session was not found or has ended.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find session: %w", err)
	}
	for _, p := range []struct {
		dst *time.Time
		src string
	}{{&ss.CreatedAt, created}, {&ss.IdleUntil, idle}, {&ss.ExpiresAt, expires}} {
		if *p.dst, err = sqlstore.ParseTime(p.src); err != nil {
			return nil, err
		}
	}
	return &ss, nil
}

// TouchSession moves a session's idle end.
func (s *Store) TouchSession(ctx context.Context, id string, idleUntil time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE sessions SET idle_until = ? WHERE id = ?`, sqlstore.FormatTime(idleUntil), id); err != nil {
		return fmt.Errorf("sqlite: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// DeleteSessionsBefore deletes the sessions idle or expired at t.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error) {
	at := sqlstore.FormatTime(t)
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE idle_until <= ? OR expires_at <= ?`, at, at)
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ListResultLinkInteractions returns the logs of the API calls about a
// result link, newest first.
func (s *Store) ListResultLinkInteractions(ctx context.Context, environmentID, resultLinkID string, limit int) ([]*resultlinks.Interaction, error) {
	out, err := queryAll(ctx, s.read, `SELECT id, environment_id, integration_id, method, route, path, status, error_code, error_message,
		result_link_id, started_at, duration_ms FROM interactions WHERE result_link_id = ? AND environment_id = ?
		ORDER BY started_at DESC, id DESC LIMIT ?`, []any{resultLinkID, environmentID, limitOf(limit)},
		func(r scanner) (*resultlinks.Interaction, error) {
			var in resultlinks.Interaction
			var code, started string
			var ms int64
			if err := r.Scan(&in.ID, &in.EnvironmentID, &in.IntegrationID, &in.Method, &in.Route, &in.Path, &in.Status, &code,
				&in.ErrorMessage, &in.ResultLinkID, &started, &ms); err != nil {
				return nil, err
			}
			in.ErrorCode, in.Duration = resultlinks.Code(code), time.Duration(ms)*time.Millisecond
			var err error
			in.StartedAt, err = sqlstore.ParseTime(started)
			return &in, err
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list interactions: %w", err)
	}
	return out, nil
}
