package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// dbStore is a store that can share its database with the job queue.
type dbStore interface{ DB() *sql.DB }

// migrateQueue creates or upgrades River's tables beside the store's.
func migrateQueue(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// Queue is River over the store's database: the sync jobs and their planner.
type Queue struct {
	client *river.Client[*sql.Tx]
}

// newQueue builds the queue's client; it works jobs only once started.
func newQueue(db *sql.DB, syncer *mirror.Syncer, schedule mirror.Schedule, deliverer *delivery.Deliverer, slots *delivery.Slots, logger *slog.Logger) (*Queue, error) {
	q := &Queue{}
	workers := river.NewWorkers()
	river.AddWorker(workers, &mirror.SyncWorker{Syncer: syncer})
	river.AddWorker(workers, &delivery.DeliverWorker{Deliverer: deliverer, Slots: slots})
	river.AddWorker(workers, &retentionWorker{store: syncer.Store, logger: logger})
	river.AddWorker(workers, &mirror.PlanWorker{Store: syncer.Store, Enqueuer: q, Schedule: schedule, Now: syncer.Now})
	client, err := river.NewClient(riversqlite.New(db), &river.Config{
		Logger: logger,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault:    {MaxWorkers: 2},
			mirror.QueueSync:      {MaxWorkers: 2},
			delivery.QueueDeliver: {MaxWorkers: 20},
		},
		Workers:           workers,
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 250 * time.Millisecond,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return retentionArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(schedule.Plan),
				func() (river.JobArgs, *river.InsertOpts) { return mirror.PlanArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.client = client
	return q, nil
}

// EnqueueSync inserts a sync job unless one is waiting or running for the
// integration, in which case it answers that one's sync ID.
func (q *Queue) EnqueueSync(ctx context.Context, args mirror.SyncArgs) (string, bool, error) {
	res, err := q.client.Insert(ctx, args, nil)
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
		sqlTx, ok := tx.(*sql.Tx)
		if !ok {
			return fmt.Errorf("job queue: a %T is not a SQLite transaction", tx)
		}
		_, err := q.client.InsertTx(ctx, sqlTx, delivery.DeliverArgs{ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID},
			&river.InsertOpts{ScheduledAt: runAt})
		return err
	}
}

// EnqueueDelivery queues a delivery job outside any transaction (a retry).
func (q *Queue) EnqueueDelivery(ctx context.Context, rl *resultlinks.ResultLink, runAt time.Time) error {
	_, err := q.client.Insert(ctx, delivery.DeliverArgs{ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID}, &river.InsertOpts{ScheduledAt: runAt})
	return err
}

// Start starts working jobs.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop stops fetching jobs and waits for running ones until ctx ends.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// Retention is how long call logs and idempotency keys are kept.
const Retention = 30 * 24 * time.Hour

// retentionArgs is the hourly job that drops call logs and frees
// idempotency keys older than Retention.
type retentionArgs struct{}

func (retentionArgs) Kind() string { return "retention" }

type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	store  resultlinks.Store
	logger *slog.Logger
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	n, err := w.store.DeleteInteractionsBefore(ctx, time.Now().Add(-Retention))
	if err == nil && n > 0 {
		w.logger.Info("retention", "deleted_interactions", n)
	}
	return err
}
