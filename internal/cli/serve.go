package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/server"
)

func serveCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks serve")
	addr := fs.String("addr", server.DefaultAddr, "address to listen on (env RESULTLINKS_ADDR)")
	dbURL := databaseFlag(fs)
	def := httpapi.DefaultConfig()
	syncDeadline := fs.Duration("sync-deadline", def.SyncDeadline,
		"how long a result-link call waits for delivery before answering 504 PLATFORM.TASK_TIMED_OUT (env RESULTLINKS_SYNC_DEADLINE)")
	concurrency := fs.Int("concurrency-limit", def.ConcurrencyLimit,
		"result-link writes in flight per integration before 429 PLATFORM.CONCURRENCY_LIMIT_EXCEEDED (env RESULTLINKS_CONCURRENCY_LIMIT)")
	deliveryTimeout := fs.Duration("delivery-timeout", def.DeliveryTimeout,
		"longest one delivery attempt may take; a crashed attempt's result link is taken over after it (env RESULTLINKS_DELIVERY_TIMEOUT)")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics on this address instead of the API's (env RESULTLINKS_METRICS_ADDR)")
	logFormat := fs.String("log-format", "text", "log format on stderr: text or json (env RESULTLINKS_LOG_FORMAT)")
	logLevel := fs.String("log-level", "info", "least log level: debug, info, warn or error (env RESULTLINKS_LOG_LEVEL)")
	return &ffcli.Command{
		Name:       "serve",
		ShortUsage: "resultlinks serve [flags]",
		ShortHelp:  "run the API server",
		LongHelp: `Runs the API server. It opens (or creates) the database, applies migrations
and listens. On the first start of an empty database it creates an
environment, an API key and a sandbox integration, and prints them once with
a curl that adds a result link. SIGINT or SIGTERM stop it gracefully:
requests and deliveries under way finish first.`,
		FlagSet: fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if *syncDeadline <= 0 {
				return fmt.Errorf("--sync-deadline must be positive, got %s", *syncDeadline)
			}
			if *deliveryTimeout < 10*time.Second {
				return fmt.Errorf("--delivery-timeout must be at least 10s, got %s", *deliveryTimeout)
			}
			if *concurrency <= 0 {
				return fmt.Errorf("--concurrency-limit must be positive, got %d", *concurrency)
			}
			logger, err := newLogger(stdio.Stderr, *logFormat, *logLevel)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			store, err := server.OpenStore(ctx, *dbURL)
			if err != nil {
				return err
			}
			defer store.Close()
			app, err := server.NewApp(store, nil, logger)
			if err != nil {
				return err
			}
			first, err := app.Bootstrap(ctx)
			if err != nil {
				return fmt.Errorf("first start: %w", err)
			}
			return app.Serve(ctx, server.Config{
				Addr: *addr, MetricsAddr: *metricsAddr, Version: Version,
				API: httpapi.Config{SyncDeadline: *syncDeadline, ConcurrencyLimit: *concurrency, DeliveryTimeout: *deliveryTimeout},
			}, func(a net.Addr) {
				if first != nil {
					first.Print(stdio.Stdout, "http://"+a.String())
				}
			})
		},
	}
}

// newLogger returns the server's logger on w.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}
