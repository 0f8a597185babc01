package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

// testMirrorChanges checks that UpsertBatch counts the rows it inserted or
// changed, and not the ones it left as they were.
func testMirrorChanges(t *testing.T, open Opener) {
	f := setup(t, open)
	all := resultlinks.Changes{resultlinks.ModelJobs: 2, resultlinks.ModelStages: 2, resultlinks.ModelCandidates: 2,
		resultlinks.ModelApplications: 4}
	changedName := batch(2)
	changedName.Candidates[1].FirstName = ptr("Renamed")
	changedName.Jobs[0].Name = ptr("Staff Engineer")
	changedOutcome := batch(2)
	changedOutcome.Applications[2].Outcome = ptr(resultlinks.OutcomeDeclined)
	grown := batch(3)
	grown.Applications[2].Outcome = ptr(resultlinks.OutcomeDeclined)
	for _, c := range []struct {
		name  string
		batch *resultlinks.Batch
		want  resultlinks.Changes
	}{
		{"new rows", batch(2), all},
		{"unchanged rows", batch(2), resultlinks.Changes{}},
		{"changed candidate and job", changedName, resultlinks.Changes{resultlinks.ModelCandidates: 1, resultlinks.ModelJobs: 1}},
		{"changed application", changedOutcome, resultlinks.Changes{resultlinks.ModelCandidates: 1, resultlinks.ModelJobs: 1,
			resultlinks.ModelApplications: 1}},
		{"one more candidate", grown, resultlinks.Changes{resultlinks.ModelCandidates: 1, resultlinks.ModelApplications: 2}},
		{"empty batch", &resultlinks.Batch{}, resultlinks.Changes{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, upsert(t, f.store, f.in.ID, c.batch, t0))
		})
	}
}

// newSync returns a running sync of the fixture's integration.
func newSync(f *fixture, started time.Time) *resultlinks.Sync {
	return &resultlinks.Sync{ID: resultlinks.NewID(), IntegrationID: f.in.ID, EnvironmentID: f.env.ID, Full: true,
		State: resultlinks.SyncRunning, StartedAt: started, Changes: resultlinks.Changes{}}
}

