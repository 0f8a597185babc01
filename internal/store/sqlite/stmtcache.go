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
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil
	}
	st, err := c.DB.PrepareContext(ctx, query)
	if err != nil {
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
