package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func open(t *testing.T) resultlinks.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Exercise(t, open)
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reopen.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x"}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	require.NoError(t, s.Close())

	s, err = sqlite.Open(ctx, path) // migrations already applied: a no-op
	require.NoError(t, err)
	defer s.Close()
	envs, err := s.ListEnvironments(ctx)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, env.ID, envs[0].ID)
	require.NoError(t, s.Ping(ctx))
}

func TestOpenRefusesBadPath(t *testing.T) {
	t.Parallel()
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
	require.Error(t, err)
	_, err = sqlite.Open(context.Background(), "")
	require.Error(t, err)
}
