package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/postgres"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
	"github.com/resultlinks/resultlinks/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// baseURL returns the test database's URL, or skips the test.
func baseURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("RESULTLINKS_TEST_POSTGRES_URL")
	if u == "" {
		t.Skip("RESULTLINKS_TEST_POSTGRES_URL is not set; the PostgreSQL store is tested only where a database is available")
	}
	return u
}

// freshSchema creates an empty schema with a random name, dropped with
// everything in it when the test ends, and returns a URL whose search_path
// selects it.
func freshSchema(t *testing.T) string {
	t.Helper()
	base := baseURL(t)
	var b [8]byte
	rand.Read(b[:])
	schema := "rltest_" + hex.EncodeToString(b[:])
	admin(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { admin(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// admin runs one statement on its own connection.
func admin(t *testing.T, databaseURL, stmt string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, databaseURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	require.NoError(t, err)
}

func openURL(t *testing.T, databaseURL string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), databaseURL)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func open(t *testing.T) resultlinks.Store { return openURL(t, freshSchema(t)) }

func TestStore(t *testing.T) {
	t.Parallel()
	baseURL(t)
	storetest.Exercise(t, open)
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := freshSchema(t)
	const n = 3
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(ctx, u) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		t.Cleanup(func() { stores[i].Close() })
	}
	var applied int
	require.NoError(t, stores[0].Pool().QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied))
	files, err := os.ReadDir("migration")
	require.NoError(t, err)
	require.Equal(t, len(files), applied, "each migration applied once")

	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x", CreatedAt: time.Now()}
	require.NoError(t, stores[0].CreateEnvironment(ctx, env))
	envs, err := stores[n-1].ListEnvironments(ctx)
	require.NoError(t, err)
	require.Len(t, envs, 1, "every replica sees the same database")
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := freshSchema(t)
	s, err := postgres.Open(ctx, u)
	require.NoError(t, err)
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x"}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	require.NoError(t, s.Close())

	s = openURL(t, u) // migrations already applied: a no-op
	envs, err := s.ListEnvironments(ctx)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, env.ID, envs[0].ID)
	require.NoError(t, s.Ping(ctx))
}

func TestOpenBadURLHidesPassword(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, u := range []string{
		"",
		"mysql://root:s3cr3tpw@127.0.0.1/test",
		"postgres://root:s3cr3tpw@127.0.0.1:notaport/test",
		"postgres://root:s3cr3tpw@127.0.0.1:1/test?sslmode=disable&connect_timeout=5",
		"postgres://root@127.0.0.1:1/test?password=s3cr3tpw&sslmode=disable&connect_timeout=5",
		"postgres://root:s3cr3tpw@127.0.0.1:5432/test?sslmode=bogus",
	} {
		s, err := postgres.Open(ctx, u)
		require.Error(t, err, u)
		require.Nil(t, s)
		require.True(t, strings.HasPrefix(err.Error(), "postgres: "), err.Error())
		require.NotContains(t, err.Error(), "s3cr3tpw")
		t.Log(err)
	}
}

// Timestamps are truncated to microseconds as the SQLite store's text form
// truncates them (PostgreSQL alone would round), and read back in UTC.
func TestTimestampsMatchSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 999_999_999, time.FixedZone("CET", 3600))
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x", CreatedAt: at}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	envs, err := s.ListEnvironments(ctx)
	require.NoError(t, err)
	want, err := sqlstore.ParseTime(sqlstore.FormatTime(at))
	require.NoError(t, err)
	require.Equal(t, want, envs[0].CreatedAt)
}

// jsonb cannot hold NUL; such text is kept with U+FFFD instead of failing
// the sync or the delivery.
func TestNULInText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x"}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: env.ID, Tool: "sandbox",
		Credentials: json.RawMessage(`{}`), Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupCompleted}
	require.NoError(t, s.CreateIntegration(ctx, in))
	name, literal := "Ann\x00e", `C:\u0000`
	b := &resultlinks.Batch{Candidates: []*resultlinks.Candidate{{RemoteID: "c1", FirstName: &name,
		CustomFields: map[string]any{"a": "x\x00y", "b": literal}}}}
	_, err := s.UpsertBatch(ctx, in.ID, b, time.Now())
	require.NoError(t, err)
	got, err := s.FindCandidate(ctx, in.ID, b.Candidates[0].ID)
	require.NoError(t, err)
	require.Equal(t, "Ann\uFFFDe", *got.FirstName)
	require.Equal(t, "x\uFFFDy", got.CustomFields["a"])
	require.Equal(t, literal, got.CustomFields["b"], "an escaped backslash is not a NUL")
	list, err := s.ListCandidates(ctx, in.ID, resultlinks.CandidateFilter{FirstName: name})
	require.NoError(t, err)
	require.Len(t, list, 1)

	rl := &resultlinks.ResultLink{ID: resultlinks.NewID(), EnvironmentID: env.ID, IntegrationID: in.ID, Model: resultlinks.ModelCandidates,
		Status: resultlinks.DeliveryQueued, Input: resultlinks.ResultLinkInput{Label: "L\x00", URL: "https://x.example"}}
	_, err = s.CreateResultLink(ctx, rl, nil)
	require.NoError(t, err)
	rl.Exchanges = []resultlinks.Exchange{{ResponseBody: "\x00binary"}}
	rl.ErrorMessage = "bad \x00 byte"
	require.NoError(t, s.UpdateResultLink(ctx, rl))
	gotRL, err := s.FindResultLink(ctx, env.ID, rl.ID)
	require.NoError(t, err)
	require.Equal(t, "\uFFFDbinary", gotRL.Exchanges[0].ResponseBody)
	require.Equal(t, "L\uFFFD", gotRL.Input.Label)
}

