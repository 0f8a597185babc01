// Package postgres is the PostgreSQL store of resultlinks, on a native pgx v5
// connection pool.
//
// It keeps the same data as the embedded SQLite store and passes the same
// conformance suite (internal/store/storetest), with identical derived IDs
// and content hashes, so a deployment can move between engines. It differs
// from SQLite in how it runs:
//
//   - Reads and writes share one pool of connections, and writers run
//     concurrently instead of through SQLite's single writer. Writes to one
//     integration's mirror (UpsertBatch, MarkVanished, SetCustomFields,
//     DeleteIntegration) take a per-integration transaction advisory lock, so
//     they still apply one at a time, as under SQLite, and cannot deadlock on
//     the rows they touch in each other's order.
//   - Several replicas may share one database. Open applies the migrations
//     under a session advisory lock keyed on the current schema, so replicas
//     starting at once migrate one after the other; the later ones find
//     nothing to do.
//   - The schema lives in the first schema of the connection's search_path,
//     so one database can hold several independent stores (search_path=… in
//     the URL).
//
// Timestamps are timestamptz, truncated to microseconds before they are
// written (as SQLite's text form truncates them) and read back in UTC.
// Documents are jsonb; PostgreSQL's jsonb cannot hold the NUL character, so a
// NUL inside a document's strings is stored as U+FFFD. Content hashes are
// computed before that, from the record as given.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/resultlinks/resultlinks"
)

//go:embed migration/*.sql
var migrations embed.FS

// Store is resultlinks.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ resultlinks.Store = (*Store)(nil)

// Open connects to the database at databaseURL (postgres://user:password@host:port/database?options,
// with any pgx and pgxpool option such as pool_max_conns or search_path)
// and applies every pending migration. Errors never contain the password.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	where := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port))) + "/" + cfg.ConnConfig.Database
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, scrub(fmt.Errorf("postgres: open %s: %w", where, err), cfg.ConnConfig.Password)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, scrub(fmt.Errorf("postgres: connect to %s: %w", where, err), cfg.ConnConfig.Password)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, scrub(fmt.Errorf("postgres: migrate %s: %w", where, err), cfg.ConnConfig.Password)
	}
	return s, nil
}

// parseURL parses a postgres:// URL into a pool configuration, with errors
// that do not repeat the URL.
func parseURL(databaseURL string) (*pgxpool.Config, error) {
	if databaseURL == "" {
		return nil, errors.New("postgres: empty database URL")
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password included
		}
		return nil, fmt.Errorf("postgres: invalid database URL: %v", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("postgres: invalid database URL: scheme must be postgres:// or postgresql://, not %q", u.Scheme)
	}
	secrets := []string{u.Query().Get("password")}
	if pw, ok := u.User.Password(); ok {
		secrets = append(secrets, pw)
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, scrub(fmt.Errorf("postgres: invalid database URL: %w", err), secrets...)
	}
	return cfg, nil
}

// scrub returns err, or a copy of its text with every secret masked when
// the text contains one.
func scrub(err error, secrets ...string) error {
	msg := err.Error()
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// migrate applies the pending migrations through goose, which needs a
// *sql.DB: one over the pool, closed (handing its connections back) after.
func (s *Store) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithDisableGlobalRegistry(true), goose.WithSessionLocker(migrationLocker{}))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// CheckMigrations answers an error when migrations are pending (a newer
// binary's schema was not applied yet).
func (s *Store) CheckMigrations(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migration")
	if err != nil {
		return err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if pending {
		return errors.New("postgres: migrations are pending")
	}
	return nil
}

// migrationLocker serialises migrations of one schema across processes with
// a session advisory lock keyed on the schema's name. Unlike goose's own
// Postgres locker, which polls pg_try_advisory_lock every few seconds, it
// waits in pg_advisory_lock and proceeds the moment the lock is free.
type migrationLocker struct{}

// SessionLock waits for the schema's migration lock.
func (migrationLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtextextended('resultlinks migrations ' || coalesce(current_schema(), ''), 0))`); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	return nil
}

// SessionUnlock releases the schema's migration lock.
func (migrationLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtextextended('resultlinks migrations ' || coalesce(current_schema(), ''), 0))`); err != nil {
		return fmt.Errorf("unlock migrations: %w", err)
	}
	return nil
}

// Pool returns the connection pool, which the job queue shares so that jobs
// can be enqueued in the store's transactions.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes the pool, waiting for connections in use to be returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// tx runs fn in one transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// mirrorLockSpace is the first key of the two-key advisory locks that
// serialise writes to one integration's mirror; the second is a hash of the
// integration's ID. Two-key locks never collide with one-key (bigint) ones.
const mirrorLockSpace = 0x726c6d72 // "rlmr"

// lockMirror takes the integration's mirror lock until tx ends.
func lockMirror(ctx context.Context, tx pgx.Tx, integrationID string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(mirrorLockSpace), integrationID); err != nil {
		return fmt.Errorf("postgres: lock mirror: %w", err)
	}
	return nil
}

// ts returns the stored form of t: UTC, truncated to microseconds as the
// SQLite store's text form is.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// tsPtr returns the stored form of t, or nil.
func tsPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := ts(*t)
	return &v
}

// utcPtr returns t in UTC, or nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// jsonb returns JSON produced by encoding/json in a form jsonb accepts:
// every escaped NUL (\u0000), which jsonb rejects, becomes U+FFFD.
func jsonb(b []byte) string {
	if !strings.Contains(string(b), `\u0000`) {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out.WriteByte(b[i])
			continue
		}
		if strings.HasPrefix(string(b[i:]), `\u0000`) {
			out.WriteString(`\ufffd`)
			i += len(`\u0000`) - 1
			continue
		}
		out.WriteByte(b[i]) // an escape: copy it and the escaped byte
		out.WriteByte(b[i+1])
		i++
	}
	return out.String()
}

// text returns s in a form a text column accepts: valid UTF-8 without NUL.
func text(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// limit returns the LIMIT argument of n: NULL (no limit) unless positive.
func limit(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}
