// Package delivery writes accepted result links into their ATS and records
// the outcome in the ledger. An attempt first claims its ledger row with a
// lease, so two attempts never write the same link at once, and an attempt
// that follows one whose outcome is unknown (a crash, a timeout after the
// request left) asks the ATS for the earlier write before writing again.
// jobs.go runs attempts as River jobs with backoff for up to 24 hours.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// DefaultLease is how long an attempt holds its result link.
const DefaultLease = 5 * time.Minute

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
	Limiters outbound.Pacers
	// DenyPrivate refuses calls to private and loopback addresses.
	DenyPrivate bool
	// Lease bounds one attempt; a crashed attempt's link is taken over
	// after it. Zero means DefaultLease.
	Lease time.Duration
	// Events builds the events a settled link emits; nil emits none.
	Events *webhook.Events
}

// Outcome is how an attempt ended.
type Outcome int

// The outcomes of an attempt.
const (
	// Delivered: the link is in the ATS (now, or already before).
	Delivered Outcome = iota
	// Failed: the link cannot be delivered (now, or already before).
	Failed
	// Retry: a passing failure; the link is QUEUED again.
	Retry
	// Busy: another attempt holds the link until Result.BusyUntil.
	Busy
)

// Result is the end of one attempt.
type Result struct {
	// Outcome is how the attempt ended.
	Outcome Outcome
	// Link is the ledger row as the attempt left it.
	Link *resultlinks.ResultLink
	// Err is the failure of a Failed or Retry outcome.
	Err error
	// RetryAfter is how long the ATS asked to wait, when it did.
	RetryAfter time.Duration
	// BusyUntil is when a Busy link's lease runs out.
	BusyUntil time.Time
	// NextAttempt is when a Retry's next attempt is due.
	NextAttempt time.Time
}

// Retryable reports whether a failure with that code may pass if the
// delivery is tried again later.
func Retryable(code resultlinks.Code) bool {
	switch code {
	case resultlinks.CodeRemoteRateLimited, resultlinks.CodeRemoteUnavailable, resultlinks.CodeUnknown, resultlinks.CodeTaskTimedOut:
		return true
	}
	return false
}

func (d *Deliverer) lease() time.Duration {
	if d.Lease > 0 {
		return d.Lease
	}
	return DefaultLease
}

// Attempt runs one delivery attempt of a stored result link.
func (d *Deliverer) Attempt(ctx context.Context, id string) Result {
	now := d.Now()
	leaseUntil := now.Add(d.lease())
	rl, claimed, err := d.Store.ClaimResultLink(ctx, id, now, leaseUntil)
	if err != nil {
		if resultlinks.IsNotFound(err) {
			return Result{Outcome: Failed, Err: err}
		}
		return Result{Outcome: Retry, Err: err}
	}
	if !claimed {
		switch rl.Status {
		case resultlinks.DeliveryDelivered:
			return Result{Outcome: Delivered, Link: rl}
		case resultlinks.DeliveryFailed:
			return Result{Outcome: Failed, Link: rl, Err: &resultlinks.Error{Code: rl.ErrorCode, Message: rl.ErrorMessage}}
		}
		until := now.Add(time.Second)
		if rl.LeaseUntil != nil {
			until = *rl.LeaseUntil
		}
		return Result{Outcome: Busy, Link: rl, BusyUntil: until}
	}
	// The attempt must end before its lease does.
	actx, cancel := context.WithDeadline(ctx, leaseUntil.Add(-5*time.Second))
	defer cancel()
	rec := &outbound.Log{}
	receipt, err := d.write(actx, rl, rec)
	rl.Exchanges = append(rl.Exchanges, rec.Exchanges()...)
	rl.UpdatedAt = d.Now()
	if err != nil && actx.Err() != nil && ctx.Err() == nil {
		err = &resultlinks.Error{Code: resultlinks.CodeRemoteUnavailable, Message: "the ATS did not answer within the attempt's time", Err: err}
	}
	res := Result{Link: rl}
	switch {
	case err == nil:
		// The mirror shows the written fields before the ledger says
		// DELIVERED, so a caller that sees DELIVERED can read them back.
		d.showFields(ctx, rl, receipt)
		rl.Status, rl.Receipt, rl.ErrorCode, rl.ErrorMessage = resultlinks.DeliveryDelivered, *receipt, "", ""
		rl.DeliveredAt = &rl.UpdatedAt
		res.Outcome = Delivered
		d.Logger.Info("result link delivered", "result_link", rl.ID, "integration", rl.IntegrationID, "attempt", rl.Attempts,
			"channels", fmt.Sprint(receipt.Channels))
	case Retryable(resultlinks.ErrorCode(err)):
		rl.Status, rl.ErrorCode, rl.ErrorMessage = resultlinks.DeliveryQueued, resultlinks.ErrorCode(err), resultlinks.ErrorMessage(err)
		res.Outcome, res.Err = Retry, err
		var e *resultlinks.Error
		if errors.As(err, &e) {
			res.RetryAfter = e.RetryAfter
		}
		delay := res.RetryAfter
		if delay <= 0 {
			delay = Backoff(rl.Attempts)
		}
		res.NextAttempt = rl.UpdatedAt.Add(delay)
		rl.LeaseUntil = &res.NextAttempt
		d.Logger.Warn("result link attempt failed, will retry", "result_link", rl.ID, "integration", rl.IntegrationID,
			"attempt", rl.Attempts, "code", rl.ErrorCode, "error", err)
	default:
		rl.Status, rl.ErrorCode, rl.ErrorMessage = resultlinks.DeliveryFailed, resultlinks.ErrorCode(err), resultlinks.ErrorMessage(err)
		res.Outcome, res.Err = Failed, err
		d.Logger.Warn("result link failed", "result_link", rl.ID, "integration", rl.IntegrationID, "code", rl.ErrorCode, "error", err)
	}
	// The ledger must record the outcome even when the caller has gone.
	sctx := context.WithoutCancel(ctx)
	settled, serr := d.Store.SettleResultLink(sctx, rl, leaseUntil, d.emit(rl))
	if serr != nil {
		return Result{Outcome: Retry, Link: rl, Err: serr}
	}
	if !settled {
		d.Logger.Warn("result link was taken over by another attempt", "result_link", rl.ID)
		return Result{Outcome: Busy, Link: rl, BusyUntil: d.Now().Add(time.Second)}
	}
	tool := resultlinks.ToolOf(rl.IntegrationID)
	switch res.Outcome {
	case Delivered:
		metrics.DeliveryAttempts.WithLabelValues(tool, "delivered").Inc()
		metrics.ResultLinks.WithLabelValues(tool, string(resultlinks.DeliveryDelivered)).Inc()
	case Failed:
		metrics.DeliveryAttempts.WithLabelValues(tool, "failed").Inc()
		metrics.ResultLinks.WithLabelValues(tool, string(resultlinks.DeliveryFailed)).Inc()
	case Retry:
		metrics.DeliveryAttempts.WithLabelValues(tool, "retry").Inc()
		metrics.DeliveryRetries.WithLabelValues(tool).Inc()
	}
	return res
}

