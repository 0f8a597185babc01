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

// FindWebhook returns an endpoint of the environment.
func (s *Store) FindWebhook(ctx context.Context, environmentID, id string) (*resultlinks.Webhook, error) {
	w, err := scanWebhook(s.pool.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1 AND environment_id = $2`, id, environmentID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find webhook: %w", err)
	}
	return w, nil
}

// DeleteWebhook deletes an endpoint of the environment and its sends.
func (s *Store) DeleteWebhook(ctx context.Context, environmentID, id string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhooks WHERE id = $1 AND environment_id = $2`, id, environmentID)
		if err != nil {
			return fmt.Errorf("postgres: delete webhook: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return resultlinks.Errorf(resultlinks.CodeNotFound, "Webhook %q was not found.", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_sends WHERE webhook_id = $1`, id); err != nil {
			return fmt.Errorf("postgres: delete webhook sends: %w", err)
		}
		return nil
	})
}

// AddWebhookFailure counts a failed send, and disables the endpoint when
// disabledAt is set.
func (s *Store) AddWebhookFailure(ctx context.Context, id string, disabledAt *time.Time, reason string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if disabledAt == nil {
			if _, err := tx.Exec(ctx, `UPDATE webhooks SET failures = failures + 1 WHERE id = $1`, id); err != nil {
				return fmt.Errorf("postgres: add webhook failure: %w", err)
			}
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE webhooks SET failures = failures + 1, disabled_at = $1, disabled_reason = $2 WHERE id = $3`,
			ts(*disabledAt), reason, id); err != nil {
			return fmt.Errorf("postgres: disable webhook: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_sends SET state = 'dropped', claimed_until = NULL WHERE webhook_id = $1 AND state = 'pending'`, id); err != nil {
			return fmt.Errorf("postgres: drop webhook sends: %w", err)
		}
		return nil
	})
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

// addEvent stores an event, with one pending send per enabled endpoint
// that takes it, and queues its sending within tx. An event no endpoint
// takes is not stored.
func addEvent(ctx context.Context, tx pgx.Tx, ev *resultlinks.WebhookEvent, enqueue resultlinks.EnqueueFunc) error {
	tag, err := tx.Exec(ctx, `INSERT INTO webhook_sends (webhook_id, event_id, integration_id, state)
		SELECT id, $1, $2, 'pending' FROM webhooks WHERE environment_id = $3 AND disabled_at IS NULL
			AND (cardinality(events) = 0 OR $4 = ANY (events))
		ORDER BY created_at, id`, ev.ID, ev.IntegrationID, ev.EnvironmentID, ev.Type)
	if err != nil {
		return fmt.Errorf("postgres: add webhook sends: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_events (id, environment_id, integration_id, type, data, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
		ev.ID, ev.EnvironmentID, ev.IntegrationID, ev.Type, string(ev.Data), ts(ev.CreatedAt)); err != nil {
		return fmt.Errorf("postgres: add webhook event: %w", err)
	}
	if enqueue != nil {
		return enqueue(ctx, tx)
	}
	return nil
}

// PendingWebhookSends returns the endpoints an event waits to be sent to.
func (s *Store) PendingWebhookSends(ctx context.Context, eventID string) ([]string, error) {
	list, err := queryAll(ctx, s.pool, `SELECT webhook_id FROM webhook_sends WHERE event_id = $1 AND state = 'pending' ORDER BY seq`,
		[]any{eventID}, func(r pgx.Row) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: pending webhook sends: %w", err)
	}
	return list, nil
}

// sendLockSpace is the first key of the advisory locks that serialise the
// claims and settlings of one endpoint's sends of one integration's events,
// so that a claim never misses a settling that is committing.
const sendLockSpace = 0x726c7773 + 1 // after "rlws"

// lockSends takes the lock of the sends that share the order of the send
// of eventID to webhookID, until tx ends; found is false when there is no
// such send.
func lockSends(ctx context.Context, tx pgx.Tx, webhookID, eventID string) (found bool, err error) {
	var integrationID string
	err = tx.QueryRow(ctx, `SELECT integration_id FROM webhook_sends WHERE webhook_id = $1 AND event_id = $2`, webhookID, eventID).Scan(&integrationID)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, err = tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(sendLockSpace), webhookID+"/"+integrationID)
	return err == nil, err
}