// testSyncs checks a sync's record through its life: started, in
// progress, finished, listed, found only in its environment, and deleted
// by retention.
func testSyncs(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	first := newSync(f, t0)
	require.NoError(t, f.store.SaveSync(ctx, first))
	got, err := f.store.FindSync(ctx, f.env.ID, first.ID)
	require.NoError(t, err)
	require.Equal(t, first, got)

	first.Pages, first.Records, first.Changes = 2, 10, resultlinks.Changes{resultlinks.ModelCandidates: 3}
	require.NoError(t, f.store.SaveSync(ctx, first), "a saved sync is updated")
	got, err = f.store.FindSync(ctx, f.env.ID, first.ID)
	require.NoError(t, err)
	require.Equal(t, first, got)

	ended := t0.Add(90 * time.Second)
	first.State, first.EndedAt, first.Vanished = resultlinks.SyncSucceeded, &ended, 1
	in := *f.in
	in.LastSyncedAt, in.LastFullSyncedAt, in.UpdatedAt, in.SyncError = &first.StartedAt, &first.StartedAt, ended, ""
	require.NoError(t, f.store.FinishSync(ctx, first, &in))
	got, err = f.store.FindSync(ctx, f.env.ID, first.ID)
	require.NoError(t, err)
	require.Equal(t, first, got)
	saved, err := f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.NotNil(t, saved.LastSyncedAt)
	require.True(t, saved.LastSyncedAt.Equal(t0), "the integration is saved with the sync")

	second := newSync(f, t0.Add(time.Hour))
	second.Full, second.State, second.EndedAt = false, resultlinks.SyncAuthenticationFailed, ptr(t0.Add(time.Hour+time.Second))
	second.ErrorCode, second.ErrorMessage = resultlinks.CodeIntegrationAuthInvalid, "The credentials were refused."
	require.NoError(t, f.store.SaveSync(ctx, second))
	other := &resultlinks.Sync{ID: resultlinks.NewID(), IntegrationID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: f.env.ID,
		State: resultlinks.SyncRunning, StartedAt: t0.Add(2 * time.Hour)}
	require.NoError(t, f.store.SaveSync(ctx, other))

	list, err := f.store.ListSyncs(ctx, f.in.ID, 0)
	require.NoError(t, err)
	require.Equal(t, []*resultlinks.Sync{second, first}, list, "newest first, only this integration's")
	list, err = f.store.ListSyncs(ctx, f.in.ID, 1)
	require.NoError(t, err)
	require.Equal(t, []*resultlinks.Sync{second}, list)

	for _, c := range []struct{ name, env, id string }{
		{"another environment", resultlinks.NewID(), first.ID},
		{"unknown ID", f.env.ID, resultlinks.NewID()},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.store.FindSync(ctx, c.env, c.id)
			require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
		})
	}

	lost := newSync(f, t0)
	gone := *f.in
	gone.EnvironmentID = resultlinks.NewID()
	err = f.store.FinishSync(ctx, lost, &gone)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindSync(ctx, f.env.ID, lost.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "no sync saved without its integration")

	n, err := f.store.DeleteInteractionsBefore(ctx, t0.Add(30*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, n, "the first sync is past retention")
	_, err = f.store.FindSync(ctx, f.env.ID, first.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindSync(ctx, f.env.ID, second.ID)
	require.NoError(t, err)
}

// testSyncEmits checks that a sync's end commits with its events, or not
// at all.
func testSyncEmits(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	addEndpoint(t, f)
	f.in.SetupStatus = resultlinks.SetupFinalSyncPending
	require.NoError(t, f.store.UpdateIntegration(ctx, f.in))
	s := newSync(f, t0)
	require.NoError(t, f.store.SaveSync(ctx, s))
	event := func() *resultlinks.WebhookEvent {
		return &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Type: resultlinks.EventSyncFinished,
			Data: json.RawMessage(`{"sync_id":"` + s.ID + `"}`), CreatedAt: t0}
	}
	ended := t0.Add(time.Minute)
	s.State, s.EndedAt = resultlinks.SyncSucceeded, &ended
	in := *f.in
	in.SetupStatus, in.UpdatedAt = resultlinks.SetupCompleted, ended

	failing := event()
	err := f.store.FinishSync(ctx, s, &in, &resultlinks.Emit{Event: failing,
		Enqueue: func(context.Context, any) error { return context.DeadlineExceeded }})
	require.Error(t, err)
	_, err = f.store.GetWebhookEvent(ctx, failing.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	still, err := f.store.FindSync(ctx, f.env.ID, s.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncRunning, still.State, "the sync's end rolled back with its event")
	saved, err := f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SetupFinalSyncPending, saved.SetupStatus, "the integration rolled back with its event")

	ok, other := event(), event()
	var gotTx any
	require.NoError(t, f.store.FinishSync(ctx, s, &in, nil, &resultlinks.Emit{Event: ok,
		Enqueue: func(_ context.Context, tx any) error { gotTx = tx; return nil }}, &resultlinks.Emit{Event: other}))
	require.NotNil(t, gotTx)
	for _, id := range []string{ok.ID, other.ID} {
		_, err = f.store.GetWebhookEvent(ctx, id)
		require.NoError(t, err)
	}
	done, err := f.store.FindSync(ctx, f.env.ID, s.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncSucceeded, done.State)
	saved, err = f.store.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SetupCompleted, saved.SetupStatus)
}

// testSyncResume checks that a running sync's resume point is kept with
// its progress and cleared when it finishes.
func testSyncResume(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	s := newSync(f, t0)
	require.NoError(t, f.store.SaveSync(ctx, s))
	got, err := f.store.FindSync(ctx, f.env.ID, s.ID)
	require.NoError(t, err)
	require.Nil(t, got.Resume, "a new sync starts at the beginning")

	s.Pages, s.Resume = 3, &resultlinks.SyncResume{Model: resultlinks.ModelApplications, Cursor: "page=4&since=x"}
	s.Changes[resultlinks.ModelCandidates] = 2
	require.NoError(t, f.store.SaveSync(ctx, s))
	got, err = f.store.FindSync(ctx, f.env.ID, s.ID)
	require.NoError(t, err)
	require.Equal(t, s.Resume, got.Resume)
	require.Equal(t, 3, got.Pages)
	require.Equal(t, 2, got.Changes[resultlinks.ModelCandidates], "the counts so far go with the resume point")

	ended := t0.Add(time.Minute)
	s.State, s.EndedAt, s.Resume = resultlinks.SyncSucceeded, &ended, nil
	require.NoError(t, f.store.FinishSync(ctx, s, f.in))
	got, err = f.store.FindSync(ctx, f.env.ID, s.ID)
	require.NoError(t, err)
	require.Nil(t, got.Resume)
}
