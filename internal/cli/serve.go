package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks/internal/connector/all"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/server"
)

// serveFlags are the settings of serve, shared with the config command.
type serveFlags struct {
	fs                                  *flag.FlagSet
	addr, dbURL, metricsAddr, logFormat *string
	logLevel                            *string
	syncDeadline, deliveryTimeout       *time.Duration
	concurrency                         *int
	shutdownTimeout                     *time.Duration
	keyRate                             *float64
	keyBurst, keyConcurrency            *int
	denyPrivate                         *string
	publicURL                           *string
	toolURLs                            *string
	trustedProxies                      *string
}

func newServeFlags(name string) (*serveFlags, []ff.Option) {
	fs, opts := newFlags(name)
	def := httpapi.DefaultConfig()
	f := &serveFlags{fs: fs}
	f.addr = fs.String("addr", server.DefaultAddr, "address to listen on (env RESULTLINKS_ADDR)")
	f.dbURL = databaseFlag(fs)
	f.syncDeadline = fs.Duration("sync-deadline", def.SyncDeadline,
		"how long a result-link call waits for delivery before answering 504 PLATFORM.TASK_TIMED_OUT (env RESULTLINKS_SYNC_DEADLINE)")
	f.concurrency = fs.Int("concurrency-limit", def.ConcurrencyLimit,
		"result-link writes in flight per integration before 429 PLATFORM.CONCURRENCY_LIMIT_EXCEEDED (env RESULTLINKS_CONCURRENCY_LIMIT)")
	f.deliveryTimeout = fs.Duration("delivery-timeout", def.DeliveryTimeout,
		"longest one delivery attempt may take; a crashed attempt's result link is taken over after it (env RESULTLINKS_DELIVERY_TIMEOUT)")
	f.shutdownTimeout = fs.Duration("shutdown-timeout", 0,
		"grace period on SIGTERM for requests and deliveries under way; 0 means the sync deadline plus 10s (env RESULTLINKS_SHUTDOWN_TIMEOUT)")
	f.keyRate = fs.Float64("key-rate-limit", def.KeyRate, "requests per second each API key may send; more get 429 PLATFORM.RATE_LIMIT_EXCEEDED (env RESULTLINKS_KEY_RATE_LIMIT)")
	f.keyBurst = fs.Int("key-burst", def.KeyBurst, "requests an API key may send at once above its rate (env RESULTLINKS_KEY_BURST)")
	f.keyConcurrency = fs.Int("key-concurrency", def.KeyConcurrency, "requests each API key may have in flight (env RESULTLINKS_KEY_CONCURRENCY)")
	f.denyPrivate = fs.String("deny-private-targets", "auto",
		"refuse calls to ATS hosts on private or loopback addresses: on, off, or auto (on with PostgreSQL, off on the embedded database) (env RESULTLINKS_DENY_PRIVATE_TARGETS)")
	f.publicURL = fs.String("public-url", "",
		"base URL callers reach the API at, for links in webhook events (log_url); empty means http:// and the listen address (env RESULTLINKS_PUBLIC_URL)")
	f.toolURLs = fs.String("tool-url", "",
		"tool=URL[,tool=URL...]: integrations customers connect through connect links call that tool at URL instead of its public host, e.g. a regional or staging host or a test double (env RESULTLINKS_TOOL_URL)")
	f.trustedProxies = fs.String("trusted-proxies", "",
		"CIDR[,CIDR...] of the proxies in front of the server: their X-Forwarded-For names the client that signs in to the dashboard (env RESULTLINKS_TRUSTED_PROXIES)")
	f.metricsAddr = fs.String("metrics-addr", "", "serve /metrics on this address instead of the API's (env RESULTLINKS_METRICS_ADDR)")
	f.logFormat = fs.String("log-format", "text", "log format on stderr: text or json (env RESULTLINKS_LOG_FORMAT)")
	f.logLevel = fs.String("log-level", "info", "least log level: debug, info, warn or error (env RESULTLINKS_LOG_LEVEL)")
	return f, opts
}

