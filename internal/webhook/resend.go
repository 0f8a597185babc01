package webhook

import (
	"context"

	"github.com/resultlinks/resultlinks"
)

// Resender queues sending an event to an endpoint once more.
type Resender interface {
	// ResendWebhookEvent queues sending the event to the endpoint once more.
	ResendWebhookEvent(ctx context.Context, eventID, webhookID string) error
}

// Resend queues sending the environment's event to its endpoint once more,
// outside the order of the integration's events, and returns the endpoint.
// A disabled endpoint is enabled again: asking for a resend says it is
// back. An endpoint or event of another environment is CodeNotFound; an
// event of a type the endpoint does not take is CodeInputInvalid.
func Resend(ctx context.Context, store resultlinks.Store, queue Resender, environmentID, webhookID, eventID string) (*resultlinks.Webhook, error) {
	h, err := store.FindWebhook(ctx, environmentID, webhookID)
	if err != nil {
		return nil, err
	}
	ev, err := store.GetWebhookEvent(ctx, eventID)
	if err == nil && ev.EnvironmentID != environmentID {
		err = resultlinks.Errorf(resultlinks.CodeNotFound, "Event %q was not found.", eventID)
	}
	if err != nil {
		return nil, err
	}
	if !h.Wants(ev.Type) {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "event_id: is a %s event, which webhook %s does not take", ev.Type, h.ID)
	}
	if queue == nil {
		return nil, resultlinks.Errorf(resultlinks.CodeUnknown, "This server runs no job queue.")
	}
	if h.DisabledAt != nil {
		if err := store.SetWebhookHealth(ctx, h.ID, 0, nil, ""); err != nil {
			return nil, err
		}
		h.DisabledAt, h.DisabledReason, h.Failures = nil, "", 0
	}
	if err := queue.ResendWebhookEvent(ctx, ev.ID, h.ID); err != nil {
		return nil, err
	}
	return h, nil
}
