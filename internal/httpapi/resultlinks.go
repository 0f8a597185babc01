package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
	"github.com/resultlinks/resultlinks/wire"
)

// MaxIdempotencyKeyLength is the longest Idempotency-Key accepted.
const MaxIdempotencyKeyLength = 255

func (a *API) addCandidateResultLink(w http.ResponseWriter, r *http.Request) error {
	return a.addResultLink(w, r, resultlinks.ModelCandidates, r.PathValue("candidate_id"))
}

func (a *API) addApplicationResultLink(w http.ResponseWriter, r *http.Request) error {
	return a.addResultLink(w, r, resultlinks.ModelApplications, r.PathValue("application_id"))
}

// addResultLink validates a result link, stores it in the ledger, delivers
// it, and answers once it is delivered or the sync deadline passes.
func (a *API) addResultLink(w http.ResponseWriter, r *http.Request, model resultlinks.Model, targetID string) error {
	ctx := r.Context()
	in := integrationOf(ctx)
	w.Header().Set("Concurrency-Limit", strconv.Itoa(a.cfg.ConcurrencyLimit))
	w.Header().Set("Concurrency-Remaining", strconv.Itoa(a.limiter.remaining(in.ID)))

	action := resultlinks.ActionAddApplicationResultLink
	if model == resultlinks.ModelCandidates {
		action = resultlinks.ActionAddCandidateResultLink
	}
	if !in.ActionEnabled(action) {
		return resultlinks.Errorf(resultlinks.CodeActionDisabled, "%q is disabled for integration %q.", action.Label(), in.ID)
	}
	info, ok := a.registry.Lookup(in.Tool)
	if !ok || !info.CanWriteResultLinks() {
		return resultlinks.Errorf(resultlinks.CodeActionNotAvailable, "The %s connector has no way to take result links.", in.Tool)
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	input, warnings, err := decodeResultLink(body)
	if err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > MaxIdempotencyKeyLength {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "Idempotency-Key: at most %d characters", MaxIdempotencyKeyLength)
	}

	var targetRemoteID, candidateRemoteID string
	if model == resultlinks.ModelApplications {
		app, err := a.store.FindApplication(ctx, in.ID, targetID)
		if err != nil {
			return err
		}
		targetRemoteID = app.RemoteID
		if app.Candidate != nil {
			candidateRemoteID = app.Candidate.RemoteID
		}
	} else {
		c, err := a.store.FindCandidate(ctx, in.ID, targetID)
		if err != nil {
			return err
		}
		targetRemoteID, candidateRemoteID = c.RemoteID, c.RemoteID
	}

	canonical, _ := json.Marshal(sqlstore.InputDocOf(*input))
	sum := sha256.Sum256(append([]byte(string(model)+"\x00"+targetID+"\x00"), canonical...))

	ok, remaining := a.limiter.acquire(in.ID)
	if !ok {
		return resultlinks.Errorf(resultlinks.CodeConcurrencyLimitExceeded,
			"Integration %q already has %d result-link writes in flight; retry when one finishes.", in.ID, a.cfg.ConcurrencyLimit)
	}
	w.Header().Set("Concurrency-Remaining", strconv.Itoa(remaining))
	release := true
	defer func() {
		if release {
			a.limiter.release(in.ID)
		}
	}()

	now := a.now()
	rl := &resultlinks.ResultLink{
		ID: resultlinks.NewID(), EnvironmentID: in.EnvironmentID, IntegrationID: in.ID,
		Model: model, TargetID: targetID, TargetRemoteID: targetRemoteID, Input: *input,
		IdempotencyKey: key, RequestHash: hex.EncodeToString(sum[:]),
		Status: resultlinks.DeliveryQueued, Warnings: warnings, CreatedAt: now, UpdatedAt: now,
	}
	existing, err := a.store.CreateResultLink(ctx, rl, nil)
	if err != nil {
		return err
	}
	if existing != nil {
		if existing.RequestHash != rl.RequestHash {
			return &statusError{status: http.StatusUnprocessableEntity, err: resultlinks.Errorf(resultlinks.CodeInputInvalid,
				"Idempotency-Key %q was used before with a different request; use a new key for a new result link.", key)}
		}
		if existing.Status != resultlinks.DeliveryFailed || !retryable(existing.ErrorCode) {
			return a.replay(w, r, existing)
		}
		// The first try failed for a passing reason: try the same ledger entry again.
		rl = existing
	}
	release = false
	return a.deliver(w, r, in, rl, candidateRemoteID)
}

// retryable reports whether a failure may pass if the delivery is tried again.
func retryable(code resultlinks.Code) bool {
	switch code {
	case resultlinks.CodeRemoteRateLimited, resultlinks.CodeRemoteUnavailable, resultlinks.CodeUnknown, resultlinks.CodeTaskTimedOut:
		return true
	}
	return false
}

