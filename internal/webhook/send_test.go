package webhook_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// receiver is a webhook endpoint on loopback that verifies what it gets
// the way a receiver written for Kombo does.
type receiver struct {
	t      *testing.T
	secret []byte
	srv    *httptest.Server
	status atomic.Int32 // the status to answer
	delay  atomic.Int64 // how long to wait before answering
	refuse sync.Map     // event IDs answered 503 whatever status says
	mu     sync.Mutex
	got    []webhook.Envelope
}

func newReceiver(t *testing.T, secret []byte) *receiver {
	r := &receiver{t: t, secret: secret}
	r.status.Store(http.StatusOK)
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if !webhook.Verify(r.secret, body, req.Header.Get(webhook.SignatureHeader)) ||
			webhook.VerifyTimestamped(r.secret, req.Header.Get(webhook.TimestampHeader), body,
				req.Header.Get(webhook.TimestampSignatureHeader), time.Now(), time.Minute) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if d := r.delay.Load(); d > 0 {
			time.Sleep(time.Duration(d))
		}
		status := int(r.status.Load())
		if _, refused := r.refuse.Load(req.Header.Get(webhook.EventIDHeader)); refused {
			status = http.StatusServiceUnavailable
		}
		if status/100 == 2 {
			var env webhook.Envelope
			if err := json.Unmarshal(body, &env); err != nil || env.ID != req.Header.Get(webhook.EventIDHeader) {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			r.mu.Lock()
			r.got = append(r.got, env)
			r.mu.Unlock()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []webhook.Envelope {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Envelope(nil), r.got...)
}

type fixture struct {
	store  *sqlite.Store
	env    string
	sender *webhook.Sender
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rl.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	f := &fixture{store: s, env: resultlinks.NewID(), now: time.Now()}
	f.sender = &webhook.Sender{Store: s, Client: webhook.NewClient(nil), Now: func() time.Time { return f.now }}
	return f
}

func (f *fixture) hook(t *testing.T, url string, secret []byte, events ...string) *resultlinks.Webhook {
	t.Helper()
	h := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: f.env, URL: url, Events: events, Secret: secret, CreatedAt: f.now}
	require.NoError(t, f.store.CreateWebhook(context.Background(), h))
	return h
}

func (f *fixture) event(t *testing.T, typ string, enqueue resultlinks.EnqueueFunc) *resultlinks.WebhookEvent {
	t.Helper()
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env, Type: typ,
		Data: json.RawMessage(`{"integration_id":"sandbox:1"}`), CreatedAt: f.now}
	require.NoError(t, f.store.AddWebhookEvent(context.Background(), ev, enqueue))
	return ev
}

func TestSendSignsAndRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	h := f.hook(t, rcv.srv.URL, secret)
	ev := f.event(t, resultlinks.EventDataChanged, nil)

	outcome, _, err := f.sender.Send(ctx, ev.ID, h.ID, 1, false)
	require.NoError(t, err)
	require.Equal(t, webhook.Sent, outcome)
	got := rcv.received()
	require.Len(t, got, 1)
	require.Equal(t, ev.ID, got[0].ID)
	require.Equal(t, resultlinks.EventDataChanged, got[0].Type)
	require.JSONEq(t, `{"integration_id":"sandbox:1"}`, string(got[0].Data))

	ds, err := f.store.ListWebhookDeliveries(ctx, h.ID, 10)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, 200, ds[0].StatusCode)
	require.Empty(t, ds[0].Error)

	// An endpoint with the wrong secret fails verification at the receiver.
	wrong := f.hook(t, rcv.srv.URL, []byte("whsec_wrong"))
	outcome, _, err = f.sender.Send(ctx, ev.ID, wrong.ID, 1, false)
	require.Equal(t, webhook.Retry, outcome)
	require.ErrorContains(t, err, "HTTP 401")
}

