package delivery

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// QueueDeliver is the River queue of delivery jobs.
const QueueDeliver = "deliver"

// MaxAge is how long a result link is retried before it is given up.
const MaxAge = 24 * time.Hour

// DeliverArgs is the job that delivers one result link.
type DeliverArgs struct {
	// ResultLinkID is the ledger row to deliver.
	ResultLinkID string `json:"result_link_id" river:"unique"`
	// IntegrationID is its integration, for the in-flight cap.
	IntegrationID string `json:"integration_id"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "deliver" }

// InsertOpts keeps one waiting job per result link.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueDeliver,
		MaxAttempts: 100, // the 24-hour age limit ends retries first
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateScheduled, rivertype.JobStateRetryable,
		}},
	}
}

// DeliverWorker runs DeliverArgs jobs.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	// Deliverer runs the attempts.
	Deliverer *Deliverer
	// Slots caps the writes in flight per integration.
	Slots WriteSlots
}

// Timeout bounds one job: one attempt within its lease.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return w.Deliverer.lease() }

// NextRetry backs off exponentially with jitter when a job fails outside
// an attempt (the database, say): 10 s, 20 s, 40 s, ... up to an hour.
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(Backoff(len(job.Errors) + 1))
}

// Backoff is the wait before the nth retry.
func Backoff(n int) time.Duration {
	d := 10 * time.Second << min(max(n-1, 0), 9)
	d = min(d, time.Hour)
	return d - d/10 + time.Duration(rand.Int64N(int64(d/5)+1))
}

// Work runs one attempt. A passing failure is retried (after the ATS's
// Retry-After when it gave one, else with exponential backoff and jitter
// by the link's attempts) until the link is MaxAge old; then, or on a
// permanent failure, the link stays FAILED.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return work(ctx, w.Deliverer, w.Slots, job.Args.ResultLinkID, job.Args.IntegrationID)
}

// work runs one attempt of a job.
func work(ctx context.Context, d *Deliverer, slots WriteSlots, resultLinkID, integrationID string) error {
	// Should this worker die before its attempt (a killed replica), the
	// link is rescued once this lease has passed.
	now := d.Now()
	if err := d.Store.PickResultLink(ctx, resultLinkID, now.Add(d.lease()), now.Add(d.lease()/2)); err != nil {
		return err
	}
	release, _, ok, err := slots.Acquire(ctx, integrationID)
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(time.Second)
	}
	defer release()
	inflight := metrics.InflightWrites.WithLabelValues(integrationID)
	inflight.Inc()
	defer inflight.Dec()
	res := d.Attempt(ctx, resultLinkID)
	switch res.Outcome {
	case Delivered, Failed:
		return nil
	case Busy:
		return river.JobSnooze(max(time.Until(res.BusyUntil), 0) + time.Second)
	}
	if res.Link != nil && d.Now().Sub(res.Link.CreatedAt) >= MaxAge {
		msg := resultlinks.ErrorMessage(res.Err) + " (gave up after 24 hours of retries)"
		if _, err := d.Store.FailQueuedResultLink(ctx, res.Link.ID, resultlinks.ErrorCode(res.Err), msg, d.Now()); err != nil {
			return err
		}
		return river.JobCancel(res.Err)
	}
	// The ledger counts the attempts and keeps the next one's time (so a
	// rescue finds the link if this job dies): wait until then.
	return river.JobSnooze(max(time.Until(res.NextAttempt), time.Second))
}

// RescueArgs is the job that takes over a result link whose delivery
// stalled (its attempt's process died holding the lease, or its job died
// before the first attempt).
type RescueArgs struct {
	// ResultLinkID is the ledger row to deliver.
	ResultLinkID string `json:"result_link_id"`
	// IntegrationID is its integration, for the in-flight cap.
	IntegrationID string `json:"integration_id"`
}

// Kind names the job.
func (RescueArgs) Kind() string { return "deliver_rescue" }

// InsertOpts keeps at most one rescue per link a minute.
func (RescueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliver, MaxAttempts: 100, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}}
}

// RescueWorker runs RescueArgs jobs like DeliverWorker.
type RescueWorker struct {
	river.WorkerDefaults[RescueArgs]
	// Deliverer runs the attempts.
	Deliverer *Deliverer
	// Slots caps the writes in flight per integration.
	Slots WriteSlots
}

// Timeout bounds one job: one attempt within its lease.
func (w *RescueWorker) Timeout(*river.Job[RescueArgs]) time.Duration { return w.Deliverer.lease() }

// NextRetry backs off like DeliverWorker.
func (w *RescueWorker) NextRetry(job *river.Job[RescueArgs]) time.Time {
	return time.Now().Add(Backoff(len(job.Errors) + 1))
}

// Work runs one attempt.
func (w *RescueWorker) Work(ctx context.Context, job *river.Job[RescueArgs]) error {
	return work(ctx, w.Deliverer, w.Slots, job.Args.ResultLinkID, job.Args.IntegrationID)
}

// ReaperArgs is the periodic job that finds stalled deliveries.
type ReaperArgs struct{}

// Kind names the job.
func (ReaperArgs) Kind() string { return "deliver_reaper" }

// InsertOpts keeps one reaper at a time.
func (ReaperArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliver, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 10 * time.Second}}
}

// Inserter inserts jobs.
type Inserter interface {
	// InsertJob inserts a job.
	InsertJob(ctx context.Context, args river.JobArgs) error
}

// ReaperWorker queues a rescue for every stalled delivery.
type ReaperWorker struct {
	river.WorkerDefaults[ReaperArgs]
	// Deliverer reads the ledger.
	Deliverer *Deliverer
	// Jobs inserts the rescues.
	Jobs Inserter
	// Grace is how long past its lease (or creation, for a never-tried
	// link) a delivery counts as stalled.
	Grace time.Duration
}

// Work lists stalled deliveries and queues their rescue.
func (w *ReaperWorker) Work(ctx context.Context, _ *river.Job[ReaperArgs]) error {
	grace := w.Grace
	if grace <= 0 {
		grace = w.Deliverer.lease()
	}
	stale, err := w.Deliverer.Store.ListStaleResultLinks(ctx, w.Deliverer.Now().Add(-grace), 500)
	if err != nil {
		return err
	}
	for _, rl := range stale {
		if err := w.Jobs.InsertJob(ctx, RescueArgs{ResultLinkID: rl.ID, IntegrationID: rl.IntegrationID}); err != nil {
			return err
		}
	}
	if len(stale) > 0 {
		w.Deliverer.Logger.Info("rescuing stalled deliveries", "count", len(stale))
	}
	return nil
}