// ClaimWebhookSend claims the send of an event to an endpoint.
func (s *Store) ClaimWebhookSend(ctx context.Context, webhookID, eventID string, now, until time.Time) (resultlinks.SendClaim, error) {
	claim := resultlinks.SendUntracked
	err := s.tx(ctx, func(tx pgx.Tx) error {
		found, err := lockSends(ctx, tx, webhookID, eventID)
		if err != nil || !found {
			return err
		}
		var seq int64
		var integrationID, state string
		var claimed *time.Time
		err = tx.QueryRow(ctx, `SELECT seq, integration_id, state, claimed_until FROM webhook_sends WHERE webhook_id = $1 AND event_id = $2 FOR UPDATE`,
			webhookID, eventID).Scan(&seq, &integrationID, &state, &claimed)
		switch {
		case err != nil:
			return err
		case state != string(resultlinks.SendPending):
			claim = resultlinks.SendSettled
			return nil
		case claimed != nil && claimed.After(now):
			claim = resultlinks.SendBusy
			return nil
		}
		var earlier bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_sends WHERE webhook_id = $1 AND integration_id = $2 AND state = 'pending' AND seq < $3)`,
			webhookID, integrationID, seq).Scan(&earlier); err != nil {
			return err
		}
		if earlier {
			claim = resultlinks.SendBlocked
			return nil
		}
		claim = resultlinks.SendClaimed
		_, err = tx.Exec(ctx, `UPDATE webhook_sends SET claimed_until = $1 WHERE seq = $2`, ts(until), seq)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: claim webhook send: %w", err)
	}
	return claim, nil
}

// AbandonedWebhookSends returns pending sends whose claim ran out.
func (s *Store) AbandonedWebhookSends(ctx context.Context, now time.Time, limit int) ([]resultlinks.AbandonedSend, error) {
	list, err := queryAll(ctx, s.pool, `SELECT webhook_id, event_id, claimed_until FROM webhook_sends
		WHERE state = 'pending' AND claimed_until IS NOT NULL AND claimed_until < $1 ORDER BY seq LIMIT $2`,
		[]any{ts(now), limit}, func(r pgx.Row) (resultlinks.AbandonedSend, error) {
			var a resultlinks.AbandonedSend
			err := r.Scan(&a.WebhookID, &a.EventID, &a.ClaimedUntil)
			a.ClaimedUntil = a.ClaimedUntil.UTC()
			return a, err
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: abandoned webhook sends: %w", err)
	}
	return list, nil
}

// FinishWebhookSend ends a claim, settling the send unless state is
// pending, and queues the integration's next pending send by next.
func (s *Store) FinishWebhookSend(ctx context.Context, webhookID, eventID string, state resultlinks.SendState, next func(eventID string) resultlinks.EnqueueFunc) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if state == resultlinks.SendPending {
			_, err := tx.Exec(ctx, `UPDATE webhook_sends SET claimed_until = NULL WHERE webhook_id = $1 AND event_id = $2`, webhookID, eventID)
			return err
		}
		if found, err := lockSends(ctx, tx, webhookID, eventID); err != nil || !found {
			return err
		}
		var integrationID string
		err := tx.QueryRow(ctx, `UPDATE webhook_sends SET state = $1, claimed_until = NULL
			WHERE webhook_id = $2 AND event_id = $3 AND state = 'pending' RETURNING integration_id`, string(state), webhookID, eventID).Scan(&integrationID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // settled before
		}
		if err != nil || next == nil {
			return err
		}
		var nextID string
		err = tx.QueryRow(ctx, `SELECT event_id FROM webhook_sends WHERE webhook_id = $1 AND integration_id = $2 AND state = 'pending' ORDER BY seq LIMIT 1`,
			webhookID, integrationID).Scan(&nextID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return next(nextID)(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("postgres: finish webhook send: %w", err)
	}
	return nil
}

// GetWebhookEvent returns an event.
func (s *Store) GetWebhookEvent(ctx context.Context, id string) (*resultlinks.WebhookEvent, error) {
	var ev resultlinks.WebhookEvent
	var data string
	err := s.pool.QueryRow(ctx, `SELECT id, environment_id, integration_id, type, data::text, created_at FROM webhook_events WHERE id = $1`, id).
		Scan(&ev.ID, &ev.EnvironmentID, &ev.IntegrationID, &ev.Type, &data, &ev.CreatedAt)
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
		for _, q := range []string{`DELETE FROM webhook_deliveries WHERE at < $1`,
			`DELETE FROM webhook_sends WHERE event_id IN (SELECT id FROM webhook_events WHERE created_at < $1)`,
			`DELETE FROM webhook_events WHERE created_at < $1`} {
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
