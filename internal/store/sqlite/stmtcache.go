package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement cache: queries built for a
// variable number of values (IN lists) beyond it are prepared each time.
const maxCachedStatements = 512

// cachedDB is a pool that prepares each query once and keeps the prepared
// statement: SQLite spends much of a small query's time parsing it.
type cachedDB struct {
	*sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newCachedDB(db *sql.DB) *cachedDB {
	return &cachedDB{DB: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, or nil when it cannot be
// kept (the cache is full, or preparing failed: the plain call then
// reports the error).
func (c *cachedDB) stmt(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.RLock()
	full := len(c.stmts) >= maxCachedStatements
	c.mu.RUnlock()
	if full {
		return nil
	}
	// Prepared without the lock: preparing waits for a connection, which
	// a transaction that reads the cache may hold.
	st, err := c.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, ok := c.stmts[query]; ok {
		st.Close()
		return kept
	}
	if len(c.stmts) >= maxCachedStatements {
		st.Close()
		return nil
	}
	c.stmts[query] = st
	return st
}

// QueryContext runs a query through its prepared statement.
func (c *cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query through its prepared statement.
func (c *cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the statements and the pool.
func (c *cachedDB) Close() error {
	c.mu.Lock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return c.DB.Close()
}

// ExecContext runs a statement through its prepared statement.
func (c *cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.DB.ExecContext(ctx, query, args...)
}

// cached returns the kept prepared statement of query, without preparing
// it.
func (c *cachedDB) cached(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// prepare prepares and keeps the queries (what transactions ran that was
// not prepared yet). It must not be called while holding a connection of
// the pool: the write pool has one.
func (c *cachedDB) prepare(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.stmt(ctx, q)
	}
}

// txConn is a write transaction whose statements use the prepared
// statements of the write pool. A statement not prepared yet runs plainly
// and is prepared after the transaction (the pool's one connection is the
// transaction's until then). Tx is what a job queue inserts with.
type txConn struct {
	*sql.Tx
	cache  *cachedDB
	missed []string
}

func (t *txConn) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := t.cache.cached(query); st != nil {
		return t.Tx.StmtContext(ctx, st)
	}
	t.missed = append(t.missed, query)
	return nil
}

// ExecContext runs a statement in the transaction, prepared once.
func (t *txConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction, prepared once.
func (t *txConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction, prepared once.
func (t *txConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
