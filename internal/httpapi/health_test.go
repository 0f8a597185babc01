package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/server"
	"github.com/stretchr/testify/require"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "h.db"))
	require.NoError(t, err)
	defer store.Close()
	app, err := server.NewApp(store, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	var running atomic.Bool
	api := httpapi.New(httpapi.Deps{Store: store, Registry: app.Registry, Deliverer: app.Deliverer, Logger: slog.New(slog.DiscardHandler),
		Version: "1.2.3", Workers: running.Load, Metrics: metrics.Handler()}, httpapi.DefaultConfig())
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()

	get := func(path string) (int, map[string]any, string) {
		res, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return res.StatusCode, m, string(raw)
	}
	code, body, _ := get("/healthz")
	require.Equal(t, 200, code)
	require.Equal(t, "1.2.3", body["version"])

	code, body, raw := get("/readyz")
	require.Equal(t, 503, code, "workers not running")
	require.Equal(t, "the job workers are not running", body["reason"], raw)
	running.Store(true)
	code, body, raw = get("/readyz")
	require.Equal(t, 200, code, raw)
	require.Equal(t, "ready", body["status"])
	require.Equal(t, "1.2.3", body["version"])
	require.NoError(t, store.Close())
	code, body, _ = get("/readyz")
	require.Equal(t, 503, code)
	require.Equal(t, "the database does not answer", body["reason"])

	// A request with an ID in its path is counted under its route pattern.
	res, err := http.Get(srv.URL + "/v1/integrations/sandbox:SOMEIDxx")
	require.NoError(t, err)
	res.Body.Close()
	_, _, text := get("/metrics")
	require.Contains(t, text, `resultlinks_http_requests_total{method="GET",route="GET /v1/integrations/{integration_id}",status="401"}`)
	require.NotContains(t, text, "SOMEIDxx", "route labels never carry raw IDs")
	require.True(t, strings.Contains(text, "resultlinks_http_request_duration_seconds_bucket"))
	require.Contains(t, text, "go_goroutines")
}
