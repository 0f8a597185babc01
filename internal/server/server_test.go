package server_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/server"
	"github.com/stretchr/testify/require"
)

func TestOpenStoreURLs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, u := range []string{"sqlite://" + filepath.Join(dir, "a.db"), "sqlite:" + filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db"),
		"sqlite://" + filepath.Join(dir, "d.db") + "?mode=x"} {
		s, err := server.OpenStore(ctx, u)
		require.NoError(t, err, u)
		require.NoError(t, s.Ping(ctx))
		s.Close()
	}
	for _, u := range []string{"", "mysql://x/y", "sqlite://", "postgres://user:hunter2@db/x"} {
		_, err := server.OpenStore(ctx, u)
		require.Error(t, err, u)
		require.NotContains(t, err.Error(), "hunter2")
	}
}

// TestQueueSyncsPendingIntegration: an integration whose first sync has
// not run is picked up by the planner and synced by a job.
func TestQueueSyncsPendingIntegration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "q.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	app, err := server.NewApp(store, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	env, _, err := app.DefaultEnvironment(ctx)
	require.NoError(t, err)
	now := time.Now().UTC()
	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: env.ID, Tool: "sandbox", Name: "S",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, store.CreateIntegration(ctx, in))

	require.NoError(t, app.Queue.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		app.Queue.Stop(sctx)
	})
	require.Eventually(t, func() bool {
		got, err := store.GetIntegration(ctx, in.ID)
		return err == nil && got.SetupStatus == resultlinks.SetupCompleted
	}, 20*time.Second, 50*time.Millisecond)
	got, err := store.GetIntegration(ctx, in.ID)
	require.NoError(t, err)
	require.NotNil(t, got.LastFullSyncedAt, "the first sync is full")
	cands, err := store.ListCandidates(ctx, in.ID, resultlinks.CandidateFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, cands)
}

// TestWebhookURLCheck: a server that refuses private targets refuses them
// as webhook endpoints too, when they are configured.
func TestWebhookURLCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "w.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	app, err := server.NewApp(store, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.Nil(t, app.CheckWebhookURL(), "no check unless private targets are refused")
	app.SetDenyPrivateTargets(true)
	check := app.CheckWebhookURL()
	require.NotNil(t, check)
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(check(ctx, "url", "http://127.0.0.1:9/hooks")))
	require.NoError(t, check(ctx, "url", "https://8.8.8.8/hooks"))
}
