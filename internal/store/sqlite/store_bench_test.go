package sqlite_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/store/storetest"
)

// Benchmarks of the store's hot writes: a sync's page of candidates
// (UpsertBatch) and an accepted result link (CreateResultLink). The
// database is a file in a temporary directory, as in production (WAL,
// synchronous=FULL), so the numbers include the disk's fsyncs.

func benchOpenSQLite(b *testing.B) (resultlinks.Store, *resultlinks.Integration) {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
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

func BenchmarkUpsertBatch(b *testing.B) {
	s, in := benchOpenSQLite(b)
	storetest.BenchUpsertBatch(b, s, in)
}

func BenchmarkCreateResultLink(b *testing.B) {
	s, in := benchOpenSQLite(b)
	storetest.BenchCreateResultLink(b, s, in)
}