// write calls the connector: it looks for an earlier write first when an
// earlier attempt may have reached the ATS.
func (d *Deliverer) write(ctx context.Context, rl *resultlinks.ResultLink, rec outbound.Recorder) (*resultlinks.Receipt, error) {
	in, err := d.Store.GetIntegration(ctx, rl.IntegrationID)
	if err != nil {
		return nil, err
	}
	conn, _, err := d.Registry.Open(in, connector.Deps{State: d.Store, Logger: d.Logger, Now: d.Now, Limiters: d.Limiters, Recorder: rec, DenyPrivate: d.DenyPrivate})
	if err != nil {
		return nil, err
	}
	w := connector.Write{
		ResultLinkID: rl.ID,
		Target:       connector.Target{Model: rl.Model, RemoteID: rl.TargetRemoteID, CandidateRemoteID: rl.CandidateRemoteID},
		Input:        rl.Input,
	}
	if rl.Attempts > 1 {
		receipt, err := conn.FindResultLink(ctx, w)
		if err != nil || receipt != nil {
			return receipt, err
		}
	}
	receipt, err := conn.WriteResultLink(ctx, w)
	if resultlinks.ErrorCode(err) == resultlinks.CodeIntegrationAuthInvalid && in.Status != resultlinks.StatusInvalid {
		in.Status = resultlinks.StatusInvalid
		in.UpdatedAt = d.Now()
		var emit *resultlinks.Emit
		if d.Events != nil {
			emit = d.Events.For(in.EnvironmentID, in.ID, resultlinks.EventIntegrationStateChanged, webhook.IntegrationStateData(in))
		}
		if uerr := d.Store.UpdateIntegration(context.WithoutCancel(ctx), in, emit); uerr != nil {
			d.Logger.Error("marking integration invalid", "integration", in.ID, "error", uerr)
		}
	}
	return receipt, err
}

// showFields copies the written custom fields into the mirror.
func (d *Deliverer) showFields(ctx context.Context, rl *resultlinks.ResultLink, receipt *resultlinks.Receipt) {
	if len(receipt.CustomFields) == 0 {
		return
	}
	model, id := rl.Model, rl.TargetID
	if receipt.FieldsOn == resultlinks.ModelCandidates && rl.Model == resultlinks.ModelApplications {
		model, id = resultlinks.ModelCandidates, ""
		if app, err := d.Store.FindApplication(ctx, rl.IntegrationID, rl.TargetID); err == nil && app.CandidateID != nil {
			id = *app.CandidateID
		}
	}
	if err := d.Store.SetCustomFields(ctx, rl.IntegrationID, model, id, receipt.CustomFields, d.Now()); err != nil {
		// The ATS holds the result; the mirror catches up at the next sync.
		d.Logger.Warn("showing written fields in the mirror", "result_link", rl.ID, "error", err)
	}
}
