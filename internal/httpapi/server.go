// Package httpapi serves the wire format over HTTP: the route table, API-key
// authentication, the handlers, and the one writer of error answers.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 1 << 20

// Config are the tunables of the API.
type Config struct {
	// SyncDeadline is how long a result-link call waits for its delivery
	// before answering 504 (the delivery goes on).
	SyncDeadline time.Duration
	// DeliveryTimeout bounds one delivery, however long the caller waits.
	DeliveryTimeout time.Duration
	// ConcurrencyLimit is the most result-link writes in flight per integration.
	ConcurrencyLimit int
	// KeyRate and KeyBurst cap each API key's requests per second.
	KeyRate  float64
	KeyBurst int
	// KeyConcurrency caps each API key's requests in flight.
	KeyConcurrency int
}

// DefaultConfig returns the defaults of Config.
func DefaultConfig() Config {
	return Config{SyncDeadline: 60 * time.Second, DeliveryTimeout: 5 * time.Minute, ConcurrencyLimit: 30,
		KeyRate: 200, KeyBurst: 400, KeyConcurrency: 128}
}

// API is the HTTP API of resultlinks.
type API struct {
	store     resultlinks.Store
	registry  *connector.Registry
	deliverer *delivery.Deliverer
	syncs     mirror.Enqueuer
	logger    *slog.Logger
	now       func() time.Time
	cfg       Config

	deliveries DeliveryQueue
	webhooks   WebhookQueue
	events     *webhook.Events
	checkURL   func(ctx context.Context, field, rawURL string) error
	version    string
	workers    func() bool
	metrics    http.Handler
	publicURL  string
	inflight   sync.WaitGroup
	slots      delivery.WriteSlots
	keyLimits  *keyLimits
	touchMu    sync.Mutex
	touched    map[string]time.Time
}

// DeliveryQueue queues delivery jobs.
type DeliveryQueue interface {
	// DeliveryJob returns what queues rl's delivery to run at runAt, inside
	// the transaction that stores rl.
	DeliveryJob(rl *resultlinks.ResultLink, runAt time.Time) resultlinks.EnqueueFunc
	// EnqueueDelivery queues a delivery outside any transaction.
	EnqueueDelivery(ctx context.Context, rl *resultlinks.ResultLink, runAt time.Time) error
}

// Deps are what the API works with.
type Deps struct {
	// Store keeps everything.
	Store resultlinks.Store
	// Registry lists the connectors.
	Registry *connector.Registry
	// Deliverer writes result links.
	Deliverer *delivery.Deliverer
	// Syncs enqueues syncs (force-sync); nil answers that syncs cannot be
	// queued by this server.
	Syncs mirror.Enqueuer
	// Deliveries queues delivery jobs; nil runs deliveries only while the
	// request waits (tests).
	Deliveries DeliveryQueue
	// Webhooks resends events; nil answers that it cannot.
	Webhooks WebhookQueue
	// Events builds the events that changes emit; nil emits none.
	Events *webhook.Events
	// CheckWebhookURL refuses an endpoint URL the server would not call;
	// nil accepts any.
	CheckWebhookURL func(ctx context.Context, field, rawURL string) error
	// Slots cap the writes in flight per integration; nil uses a cap of
	// Config.ConcurrencyLimit for this API alone.
	Slots delivery.WriteSlots
	// Logger logs requests.
	Logger *slog.Logger
	// Version is answered by /readyz.
	Version string
	// Workers reports whether the job workers run; nil skips the check.
	Workers func() bool
	// Metrics serves /metrics on this API's listener; nil serves none.
	Metrics http.Handler
	// PublicURL is the base URL of the links the API answers (connect
	// links); empty uses the request's.
	PublicURL string
}

// New returns the API over its dependencies.
func New(d Deps, cfg Config) *API {
	store, registry, deliverer, logger := d.Store, d.Registry, d.Deliverer, d.Logger
	if cfg.SyncDeadline <= 0 {
		cfg.SyncDeadline = DefaultConfig().SyncDeadline
	}
	if cfg.DeliveryTimeout <= 0 {
		cfg.DeliveryTimeout = DefaultConfig().DeliveryTimeout
	}
	if cfg.ConcurrencyLimit <= 0 {
		cfg.ConcurrencyLimit = DefaultConfig().ConcurrencyLimit
	}
	if cfg.KeyRate <= 0 {
		cfg.KeyRate = DefaultConfig().KeyRate
	}
	if cfg.KeyBurst <= 0 {
		cfg.KeyBurst = DefaultConfig().KeyBurst
	}
	if cfg.KeyConcurrency <= 0 {
		cfg.KeyConcurrency = DefaultConfig().KeyConcurrency
	}
	now := time.Now
	if deliverer != nil && deliverer.Now != nil {
		now = deliverer.Now
	}
	var slots delivery.WriteSlots = delivery.NewSlots(cfg.ConcurrencyLimit)
	if d.Slots != nil {
		slots = d.Slots
	}
	return &API{
		store: store, registry: registry, deliverer: deliverer, syncs: d.Syncs, deliveries: d.Deliveries, webhooks: d.Webhooks, events: d.Events, checkURL: d.CheckWebhookURL,
		logger: logger, now: now, cfg: cfg, slots: slots, version: d.Version, workers: d.Workers, metrics: d.Metrics, publicURL: strings.TrimSuffix(d.PublicURL, "/"),
		keyLimits: newKeyLimits(cfg.KeyRate, cfg.KeyBurst, cfg.KeyConcurrency), touched: map[string]time.Time{},
	}
}

// Wait blocks until every delivery started by a request has finished, so a
// shutting-down server loses no accepted result link.
func (a *API) Wait() { a.inflight.Wait() }

// Handler returns the API's routes wrapped in its middleware.
func (a *API) Handler() http.Handler {
	return a.middleware(a.routes())
}
