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
	require.Equal(t, 3, n, "the first two attempts and the event")
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
