package mirror_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/stretchr/testify/require"
)

// refusing is the sandbox, but the ATS refuses its credentials on reads.
type refusing struct{ connector.Connector }

func (refusing) ListPage(context.Context, connector.PageRequest) (*connector.Page, error) {
	return nil, resultlinks.Errorf(resultlinks.CodeIntegrationAuthInvalid, "refusing: the API key was revoked")
}

// bundle is a syncer on a real store whose events are recorded as they
// are committed.
type bundle struct {
	store  resultlinks.Store
	syncer *mirror.Syncer
	env    *resultlinks.Environment
	mu     sync.Mutex
	events []*resultlinks.WebhookEvent
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "mirror.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	b := &bundle{store: store, env: &resultlinks.Environment{ID: resultlinks.NewID(), Name: "test", CreatedAt: time.Now()}}
	require.NoError(t, store.CreateEnvironment(ctx, b.env))
	hook, err := resultlinks.NewWebhook(b.env.ID, "https://vendor.example/hooks", nil, []byte("secret"), time.Now())
	require.NoError(t, err)
	require.NoError(t, store.CreateWebhook(ctx, hook))
	refusingInfo := sandbox.Info()
	refusingInfo.Tool = "refusing"
	refusingInfo.New = func(creds json.RawMessage, deps connector.Deps) (connector.Connector, error) {
		c, err := sandbox.New(creds, deps)
		return refusing{c}, err
	}
	events := &webhook.Events{Now: time.Now, Job: func(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc {
		return func(context.Context, any) error {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.events = append(b.events, ev)
			return nil
		}
	}}
	b.syncer = &mirror.Syncer{Store: store, Registry: connector.NewRegistry(sandbox.Info(), refusingInfo),
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Now().UTC() }, Events: events,
		PublicURL: "https://rl.example"}
	return b
}

// integration creates an integration of the tool whose first sync is due.
func (b *bundle) integration(t *testing.T, tool string) *resultlinks.Integration {
	t.Helper()
	now := time.Now().UTC()
	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID(tool), EnvironmentID: b.env.ID, Tool: tool, Name: "Acme",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending, Credentials: json.RawMessage(`{}`),
		EndUser: resultlinks.EndUser{OrganizationName: "Acme Inc", OriginID: ptr("acme-1")}, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, b.store.CreateIntegration(context.Background(), in))
	return in
}

// take returns the events committed since the last call, by type, checking
// each was stored, and their data decoded.
func (b *bundle) take(t *testing.T) map[string]map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]map[string]any{}
	for _, ev := range b.events {
		stored, err := b.store.GetWebhookEvent(context.Background(), ev.ID)
		require.NoError(t, err, "a queued event is committed")
		require.NotContains(t, out, ev.Type, "one event of each type")
		var data map[string]any
		require.NoError(t, json.Unmarshal(stored.Data, &data))
		out[ev.Type] = data
	}
	b.events = nil
	return out
}

func ptr[T any](v T) *T { return &v }

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var (
	syncFinishedKeys = []string{"end_user", "integration_category", "integration_id", "integration_tool", "log_url", "sync_duration_seconds",
		"sync_ended_at", "sync_id", "sync_started_at", "sync_state"}
	dataChangedKeys  = []string{"changed_models", "integration_category", "integration_id", "integration_tool"}
	stateChangedKeys = []string{"end_user", "integration_category", "integration_id", "integration_tool", "qa_status", "setup_status",
		"state", "updated_at"}
	endUser = map[string]any{"organization_name": "Acme Inc", "creator_email": nil, "origin_id": "acme-1"}
)

func TestSyncEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	in := b.integration(t, sandbox.Tool)

	// A first sync reads everything: every model changed, and the setup
	// completes.
	stats, err := b.syncer.Run(ctx, in, mirror.RunOptions{SyncID: "first-sync-id"}, nil)
	require.NoError(t, err)
	require.Equal(t, "first-sync-id", stats.SyncID)
	got := b.take(t)
	require.Len(t, got, 3)
	finished := got[resultlinks.EventSyncFinished]
	require.Equal(t, syncFinishedKeys, keys(finished))
	require.Equal(t, "first-sync-id", finished["sync_id"])
	require.Equal(t, "SUCCEEDED", finished["sync_state"])
	require.Equal(t, in.ID, finished["integration_id"])
	require.Equal(t, "sandbox", finished["integration_tool"])
	require.Equal(t, "ATS", finished["integration_category"])
	require.Equal(t, endUser, finished["end_user"])
	require.Equal(t, "https://rl.example/syncs/first-sync-id", finished["log_url"])
	require.IsType(t, float64(0), finished["sync_duration_seconds"])
	started, err := time.Parse(time.RFC3339, finished["sync_started_at"].(string))
	require.NoError(t, err)
	ended, err := time.Parse(time.RFC3339, finished["sync_ended_at"].(string))
	require.NoError(t, err)
	require.False(t, ended.Before(started))

	changed := got[resultlinks.EventDataChanged]
	require.Equal(t, dataChangedKeys, keys(changed))
	require.Equal(t, in.ID, changed["integration_id"])
	require.Equal(t, "sandbox", changed["integration_tool"])
	require.Equal(t, "ATS", changed["integration_category"])
	require.Equal(t, []any{map[string]any{"name": "ats_application_stages"}, map[string]any{"name": "ats_applications"},
		map[string]any{"name": "ats_candidates"}, map[string]any{"name": "ats_jobs"}}, changed["changed_models"])

	state := got[resultlinks.EventIntegrationStateChanged]
	require.Equal(t, stateChangedKeys, keys(state))
	require.Equal(t, map[string]any{"integration_tool": "sandbox", "integration_id": in.ID, "integration_category": "ATS",
		"end_user": endUser, "qa_status": "PASSED", "setup_status": "COMPLETED", "state": "ACTIVE", "updated_at": state["updated_at"]}, state)
	require.NotEmpty(t, state["updated_at"])

	rec, err := b.store.FindSync(ctx, b.env.ID, "first-sync-id")
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncSucceeded, rec.State)
	require.True(t, rec.Full)
	require.Equal(t, stats.Pages, rec.Pages)
	require.Equal(t, stats.Records, rec.Records)
	require.Positive(t, rec.Changes[resultlinks.ModelCandidates])
	require.NotNil(t, rec.EndedAt)

	// The same data again: the sync finishes, nothing changed, the state
	// stays.
	stats, err = b.syncer.Run(ctx, in, mirror.RunOptions{Full: true}, nil)
	require.NoError(t, err)
	require.NotEmpty(t, stats.SyncID, "an empty SyncID gets a new one")
	require.NotEqual(t, "first-sync-id", stats.SyncID)
	got = b.take(t)
	require.Equal(t, []string{resultlinks.EventSyncFinished}, keys(anyMap(got)), "no data-changed without changes")
	require.Equal(t, "SUCCEEDED", got[resultlinks.EventSyncFinished]["sync_state"])
	require.Equal(t, stats.SyncID, got[resultlinks.EventSyncFinished]["sync_id"])
	require.Empty(t, stats.Changes)

	list, err := b.store.ListSyncs(ctx, in.ID, 0)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, stats.SyncID, list[0].ID, "newest first")
}

func TestSyncEventsRefusedCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	in := b.integration(t, "refusing")
	stats, err := b.syncer.Run(ctx, in, mirror.RunOptions{}, nil)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	got := b.take(t)
	require.Equal(t, []string{resultlinks.EventIntegrationStateChanged, resultlinks.EventSyncFinished}, keys(anyMap(got)))
	finished := got[resultlinks.EventSyncFinished]
	require.Equal(t, syncFinishedKeys, keys(finished))
	require.Equal(t, "AUTHENTICATION_FAILED", finished["sync_state"])
	require.Equal(t, stats.SyncID, finished["sync_id"])
	state := got[resultlinks.EventIntegrationStateChanged]
	require.Equal(t, stateChangedKeys, keys(state))
	require.Equal(t, "INVALID", state["state"])
	require.Equal(t, "FINAL_SYNC_PENDING", state["setup_status"])
	require.Equal(t, "FAILED", state["qa_status"], "the first sync failed")

	rec, err := b.store.FindSync(ctx, b.env.ID, stats.SyncID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncAuthenticationFailed, rec.State)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, rec.ErrorCode)
	require.Contains(t, rec.ErrorMessage, "revoked")
	saved, err := b.store.GetIntegration(ctx, in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.StatusInvalid, saved.Status)

	// Refused again: the state did not change, so only sync-finished.
	_, err = b.syncer.Run(ctx, saved, mirror.RunOptions{}, nil)
	require.Error(t, err)
	require.Equal(t, []string{resultlinks.EventSyncFinished}, keys(anyMap(b.take(t))))
}

func TestSyncTimedOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.integration(t, sandbox.Tool)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	// The time runs out after the first page.
	stats, err := b.syncer.Run(ctx, in, mirror.RunOptions{}, func(resultlinks.Model, mirror.Stats) { <-ctx.Done() })
	require.Error(t, err)
	require.Equal(t, "TIMED_OUT", b.take(t)[resultlinks.EventSyncFinished]["sync_state"])
	rec, err := b.store.FindSync(context.Background(), b.env.ID, stats.SyncID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncTimedOut, rec.State)
	require.NotEmpty(t, rec.ErrorCode)
}

