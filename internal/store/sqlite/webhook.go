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

const webhookColumns = `id, environment_id, url, events, secret, created_at, failures, disabled_at, disabled_reason`

func scanWebhook(r scanner) (*resultlinks.Webhook, error) {
	var w resultlinks.Webhook
	var events, created string
	var disabled sql.NullString
	if err := r.Scan(&w.ID, &w.EnvironmentID, &w.URL, &events, &w.Secret, &created, &w.Failures, &disabled, &w.DisabledReason); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
		return nil, err
	}
	var err error
	if w.CreatedAt, err = sqlstore.ParseTime(created); err != nil {
		return nil, err
	}
	w.DisabledAt, err = sqlstore.ParseTimePtr(disabled)
	return &w, err
}

// CreateWebhook stores an endpoint.
func (s *Store) CreateWebhook(ctx context.Context, w *resultlinks.Webhook) error {
	events, _ := json.Marshal(nonNil(w.Events))
	_, err := s.write.ExecContext(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES (?,?,?,?,?,?,?,?,?)`,
		w.ID, w.EnvironmentID, w.URL, string(events), w.Secret, sqlstore.FormatTime(w.CreatedAt), w.Failures,
		sqlstore.FormatTimePtr(w.DisabledAt), w.DisabledReason)
	if err != nil {
		return fmt.Errorf("sqlite: create webhook: %w", err)
	}
	return nil
}

// ListWebhooks returns the environment's endpoints, oldest first.
func (s *Store) ListWebhooks(ctx context.Context, environmentID string) ([]*resultlinks.Webhook, error) {
	list, err := queryAll(ctx, s.read, `SELECT `+webhookColumns+` FROM webhooks WHERE environment_id = ? ORDER BY created_at, id`,
		[]any{environmentID}, scanWebhook)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list webhooks: %w", err)
	}
	return list, nil
}

// GetWebhook returns an endpoint of any environment.
func (s *Store) GetWebhook(ctx context.Context, id string) (*resultlinks.Webhook, error) {
	w, err := scanWebhook(s.read.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get webhook: %w", err)
	}
	return w, nil
}

// FindWebhook returns an endpoint of the environment.
func (s *Store) FindWebhook(ctx context.Context, environmentID, id string) (*resultlinks.Webhook, error) {
	w, err := scanWebhook(s.read.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ? AND environment_id = ?`, id, environmentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find webhook: %w", err)
	}
	return w, nil
}

// DeleteWebhook deletes an endpoint of the environment and its sends.
func (s *Store) DeleteWebhook(ctx context.Context, environmentID, id string) error {
	return s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ? AND environment_id = ?`, id, environmentID)
		if err != nil {
			return fmt.Errorf("sqlite: delete webhook: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_sends WHERE webhook_id = ?`, id); err != nil {
			return fmt.Errorf("sqlite: delete webhook sends: %w", err)
		}
		return nil
	})
}

