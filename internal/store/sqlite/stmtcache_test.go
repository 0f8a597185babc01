package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatementCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	c := s.read

	var n int
	require.NoError(t, c.QueryRowContext(ctx, `SELECT ? + 1`, 41).Scan(&n))
	require.Equal(t, 42, n)
	first := c.stmt(ctx, `SELECT ? + 1`)
	require.NotNil(t, first)
	require.Same(t, first, c.stmt(ctx, `SELECT ? + 1`), "a query is prepared once")

	// Past the bound, queries still run, unprepared.
	for i := range maxCachedStatements + 10 {
		require.NoError(t, c.QueryRowContext(ctx, `SELECT `+strconv.Itoa(i)).Scan(&n))
		require.Equal(t, i, n)
	}
	c.mu.RLock()
	require.LessOrEqual(t, len(c.stmts), maxCachedStatements)
	c.mu.RUnlock()

	// A query that does not prepare answers its error.
	_, err = c.QueryContext(ctx, `SELECT FROM nowhere`)
	require.Error(t, err)
	_, err = s.write.ExecContext(ctx, `INSERT INTO nowhere VALUES (1)`)
	require.ErrorContains(t, err, "nowhere")
}

// TestTransactionsUsePreparedStatements: a statement a transaction runs
// is prepared after it ends, and used prepared by the next, on the write
// pool's one connection, without waiting on itself.
func TestTransactionsUsePreparedStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "tx.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	const q = `INSERT INTO environments (id, name, created_at) VALUES (?, ?, ?)`
	require.Nil(t, s.write.cached(q))
	for i := range 3 {
		require.NoError(t, s.tx(ctx, func(tx *txConn) error {
			_, err := tx.ExecContext(ctx, q, "env-"+strconv.Itoa(i), "e", "2026-01-01T00:00:00.000000Z")
			if i == 0 {
				require.Equal(t, []string{q}, tx.missed, "the first run is not prepared yet")
			} else {
				require.Empty(t, tx.missed, "later runs use the prepared statement")
			}
			return err
		}))
		require.NotNil(t, s.write.cached(q))
	}
	envs, err := s.ListEnvironments(ctx)
	require.NoError(t, err)
	require.Len(t, envs, 3)
}