func TestSyncProgressIsSaved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	in := b.integration(t, sandbox.Tool)
	var seen []*resultlinks.Sync
	_, err := b.syncer.Run(ctx, in, mirror.RunOptions{SyncID: "live"}, func(resultlinks.Model, mirror.Stats) {
		rec, err := b.store.FindSync(ctx, b.env.ID, "live")
		require.NoError(t, err)
		seen = append(seen, rec)
	})
	require.NoError(t, err)
	require.Greater(t, len(seen), 1)
	for i, rec := range seen {
		require.Equal(t, resultlinks.SyncRunning, rec.State)
		require.Nil(t, rec.EndedAt)
		require.Equal(t, i+1, rec.Pages, "saved after each page")
	}
}

func anyMap(m map[string]map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestSyncPausesAndGoesOn runs a sync one page per run, each run over its
// budget, and checks that the chain of runs sees and stores what one run
// does, under one record that ends once.
func TestSyncPausesAndGoesOn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	first := b.integration(t, sandbox.Tool)
	whole, err := b.syncer.Run(ctx, first, mirror.RunOptions{}, nil)
	require.NoError(t, err)
	b.take(t)

	in := b.integration(t, sandbox.Tool)
	runs := 0
	var stats mirror.Stats
	for {
		runs++
		require.Less(t, runs, 100, "the chain ends")
		stats, err = b.syncer.Run(ctx, in, mirror.RunOptions{SyncID: "chained", Budget: time.Nanosecond}, nil)
		if !errors.Is(err, mirror.ErrPaused) {
			break
		}
		rec, ferr := b.store.FindSync(ctx, b.env.ID, "chained")
		require.NoError(t, ferr)
		require.Equal(t, resultlinks.SyncRunning, rec.State)
		require.NotNil(t, rec.Resume, "a paused sync knows where it goes on")
		require.Equal(t, runs, rec.Pages, "one page per run")
		require.Empty(t, b.take(t), "nothing is sent before the sync ends")
	}
	require.NoError(t, err)
	require.Equal(t, whole.Pages, runs, "each run fetched the next page")
	require.Equal(t, whole.Pages, stats.Pages)
	require.Equal(t, whole.Records, stats.Records)
	require.Equal(t, whole.Changes, stats.Changes)
	rec, err := b.store.FindSync(ctx, b.env.ID, "chained")
	require.NoError(t, err)
	require.Equal(t, resultlinks.SyncSucceeded, rec.State)
	require.Nil(t, rec.Resume)
	require.Equal(t, whole.Records, rec.Records)
	events := b.take(t)
	require.Contains(t, events, resultlinks.EventSyncFinished)
	require.Equal(t, "chained", events[resultlinks.EventSyncFinished]["sync_id"])
	for _, deleted := range []bool{false, true} {
		chained, err := b.store.ListCandidates(ctx, in.ID, resultlinks.CandidateFilter{Limit: 1000, IncludeDeleted: deleted})
		require.NoError(t, err)
		ref, err := b.store.ListCandidates(ctx, first.ID, resultlinks.CandidateFilter{Limit: 1000, IncludeDeleted: deleted})
		require.NoError(t, err)
		require.NotEmpty(t, chained)
		require.Len(t, chained, len(ref), "the chained sync stored what the whole one did (deleted too: %v)", deleted)
	}
}

// TestSyncJobGoesOnAfterPausing runs a sync job on River over the store's
// SQLite database with a budget that pauses it after every page: the job
// is snoozed and goes on until the sync ends.
func TestSyncJobGoesOnAfterPausing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	db := b.store.(*sqlite.Store).DB()
	driver := riversqlite.New(db)
	m, err := rivermigrate.New(driver, nil)
	require.NoError(t, err)
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	require.NoError(t, err)
	workers := river.NewWorkers()
	river.AddWorker(workers, &mirror.SyncWorker{Syncer: b.syncer, Budget: time.Nanosecond})
	client, err := river.NewClient(driver, &river.Config{
		Queues:  map[string]river.QueueConfig{mirror.QueueSync: {MaxWorkers: 1}},
		Workers: workers, FetchCooldown: 10 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond,
	})
	require.NoError(t, err)
	require.NoError(t, client.Start(ctx))
	t.Cleanup(func() { _ = client.Stop(context.Background()) })

	in := b.integration(t, sandbox.Tool)
	_, err = client.Insert(ctx, mirror.SyncArgs{IntegrationID: in.ID, Full: true, SyncID: "snoozed"}, nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		rec, err := b.store.FindSync(ctx, b.env.ID, "snoozed")
		return err == nil && rec.State == resultlinks.SyncSucceeded
	}, 60*time.Second, 50*time.Millisecond)
	rec, err := b.store.FindSync(ctx, b.env.ID, "snoozed")
	require.NoError(t, err)
	require.Greater(t, rec.Pages, 2, "the sync took several runs of its job")
	got, err := b.store.GetIntegration(ctx, in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.SetupCompleted, got.SetupStatus)
}