// IDs compare byte-wise whatever the database's collation, so ORDER BY id
// and keyset paging agree with Go's string order, as in SQLite.
func TestIDsUseByteOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, freshSchema(t))
	rows, err := s.Pool().Query(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND data_type = 'text'
		AND collation_name IS DISTINCT FROM 'C'`)
	require.NoError(t, err)
	loose, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Empty(t, loose, "tables whose id is not in the C collation")
}

// The job queue enqueues through the pgx.Tx it is handed: its writes commit
// with the result link, and go when the link is rolled back.
func TestEnqueueWritesInTheLinksTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, freshSchema(t))
	_, err := s.Pool().Exec(ctx, `CREATE TABLE queue (link_id text NOT NULL)`)
	require.NoError(t, err)
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "x"}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	link := func(key string) *resultlinks.ResultLink {
		return &resultlinks.ResultLink{ID: resultlinks.NewID(), EnvironmentID: env.ID, IntegrationID: "sandbox:x", IdempotencyKey: key,
			Model: resultlinks.ModelCandidates, Status: resultlinks.DeliveryQueued}
	}
	enqueue := func(rl *resultlinks.ResultLink, fail bool) resultlinks.EnqueueFunc {
		return func(ctx context.Context, tx any) error {
			ptx, ok := tx.(pgx.Tx)
			require.True(t, ok, "enqueue gets a pgx.Tx, not %T", tx)
			if _, err := ptx.Exec(ctx, `INSERT INTO queue (link_id) SELECT id FROM result_links WHERE id = $1`, rl.ID); err != nil {
				return err
			}
			if fail {
				return errors.New("queue down")
			}
			return nil
		}
	}
	ok, failing := link("k1"), link("k2")
	_, err = s.CreateResultLink(ctx, ok, enqueue(ok, false))
	require.NoError(t, err)
	_, err = s.CreateResultLink(ctx, failing, enqueue(failing, true))
	require.ErrorContains(t, err, "queue down")
	rows, err := s.Pool().Query(ctx, `SELECT link_id FROM queue`)
	require.NoError(t, err)
	queued, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{ok.ID}, queued, "the link is visible in the tx; the failed one left nothing")
}

func TestCoordination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t).(*postgres.Store)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

	// 50 calls per 10 s with a burst of 5: spaced 10s/45 apart after the burst.
	interval := 10 * time.Second / 45
	var starts []time.Time
	for i := 0; i < 120; i++ {
		start, err := s.ReserveCall(ctx, "gh:1", interval, 5, now)
		require.NoError(t, err)
		starts = append(starts, start)
	}
	for i := range starts {
		// No window of 10 s holds more than 50 starts.
		n := 0
		for _, s2 := range starts[i:] {
			if s2.Before(starts[i].Add(10 * time.Second)) {
				n++
			}
		}
		require.LessOrEqual(t, n, 50, "window from call %d", i)
	}
	require.True(t, starts[4].Equal(now), "the burst starts at once")
	require.True(t, starts[5].After(now))

	// A 429's block holds the next call.
	until := now.Add(time.Hour)
	require.NoError(t, s.BlockCalls(ctx, "gh:2", until))
	start, err := s.ReserveCall(ctx, "gh:2", interval, 5, now)
	require.NoError(t, err)
	require.True(t, start.Equal(until), "%s", start)

	// Write slots: at most the limit, freed on release or expiry.
	exp := now.Add(time.Minute)
	for i := 0; i < 3; i++ {
		ok, rem, err := s.AcquireWriteSlot(ctx, "gh:1", fmt.Sprint("h", i), 3, now, exp)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, 2-i, rem)
	}
	ok, _, err := s.AcquireWriteSlot(ctx, "gh:1", "h9", 3, now, exp)
	require.NoError(t, err)
	require.False(t, ok, "full")
	free, err := s.FreeWriteSlots(ctx, "gh:1", 3, now)
	require.NoError(t, err)
	require.Zero(t, free)
	require.NoError(t, s.ReleaseWriteSlot(ctx, "gh:1", "h0"))
	ok, _, err = s.AcquireWriteSlot(ctx, "gh:1", "h9", 3, now, exp)
	require.NoError(t, err)
	require.True(t, ok)
	ok, rem, err := s.AcquireWriteSlot(ctx, "gh:1", "h10", 3, exp.Add(time.Second), exp.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, ok, "expired slots free themselves")
	require.Equal(t, 2, rem)
}
