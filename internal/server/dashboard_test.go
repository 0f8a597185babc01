package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks/internal/server"
	"github.com/stretchr/testify/require"
)

// TestServeDashboard: the assembled server sends every non-API path to the
// dashboard, with the pages' protections, and keeps the API's paths.
func TestServeDashboard(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	app, err := server.NewApp(store, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Serve(ctx, server.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 5 * time.Second}, func(a net.Addr) { addr <- a })
	}()
	base := "http://" + (<-addr).String()
	t.Cleanup(func() { cancel(); <-done })

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path     string
		status   int
		location string
		contains string
	}{
		{"/", http.StatusSeeOther, "/sign-in", ""},
		{"/integrations", http.StatusSeeOther, "/sign-in?next=%2Fintegrations", ""},
		{"/sign-in", http.StatusOK, "", `id="sign-in-key"`},
		{"/static/app.css", http.StatusOK, "", "--- dashboard ---"},
		{"/healthz", http.StatusOK, "", ""},
		{"/v1/check-api-key", http.StatusUnauthorized, "", "PLATFORM.AUTHENTICATION_INVALID"},
	}
	for _, tt := range tests {
		res, err := client.Get(base + tt.path)
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		require.Equal(t, tt.status, res.StatusCode, tt.path)
		require.Equal(t, tt.location, res.Header.Get("Location"), tt.path)
		require.Contains(t, string(body), tt.contains, tt.path)
		if !strings.HasPrefix(tt.path, "/v1/") && tt.path != "/healthz" {
			require.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'self'", tt.path)
		}
	}
}
