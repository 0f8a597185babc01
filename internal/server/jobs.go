package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// sqliteStore is a store whose SQLite database the job queue shares.
type sqliteStore interface{ DB() *sql.DB }

// postgresStore is a store whose PostgreSQL pool the job queue shares.
type postgresStore interface{ Pool() *pgxpool.Pool }

// migrateQueue creates or upgrades River's tables beside the store's.
func migrateQueue[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// Queue is River over the store's database: syncs and their planner,
// deliveries, and retention. On SQLite it uses River's SQLite driver on the
// store's single write connection; on PostgreSQL River's pgx driver on the
// store's pool, where several replicas share the work.
type Queue struct {
	insert   func(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	retry    func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	insertTx func(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) error
	start    func(ctx context.Context) error
	stop     func(ctx context.Context) error
	running  atomic.Bool
}

// queueParts are what the queue's workers need.
type queueParts struct {
	syncer    *mirror.Syncer
	schedule  mirror.Schedule
	deliverer *delivery.Deliverer
	slots     delivery.WriteSlots
	webhooks  *webhook.Sender
	logger    *slog.Logger
}

// newQueue builds the queue of a store; it works jobs only once started.
// It answers nil for a store that shares no database with it.
func newQueue(store resultlinks.Store, parts queueParts) (*Queue, error) {
	switch s := store.(type) {
	case postgresStore:
		return buildQueue(riverpgxv5.New(s.Pool()), parts, 500*time.Millisecond, func(tx any) (pgx.Tx, bool) {
			t, ok := tx.(pgx.Tx)
			return t, ok
		})
	case sqliteStore:
		return buildQueue(riversqlite.New(s.DB()), parts, 250*time.Millisecond, func(tx any) (*sql.Tx, bool) {
			t, ok := tx.(*sql.Tx)
			return t, ok
		})
	}
	return nil, nil
}

func buildQueue[TTx any](driver riverdriver.Driver[TTx], p queueParts, poll time.Duration, asTx func(any) (TTx, bool)) (*Queue, error) {
	q := &Queue{}
	workers := river.NewWorkers()
	river.AddWorker(workers, &mirror.SyncWorker{Syncer: p.syncer})
	river.AddWorker(workers, &mirror.PlanWorker{Store: p.syncer.Store, Enqueuer: q, Schedule: p.schedule, Now: p.syncer.Now})
	river.AddWorker(workers, &delivery.DeliverWorker{Deliverer: p.deliverer, Slots: p.slots})
	river.AddWorker(workers, &delivery.RescueWorker{Deliverer: p.deliverer, Slots: p.slots})
	river.AddWorker(workers, &delivery.ReaperWorker{Deliverer: p.deliverer, Jobs: q, Grace: 10 * time.Second})
	river.AddWorker(workers, &webhook.FanOutWorker{Store: p.syncer.Store, Jobs: q})
	river.AddWorker(workers, &webhook.SendWorker{Sender: p.webhooks})
	river.AddWorker(workers, &webhook.RescueWorker{Store: p.syncer.Store, Jobs: q, Now: p.syncer.Now})
	river.AddWorker(workers, &retentionWorker{store: p.syncer.Store, logger: p.logger})
	client, err := river.NewClient(driver, &river.Config{
		// River reports its routine at info level; only its warnings matter.
		Logger: slog.New(minLevel{h: p.logger.Handler(), min: slog.LevelWarn}),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault:    {MaxWorkers: 2},
			mirror.QueueSync:      {MaxWorkers: 2},
			delivery.QueueDeliver: {MaxWorkers: 20},
			webhook.QueueWebhooks: {MaxWorkers: 10},
		},
		Workers:           workers,
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: poll,
		// Every job's Timeout is shorter: syncs run in parts of
		// mirror.DefaultBudget, deliveries within their lease.
		RescueStuckJobsAfter: mirror.RescueAfter,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return retentionArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(15*time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return delivery.ReaperArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(15*time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return webhook.RescueArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(p.schedule.Plan),
				func() (river.JobArgs, *river.InsertOpts) { return mirror.PlanArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.insert = client.Insert
	q.retry = client.JobRetry
	q.insertTx = func(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) error {
		t, ok := asTx(tx)
		if !ok {
			return fmt.Errorf("job queue: a %T is not this database's transaction", tx)
		}
		_, err := client.InsertTx(ctx, t, args, opts)
		return err
	}
	q.start, q.stop = client.Start, client.Stop
	return q, nil
}

// InsertJob inserts a job.
func (q *Queue) InsertJob(ctx context.Context, args river.JobArgs) error {
	_, err := q.insert(ctx, args, nil)
	return err
}

// EnqueueSync inserts a sync job unless one is waiting or running for the
// integration, in which case it answers that one's sync ID.
func (q *Queue) EnqueueSync(ctx context.Context, args mirror.SyncArgs) (string, bool, error) {
	res, err := q.insert(ctx, args, nil)
	if err != nil {
		return "", false, fmt.Errorf("enqueue sync: %w", err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job != nil {
		var existing mirror.SyncArgs
		if err := json.Unmarshal(res.Job.EncodedArgs, &existing); err == nil && existing.SyncID != "" {
			return existing.SyncID, true, nil
		}
	}
	return args.SyncID, res.UniqueSkippedAsDuplicate, nil
}

// DeliveryJob returns what queues rl's delivery job, to run at runAt,
// inside the store's transaction that stores rl.
func (q *Queue) DeliveryJob(rl *resultlinks.ResultLink, runAt time.Time) resultlinks.EnqueueFunc {
	return func(ctx context.Context, tx any) error {
		return q.insertTx(ctx, tx, delivery.DeliverArgs{ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID}, &river.InsertOpts{ScheduledAt: runAt})
	}
}

// EnqueueDelivery queues a delivery job outside any transaction (a retry).
func (q *Queue) EnqueueDelivery(ctx context.Context, rl *resultlinks.ResultLink, runAt time.Time) error {
	res, err := q.insert(ctx, delivery.DeliverArgs{ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID}, &river.InsertOpts{ScheduledAt: runAt})
	if err != nil {
		return err
	}
	// The link's job may wait already: the fallback a request in sync mode
	// leaves for the case its process dies, scheduled a lease later. It is
	// brought forward rather than left to its time.
	if res.UniqueSkippedAsDuplicate && res.Job != nil && res.Job.ScheduledAt.After(runAt) &&
		(res.Job.State == rivertype.JobStateScheduled || res.Job.State == rivertype.JobStateRetryable) {
		_, err = q.retry(ctx, res.Job.ID)
	}
	return err
}

// WebhookEventJob returns what queues sending ev to its endpoints, inside
// the store's transaction that stores ev.
func (q *Queue) WebhookEventJob(ev *resultlinks.WebhookEvent) resultlinks.EnqueueFunc {
	return func(ctx context.Context, tx any) error {
		return q.insertTx(ctx, tx, webhook.FanOutArgs{EventID: ev.ID}, nil)
	}
}

// NextWebhookSend returns what queues the send of an event to an endpoint
// that waited behind the event after, inside the transaction that settles
// that one.
func (q *Queue) NextWebhookSend(webhookID, eventID, after string) resultlinks.EnqueueFunc {
	return func(ctx context.Context, tx any) error {
		return q.insertTx(ctx, tx, webhook.SendArgs{EventID: eventID, WebhookID: webhookID, After: after}, nil)
	}
}

// ResendWebhookEvent queues sending an event to one endpoint once more.
func (q *Queue) ResendWebhookEvent(ctx context.Context, eventID, webhookID string) error {
	_, err := q.insert(ctx, webhook.SendArgs{EventID: eventID, WebhookID: webhookID, ResendID: resultlinks.NewID()}, nil)
	return err
}

// Start starts working jobs.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.start(ctx); err != nil {
		return err
	}
	q.running.Store(true)
	return nil
}

// Stop stops fetching jobs and waits for running ones until ctx ends.
func (q *Queue) Stop(ctx context.Context) error {
	q.running.Store(false)
	return q.stop(ctx)
}

// Running reports whether the queue works jobs.
func (q *Queue) Running() bool { return q.running.Load() }

// Retention is how long call logs, sync records, idempotency keys, webhook
// events and their send attempts are kept.
const Retention = 30 * 24 * time.Hour

// retentionArgs is the hourly job that drops call logs, sync records,
// webhook events and attempts, and frees idempotency keys, older than
// Retention, and the connect links that expired longer ago than that.
type retentionArgs struct{}

func (retentionArgs) Kind() string { return "retention" }

type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	store  resultlinks.Store
	logger *slog.Logger
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	n, err := w.store.DeleteInteractionsBefore(ctx, time.Now().Add(-Retention))
	if err != nil {
		return err
	}
	m, err := w.store.DeleteWebhookHistoryBefore(ctx, time.Now().Add(-Retention))
	if err != nil {
		return err
	}
	l, err := w.store.DeleteConnectLinksBefore(ctx, time.Now().Add(-Retention))
	if err != nil {
		return err
	}
	if n > 0 || m > 0 || l > 0 {
		w.logger.Info("retention", "deleted_interactions", n, "deleted_webhook_rows", m, "deleted_connect_links", l)
	}
	return nil
}

// minLevel passes on only records at or above min.
type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}
func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevel) WithAttrs(a []slog.Attr) slog.Handler            { return minLevel{m.h.WithAttrs(a), m.min} }
func (m minLevel) WithGroup(n string) slog.Handler                 { return minLevel{m.h.WithGroup(n), m.min} }
