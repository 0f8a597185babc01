package delivery

import (
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// emit returns the result-link-delivered or result-link-failed event of a
// settled link, to be stored with its settling, or nil when no endpoint of
// the link's environment takes it.
func (d *Deliverer) emit(rl *resultlinks.ResultLink) *resultlinks.Emit {
	if d.Events == nil {
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
	return d.Events.For(rl.EnvironmentID, rl.IntegrationID, typ, data)
}
