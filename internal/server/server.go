// Package server is the composition root of resultlinks: it opens the store
// named by a database URL, builds the connector registry, the syncer and the
// deliverer, and runs the HTTP server. It is the only package that knows
// every concrete type.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/all"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/pacing"
	"github.com/resultlinks/resultlinks/internal/secret"
	"github.com/resultlinks/resultlinks/internal/store/postgres"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// DefaultDatabaseURL is the embedded default: a SQLite file in the working
// directory.
const DefaultDatabaseURL = "sqlite://resultlinks.db"

// DefaultAddr is where the server listens by default.
const DefaultAddr = "127.0.0.1:8080"

// OpenStore opens the store a database URL names, applies its migrations
// and the job queue's. Accepted forms: sqlite:///absolute/path.db,
// sqlite://relative/path.db, sqlite:path.db, a bare file path, or
// postgres://user:password@host:port/database?sslmode=... (several
// replicas may share one PostgreSQL database).
func OpenStore(ctx context.Context, databaseURL string) (resultlinks.Store, error) {
	return OpenStoreWithKey(ctx, databaseURL, "")
}

// OpenStoreWithKey opens the store like OpenStore and seals credentials
// and connector state with secretKey (one base64 AES-256 key, or a JSON
// keyring). Without one, the embedded SQLite store keeps its keyring in a
// file beside the database (created with mode 0600); PostgreSQL, whose
// replicas must share the key, requires one.
func OpenStoreWithKey(ctx context.Context, databaseURL, secretKey string) (resultlinks.Store, error) {
	raw, keyFile, err := openRaw(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	var ring *secret.Keyring
	switch {
	case secretKey != "":
		ring, err = secret.Parse(secretKey)
	case keyFile != "":
		ring, err = secret.LoadFile(keyFile)
	default:
		err = errors.New("RESULTLINKS_SECRET_KEY is required with PostgreSQL: every replica must seal credentials with the same key (create one with 'openssl rand -base64 32')")
	}
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return secret.Wrap(raw, ring), nil
}

// openRaw opens the engine's store and answers where its key file belongs
// (SQLite only).
func openRaw(ctx context.Context, databaseURL string) (resultlinks.Store, string, error) {
	u := strings.TrimSpace(databaseURL)
	switch {
	case u == "":
		return nil, "", errors.New("database URL is empty")
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		store, err := postgres.Open(ctx, u)
		if err != nil {
			return nil, "", err
		}
		if err := migrateQueue(ctx, riverpgxv5.New(store.Pool())); err != nil {
			store.Close()
			return nil, "", err
		}
		return store, "", nil
	case strings.HasPrefix(u, "sqlite://"):
		u = strings.TrimPrefix(u, "sqlite://")
	case strings.HasPrefix(u, "sqlite:"):
		u = strings.TrimPrefix(u, "sqlite:")
	case strings.Contains(u, "://"):
		return nil, "", fmt.Errorf("database URL: unknown scheme in %q; use sqlite:///path/to/file.db or postgres://...", redactURL(u))
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if u == "" {
		return nil, "", errors.New("database URL: no file path; use sqlite:///path/to/file.db")
	}
	store, err := sqlite.Open(ctx, u)
	if err != nil {
		return nil, "", err
	}
	if err := migrateQueue(ctx, riversqlite.New(store.DB())); err != nil {
		store.Close()
		return nil, "", err
	}
	return store, u + ".key", nil
}

// SQLitePath returns the file a SQLite database URL names.
func SQLitePath(databaseURL string) (string, bool) {
	u := strings.TrimSpace(databaseURL)
	switch {
	case strings.HasPrefix(u, "sqlite://"):
		u = strings.TrimPrefix(u, "sqlite://")
	case strings.HasPrefix(u, "sqlite:"):
		u = strings.TrimPrefix(u, "sqlite:")
	case strings.Contains(u, "://"):
		return "", false
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u, u != ""
}

// underlying returns the engine's store beneath any wrapper.
func underlying(store resultlinks.Store) resultlinks.Store {
	for {
		w, ok := store.(interface{ Unwrap() resultlinks.Store })
		if !ok {
			return store
		}
		store = w.Unwrap()
	}
}

// redactURL drops a password from a URL for messages.
func redactURL(s string) string {
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		if i := strings.Index(s, "://"); i >= 0 && i < at {
			return s[:i+3] + "REDACTED" + s[at:]
		}
	}
	return s
}

// App is resultlinks assembled over one store.
type App struct {
	// Store is where everything is kept.
	Store resultlinks.Store
	// Registry lists the built-in connectors.
	Registry *connector.Registry
	// Syncer mirrors ATS data.
	Syncer *mirror.Syncer
	// Deliverer writes result links.
	Deliverer *delivery.Deliverer
	// Logger is the process's logger.
	Logger *slog.Logger
	// Queue runs the background jobs; nil when the store has no database
	// to share with it.
	Queue *Queue
	// Slots cap the result-link writes in flight per integration.
	Slots delivery.WriteSlots
	// Webhooks sends events to the environments' endpoints.
	Webhooks *webhook.Sender
	// Events builds the events that changes emit.
	Events *webhook.Events

	denyPrivate    bool
	toolURLs       map[string]string
	trustedProxies []netip.Prefix
}

// NewApp assembles resultlinks over a store.
func NewApp(store resultlinks.Store, registry *connector.Registry, logger *slog.Logger) (*App, error) {
	if registry == nil {
		registry = all.Registry()
	}
	now := func() time.Time { return time.Now().UTC() }
	var limiters outbound.Pacers = outbound.NewLimiters()
	var slots delivery.WriteSlots = delivery.NewSlots(httpapi.DefaultConfig().ConcurrencyLimit)
	if c, ok := underlying(store).(resultlinks.Coordinator); ok {
		// Replicas share one database: so do the ATS budgets and the cap.
		limiters = &pacing.Pacers{Coordinator: c, Logger: logger, Local: outbound.NewLimiters()}
		slots = pacing.NewSlots(c, httpapi.DefaultConfig().ConcurrencyLimit, delivery.DefaultLease)
	}
	a := &App{
		Store:     store,
		Registry:  registry,
		Syncer:    &mirror.Syncer{Store: store, Registry: registry, Logger: logger, Now: now, Limiters: limiters},
		Deliverer: &delivery.Deliverer{Store: store, Registry: registry, Logger: logger, Now: now, Limiters: limiters},
		Logger:    logger,
		Slots:     slots,
		Webhooks:  &webhook.Sender{Store: store, Client: webhook.NewClient(nil), Now: now, Logger: logger},
		Events:    &webhook.Events{Now: now, Logger: logger},
	}
	a.Deliverer.Events = a.Events
	a.Syncer.Events = a.Events
	q, err := newQueue(underlying(store), queueParts{syncer: a.Syncer, schedule: mirror.DefaultSchedule(), deliverer: a.Deliverer, slots: slots, webhooks: a.Webhooks, logger: logger})
	if err != nil {
		return nil, err
	}
	a.Queue = q
	if q != nil {
		a.Events.Job = q.WebhookEventJob
		a.Webhooks.Next = q.NextWebhookSend
	}
	return a, nil
}

// SetDenyPrivateTargets makes every call to an ATS refuse private and
// loopback addresses (or allow them again).
func (a *App) SetDenyPrivateTargets(deny bool) {
	a.denyPrivate = deny
	a.Syncer.DenyPrivate = deny
	a.Deliverer.DenyPrivate = deny
	var tr http.RoundTripper
	if deny {
		tr = outbound.DenyPrivateTransport()
	}
	a.Webhooks.Client = webhook.NewClient(tr)
}

// CheckWebhookURL returns what refuses webhook endpoint URLs the server
// would not call (private and loopback addresses, when it refuses them),
// or nil when it calls any.
func (a *App) CheckWebhookURL() func(ctx context.Context, field, rawURL string) error {
	if !a.denyPrivate {
		return nil
	}
	return outbound.CheckPublicURL
}

// DefaultEnvironment returns the first environment, creating it when the
// database has none. created says whether it did.
func (a *App) DefaultEnvironment(ctx context.Context) (env *resultlinks.Environment, created bool, err error) {
	envs, err := a.Store.ListEnvironments(ctx)
	if err != nil {
		return nil, false, err
	}
	if len(envs) > 0 {
		return envs[0], false, nil
	}
	env = &resultlinks.Environment{ID: resultlinks.NewID(), Name: "default", CreatedAt: time.Now().UTC()}
	created, err = a.Store.CreateFirstEnvironment(ctx, env)
	if err != nil {
		return nil, false, err
	}
	if !created {
		// Another process created the first environment meanwhile.
		envs, err := a.Store.ListEnvironments(ctx)
		if err != nil || len(envs) == 0 {
			return nil, false, fmt.Errorf("finding the first environment: %w", err)
		}
		return envs[0], false, nil
	}
	return env, true, nil
}

// CreateAPIKey creates an API key in the environment and returns its secret,
// which is not stored and cannot be shown again.
func (a *App) CreateAPIKey(ctx context.Context, environmentID, name string) (string, error) {
	secret, key := resultlinks.NewAPIKey(name, time.Now().UTC())
	key.EnvironmentID = environmentID
	if err := a.Store.CreateAPIKey(ctx, key); err != nil {
		return "", err
	}
	if err := a.Audit(ctx, environmentID, "", "key.create", key.ID, key.Prefix+"… "+strconv.Quote(name)); err != nil {
		return "", err
	}
	return secret, nil
}

// IntegrationParams describe a new integration.
type IntegrationParams struct {
	// Tool is the connector's slug.
	Tool string
	// Name labels the integration; it defaults to the tool's label.
	Name string
	// Credentials is the connector's credentials JSON.
	Credentials json.RawMessage
	// EndUser is the customer who owns the ATS account.
	EndUser resultlinks.EndUser
	// Actor is who creates it, for the audit log ("cli" when empty).
	Actor string
}

// Audit records an action in the environment's audit log.
func (a *App) Audit(ctx context.Context, environmentID, actor, action, target, detail string) error {
	if actor == "" {
		actor = "cli"
	}
	return a.Store.AddAudit(ctx, &resultlinks.AuditRecord{ID: resultlinks.NewID(), EnvironmentID: environmentID,
		At: time.Now().UTC(), Actor: actor, Action: action, Target: target, Detail: detail})
}

// CreateIntegration checks the credentials with the ATS, stores the
// integration and runs its first, full sync. The integration exists (with
// setup FINAL_SYNC_PENDING) even when the sync fails.
func (a *App) CreateIntegration(ctx context.Context, environmentID string, p IntegrationParams, progress mirror.Progress) (*resultlinks.Integration, error) {
	in, err := a.CheckIntegration(ctx, environmentID, p)
	if err != nil {
		return nil, err
	}
	if err := a.Store.CreateIntegration(ctx, in, a.integrationCreated(in)); err != nil {
		return nil, err
	}
	if err := a.Audit(ctx, environmentID, p.Actor, "integration.create", in.ID, in.Tool+" "+strconv.Quote(in.Name)); err != nil {
		return nil, err
	}
	if _, err := a.Syncer.Run(ctx, in, mirror.RunOptions{Full: true}, progress); err != nil {
		return in, fmt.Errorf("integration %s was created, but its first sync failed: %w", in.ID, err)
	}
	return in, nil
}

// FirstRun is what a first start created.
type FirstRun struct {
	Environment *resultlinks.Environment
	APIKey      string
	Integration *resultlinks.Integration
	// ApplicationID is a sandbox application to write a result link to.
	ApplicationID string
}

// Bootstrap prepares an empty database for a first try: an environment, an
// API key and a sandbox integration. It returns nil when the database
// already holds an environment.
func (a *App) Bootstrap(ctx context.Context) (*FirstRun, error) {
	env, created, err := a.DefaultEnvironment(ctx)
	if err != nil || !created {
		return nil, err
	}
	key, err := a.CreateAPIKey(ctx, env.ID, "first key")
	if err != nil {
		return nil, err
	}
	in, err := a.CreateIntegration(ctx, env.ID, IntegrationParams{Tool: sandbox.Tool, Name: "Sandbox"}, nil)
	if err != nil {
		return nil, err
	}
	apps, err := a.Store.ListApplications(ctx, in.ID, resultlinks.ApplicationFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	fr := &FirstRun{Environment: env, APIKey: key, Integration: in}
	if len(apps) > 0 {
		fr.ApplicationID = apps[0].ID
	}
	return fr, nil
}

// Print writes the first-run banner: the created values, shown once, and a
// curl that adds a result link.
func (fr *FirstRun) Print(w io.Writer, baseURL string) {
	fmt.Fprintf(w, `
resultlinks: this database was empty, so it now holds:
  environment   %s
  API key       %s
                (shown only now: it is stored hashed; create more with 'resultlinks keys create')
  integration   %s  (the built-in sandbox ATS)

The dashboard is at %s/ (sign in with the API key).

Add a result link to a sandbox application:

curl -sS -X POST '%s/v1/ats/applications/%s/result-links' \
  -H 'Authorization: Bearer %s' \
  -H 'X-Integration-Id: %s' \
  -H 'Content-Type: application/json' \
  -d '{"label": "Assessment Result", "url": "https://acme.example/results/5BtP1WC1", "details": {"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "100%%"}, {"key": "Time", "value": "2:30h"}]}}'

`, fr.Environment.ID, fr.APIKey, fr.Integration.ID, baseURL, baseURL, fr.ApplicationID, fr.APIKey, fr.Integration.ID)
}

// pagesHandler returns the browser pages over the API's parts.
func (a *App) pagesHandler(deps httpapi.Deps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", web.Static())
	for _, p := range a.pages(deps) {
		p.Mount(mux)
	}
	return web.Protect(mux, a.Logger, web.BehindHTTPS(strings.HasPrefix(deps.PublicURL, "https://")))
}

// pages lists the browser pages the server serves.
func (a *App) pages(deps httpapi.Deps) []web.Mounter {
	return []web.Mounter{a.dashboard(deps), a.connectPages()}
}

// route sends the API's paths to the API and every other path to the
// browser pages.
func route(api, pages http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/v1/") || p == "/v1" || strings.HasPrefix(p, "/assets/") ||
			p == "/healthz" || p == "/readyz" || p == "/metrics" {
			api.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}

// Config configures Serve.
type Config struct {
	// Addr is the listen address.
	Addr string
	// API tunes the HTTP API.
	API httpapi.Config
	// ShutdownTimeout bounds the wait for in-flight requests on shutdown.
	ShutdownTimeout time.Duration
	// MetricsAddr, when set, serves /metrics on its own listener instead of
	// the API's.
	MetricsAddr string
	// Version is answered by /healthz and /readyz.
	Version string
	// PublicURL is the base URL callers reach the API at, for the links in
	// webhook events; empty means http:// and the listen address.
	PublicURL string
}

// publicURL returns the base URL of links: cfg's, or http:// and the bound
// address, with localhost for an unspecified host.
func publicURL(cfg Config, addr net.Addr) string {
	if cfg.PublicURL != "" {
		return strings.TrimSuffix(cfg.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Serve runs the HTTP server until ctx is cancelled, then shuts down
// gracefully: it stops accepting, lets in-flight requests and deliveries
// finish, and returns. ready, when not nil, receives the bound address.
func (a *App) Serve(ctx context.Context, cfg Config, ready func(addr net.Addr)) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	a.Syncer.PublicURL = publicURL(cfg, ln.Addr())
	var syncs mirror.Enqueuer
	var deliveries httpapi.DeliveryQueue
	var webhooks httpapi.WebhookQueue
	if cfg.API.ConcurrencyLimit > 0 {
		a.Slots.SetLimit(cfg.API.ConcurrencyLimit)
	}
	if cfg.API.DeliveryTimeout > 0 {
		a.Deliverer.Lease = cfg.API.DeliveryTimeout
		if s, ok := a.Slots.(*pacing.Slots); ok {
			s.Lease = cfg.API.DeliveryTimeout
		}
	}
	if a.Queue != nil {
		syncs, deliveries = a.Queue, a.Queue
		webhooks = a.Queue
		if err := a.Queue.Start(ctx); err != nil {
			ln.Close()
			return fmt.Errorf("starting the job queue: %w", err)
		}
	}
	deps := httpapi.Deps{Store: a.Store, Registry: a.Registry, Deliverer: a.Deliverer, Syncs: syncs,
		Deliveries: deliveries, Webhooks: webhooks, Events: a.Events, CheckWebhookURL: a.CheckWebhookURL(), Slots: a.Slots,
		Logger: a.Logger, Version: cfg.Version, PublicURL: cfg.PublicURL}
	if a.Queue != nil {
		deps.Workers = a.Queue.Running
	}
	if cfg.MetricsAddr == "" {
		deps.Metrics = metrics.Handler()
	} else {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (metrics): %w", cfg.MetricsAddr, err)
		}
		msrv := &http.Server{Handler: metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		a.Logger.Info("serving metrics", "addr", mln.Addr().String())
	}
	api := httpapi.New(deps, cfg.API)
	deadline := cfg.API.SyncDeadline
	if deadline <= 0 {
		deadline = httpapi.DefaultConfig().SyncDeadline
	}
	srv := &http.Server{
		Handler:           route(api.Handler(), a.pagesHandler(deps)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      deadline + 15*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	a.Logger.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	timeout := cfg.ShutdownTimeout
	if timeout <= 0 {
		timeout = deadline + 10*time.Second
	}
	a.Logger.Info("shutting down", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	done := make(chan struct{})
	go func() { api.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		a.Logger.Warn("deliveries still running at shutdown")
	}
	if a.Queue != nil {
		if qerr := a.Queue.Stop(sctx); qerr != nil {
			a.Logger.Warn("stopping the job queue", "error", qerr)
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	a.Logger.Info("stopped")
	return err
}
