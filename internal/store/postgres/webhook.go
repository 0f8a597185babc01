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

const webhookColumns = `id, environment_id, url, events, secret, created_at, failures, disabled_at, disabled_reason`

func scanWebhook(r pgx.Row) (*resultlinks.Webhook, error) {
	var w resultlinks.Webhook
	if err := r.Scan(&w.ID, &w.EnvironmentID, &w.URL, &w.Events, &w.Secret, &w.CreatedAt, &w.Failures, &w.DisabledAt, &w.DisabledReason); err != nil {
		return nil, err
	}
	w.CreatedAt = w.CreatedAt.UTC()
	if w.DisabledAt != nil {
		t := w.DisabledAt.UTC()
		w.DisabledAt = &t
	}
	if w.Events == nil {
		w.Events = []string{}
	}
	return &w, nil
}

// CreateWebhook stores an endpoint.
func (s *Store) CreateWebhook(ctx context.Context, w *resultlinks.Webhook) error {
	events := w.Events
	if events == nil {
		events = []string{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
		w.ID, w.EnvironmentID, w.URL, events, w.Secret, ts(w.CreatedAt), w.Failures, tsPtr(w.DisabledAt), w.DisabledReason)
	if err != nil {
		return fmt.Errorf("postgres: create webhook: %w", err)
	}
	return nil
}

// ListWebhooks returns the environment's endpoints, oldest first.
func (s *Store) ListWebhooks(ctx context.Context, environmentID string) ([]*resultlinks.Webhook, error) {
	list, err := queryAll(ctx, s.pool, `SELECT `+webhookColumns+` FROM webhooks WHERE environment_id = $1 ORDER BY created_at, id`,
		[]any{environmentID}, scanWebhook)
	if err != nil {
		return nil, fmt.Errorf("postgres: list webhooks: %w", err)
	}
	return list, nil
}

// GetWebhook returns an endpoint of any environment.
func (s *Store) GetWebhook(ctx context.Context, id string) (*resultlinks.Webhook, error) {
	w, err := scanWebhook(s.pool.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get webhook: %w", err)
	}
	return w, nil
}

// DeleteWebhook deletes an endpoint of the environment.
func (s *Store) DeleteWebhook(ctx context.Context, environmentID, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1 AND environment_id = $2`, id, environmentID)
	if err != nil {
		return fmt.Errorf("postgres: delete webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
	}
	return nil
}

// SetWebhookHealth saves an endpoint's failure count and disabled state.
func (s *Store) SetWebhookHealth(ctx context.Context, id string, failures int, disabledAt *time.Time, reason string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE webhooks SET failures = $1, disabled_at = $2, disabled_reason = $3 WHERE id = $4`,
		failures, tsPtr(disabledAt), reason, id); err != nil {
		return fmt.Errorf("postgres: set webhook health: %w", err)
	}
	return nil
}

// AddWebhookEvent stores an event and queues its sending in one transaction.
func (s *Store) AddWebhookEvent(ctx context.Context, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	return s.tx(ctx, func(tx pgx.Tx) error { return addEvent(ctx, tx, ev, enqueue) })
}

// addEvents stores each emit's event and queues its sending within tx.
func addEvents(ctx context.Context, tx pgx.Tx, emit []*resultlinks.Emit) error {
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
func addEvent(ctx context.Context, tx pgx.Tx, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_events (id, environment_id, type, data, created_at) VALUES ($1,$2,$3,$4,$5)`,
		ev.ID, ev.EnvironmentID, ev.Type, string(ev.Data), ts(ev.CreatedAt)); err != nil {
		return fmt.Errorf("postgres: add webhook event: %w", err)
	}
	if enqueue != nil {
		return enqueue(ctx, tx)
	}
	return nil
}

// GetWebhookEvent returns an event.
func (s *Store) GetWebhookEvent(ctx context.Context, id string) (*resultlinks.WebhookEvent, error) {
	var ev resultlinks.WebhookEvent
	var data string
	err := s.pool.QueryRow(ctx, `SELECT id, environment_id, type, data::text, created_at FROM webhook_events WHERE id = $1`, id).
		Scan(&ev.ID, &ev.EnvironmentID, &ev.Type, &data, &ev.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Event %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get webhook event: %w", err)
	}
	ev.Data, ev.CreatedAt = json.RawMessage(data), ev.CreatedAt.UTC()
	return &ev, nil
}

// AddWebhookDelivery records an attempt.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *resultlinks.WebhookDelivery) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO webhook_deliveries (id, event_id, event_type, webhook_id, attempt, status_code, error, at, duration_ms)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, d.ID, d.EventID, d.EventType, d.WebhookID, d.Attempt, d.StatusCode, text(d.Error), ts(d.At), d.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("postgres: add webhook delivery: %w", err)
	}
	return nil
}

// ListWebhookDeliveries returns an endpoint's attempts, newest first.
func (s *Store) ListWebhookDeliveries(ctx context.Context, webhookID string, n int) ([]*resultlinks.WebhookDelivery, error) {
	list, err := queryAll(ctx, s.pool, `SELECT id, event_id, event_type, webhook_id, attempt, status_code, error, at, duration_ms
		FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, []any{webhookID, limit(n)},
		func(r pgx.Row) (*resultlinks.WebhookDelivery, error) {
			var d resultlinks.WebhookDelivery
			var ms int64
			if err := r.Scan(&d.ID, &d.EventID, &d.EventType, &d.WebhookID, &d.Attempt, &d.StatusCode, &d.Error, &d.At, &ms); err != nil {
				return nil, err
			}
			d.At, d.Duration = d.At.UTC(), time.Duration(ms)*time.Millisecond
			return &d, nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: list webhook deliveries: %w", err)
	}
	return list, nil
}

// DeleteWebhookHistoryBefore deletes events and attempts older than t.
func (s *Store) DeleteWebhookHistoryBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM webhook_deliveries WHERE at < $1`, `DELETE FROM webhook_events WHERE created_at < $1`} {
			tag, err := tx.Exec(ctx, q, ts(t))
			if err != nil {
				return fmt.Errorf("postgres: delete webhook history: %w", err)
			}
			n += tag.RowsAffected()
		}
		return nil
	})
	return int(n), err
}

// SetWebhookSecret replaces an endpoint's stored secret.
func (s *Store) SetWebhookSecret(ctx context.Context, id string, secret []byte) error {
	if _, err := s.pool.Exec(ctx, `UPDATE webhooks SET secret = $1 WHERE id = $2`, secret, id); err != nil {
		return fmt.Errorf("postgres: set webhook secret: %w", err)
	}
	return nil
}
