package webhook

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// Events builds the events that changes emit, for the store to commit
// with the change.
type Events struct {
	// Store lists the endpoints.
	Store resultlinks.Store
	// Job returns what queues an event's sending inside the change's
	// transaction; nil emits nothing (no job queue).
	Job func(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc
	// Now is the clock.
	Now func() time.Time
	// Logger reports a failed endpoint listing.
	Logger *slog.Logger
}

// For returns the event of type typ with data for the environment, or nil
// when no enabled endpoint of it takes that type.
func (e *Events) For(ctx context.Context, environmentID, typ string, data any) *resultlinks.Emit {
	if e == nil || e.Job == nil {
		return nil
	}
	hooks, err := e.Store.ListWebhooks(ctx, environmentID)
	if err != nil {
		// Without the list, store the event anyway: an endpoint that does
		// not take it is skipped when it is sent.
		if e.Logger != nil {
			e.Logger.Warn("listing webhooks", "error", err)
		}
	} else {
		wanted := false
		for _, h := range hooks {
			wanted = wanted || (h.DisabledAt == nil && h.Wants(typ))
		}
		if !wanted {
			return nil
		}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil
	}
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: environmentID, Type: typ, Data: raw, CreatedAt: e.Now()}
	return &resultlinks.Emit{Event: ev, Enqueue: e.Job(ev)}
}

// IntegrationData is the data of integration-created and
// integration-deleted, as Kombo sends it.
func IntegrationData(in *resultlinks.Integration, deletedAt *time.Time) any {
	eu := wire.EndUser{OrganizationName: in.EndUser.OrganizationName, CreatorEmail: in.EndUser.CreatorEmail, OriginID: in.EndUser.OriginID}
	if deletedAt == nil {
		return wire.IntegrationEvent{ID: in.ID, Tool: in.Tool, Category: "ATS", EndUser: eu}
	}
	return wire.IntegrationDeletedEvent{IntegrationEvent: wire.IntegrationEvent{ID: in.ID, Tool: in.Tool, Category: "ATS", EndUser: eu},
		DeletedAt: wire.Time(*deletedAt)}
}
