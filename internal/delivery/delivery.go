// Package delivery writes accepted result links into their ATS and records
// the outcome in the ledger.
package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Deliverer delivers result links.
type Deliverer struct {
	// Store holds the ledger, the mirror and the integrations.
	Store resultlinks.Store
	// Registry builds connectors.
	Registry *connector.Registry
	// Logger logs each delivery.
	Logger *slog.Logger
	// Now is the clock.
	Now func() time.Time
	// Limiters hold each integration's request budget, shared with the
	// other jobs of the process.
	Limiters *outbound.Limiters
}

// Deliver writes one stored result link to its ATS: it marks the link
// DELIVERING, calls the connector, then records DELIVERED with the receipt
// (and shows the written custom fields in the mirror at once) or FAILED with
// the error. It returns the connector's error, if any.
func (d *Deliverer) Deliver(ctx context.Context, in *resultlinks.Integration, rl *resultlinks.ResultLink, candidateRemoteID string) error {
	rec := &outbound.Log{}
	defer func() { rl.Exchanges = append(rl.Exchanges, rec.Exchanges()...) }()
	conn, _, err := d.Registry.Open(in, connector.Deps{State: d.Store, Logger: d.Logger, Now: d.Now, Limiters: d.Limiters, Recorder: rec})
	if err != nil {
		return d.fail(ctx, rl, err)
	}
	rl.Status = resultlinks.DeliveryDelivering
	rl.Attempts++
	rl.UpdatedAt = d.Now()
	if err := d.Store.UpdateResultLink(ctx, rl); err != nil {
		return err
	}
	started := d.Now()
	w := connector.Write{
		ResultLinkID: rl.ID,
		Target:       connector.Target{Model: rl.Model, RemoteID: rl.TargetRemoteID, CandidateRemoteID: candidateRemoteID},
		Input:        rl.Input,
	}
	var receipt *resultlinks.Receipt
	if rl.Attempts > 1 {
		// An earlier attempt may have landed before its answer was lost:
		// look for it before writing again, so the ATS gets it once.
		receipt, err = conn.FindResultLink(ctx, w)
	}
	if err == nil && receipt == nil {
		receipt, err = conn.WriteResultLink(ctx, w)
	}
	if err != nil {
		if resultlinks.ErrorCode(err) == resultlinks.CodeIntegrationAuthInvalid {
			in.Status = resultlinks.StatusInvalid
			in.UpdatedAt = d.Now()
			if uerr := d.Store.UpdateIntegration(ctx, in); uerr != nil {
				d.Logger.Error("marking integration invalid", "integration", in.ID, "error", uerr)
			}
		}
		return d.fail(ctx, rl, err)
	}
	now := d.Now()
	rl.Status = resultlinks.DeliveryDelivered
	rl.Receipt = *receipt
	rl.ErrorCode, rl.ErrorMessage = "", ""
	rl.UpdatedAt, rl.DeliveredAt = now, &now
	// The mirror shows the written fields before the ledger says DELIVERED,
	// so a caller that sees DELIVERED can read them back.
	if len(receipt.CustomFields) > 0 {
		model, id := rl.Model, rl.TargetID
		if receipt.FieldsOn == resultlinks.ModelCandidates && rl.Model == resultlinks.ModelApplications {
			model, id = resultlinks.ModelCandidates, ""
			if app, ferr := d.Store.FindApplication(ctx, in.ID, rl.TargetID); ferr == nil && app.CandidateID != nil {
				id = *app.CandidateID
			}
		}
		if err := d.Store.SetCustomFields(ctx, in.ID, model, id, receipt.CustomFields, now); err != nil {
			// The ATS holds the result; the mirror catches up at the next sync.
			d.Logger.Warn("showing written fields in the mirror", "result_link", rl.ID, "error", err)
		}
	}
	if err := d.Store.UpdateResultLink(ctx, rl); err != nil {
		return err
	}
	d.Logger.Info("result link delivered", "result_link", rl.ID, "integration", in.ID, "tool", in.Tool,
		"channels", fmt.Sprint(receipt.Channels), "duration", now.Sub(started))
	return nil
}

func (d *Deliverer) fail(ctx context.Context, rl *resultlinks.ResultLink, cause error) error {
	rl.Status = resultlinks.DeliveryFailed
	rl.ErrorCode = resultlinks.ErrorCode(cause)
	rl.ErrorMessage = resultlinks.ErrorMessage(cause)
	rl.UpdatedAt = d.Now()
	// The ledger must record the failure even when the caller has gone.
	if err := d.Store.UpdateResultLink(context.WithoutCancel(ctx), rl); err != nil {
		d.Logger.Error("recording failed delivery", "result_link", rl.ID, "error", err)
	}
	d.Logger.Warn("result link failed", "result_link", rl.ID, "integration", rl.IntegrationID, "code", rl.ErrorCode, "error", cause)
	return cause
}
