package webhook

import (
	"encoding/json"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// Events builds the events that changes emit, for the store to commit
// with the change. Building one costs no query: the store keeps an event
// only when an enabled endpoint takes its type.
type Events struct {
	// Job returns what queues an event's sending inside the change's
	// transaction; nil emits nothing (no job queue).
	Job func(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc
	// Now is the clock.
	Now func() time.Time
	// Logger reports data that cannot be encoded.
	Logger *slog.Logger
}

// For returns the event of type typ about the integration, with data, for
// the environment's endpoints; nil when events are not sent.
func (e *Events) For(environmentID, integrationID, typ string, data any) *resultlinks.Emit {
	if e == nil || e.Job == nil {
		return nil
	}
	raw, err := json.Marshal(data)
	if err != nil {
		if e.Logger != nil {
			e.Logger.Error("encoding webhook event", "type", typ, "error", err)
		}
		return nil
	}
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: environmentID, IntegrationID: integrationID,
		Type: typ, Data: raw, CreatedAt: e.Now()}
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
