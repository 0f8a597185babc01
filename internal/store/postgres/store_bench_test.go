package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/postgres"
	"github.com/resultlinks/resultlinks/internal/store/storetest"
)

// Benchmarks of the store's hot writes: a sync's page of candidates
// (UpsertBatch) and an accepted result link (CreateResultLink), in a fresh
// schema of the database RESULTLINKS_TEST_POSTGRES_URL names; they are
// skipped without one.

// benchOpenPostgres opens the store in a fresh schema of the database
// RESULTLINKS_TEST_POSTGRES_URL names (dropped afterwards), or skips.
func benchOpenPostgres(b *testing.B) (resultlinks.Store, *resultlinks.Integration) {
	b.Helper()
	base := os.Getenv("RESULTLINKS_TEST_POSTGRES_URL")
	if base == "" {
		b.Skip("RESULTLINKS_TEST_POSTGRES_URL is not set; the PostgreSQL benchmarks need a database")
	}
	ctx := context.Background()
	var r [8]byte
	rand.Read(r[:])
	schema := "rlbench_" + hex.EncodeToString(r[:])
	benchExec(b, base, `CREATE SCHEMA `+schema)
	b.Cleanup(func() { benchExec(b, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := time.Now().UTC()
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "bench", CreatedAt: now}
	if err := s.CreateEnvironment(ctx, env); err != nil {
		b.Fatal(err)
	}
	in := &resultlinks.Integration{
		ID: resultlinks.NewIntegrationID("greenhouse"), EnvironmentID: env.ID, Tool: "greenhouse", Name: "Bench",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupCompleted, Credentials: json.RawMessage(`{}`),
		EndUser: resultlinks.EndUser{OrganizationName: "Bench"}, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.CreateIntegration(ctx, in); err != nil {
		b.Fatal(err)
	}
	return s, in
}

// benchExec runs one statement on its own connection.
func benchExec(b *testing.B, databaseURL, stmt string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkUpsertBatch(b *testing.B) {
	s, in := benchOpenPostgres(b)
	storetest.BenchUpsertBatch(b, s, in)
}

func BenchmarkCreateResultLink(b *testing.B) {
	s, in := benchOpenPostgres(b)
	storetest.BenchCreateResultLink(b, s, in)
}
