// Package sqlite is the embedded store of resultlinks, on SQLite through the
// pure-Go modernc.org/sqlite driver (no cgo).
//
// The database runs in WAL mode with synchronous=FULL, so an answer that
// reports a write as stored is sent only after the write is on disk. Writes go
// through a pool of exactly one connection (SQLite allows one writer at a
// time; one connection avoids SQLITE_BUSY between our own writers), and
// reads through a separate pool of read-only connections that never wait on
// the writer. Other processes (the CLI beside a running server) wait up to
// the busy timeout for the write lock.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/resultlinks/resultlinks"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migration/*.sql
var migrations embed.FS

// Store is resultlinks.Store on SQLite.
type Store struct {
	write *cachedDB
	read  *cachedDB
	path  string
}

var _ resultlinks.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and applies
// every pending migration.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{write: newCachedDB(write), path: path}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	s.read = newCachedDB(read)
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.write.DB, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", s.path, err)
	}
	return nil
}

// CheckMigrations answers an error when migrations are pending.
func (s *Store) CheckMigrations(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.read.DB, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if pending {
		return errors.New("sqlite: migrations are pending")
	}
	return nil
}

// DB returns the write pool (one connection), which the job queue shares
// so that jobs can be enqueued in the store's transactions.
func (s *Store) DB() *sql.DB { return s.write.DB }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// Close releases both pools.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// tx runs fn in one write transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*txConn) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	t := &txConn{Tx: tx, cache: s.write}
	defer func() {
		tx.Rollback()
		if len(t.missed) > 0 {
			s.write.prepare(context.WithoutCancel(ctx), t.missed)
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// inList returns "(?,?,...)" for n values and appends them to args.
func inList[T ~string](args []any, values []T) (string, []any) {
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = "?"
		args = append(args, string(v))
	}
	return "(" + strings.Join(ph, ",") + ")", args
}