// AddWebhookFailure counts a failed send, and disables the endpoint when
// disabledAt is set.
func (s *Store) AddWebhookFailure(ctx context.Context, id string, disabledAt *time.Time, reason string) error {
	return s.tx(ctx, func(tx *txConn) error {
		if disabledAt == nil {
			_, err := tx.ExecContext(ctx, `UPDATE webhooks SET failures = failures + 1 WHERE id = ?`, id)
			return wrapErr("add webhook failure", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhooks SET failures = failures + 1, disabled_at = ?, disabled_reason = ? WHERE id = ?`,
			sqlstore.FormatTime(*disabledAt), reason, id); err != nil {
			return wrapErr("disable webhook", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE webhook_sends SET state = 'dropped', claimed_until = NULL WHERE webhook_id = ? AND state = 'pending'`, id)
		return wrapErr("drop webhook sends", err)
	})
}

func wrapErr(what string, err error) error {
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

// SetWebhookHealth saves an endpoint's failure count and disabled state.
func (s *Store) SetWebhookHealth(ctx context.Context, id string, failures int, disabledAt *time.Time, reason string) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE webhooks SET failures = ?, disabled_at = ?, disabled_reason = ? WHERE id = ?`,
		failures, sqlstore.FormatTimePtr(disabledAt), reason, id); err != nil {
		return fmt.Errorf("sqlite: set webhook health: %w", err)
	}
	return nil
}

// AddWebhookEvent stores an event and queues its sending in one transaction.
func (s *Store) AddWebhookEvent(ctx context.Context, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	return s.tx(ctx, func(tx *txConn) error { return addEvent(ctx, tx, ev, enqueue) })
}

// addEvents stores each emit's event and queues its sending within tx.
func addEvents(ctx context.Context, tx *txConn, emit []*resultlinks.Emit) error {
	for _, e := range emit {
		if e != nil {
			if err := addEvent(ctx, tx, e.Event, e.Enqueue); err != nil {
				return err
			}
		}
	}
	return nil
}

// addEvent stores an event, with one pending send per enabled endpoint
// that takes it, and queues its sending within tx. An event no endpoint
// takes is not stored.
func addEvent(ctx context.Context, tx *txConn, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO webhook_sends (webhook_id, event_id, integration_id, state)
		SELECT id, ?, ?, 'pending' FROM webhooks WHERE environment_id = ? AND disabled_at IS NULL
			AND (events = '[]' OR EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE json_each.value = ?))
		ORDER BY created_at, id`, ev.ID, ev.IntegrationID, ev.EnvironmentID, ev.Type)
	if err != nil {
		return fmt.Errorf("sqlite: add webhook sends: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (id, environment_id, integration_id, type, data, created_at) VALUES (?,?,?,?,?,?)`,
		ev.ID, ev.EnvironmentID, ev.IntegrationID, ev.Type, string(ev.Data), sqlstore.FormatTime(ev.CreatedAt)); err != nil {
		return fmt.Errorf("sqlite: add webhook event: %w", err)
	}
	if enqueue != nil {
		return enqueue(ctx, tx.Tx)
	}
	return nil
}

// PendingWebhookSends returns the endpoints an event waits to be sent to.
func (s *Store) PendingWebhookSends(ctx context.Context, eventID string) ([]string, error) {
	list, err := queryAll(ctx, s.read, `SELECT webhook_id FROM webhook_sends WHERE event_id = ? AND state = 'pending' ORDER BY seq`,
		[]any{eventID}, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending webhook sends: %w", err)
	}
	return list, nil
}

// ClaimWebhookSend claims the send of an event to an endpoint.
func (s *Store) ClaimWebhookSend(ctx context.Context, webhookID, eventID string, now, until time.Time) (resultlinks.SendClaim, error) {
	claim := resultlinks.SendUntracked
	err := s.tx(ctx, func(tx *txConn) error {
		var seq int64
		var integrationID, state string
		var claimed sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT seq, integration_id, state, claimed_until FROM webhook_sends WHERE webhook_id = ? AND event_id = ?`,
			webhookID, eventID).Scan(&seq, &integrationID, &state, &claimed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			claim = resultlinks.SendUntracked
			return nil
		case err != nil:
			return err
		case state != string(resultlinks.SendPending):
			claim = resultlinks.SendSettled
			return nil
		}
		if claimed.Valid {
			until, err := sqlstore.ParseTime(claimed.String)
			if err != nil {
				return err
			}
			if until.After(now) {
				claim = resultlinks.SendBusy
				return nil
			}
		}
		var earlier int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM webhook_sends WHERE webhook_id = ? AND integration_id = ? AND state = 'pending' AND seq < ? LIMIT 1`,
			webhookID, integrationID, seq).Scan(&earlier)
		if err == nil {
			claim = resultlinks.SendBlocked
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		claim = resultlinks.SendClaimed
		_, err = tx.ExecContext(ctx, `UPDATE webhook_sends SET claimed_until = ? WHERE seq = ?`, sqlstore.FormatTime(until), seq)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: claim webhook send: %w", err)
	}
	return claim, nil
}

// AbandonedWebhookSends returns pending sends whose claim ran out.
func (s *Store) AbandonedWebhookSends(ctx context.Context, now time.Time, limit int) ([]resultlinks.AbandonedSend, error) {
	list, err := queryAll(ctx, s.read, `SELECT webhook_id, event_id, claimed_until FROM webhook_sends
		WHERE state = 'pending' AND claimed_until IS NOT NULL AND claimed_until < ? ORDER BY seq LIMIT ?`,
		[]any{sqlstore.FormatTime(now), limit}, func(r scanner) (resultlinks.AbandonedSend, error) {
			var a resultlinks.AbandonedSend
			var until string
			if err := r.Scan(&a.WebhookID, &a.EventID, &until); err != nil {
				return a, err
			}
			var err error
			a.ClaimedUntil, err = sqlstore.ParseTime(until)
			return a, err
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: abandoned webhook sends: %w", err)
	}
	return list, nil
}

// FinishWebhookSend ends a claim, settling the send unless state is
// pending, and queues the integration's next pending send by next.
func (s *Store) FinishWebhookSend(ctx context.Context, webhookID, eventID string, state resultlinks.SendState, next func(eventID string) resultlinks.EnqueueFunc) error {
	err := s.tx(ctx, func(tx *txConn) error {
		if state == resultlinks.SendPending {
			_, err := tx.ExecContext(ctx, `UPDATE webhook_sends SET claimed_until = NULL WHERE webhook_id = ? AND event_id = ?`, webhookID, eventID)
			return err
		}
		var integrationID string
		err := tx.QueryRowContext(ctx, `UPDATE webhook_sends SET state = ?, claimed_until = NULL
			WHERE webhook_id = ? AND event_id = ? AND state = 'pending' RETURNING integration_id`, string(state), webhookID, eventID).Scan(&integrationID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // settled before
		}
		if err != nil || next == nil {
			return err
		}
		var nextID string
		err = tx.QueryRowContext(ctx, `SELECT event_id FROM webhook_sends WHERE webhook_id = ? AND integration_id = ? AND state = 'pending' ORDER BY seq LIMIT 1`,
			webhookID, integrationID).Scan(&nextID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return next(nextID)(ctx, tx.Tx)
	})
	if err != nil {
		return fmt.Errorf("sqlite: finish webhook send: %w", err)
	}
	return nil
}

// GetWebhookEvent returns an event.
func (s *Store) GetWebhookEvent(ctx context.Context, id string) (*resultlinks.WebhookEvent, error) {
	var ev resultlinks.WebhookEvent
	var data, created string
	err := s.read.QueryRowContext(ctx, `SELECT id, environment_id, integration_id, type, data, created_at FROM webhook_events WHERE id = ?`, id).
		Scan(&ev.ID, &ev.EnvironmentID, &ev.IntegrationID, &ev.Type, &data, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Event %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get webhook event: %w", err)
	}
	ev.Data = json.RawMessage(data)
	ev.CreatedAt, err = sqlstore.ParseTime(created)
	return &ev, err
}

// AddWebhookDelivery records an attempt.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *resultlinks.WebhookDelivery) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO webhook_deliveries (id, event_id, event_type, webhook_id, attempt, status_code, error, at, duration_ms)
		VALUES (?,?,?,?,?,?,?,?,?)`, d.ID, d.EventID, d.EventType, d.WebhookID, d.Attempt, d.StatusCode, d.Error, sqlstore.FormatTime(d.At), d.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("sqlite: add webhook delivery: %w", err)
	}
	return nil
}

// ListWebhookDeliveries returns an endpoint's attempts, newest first.
func (s *Store) ListWebhookDeliveries(ctx context.Context, webhookID string, limit int) ([]*resultlinks.WebhookDelivery, error) {
	list, err := queryAll(ctx, s.read, `SELECT id, event_id, event_type, webhook_id, attempt, status_code, error, at, duration_ms
		FROM webhook_deliveries WHERE webhook_id = ? ORDER BY at DESC, id DESC LIMIT ?`, []any{webhookID, limitOf(limit)},
		func(r scanner) (*resultlinks.WebhookDelivery, error) {
			var d resultlinks.WebhookDelivery
			var at string
			var ms int64
			if err := r.Scan(&d.ID, &d.EventID, &d.EventType, &d.WebhookID, &d.Attempt, &d.StatusCode, &d.Error, &at, &ms); err != nil {
				return nil, err
			}
			d.Duration = time.Duration(ms) * time.Millisecond
			var err error
			d.At, err = sqlstore.ParseTime(at)
			return &d, err
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list webhook deliveries: %w", err)
	}
	return list, nil
}

// DeleteWebhookHistoryBefore deletes events and attempts older than t.
func (s *Store) DeleteWebhookHistoryBefore(ctx context.Context, t time.Time) (int, error) {
	ts := sqlstore.FormatTime(t)
	var n int64
	err := s.tx(ctx, func(tx *txConn) error {
		for _, q := range []string{`DELETE FROM webhook_deliveries WHERE at < ?`,
			`DELETE FROM webhook_sends WHERE event_id IN (SELECT id FROM webhook_events WHERE created_at < ?)`,
			`DELETE FROM webhook_events WHERE created_at < ?`} {
			res, err := tx.ExecContext(ctx, q, ts)
			if err != nil {
				return fmt.Errorf("sqlite: delete webhook history: %w", err)
			}
			m, _ := res.RowsAffected()
			n += m
		}
		return nil
	})
	return int(n), err
}

// SetWebhookSecret replaces an endpoint's stored secret.
func (s *Store) SetWebhookSecret(ctx context.Context, id string, secret []byte) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE webhooks SET secret = ? WHERE id = ?`, secret, id); err != nil {
		return fmt.Errorf("sqlite: set webhook secret: %w", err)
	}
	return nil
}
