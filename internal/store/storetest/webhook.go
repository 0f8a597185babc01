package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
)

func testWebhooks(t *testing.T, open Opener) {
	f := setup(t, open)
	ctx := context.Background()
	a := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, URL: "https://hooks.example.com/a",
		Events: []string{resultlinks.EventDataChanged}, Secret: []byte("secret-a"), CreatedAt: t0}
	b := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, URL: "https://hooks.example.com/b",
		Secret: []byte("secret-b"), CreatedAt: t0.Add(time.Second)}
	require.NoError(t, f.store.CreateWebhook(ctx, a))
	require.NoError(t, f.store.CreateWebhook(ctx, b))

	list, err := f.store.ListWebhooks(ctx, f.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, a.ID, list[0].ID)
	require.Equal(t, []string{resultlinks.EventDataChanged}, list[0].Events)
	require.Equal(t, []byte("secret-a"), list[0].Secret)
	require.Empty(t, list[1].Events)
	require.True(t, list[1].Wants(resultlinks.EventResultLinkFailed))
	require.False(t, list[0].Wants(resultlinks.EventResultLinkFailed))

	other, err := f.store.ListWebhooks(ctx, resultlinks.NewID())
	require.NoError(t, err)
	require.Empty(t, other)

	require.NoError(t, f.store.SetWebhookSecret(ctx, b.ID, []byte("secret-b2")))
	got, err := f.store.GetWebhook(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, "secret-b2", string(got.Secret))

	disabled := t0.Add(time.Hour)
	require.NoError(t, f.store.SetWebhookHealth(ctx, a.ID, 12, &disabled, "HTTP 500 on 12 attempts"))
	got, err = f.store.GetWebhook(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, 12, got.Failures)
	require.NotNil(t, got.DisabledAt)
	require.True(t, got.DisabledAt.Equal(disabled))
	require.Equal(t, "HTTP 500 on 12 attempts", got.DisabledReason)

	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Type: resultlinks.EventDataChanged,
		Data: json.RawMessage(`{"integration_id":"x"}`), CreatedAt: t0}
	enqueued := false
	require.NoError(t, f.store.AddWebhookEvent(ctx, ev, func(ctx context.Context, tx any) error { enqueued = true; return nil }))
	require.True(t, enqueued)
	gotEv, err := f.store.GetWebhookEvent(ctx, ev.ID)
	require.NoError(t, err)
	require.JSONEq(t, `{"integration_id":"x"}`, string(gotEv.Data))
	require.Equal(t, resultlinks.EventDataChanged, gotEv.Type)

	// A failing enqueue leaves no event behind.
	lost := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Type: resultlinks.EventDataChanged,
		Data: json.RawMessage(`{}`), CreatedAt: t0}
	require.Error(t, f.store.AddWebhookEvent(ctx, lost, func(ctx context.Context, tx any) error { return context.Canceled }))
	_, err = f.store.GetWebhookEvent(ctx, lost.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	for i := 1; i <= 3; i++ {
		require.NoError(t, f.store.AddWebhookDelivery(ctx, &resultlinks.WebhookDelivery{ID: resultlinks.NewID(), EventID: ev.ID,
			EventType: ev.Type, WebhookID: b.ID, Attempt: i, StatusCode: 500 + i, At: t0.Add(time.Duration(i) * time.Minute), Duration: 25 * time.Millisecond}))
	}
	ds, err := f.store.ListWebhookDeliveries(ctx, b.ID, 2)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	require.Equal(t, 3, ds[0].Attempt)
	require.Equal(t, 503, ds[0].StatusCode)
	require.Equal(t, 25*time.Millisecond, ds[0].Duration)

	// Retention drops what is older than its horizon and keeps the rest.
	n, err := f.store.DeleteWebhookHistoryBefore(ctx, t0.Add(2*time.Minute+time.Second))
	require.NoError(t, err)
	require.Equal(t, 4, n, "the first two attempts, the event and its send")
	ds, err = f.store.ListWebhookDeliveries(ctx, b.ID, 10)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, 3, ds[0].Attempt)
	_, err = f.store.GetWebhookEvent(ctx, ev.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	require.NoError(t, f.store.DeleteWebhook(ctx, f.env.ID, a.ID))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(f.store.DeleteWebhook(ctx, f.env.ID, a.ID)))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(f.store.DeleteWebhook(ctx, resultlinks.NewID(), b.ID)))
	_, err = f.store.GetWebhook(ctx, a.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
}

