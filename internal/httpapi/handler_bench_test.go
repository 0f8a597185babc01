package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/server"
)

// benchAPI is a sandbox setup like the tests', for benchmarks: the API's
// handler over a SQLite store, its job queue not started (asynchronous
// links are stored with their job, which never runs).
type benchAPI struct {
	handler http.Handler
	keys    []string
	integ   string
	apps    []string
}

// benchKeys is how many API keys the requests rotate over, so that a
// per-key rate limit does not throttle the benchmark.
const benchKeys = 32

func newBenchAPI(b *testing.B) *benchAPI {
	b.Helper()
	ctx := context.Background()
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	registry := connector.NewRegistry(sandbox.Info())
	logger := slog.New(slog.DiscardHandler)
	app, err := server.NewApp(store, registry, logger)
	if err != nil {
		b.Fatal(err)
	}
	api := httpapi.New(httpapi.Deps{Store: store, Registry: registry, Deliverer: app.Deliverer, Syncs: app.Queue,
		Deliveries: app.Queue, Logger: logger}, httpapi.DefaultConfig())
	b.Cleanup(api.Wait)
	env, _, err := app.DefaultEnvironment(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var keys []string
	for range benchKeys {
		key, err := app.CreateAPIKey(ctx, env.ID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		keys = append(keys, key)
	}
	in, err := app.CreateIntegration(ctx, env.ID, server.IntegrationParams{Tool: "sandbox"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	apps, err := store.ListApplications(ctx, in.ID, resultlinks.ApplicationFilter{Limit: 250})
	if err != nil || len(apps) == 0 {
		b.Fatalf("sandbox applications: %v (%d)", err, len(apps))
	}
	ba := &benchAPI{handler: api.Handler(), keys: keys, integ: in.ID}
	for _, a := range apps {
		ba.apps = append(ba.apps, a.ID)
	}
	return ba
}

func (ba *benchAPI) post(i int, body string, async bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/v1/ats/applications/"+ba.apps[i%len(ba.apps)]+"/result-links", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+ba.keys[i%len(ba.keys)])
	req.Header.Set("X-Integration-Id", ba.integ)
	req.Header.Set("Content-Type", "application/json")
	if async {
		req.Header.Set("Prefer", "respond-async")
	}
	rec := httptest.NewRecorder()
	ba.handler.ServeHTTP(rec, req)
	return rec
}

// BenchmarkAddApplicationResultLink runs POST .../result-links through the
// whole handler: authentication, the integration and application lookups,
// decoding and validation, and then
//   - invalid: the 400 answer (no write),
//   - async: the ledger transaction with its delivery job,
//   - sync: that plus the delivery to the sandbox (ledger and mirror).
func BenchmarkAddApplicationResultLink(b *testing.B) {
	body := func(i int) string {
		return `{"label":"Assessment Result","url":"https://acme.example/results/` + strconv.Itoa(i) +
			`","details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]}}`
	}
	for _, c := range []struct {
		name   string
		async  bool
		body   func(int) string
		status int
	}{
		{"invalid", true, func(int) string { return `{"label":"Assessment Result","url":"not a url"}` }, http.StatusBadRequest},
		{"async", true, body, http.StatusOK},
		{"sync", false, body, http.StatusOK},
	} {
		b.Run(c.name, func(b *testing.B) {
			ba := newBenchAPI(b)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				rec := ba.post(i, c.body(i), c.async)
				if rec.Code != c.status {
					b.Fatalf("answer %d, want %d: %s", rec.Code, c.status, rec.Body.String())
				}
			}
		})
	}
}