func TestSendFailuresRetryThenDisable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	h := f.hook(t, rcv.srv.URL, secret)
	ev := f.event(t, resultlinks.EventResultLinkFailed, nil)

	rcv.status.Store(http.StatusServiceUnavailable)
	for i := 1; i <= 2; i++ {
		outcome, _, err := f.sender.Send(ctx, ev.ID, h.ID, i, false)
		require.Equal(t, webhook.Retry, outcome)
		require.ErrorContains(t, err, "HTTP 503")
	}
	got, err := f.store.GetWebhook(ctx, h.ID)
	require.NoError(t, err)
	require.Equal(t, 2, got.Failures)
	require.Nil(t, got.DisabledAt)

	// The receiver comes back: the send succeeds and the count resets.
	rcv.status.Store(http.StatusNoContent)
	outcome, _, err := f.sender.Send(ctx, ev.ID, h.ID, 3, false)
	require.NoError(t, err)
	require.Equal(t, webhook.Sent, outcome)
	got, err = f.store.GetWebhook(ctx, h.ID)
	require.NoError(t, err)
	require.Zero(t, got.Failures)

	// A day of failures disables the endpoint, with the reason, and drops
	// what waits for it.
	rcv.status.Store(http.StatusInternalServerError)
	old := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env, Type: resultlinks.EventResultLinkFailed,
		Data: json.RawMessage(`{}`), CreatedAt: f.now.Add(-webhook.RetryWindow - time.Minute)}
	require.NoError(t, f.store.AddWebhookEvent(ctx, old, nil))
	waiting := f.event(t, resultlinks.EventDataChanged, nil)
	outcome, _, err = f.sender.Send(ctx, old.ID, h.ID, 4, false)
	require.Equal(t, webhook.Dropped, outcome)
	require.ErrorContains(t, err, "HTTP 500")
	got, err = f.store.GetWebhook(ctx, h.ID)
	require.NoError(t, err)
	require.NotNil(t, got.DisabledAt)
	require.Contains(t, got.DisabledReason, "HTTP 500")

	// A disabled endpoint is sent nothing: what waited was dropped, a
	// later event is not stored for it, and even a resend is refused
	// until the endpoint is enabled again.
	before := len(rcv.received())
	rcv.status.Store(http.StatusOK)
	outcome, _, _ = f.sender.Send(ctx, waiting.ID, h.ID, 1, false)
	require.Equal(t, webhook.Skipped, outcome)
	pending, err := f.store.PendingWebhookSends(ctx, f.event(t, resultlinks.EventDataChanged, nil).ID)
	require.NoError(t, err)
	require.Empty(t, pending)
	outcome, _, _ = f.sender.Send(ctx, waiting.ID, h.ID, 1, true)
	require.Equal(t, webhook.Dropped, outcome)
	require.Len(t, rcv.received(), before)

	ds, err := f.store.ListWebhookDeliveries(ctx, h.ID, 10)
	require.NoError(t, err)
	require.Len(t, ds, 4, "every attempt made is recorded, the refused one is not")
}

func TestSendTimesOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.sender.Timeout = 100 * time.Millisecond
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	rcv.delay.Store(int64(time.Second))
	h := f.hook(t, rcv.srv.URL, secret)
	ev := f.event(t, resultlinks.EventDataChanged, nil)
	outcome, _, err := f.sender.Send(context.Background(), ev.ID, h.ID, 1, false)
	require.Equal(t, webhook.Retry, outcome)
	require.ErrorContains(t, err, "no answer within 100ms")
	ds, err := f.store.ListWebhookDeliveries(context.Background(), h.ID, 10)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Zero(t, ds[0].StatusCode)
}

func TestSendSkipsEventsTheEndpointDoesNotTake(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	h := f.hook(t, rcv.srv.URL, secret, resultlinks.EventResultLinkDelivered)
	f.hook(t, rcv.srv.URL, secret, resultlinks.EventDataChanged)
	ev := f.event(t, resultlinks.EventDataChanged, nil)
	outcome, _, _ := f.sender.Send(context.Background(), ev.ID, h.ID, 1, false)
	require.Equal(t, webhook.Dropped, outcome)
	require.Empty(t, rcv.received())
}

// inserter inserts jobs with a River client.
type inserter struct{ c *river.Client[*sql.Tx] }

func (i inserter) InsertJob(ctx context.Context, args river.JobArgs) error {
	_, err := i.c.Insert(ctx, args, nil)
	return err
}

// startJobs runs the webhook jobs on River over the fixture's SQLite
// database, retrying after 100 ms, and answers what commits an event's
// fan-out job.
func startJobs(t *testing.T, f *fixture) (func(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc, inserter) {
	t.Helper()
	ctx := context.Background()
	driver := riversqlite.New(f.store.DB())
	m, err := rivermigrate.New(driver, nil)
	require.NoError(t, err)
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	require.NoError(t, err)

	f.sender.Now = time.Now
	workers := river.NewWorkers()
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{webhook.QueueWebhooks: {MaxWorkers: 4}},
		Workers:           workers,
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
	})
	require.NoError(t, err)
	river.AddWorker(workers, &webhook.FanOutWorker{Store: f.store, Jobs: inserter{client}})
	river.AddWorker(workers, &webhook.SendWorker{Sender: f.sender, Backoff: func(int) time.Duration { return 100 * time.Millisecond }})
	f.sender.Next = func(webhookID, eventID, after string) resultlinks.EnqueueFunc {
		return func(ctx context.Context, tx any) error {
			_, err := client.InsertTx(ctx, tx.(*sql.Tx), webhook.SendArgs{EventID: eventID, WebhookID: webhookID, After: after}, nil)
			return err
		}
	}
	require.NoError(t, client.Start(ctx))
	t.Cleanup(func() { _ = client.Stop(context.Background()) })
	return func(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc {
		return func(ctx context.Context, tx any) error {
			_, err := client.InsertTx(ctx, tx.(*sql.Tx), webhook.FanOutArgs{EventID: ev.ID}, nil)
			return err
		}
	}, inserter{client}
}