// testSettleEmits checks that a settling link's event is stored, and its
// job queued, in the settling transaction, and not at all when the link
// does not settle or the queueing fails.
func testSettleEmits(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	rl := newLink(f, "")
	_, err := f.store.CreateResultLink(ctx, rl, nil)
	require.NoError(t, err)
	t1 := t0.Add(time.Minute)
	lease := t1.Add(5 * time.Minute)
	claimed, ok, err := f.store.ClaimResultLink(ctx, rl.ID, t1, lease)
	require.NoError(t, err)
	require.True(t, ok)
	claimed.Status, claimed.UpdatedAt, claimed.DeliveredAt = resultlinks.DeliveryDelivered, t1, &t1
	addEndpoint(t, f)

	event := func() *resultlinks.WebhookEvent {
		return &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Type: resultlinks.EventResultLinkDelivered,
			Data: json.RawMessage(`{"result_link_id":"` + rl.ID + `"}`), CreatedAt: t1}
	}
	stale := event()
	settled, err := f.store.SettleResultLink(ctx, claimed, lease.Add(time.Second), &resultlinks.Emit{Event: stale})
	require.NoError(t, err)
	require.False(t, settled)
	_, err = f.store.GetWebhookEvent(ctx, stale.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "no event for a link that did not settle")

	failing := event()
	_, err = f.store.SettleResultLink(ctx, claimed, lease, &resultlinks.Emit{Event: failing,
		Enqueue: func(context.Context, any) error { return context.DeadlineExceeded }})
	require.Error(t, err)
	_, err = f.store.GetWebhookEvent(ctx, failing.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	still, err := f.store.GetResultLink(ctx, rl.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryDelivering, still.Status, "the settling rolled back with its event")

	ok1 := event()
	var gotTx any
	settled, err = f.store.SettleResultLink(ctx, claimed, lease, &resultlinks.Emit{Event: ok1,
		Enqueue: func(_ context.Context, tx any) error { gotTx = tx; return nil }})
	require.NoError(t, err)
	require.True(t, settled)
	require.NotNil(t, gotTx)
	_, err = f.store.GetWebhookEvent(ctx, ok1.ID)
	require.NoError(t, err)
	done, err := f.store.GetResultLink(ctx, rl.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryDelivered, done.Status)
}

// testIntegrationEmits checks that an integration's creation and deletion
// commit with their events, or not at all.
func testIntegrationEmits(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	addEndpoint(t, f)
	event := func() *resultlinks.WebhookEvent {
		return &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Type: resultlinks.EventIntegrationDeleted,
			Data: json.RawMessage(`{}`), CreatedAt: t0}
	}
	failing := event()
	err := f.store.DeleteIntegration(ctx, f.env.ID, f.in.ID, &resultlinks.Emit{Event: failing,
		Enqueue: func(context.Context, any) error { return context.DeadlineExceeded }})
	require.Error(t, err)
	_, err = f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err, "the deletion rolled back with its event")
	_, err = f.store.GetWebhookEvent(ctx, failing.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	invalid := *f.in
	invalid.Status = resultlinks.StatusInvalid
	require.Error(t, f.store.UpdateIntegration(ctx, &invalid, &resultlinks.Emit{Event: event(),
		Enqueue: func(context.Context, any) error { return context.DeadlineExceeded }}))
	got, err := f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, f.in.Status, got.Status, "the update rolled back with its event")
	changed := event()
	require.NoError(t, f.store.UpdateIntegration(ctx, &invalid, nil, &resultlinks.Emit{Event: changed}))
	got, err = f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.StatusInvalid, got.Status)
	_, err = f.store.GetWebhookEvent(ctx, changed.ID)
	require.NoError(t, err)

	ok := event()
	require.NoError(t, f.store.DeleteIntegration(ctx, f.env.ID, f.in.ID, nil, &resultlinks.Emit{Event: ok}))
	_, err = f.store.GetWebhookEvent(ctx, ok.ID)
	require.NoError(t, err)

	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: f.env.ID, Tool: "sandbox", Name: "Second",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupCompleted, CreatedAt: t0, UpdatedAt: t0}
	bad := event()
	require.Error(t, f.store.CreateIntegration(ctx, in, &resultlinks.Emit{Event: bad,
		Enqueue: func(context.Context, any) error { return context.DeadlineExceeded }}))
	_, err = f.store.FindIntegration(ctx, f.env.ID, in.ID)
	require.Error(t, err, "no integration without its event")
	created := event()
	require.NoError(t, f.store.CreateIntegration(ctx, in, &resultlinks.Emit{Event: created}))
	_, err = f.store.GetWebhookEvent(ctx, created.ID)
	require.NoError(t, err)
}

