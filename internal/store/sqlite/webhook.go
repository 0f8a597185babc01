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

// DeleteWebhook deletes an endpoint of the environment.
func (s *Store) DeleteWebhook(ctx context.Context, environmentID, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ? AND environment_id = ?`, id, environmentID)
	if err != nil {
		return fmt.Errorf("sqlite: delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
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
	return s.tx(ctx, func(tx *sql.Tx) error { return addEvent(ctx, tx, ev, enqueue) })
}

// addEvents stores each emit's event and queues its sending within tx.
func addEvents(ctx context.Context, tx *sql.Tx, emit []*resultlinks.Emit) error {
	for _, e := range emit {
		if e != nil {
			if err := addEvent(ctx, tx, e.Event, e.Enqueue); err != nil {
				return err
			}
		}
	}
	return nil
}

// addEvent stores an event and queues its sending within tx.
func addEvent(ctx context.Context, tx *sql.Tx, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (id, environment_id, type, data, created_at) VALUES (?,?,?,?,?)`,
		ev.ID, ev.EnvironmentID, ev.Type, string(ev.Data), sqlstore.FormatTime(ev.CreatedAt)); err != nil {
		return fmt.Errorf("sqlite: add webhook event: %w", err)
	}
	if enqueue != nil {
		return enqueue(ctx, tx)
	}
	return nil
}

// GetWebhookEvent returns an event.
func (s *Store) GetWebhookEvent(ctx context.Context, id string) (*resultlinks.WebhookEvent, error) {
	var ev resultlinks.WebhookEvent
	var data, created string
	err := s.read.QueryRowContext(ctx, `SELECT id, environment_id, type, data, created_at FROM webhook_events WHERE id = ?`, id).
		Scan(&ev.ID, &ev.EnvironmentID, &ev.Type, &data, &created)
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
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM webhook_deliveries WHERE at < ?`, `DELETE FROM webhook_events WHERE created_at < ?`} {
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