// addEvents commits n events of the integration, each with its fan-out job.
func (f *fixture) addEvents(t *testing.T, job func(*resultlinks.WebhookEvent) resultlinks.EnqueueFunc, integrationID string, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env, IntegrationID: integrationID,
			Type: resultlinks.EventResultLinkDelivered, Data: json.RawMessage(`{}`), CreatedAt: time.Now()}
		require.NoError(t, f.store.AddWebhookEvent(context.Background(), ev, job(ev)))
		ids = append(ids, ev.ID)
	}
	return ids
}

func envelopeIDs(list []webhook.Envelope) []string {
	out := []string{}
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

// TestJobsDeliverAfterOutage runs the jobs on River: events committed with
// their fan-out jobs reach every endpoint that takes them, and one
// endpoint's outage is retried through, in order.
func TestJobsDeliverAfterOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	secretA, secretB := webhook.NewSecret(), webhook.NewSecret()
	up, down := newReceiver(t, secretA), newReceiver(t, secretB)
	down.status.Store(http.StatusBadGateway)
	f.hook(t, up.srv.URL, secretA)
	hb := f.hook(t, down.srv.URL, secretB)
	f.hook(t, up.srv.URL, secretA, resultlinks.EventSyncFinished) // takes none of these
	job, _ := startJobs(t, f)
	events := f.addEvents(t, job, "sandbox:1", 3)

	require.Eventually(t, func() bool { return len(up.received()) == 3 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, events, envelopeIDs(up.received()))
	// The down endpoint has been tried and failed; it comes back.
	require.Eventually(t, func() bool {
		ds, err := f.store.ListWebhookDeliveries(ctx, hb.ID, 100)
		return err == nil && len(ds) >= 6
	}, 20*time.Second, 20*time.Millisecond)
	require.Empty(t, down.received())
	down.status.Store(http.StatusOK)
	require.Eventually(t, func() bool { return len(down.received()) == 3 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, events, envelopeIDs(down.received()), "the events arrive in the order they happened")
	time.Sleep(300 * time.Millisecond)
	require.Len(t, up.received(), 3, "no event is sent twice")
	require.Len(t, down.received(), 3, "no event is sent twice")
	got, err := f.store.GetWebhook(ctx, hb.ID)
	require.NoError(t, err)
	require.Zero(t, got.Failures)
}

// TestJobsKeepOrderPerIntegration holds an integration's later events
// while its first is refused, without holding another integration's.
func TestJobsKeepOrderPerIntegration(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	f.hook(t, rcv.srv.URL, secret)
	job, _ := startJobs(t, f)

	a := f.addEvents(t, job, "sandbox:a", 1)
	rcv.refuse.Store(a[0], true)
	a = append(a, f.addEvents(t, job, "sandbox:a", 4)...)
	b := f.addEvents(t, job, "sandbox:b", 3)

	require.Eventually(t, func() bool { return len(rcv.received()) == 3 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, b, envelopeIDs(rcv.received()), "the other integration's events go on, in order")
	time.Sleep(500 * time.Millisecond) // several refused retries of a[0]
	require.Len(t, rcv.received(), 3, "nothing of integration a passes its refused first event")

	rcv.refuse.Delete(a[0])
	require.Eventually(t, func() bool { return len(rcv.received()) == 8 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, a, envelopeIDs(rcv.received())[3:], "integration a's events arrive in order once the first passes")
	time.Sleep(300 * time.Millisecond)
	require.Len(t, rcv.received(), 8, "no event is sent twice")
}

// TestRescueSendsWhatADeadWorkerHeld: a send whose claim ran out (its
// worker died mid-send) is sent by the rescue job, and the integration's
// events behind it follow in order.
func TestRescueSendsWhatADeadWorkerHeld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	secret := webhook.NewSecret()
	rcv := newReceiver(t, secret)
	h := f.hook(t, rcv.srv.URL, secret)
	job, ins := startJobs(t, f)

	// The first event's worker claimed it and died: no job is left.
	held := f.addEvents(t, func(*resultlinks.WebhookEvent) resultlinks.EnqueueFunc { return nil }, "sandbox:a", 1)
	past := time.Now().Add(-time.Minute)
	claim, err := f.store.ClaimWebhookSend(ctx, h.ID, held[0], past, past.Add(10*time.Second))
	require.NoError(t, err)
	require.Equal(t, resultlinks.SendClaimed, claim)
	behind := f.addEvents(t, job, "sandbox:a", 2)
	time.Sleep(300 * time.Millisecond)
	require.Empty(t, rcv.received(), "everything waits behind the held send")

	rescue := &webhook.RescueWorker{Store: f.store, Jobs: ins, Now: time.Now}
	require.NoError(t, rescue.Work(ctx, nil))
	want := append(held, behind...)
	require.Eventually(t, func() bool { return len(rcv.received()) == 3 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, want, envelopeIDs(rcv.received()))
	require.NoError(t, rescue.Work(ctx, nil))
	time.Sleep(300 * time.Millisecond)
	require.Len(t, rcv.received(), 3, "a rescued send is not sent twice")
}
