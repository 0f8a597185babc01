package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
)

// CreateOperator stores an operator unless its e-mail address is taken.
func (s *Store) CreateOperator(ctx context.Context, o *resultlinks.Operator) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO operators (id, environment_id, email, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING`,
		o.ID, o.EnvironmentID, o.Email, o.PasswordHash, ts(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: create operator: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "email: an operator with %s exists already", o.Email)
	}
	return nil
}

func scanOperator(r pgx.Row) (*resultlinks.Operator, error) {
	var o resultlinks.Operator
	if err := r.Scan(&o.ID, &o.EnvironmentID, &o.Email, &o.PasswordHash, &o.CreatedAt); err != nil {
		return nil, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// FindOperatorByEmail returns the operator with the address.
func (s *Store) FindOperatorByEmail(ctx context.Context, email string) (*resultlinks.Operator, error) {
	o, err := scanOperator(s.pool.QueryRow(ctx, `SELECT id, environment_id, email, password_hash, created_at FROM operators WHERE email = $1`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Operator %q was not found.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find operator: %w", err)
	}
	return o, nil
}

// ListOperators returns the environment's operators, oldest first.
func (s *Store) ListOperators(ctx context.Context, environmentID string) ([]*resultlinks.Operator, error) {
	out, err := queryAll(ctx, s.pool, `SELECT id, environment_id, email, password_hash, created_at FROM operators
		WHERE environment_id = $1 ORDER BY created_at, id`, []any{environmentID}, scanOperator)
	if err != nil {
		return nil, fmt.Errorf("postgres: list operators: %w", err)
	}
	return out, nil
}

// DeleteOperator deletes an operator of the environment and its sessions.
func (s *Store) DeleteOperator(ctx context.Context, environmentID, id string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM operators WHERE id = $1 AND environment_id = $2`, id, environmentID)
		if err != nil {
			return fmt.Errorf("postgres: delete operator: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return resultlinks.Errorf(resultlinks.CodeNotFound, "Operator %q was not found.", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE operator_id = $1`, id); err != nil {
			return fmt.Errorf("postgres: delete operator's sessions: %w", err)
		}
		return nil
	})
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *resultlinks.Session) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO sessions (id, token_hash, environment_id, api_key_id, operator_id, actor, csrf,
		created_at, idle_until, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		ss.ID, ss.TokenHash, ss.EnvironmentID, ss.APIKeyID, ss.OperatorID, ss.Actor, ss.CSRF,
		ts(ss.CreatedAt), ts(ss.IdleUntil), ts(ss.ExpiresAt))
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// FindSession returns the live session with the token hash.
func (s *Store) FindSession(ctx context.Context, tokenHash []byte, now time.Time) (*resultlinks.Session, error) {
	var ss resultlinks.Session
	err := s.pool.QueryRow(ctx, `SELECT s.id, s.token_hash, s.environment_id, s.api_key_id, s.operator_id, s.actor, s.csrf,
		s.created_at, s.idle_until, s.expires_at FROM sessions s
		WHERE s.token_hash = $1 AND s.idle_until > $2 AND s.expires_at > $2
		AND (s.api_key_id = '' OR EXISTS (SELECT 1 FROM api_keys k WHERE k.id = s.api_key_id AND k.environment_id = s.environment_id AND k.revoked_at IS NULL))
		AND (s.operator_id = '' OR EXISTS (SELECT 1 FROM operators o WHERE o.id = s.operator_id AND o.environment_id = s.environment_id))`,
		tokenHash, ts(now)).
		Scan(&ss.ID, &ss.TokenHash, &ss.EnvironmentID, &ss.APIKeyID, &ss.OperatorID, &ss.Actor, &ss.CSRF, &ss.CreatedAt, &ss.IdleUntil, &ss.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "The session was not found or has ended.")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find session: %w", err)
	}
	ss.CreatedAt, ss.IdleUntil, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.IdleUntil.UTC(), ss.ExpiresAt.UTC()
	return &ss, nil
}

// TouchSession moves a session's idle end.
func (s *Store) TouchSession(ctx context.Context, id string, idleUntil time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET idle_until = $1 WHERE id = $2`, ts(idleUntil), id); err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// DeleteSessionsBefore deletes the sessions idle or expired at t.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE idle_until <= $1 OR expires_at <= $1`, ts(t))
	if err != nil {
		return 0, fmt.Errorf("postgres: delete sessions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// ListResultLinkInteractions returns the logs of the API calls about a
// result link, newest first.
func (s *Store) ListResultLinkInteractions(ctx context.Context, environmentID, resultLinkID string, limit int) ([]*resultlinks.Interaction, error) {
	if limit <= 0 {
		limit = 1 << 30
	}
	out, err := queryAll(ctx, s.pool, `SELECT id, environment_id, integration_id, method, route, path, status, error_code, error_message,
		result_link_id, started_at, duration_ms FROM interactions WHERE result_link_id = $1 AND environment_id = $2
		ORDER BY started_at DESC, id DESC LIMIT $3`, []any{resultLinkID, environmentID, limit},
		func(r pgx.Row) (*resultlinks.Interaction, error) {
			var in resultlinks.Interaction
			var code string
			var ms int64
			if err := r.Scan(&in.ID, &in.EnvironmentID, &in.IntegrationID, &in.Method, &in.Route, &in.Path, &in.Status, &code,
				&in.ErrorMessage, &in.ResultLinkID, &in.StartedAt, &ms); err != nil {
				return nil, err
			}
			in.ErrorCode, in.Duration, in.StartedAt = resultlinks.Code(code), time.Duration(ms)*time.Millisecond, in.StartedAt.UTC()
			return &in, nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: list interactions: %w", err)
	}
	return out, nil
}