// addEndpoint gives the fixture's environment an endpoint that takes every
// event, so that events are stored.
func addEndpoint(t *testing.T, f *fixture) *resultlinks.Webhook {
	t.Helper()
	h := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, URL: "https://hooks.example.com/all",
		Secret: []byte("s"), CreatedAt: t0}
	require.NoError(t, f.store.CreateWebhook(context.Background(), h))
	return h
}

// testWebhookSends checks the sends of events to endpoints: one per
// enabled endpoint that takes the event, claimed by one worker at a time,
// in the order of each integration's events, and chained so that settling
// one queues the next.
func testWebhookSends(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	event := func(integrationID, typ string) *resultlinks.WebhookEvent {
		ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, IntegrationID: integrationID, Type: typ,
			Data: json.RawMessage(`{}`), CreatedAt: t0}
		enqueued := false
		require.NoError(t, f.store.AddWebhookEvent(ctx, ev, func(context.Context, any) error { enqueued = true; return nil }))
		if !enqueued {
			return nil
		}
		got, err := f.store.GetWebhookEvent(ctx, ev.ID)
		require.NoError(t, err)
		require.Equal(t, integrationID, got.IntegrationID)
		return ev
	}

	require.Nil(t, event("sandbox:a", resultlinks.EventDataChanged), "no endpoint, no event")

	all := addEndpoint(t, f)
	only := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, URL: "https://hooks.example.com/only",
		Events: []string{resultlinks.EventResultLinkFailed}, Secret: []byte("s"), CreatedAt: t0.Add(time.Second)}
	require.NoError(t, f.store.CreateWebhook(ctx, only))
	foreign := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: resultlinks.NewID(), URL: "https://hooks.example.com/x",
		Secret: []byte("s"), CreatedAt: t0}
	require.NoError(t, f.store.CreateWebhook(ctx, foreign))

	got, err := f.store.FindWebhook(ctx, f.env.ID, only.ID)
	require.NoError(t, err)
	require.Equal(t, only.URL, got.URL)
	_, err = f.store.FindWebhook(ctx, f.env.ID, foreign.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "another environment's endpoint is not found")

	a1 := event("sandbox:a", resultlinks.EventResultLinkFailed)
	a2 := event("sandbox:a", resultlinks.EventDataChanged)
	a3 := event("sandbox:a", resultlinks.EventResultLinkFailed)
	b1 := event("sandbox:b", resultlinks.EventDataChanged)
	pending, err := f.store.PendingWebhookSends(ctx, a1.ID)
	require.NoError(t, err)
	require.Equal(t, []string{all.ID, only.ID}, pending, "every enabled endpoint of the environment that takes it")
	pending, err = f.store.PendingWebhookSends(ctx, a2.ID)
	require.NoError(t, err)
	require.Equal(t, []string{all.ID}, pending)

	now := t0.Add(time.Minute)
	until := now.Add(time.Minute)
	claim := func(h *resultlinks.Webhook, ev *resultlinks.WebhookEvent, at time.Time) resultlinks.SendClaim {
		t.Helper()
		c, err := f.store.ClaimWebhookSend(ctx, h.ID, ev.ID, at, at.Add(time.Minute))
		require.NoError(t, err)
		return c
	}
	require.Equal(t, resultlinks.SendBlocked, claim(all, a2, now), "a2 waits for a1")
	require.Equal(t, resultlinks.SendClaimed, claim(all, b1, now), "another integration does not wait")
	require.Equal(t, resultlinks.SendClaimed, claim(all, a1, now))
	require.Equal(t, resultlinks.SendBusy, claim(all, a1, now), "one worker at a time")
	require.Equal(t, resultlinks.SendClaimed, claim(all, a1, until.Add(time.Second)), "an expired claim is taken over")
	require.Equal(t, resultlinks.SendUntracked, claim(foreign, a1, now))
	abandoned, err := f.store.AbandonedWebhookSends(ctx, until, 10)
	require.NoError(t, err)
	require.Empty(t, abandoned, "no claim has run out yet")
	abandoned, err = f.store.AbandonedWebhookSends(ctx, until.Add(2*time.Minute), 10)
	require.NoError(t, err)
	require.Len(t, abandoned, 2, "a1's and b1's claims ran out")
	require.Equal(t, all.ID, abandoned[0].WebhookID)
	require.Equal(t, a1.ID, abandoned[0].EventID, "oldest first")
	require.True(t, until.Add(time.Second).Add(time.Minute).Equal(abandoned[0].ClaimedUntil))
	require.Equal(t, b1.ID, abandoned[1].EventID)

	// A retry releases the claim and keeps the order.
	require.NoError(t, f.store.FinishWebhookSend(ctx, all.ID, a1.ID, resultlinks.SendPending, nil))
	require.Equal(t, resultlinks.SendClaimed, claim(all, a1, now))
	require.Equal(t, resultlinks.SendBlocked, claim(all, a2, now))

	// Settling a1 queues a2, in the same transaction.
	var queued []string
	next := func(eventID string) resultlinks.EnqueueFunc {
		return func(_ context.Context, tx any) error {
			require.NotNil(t, tx)
			queued = append(queued, eventID)
			return nil
		}
	}
	require.NoError(t, f.store.FinishWebhookSend(ctx, all.ID, a1.ID, resultlinks.SendDelivered, next))
	require.Equal(t, []string{a2.ID}, queued)
	require.Equal(t, resultlinks.SendSettled, claim(all, a1, now), "a settled send is not sent again")
	require.NoError(t, f.store.FinishWebhookSend(ctx, all.ID, a1.ID, resultlinks.SendDelivered, next))
	require.Equal(t, []string{a2.ID}, queued, "settling twice queues nothing more")
	pending, err = f.store.PendingWebhookSends(ctx, a1.ID)
	require.NoError(t, err)
	require.Equal(t, []string{only.ID}, pending)

	// A failing queueing rolls the settling back.
	require.Equal(t, resultlinks.SendClaimed, claim(all, a2, now))
	require.Error(t, f.store.FinishWebhookSend(ctx, all.ID, a2.ID, resultlinks.SendDelivered,
		func(string) resultlinks.EnqueueFunc {
			return func(context.Context, any) error { return context.DeadlineExceeded }
		}))
	require.Equal(t, resultlinks.SendBusy, claim(all, a2, now), "still pending, still claimed")
	require.NoError(t, f.store.FinishWebhookSend(ctx, all.ID, a2.ID, resultlinks.SendDelivered, next))
	require.Equal(t, []string{a2.ID, a3.ID}, queued)

	// Failures count up one by one; disabling drops what waits.
	for range 3 {
		require.NoError(t, f.store.AddWebhookFailure(ctx, only.ID, nil, ""))
	}
	got, err = f.store.GetWebhook(ctx, only.ID)
	require.NoError(t, err)
	require.Equal(t, 3, got.Failures)
	require.Nil(t, got.DisabledAt)
	at := t0.Add(time.Hour)
	require.NoError(t, f.store.AddWebhookFailure(ctx, only.ID, &at, "HTTP 500 for 24h"))
	got, err = f.store.GetWebhook(ctx, only.ID)
	require.NoError(t, err)
	require.Equal(t, 4, got.Failures)
	require.True(t, at.Equal(*got.DisabledAt))
	require.Equal(t, "HTTP 500 for 24h", got.DisabledReason)
	require.Equal(t, resultlinks.SendSettled, claim(only, a3, now), "dropped when the endpoint was disabled")
	c := event("sandbox:c", resultlinks.EventResultLinkFailed)
	pending, err = f.store.PendingWebhookSends(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, []string{all.ID}, pending, "a disabled endpoint gets no new sends")

	// Deleting an endpoint deletes its sends.
	require.NoError(t, f.store.DeleteWebhook(ctx, f.env.ID, all.ID))
	require.Equal(t, resultlinks.SendUntracked, claim(all, c, now))
}