// deliver runs the delivery of a stored result link, which holds a
// concurrency slot that it releases, and answers once it is delivered or
// the sync deadline passes.
func (a *API) deliver(w http.ResponseWriter, r *http.Request, in *resultlinks.Integration, rl *resultlinks.ResultLink, candidateRemoteID string) error {
	// The delivery runs detached from the request: a caller that goes away
	// or a passed deadline does not stop a write already under way.
	done := make(chan error, 1)
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		defer a.limiter.release(in.ID)
		dctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), a.cfg.DeliveryTimeout)
		defer cancel()
		done <- a.safeDeliver(dctx, in, rl, candidateRemoteID)
	}()
	if preferAsync(r) {
		// The link is stored; answer now and let the delivery go on.
		w.Header().Set("Preference-Applied", "respond-async")
		a.writeReceipt(w, &resultlinks.ResultLink{ID: rl.ID, Status: resultlinks.DeliveryQueued, Warnings: rl.Warnings})
		return nil
	}
	timer := time.NewTimer(a.cfg.SyncDeadline)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return err
		}
		a.writeReceipt(w, rl)
		return nil
	case <-timer.C:
		return resultlinks.Errorf(resultlinks.CodeTaskTimedOut,
			"Result link %s was not delivered within %s; it stays queued and will be delivered once.", rl.ID, a.cfg.SyncDeadline)
	}
}

// replay answers a request whose Idempotency-Key and body were seen before
// with the first answer, waiting for it while that delivery is under way.
func (a *API) replay(w http.ResponseWriter, r *http.Request, rl *resultlinks.ResultLink) error {
	deadline := time.Now().Add(a.cfg.SyncDeadline)
	for rl.Status == resultlinks.DeliveryQueued || rl.Status == resultlinks.DeliveryDelivering {
		if time.Now().After(deadline) {
			return resultlinks.Errorf(resultlinks.CodeTaskTimedOut,
				"Result link %s was not delivered within %s; it stays queued and will be delivered once.", rl.ID, a.cfg.SyncDeadline)
		}
		select {
		case <-r.Context().Done():
			return r.Context().Err()
		case <-time.After(50 * time.Millisecond):
		}
		var err error
		if rl, err = a.store.FindResultLink(r.Context(), rl.EnvironmentID, rl.ID); err != nil {
			return err
		}
	}
	if rl.Status == resultlinks.DeliveryFailed {
		return &resultlinks.Error{Code: rl.ErrorCode, Message: rl.ErrorMessage}
	}
	a.writeReceipt(w, rl)
	return nil
}

// writeReceipt answers a delivered result link: Kombo's action envelope
// with the request's and the connector's warnings, and the receipt in data.
func (a *API) writeReceipt(w http.ResponseWriter, rl *resultlinks.ResultLink) {
	warnings := []wire.Warning{}
	for _, m := range rl.Warnings {
		warnings = append(warnings, wire.Warning{Message: m})
	}
	for _, m := range rl.Receipt.Warnings {
		warnings = append(warnings, wire.Warning{Message: m})
	}
	channels := []string{}
	for _, c := range rl.Receipt.Channels {
		channels = append(channels, string(c))
	}
	writeJSON(w, http.StatusOK, wire.ActionEnvelope{
		Status:   wire.StatusSuccess,
		Data:     wire.ResultLinkReceipt{ResultLinkID: rl.ID, Status: string(rl.Status), Channels: channels},
		Warnings: warnings,
	})
}

// safeDeliver runs one delivery, turning a panic in a connector into a
// failed delivery instead of a crashed server.
func (a *API) safeDeliver(ctx context.Context, in *resultlinks.Integration, rl *resultlinks.ResultLink, candidateRemoteID string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			a.logger.Error("delivery panicked", "result_link", rl.ID, "integration", in.ID, "panic", p)
			err = fmt.Errorf("delivery of %s panicked: %v", rl.ID, p)
			rl.Status, rl.ErrorCode, rl.UpdatedAt = resultlinks.DeliveryFailed, resultlinks.CodeUnknown, a.now()
			rl.ErrorMessage = "The delivery failed unexpectedly; the server log has the details."
			if uerr := a.store.UpdateResultLink(context.WithoutCancel(ctx), rl); uerr != nil {
				a.logger.Error("recording failed delivery", "result_link", rl.ID, "error", uerr)
			}
		}
	}()
	return a.deliverer.Deliver(ctx, in, rl, candidateRemoteID)
}

// preferAsync reports whether the caller asked for an answer before delivery
// (RFC 7240's Prefer: respond-async).
func preferAsync(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "respond-async") {
				return true
			}
		}
	}
	return false
}