// validate fails fast on invalid settings, naming the setting.
func (f *serveFlags) validate() error {
	switch {
	case *f.syncDeadline <= 0:
		return fmt.Errorf("--sync-deadline (RESULTLINKS_SYNC_DEADLINE) must be positive, got %s", *f.syncDeadline)
	case *f.deliveryTimeout < 10*time.Second || *f.deliveryTimeout > 25*time.Minute:
		return fmt.Errorf("--delivery-timeout (RESULTLINKS_DELIVERY_TIMEOUT) must be between 10s and 25m (a job running longer is taken for dead), got %s", *f.deliveryTimeout)
	case *f.concurrency <= 0:
		return fmt.Errorf("--concurrency-limit (RESULTLINKS_CONCURRENCY_LIMIT) must be positive, got %d", *f.concurrency)
	case *f.keyRate <= 0:
		return fmt.Errorf("--key-rate-limit (RESULTLINKS_KEY_RATE_LIMIT) must be positive, got %v", *f.keyRate)
	case *f.keyBurst <= 0:
		return fmt.Errorf("--key-burst (RESULTLINKS_KEY_BURST) must be positive, got %d", *f.keyBurst)
	case *f.keyConcurrency <= 0:
		return fmt.Errorf("--key-concurrency (RESULTLINKS_KEY_CONCURRENCY) must be positive, got %d", *f.keyConcurrency)
	case *f.denyPrivate != "auto" && *f.denyPrivate != "on" && *f.denyPrivate != "off":
		return fmt.Errorf("--deny-private-targets (RESULTLINKS_DENY_PRIVATE_TARGETS) must be on, off or auto, got %q", *f.denyPrivate)
	case *f.shutdownTimeout < 0:
		return fmt.Errorf("--shutdown-timeout (RESULTLINKS_SHUTDOWN_TIMEOUT) must not be negative, got %s", *f.shutdownTimeout)
	}
	if _, _, err := net.SplitHostPort(*f.addr); err != nil {
		return fmt.Errorf("--addr (RESULTLINKS_ADDR) must be host:port, got %q", *f.addr)
	}
	if *f.metricsAddr != "" {
		if _, _, err := net.SplitHostPort(*f.metricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr (RESULTLINKS_METRICS_ADDR) must be host:port, got %q", *f.metricsAddr)
		}
	}
	if *f.publicURL != "" {
		u, err := url.Parse(*f.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url (RESULTLINKS_PUBLIC_URL) must be an absolute http or https URL without query, got %q", *f.publicURL)
		}
	}
	if _, err := f.parseToolURLs(); err != nil {
		return err
	}
	if _, err := f.parseTrustedProxies(); err != nil {
		return err
	}
	if _, err := newLogger(io.Discard, *f.logFormat, *f.logLevel); err != nil {
		return err
	}
	return nil
}

// parseTrustedProxies reads --trusted-proxies: CIDRs, comma-separated; a
// bare address counts as one host.
func (f *serveFlags) parseTrustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range strings.Split(*f.trustedProxies, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				return nil, fmt.Errorf("--trusted-proxies (RESULTLINKS_TRUSTED_PROXIES) takes CIDRs such as 10.0.0.0/8, got %q", v)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// parseToolURLs reads --tool-url: tool=URL pairs, comma-separated.
func (f *serveFlags) parseToolURLs() (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(*f.toolURLs, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		tool, raw, ok := strings.Cut(pair, "=")
		u, err := url.Parse(raw)
		if !ok || tool == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--tool-url (RESULTLINKS_TOOL_URL) takes tool=URL pairs with absolute http or https URLs, got %q", pair)
		}
		info, known := all.Registry().Lookup(tool)
		if !known || len(info.Setup.HostKeys) == 0 {
			return nil, fmt.Errorf("--tool-url (RESULTLINKS_TOOL_URL): %q is not a tool whose host can be set", tool)
		}
		out[tool] = strings.TrimSuffix(raw, "/")
	}
	return out, nil
}

func serveCommand(stdio IO) *ffcli.Command {
	f, opts := newServeFlags("resultlinks serve")
	fs := f.fs
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
			if err := f.validate(); err != nil {
				return err
			}
			logger, err := newLogger(stdio.Stderr, *f.logFormat, *f.logLevel)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			store, err := server.OpenStoreWithKey(ctx, *f.dbURL, os.Getenv(EnvPrefix+"_SECRET_KEY"))
			if err != nil {
				return err
			}
			defer store.Close()
			app, err := server.NewApp(store, nil, logger)
			if err != nil {
				return err
			}
			deny := *f.denyPrivate == "on"
			if *f.denyPrivate == "auto" {
				_, embedded := server.SQLitePath(*f.dbURL)
				deny = !embedded
			}
			app.SetDenyPrivateTargets(deny)
			proxies, _ := f.parseTrustedProxies()
			app.SetTrustedProxies(proxies)
			toolURLs, _ := f.parseToolURLs()
			if err := app.SetToolURLs(toolURLs); err != nil {
				return fmt.Errorf("--tool-url (RESULTLINKS_TOOL_URL): %w", err)
			}
			first, err := app.Bootstrap(ctx)
			if err != nil {
				return fmt.Errorf("first start: %w", err)
			}
			return app.Serve(ctx, server.Config{
				Addr: *f.addr, MetricsAddr: *f.metricsAddr, Version: Version, ShutdownTimeout: *f.shutdownTimeout, PublicURL: *f.publicURL,
				API: httpapi.Config{SyncDeadline: *f.syncDeadline, ConcurrencyLimit: *f.concurrency, DeliveryTimeout: *f.deliveryTimeout,
					KeyRate: *f.keyRate, KeyBurst: *f.keyBurst, KeyConcurrency: *f.keyConcurrency},
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
