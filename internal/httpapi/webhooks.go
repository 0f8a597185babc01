package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/resultlinks/resultlinks/wire"
)

// WebhookQueue sends events again on request.
type WebhookQueue = webhook.Resender

// MaxWebhooks is how many endpoints one environment may have.
const MaxWebhooks = 20

func webhookToWire(h *resultlinks.Webhook) wire.Webhook {
	out := wire.Webhook{ID: h.ID, URL: h.URL, Events: append([]string{}, h.Events...), CreatedAt: wire.Time(h.CreatedAt),
		Failures: h.Failures, DisabledAt: wire.TimePtr(h.DisabledAt)}
	if h.DisabledReason != "" {
		out.DisabledReason = ptr(h.DisabledReason)
	}
	return out
}

// decodeStrict decodes a JSON object body into v, refusing unknown keys.
func decodeStrict(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "body: more than one JSON value")
	}
	return nil
}

// createWebhook configures an endpoint and answers its secret, this once.
func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in wire.CreateWebhook
	if err := decodeStrict(r, &in); err != nil {
		return err
	}
	env := environmentID(ctx)
	h, err := resultlinks.NewWebhook(env, in.URL, in.Events, webhook.NewSecret(), a.now())
	if err != nil {
		return err
	}
	if a.checkURL != nil {
		if err := a.checkURL(ctx, "url", h.URL); err != nil {
			return err
		}
	}
	existing, err := a.store.ListWebhooks(ctx, env)
	if err != nil {
		return err
	}
	if len(existing) >= MaxWebhooks {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "This environment has %d webhooks, the most it may have.", MaxWebhooks)
	}
	if err := a.store.CreateWebhook(ctx, h); err != nil {
		return err
	}
	a.audit(ctx, "webhook.create", h.ID, h.URL)
	out := webhookToWire(h)
	out.Secret = ptr(string(h.Secret))
	writeData(w, out)
	return nil
}

// listWebhooks answers the environment's endpoints, without their secrets.
func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	list, err := a.store.ListWebhooks(r.Context(), environmentID(r.Context()))
	if err != nil {
		return err
	}
	out := wire.Webhooks{Results: []wire.Webhook{}}
	for _, h := range list {
		out.Results = append(out.Results, webhookToWire(h))
	}
	writeData(w, out)
	return nil
}

// deleteWebhook removes an endpoint; events still queued for it are dropped.
func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("webhook_id")
	if err := a.store.DeleteWebhook(r.Context(), environmentID(r.Context()), id); err != nil {
		return err
	}
	a.audit(r.Context(), "webhook.delete", id, "")
	writeData(w, struct{}{})
	return nil
}

// listWebhookDeliveries answers an endpoint's send attempts, newest first.
func (a *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	h, err := a.store.FindWebhook(ctx, environmentID(ctx), r.PathValue("webhook_id"))
	if err != nil {
		return err
	}
	limit, err := pageSize(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := a.store.ListWebhookDeliveries(ctx, h.ID, limit)
	if err != nil {
		return err
	}
	out := wire.WebhookDeliveries{Results: []wire.WebhookDelivery{}}
	for _, d := range list {
		x := wire.WebhookDelivery{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Attempt: d.Attempt,
			At: wire.Time(d.At), DurationMS: d.Duration.Milliseconds()}
		if d.StatusCode != 0 {
			x.StatusCode = ptr(d.StatusCode)
		}
		if d.Error != "" {
			x.Error = ptr(d.Error)
		}
		out.Results = append(out.Results, x)
	}
	writeData(w, out)
	return nil
}

// resendWebhookEvent sends an event to an endpoint once more. A disabled
// endpoint is enabled again: asking for a resend says it is back.
func (a *API) resendWebhookEvent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in wire.ResendWebhookEvent
	if err := decodeStrict(r, &in); err != nil {
		return err
	}
	if in.EventID == "" {
		return invalid("event_id", "is required")
	}
	h, err := webhook.Resend(ctx, a.store, a.webhooks, environmentID(ctx), r.PathValue("webhook_id"), in.EventID)
	if err != nil {
		return err
	}
	a.audit(ctx, "webhook.resend", h.ID, in.EventID)
	writeData(w, webhookToWire(h))
	return nil
}
