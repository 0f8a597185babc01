package delivery

import (
	"context"
	"encoding/json"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// emit returns the result-link-delivered or result-link-failed event of a
// settled link, to be stored with its settling, or nil when no endpoint of
// the link's environment takes it (or there is no job queue to send it).
func (d *Deliverer) emit(ctx context.Context, rl *resultlinks.ResultLink) *resultlinks.Emit {
	if d.WebhookJob == nil {
		return nil
	}
	typ := resultlinks.EventResultLinkDelivered
	switch rl.Status {
	case resultlinks.DeliveryDelivered:
	case resultlinks.DeliveryFailed:
		typ = resultlinks.EventResultLinkFailed
	default:
		return nil
	}
	hooks, err := d.Store.ListWebhooks(ctx, rl.EnvironmentID)
	if err != nil {
		// Without the list, store the event: an endpoint that does not
		// take it is skipped when it is sent.
		d.Logger.Warn("listing webhooks", "error", err)
	} else {
		wanted := false
		for _, h := range hooks {
			wanted = wanted || (h.DisabledAt == nil && h.Wants(typ))
		}
		if !wanted {
			return nil
		}
	}
	data := wire.ResultLinkEvent{
		ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID, IntegrationTool: resultlinks.ToolOf(rl.IntegrationID),
		Model: string(rl.Model), TargetID: rl.TargetID, TargetRemoteID: rl.TargetRemoteID, Label: rl.Input.Label, URL: rl.Input.URL,
		Status: string(rl.Status), Attempts: rl.Attempts, Channels: []string{}, RemoteIDs: append([]string{}, rl.Receipt.RemoteIDs...),
		Warnings: append(append([]string{}, rl.Warnings...), rl.Receipt.Warnings...), DeliveredAt: wire.TimePtr(rl.DeliveredAt),
	}
	for _, c := range rl.Receipt.Channels {
		data.Channels = append(data.Channels, string(c))
	}
	if rl.ErrorCode != "" {
		data.Error = &wire.LedgerError{Code: string(rl.ErrorCode), Message: rl.ErrorMessage}
	}
	raw, _ := json.Marshal(data) // only strings, numbers and times
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: rl.EnvironmentID, Type: typ, Data: raw, CreatedAt: d.Now()}
	return &resultlinks.Emit{Event: ev, Enqueue: d.WebhookJob(ev)}
}
