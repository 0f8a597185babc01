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
	eu := endUser(in)
	if deletedAt == nil {
		return wire.IntegrationEvent{ID: in.ID, Tool: in.Tool, Category: category, EndUser: eu}
	}
	return wire.IntegrationDeletedEvent{IntegrationEvent: wire.IntegrationEvent{ID: in.ID, Tool: in.Tool, Category: category, EndUser: eu},
		DeletedAt: wire.Time(*deletedAt)}
}

// category is the integration_category of every resultlinks integration.
const category = "ATS"

func endUser(in *resultlinks.Integration) wire.EndUser {
	return wire.EndUser{OrganizationName: in.EndUser.OrganizationName, CreatorEmail: in.EndUser.CreatorEmail, OriginID: in.EndUser.OriginID}
}

// SyncFinishedData is the data of sync-finished for an ended sync, as
// Kombo sends it; logURL points at the sync's record.
func SyncFinishedData(s *resultlinks.Sync, in *resultlinks.Integration, logURL string) any {
	ended := s.StartedAt
	if s.EndedAt != nil {
		ended = *s.EndedAt
	}
	return wire.SyncFinishedEvent{SyncID: s.ID, SyncState: string(s.State), SyncStartedAt: wire.Time(s.StartedAt),
		SyncEndedAt: wire.Time(ended), SyncDurationSeconds: int(ended.Sub(s.StartedAt).Seconds()), IntegrationID: in.ID,
		IntegrationTool: in.Tool, IntegrationCategory: category, EndUser: endUser(in), LogURL: logURL}
}

// DataChangedData is the data of data-changed, naming the models with
// changes in order, as Kombo sends it.
func DataChangedData(in *resultlinks.Integration, changes resultlinks.Changes) any {
	models := []wire.ChangedModel{}
	for _, m := range changes.Models() {
		models = append(models, wire.ChangedModel{Name: string(m)})
	}
	return wire.DataChangedEvent{IntegrationID: in.ID, IntegrationTool: in.Tool, IntegrationCategory: category, ChangedModels: models}
}

// QAStatus is an integration's qa_status: PASSED once its setup completed,
// FAILED while its first sync has failed, PENDING until then.
func QAStatus(in *resultlinks.Integration) string {
	switch {
	case in.SetupStatus == resultlinks.SetupCompleted:
		return "PASSED"
	case in.SyncError != "":
		return "FAILED"
	}
	return "PENDING"
}

// IntegrationStateData is the data of integration-state-changed, as Kombo
// sends it.
func IntegrationStateData(in *resultlinks.Integration) any {
	return wire.IntegrationStateChangedEvent{IntegrationTool: in.Tool, IntegrationID: in.ID, IntegrationCategory: category,
		EndUser: endUser(in), QAStatus: QAStatus(in), SetupStatus: string(in.SetupStatus), State: string(in.Status),
		UpdatedAt: wire.Time(in.UpdatedAt)}
}
