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
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
	"github.com/resultlinks/resultlinks/wire"
)

// MaxIdempotencyKeyLength is the longest Idempotency-Key accepted.
const MaxIdempotencyKeyLength = 255

// safetyMargin is how long past the sync deadline the safety-net job of a
// synchronous delivery waits before it takes over.
const safetyMargin = 5 * time.Second

func (a *API) addCandidateResultLink(w http.ResponseWriter, r *http.Request) error {
	return a.addResultLink(w, r, resultlinks.ModelCandidates, r.PathValue("candidate_id"))
}

func (a *API) addApplicationResultLink(w http.ResponseWriter, r *http.Request) error {
	return a.addResultLink(w, r, resultlinks.ModelApplications, r.PathValue("application_id"))
}

// addResultLink validates a result link and stores it in the ledger with
// its delivery job, in one transaction. Asked to answer asynchronously, it
// answers then; otherwise it runs the delivery itself and answers when it
// ends or the sync deadline passes (the job is the safety net).
func (a *API) addResultLink(w http.ResponseWriter, r *http.Request, model resultlinks.Model, targetID string) error {
	ctx := r.Context()
	in := integrationOf(ctx)
	w.Header().Set("Concurrency-Limit", strconv.Itoa(a.slots.Limit()))
	w.Header().Set("Concurrency-Remaining", strconv.Itoa(a.slots.Remaining(ctx, in.ID)))

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
	async := preferAsync(r)

	// A synchronous write holds one of the integration's in-flight slots
	// while it runs; an asynchronous one takes a slot in the worker.
	release := func() {}
	if !async {
		rel, remaining, ok, err := a.slots.Acquire(ctx, in.ID)
		if err != nil {
			return err
		}
		if !ok {
			return resultlinks.Errorf(resultlinks.CodeConcurrencyLimitExceeded,
				"Integration %q already has %d result-link writes in flight; retry when one finishes.", in.ID, a.slots.Limit())
		}
		w.Header().Set("Concurrency-Remaining", strconv.Itoa(remaining))
		release = rel
	}
	handed := false
	defer func() {
		if !handed {
			release()
		}
	}()

	now := a.now()
	rl := &resultlinks.ResultLink{
		ID: resultlinks.NewID(), EnvironmentID: in.EnvironmentID, IntegrationID: in.ID,
		Model: model, TargetID: targetID, TargetRemoteID: targetRemoteID, CandidateRemoteID: candidateRemoteID, Input: *input,
		IdempotencyKey: key, RequestHash: hex.EncodeToString(sum[:]),
		Status: resultlinks.DeliveryQueued, Warnings: warnings, CreatedAt: now, UpdatedAt: now,
	}
	runAt := now
	if !async {
		runAt = now.Add(a.cfg.SyncDeadline + safetyMargin)
	}
	var enqueue resultlinks.EnqueueFunc
	if a.deliveries != nil {
		enqueue = a.deliveries.DeliveryJob(rl, runAt)
	}
	existing, err := a.store.CreateResultLink(ctx, rl, enqueue)
	if err != nil {
		return err
	}
	callOf(ctx).resultLinkID = rl.ID
	if existing != nil {
		callOf(ctx).resultLinkID = existing.ID
	} else {
		a.audit(ctx, "result_link.create", rl.ID, fmt.Sprintf("%s %s of %s", model, targetID, in.ID))
	}
	if existing != nil {
		if existing.RequestHash != rl.RequestHash {
			return &statusError{status: http.StatusUnprocessableEntity, err: resultlinks.Errorf(resultlinks.CodeInputInvalid,
				"Idempotency-Key %q was used before with a different request; use a new key for a new result link.", key)}
		}
		if existing.Status != resultlinks.DeliveryFailed || !delivery.Retryable(existing.ErrorCode) {
			return a.replay(w, r, existing)
		}
		// The first try failed for a passing reason: try the same ledger entry again.
		if _, err := a.store.RequeueResultLink(ctx, existing.ID, now); err != nil {
			return err
		}
		if a.deliveries != nil {
			if err := a.deliveries.EnqueueDelivery(ctx, existing, runAt); err != nil {
				return err
			}
		}
		rl = existing
	}
	if async {
		w.Header().Set("Preference-Applied", "respond-async")
		a.writeReceipt(w, &resultlinks.ResultLink{ID: rl.ID, Status: resultlinks.DeliveryQueued, Warnings: rl.Warnings})
		return nil
	}
	handed = true
	return a.deliver(w, r, in, rl, release)
}

// deliver runs the delivery of a stored result link, which holds an
// in-flight slot that it gives back, and answers once the attempt ends or
// the sync deadline passes.
func (a *API) deliver(w http.ResponseWriter, r *http.Request, in *resultlinks.Integration, rl *resultlinks.ResultLink, release func()) error {
	// The attempt runs detached from the request: a caller that goes away
	// or a passed deadline does not stop a write already under way.
	done := make(chan delivery.Result, 1)
	a.inflight.Add(1)
	inflight := metrics.InflightWrites.WithLabelValues(in.ID)
	inflight.Inc()
	go func() {
		defer a.inflight.Done()
		defer release()
		defer inflight.Dec()
		done <- a.safeAttempt(context.WithoutCancel(r.Context()), rl.ID)
	}()
	timer := time.NewTimer(a.cfg.SyncDeadline)
	defer timer.Stop()
	select {
	case res := <-done:
		switch res.Outcome {
		case delivery.Delivered:
			a.writeReceipt(w, res.Link)
			return nil
		case delivery.Failed:
			return res.Err
		case delivery.Retry:
			// The caller is told it failed, so it is not retried behind its back.
			ok, err := a.store.FailQueuedResultLink(r.Context(), rl.ID, resultlinks.ErrorCode(res.Err), resultlinks.ErrorMessage(res.Err), a.now())
			if err != nil {
				return err
			}
			if ok {
				return res.Err
			}
		}
		// Another attempt holds the link (or took it over): wait for it.
		current, err := a.store.FindResultLink(r.Context(), rl.EnvironmentID, rl.ID)
		if err != nil {
			return err
		}
		return a.replay(w, r, current)
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

// writeReceipt answers a result link: Kombo's action envelope with the
// request's and the connector's warnings, and the receipt in data.
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

// safeAttempt runs one attempt, turning a panic in a connector into a
// failed delivery instead of a crashed server.
func (a *API) safeAttempt(ctx context.Context, id string) (res delivery.Result) {
	defer func() {
		if p := recover(); p != nil {
			a.logger.Error("delivery panicked", "result_link", id, "panic", p)
			msg := "The delivery failed unexpectedly; the server log has the details."
			if _, err := a.store.FailQueuedResultLink(ctx, id, resultlinks.CodeUnknown, msg, a.now()); err != nil {
				a.logger.Error("recording failed delivery", "result_link", id, "error", err)
			}
			res = delivery.Result{Outcome: delivery.Failed, Err: resultlinks.Errorf(resultlinks.CodeUnknown, "%s", msg)}
		}
	}()
	return a.deliverer.Attempt(ctx, id)
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
