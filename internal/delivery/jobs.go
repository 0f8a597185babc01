package delivery

import (
	"context"
	"errors"
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

// NextRetry backs off exponentially with jitter: 10 s, 20 s, 40 s, ... up
// to an hour between attempts.
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
// Retry-After when it gave one) until the link is MaxAge old; then, or on a
// permanent failure, the link stays FAILED.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	release, _, ok, err := w.Slots.Acquire(ctx, job.Args.IntegrationID)
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(time.Second)
	}
	defer release()
	inflight := metrics.InflightWrites.WithLabelValues(job.Args.IntegrationID)
	inflight.Inc()
	defer inflight.Dec()
	res := w.Deliverer.Attempt(ctx, job.Args.ResultLinkID)
	switch res.Outcome {
	case Delivered, Failed:
		return nil
	case Busy:
		return river.JobSnooze(max(time.Until(res.BusyUntil), 0) + time.Second)
	}
	if res.Link != nil && w.Deliverer.Now().Sub(res.Link.CreatedAt) >= MaxAge {
		msg := resultlinks.ErrorMessage(res.Err) + " (gave up after 24 hours of retries)"
		if _, err := w.Deliverer.Store.FailQueuedResultLink(ctx, res.Link.ID, resultlinks.ErrorCode(res.Err), msg, w.Deliverer.Now()); err != nil {
			return err
		}
		return river.JobCancel(res.Err)
	}
	if res.RetryAfter > 0 {
		// A rate limit is not a failure: wait as asked, spending no attempt.
		return river.JobSnooze(res.RetryAfter)
	}
	if res.Err == nil {
		return errors.New("delivery: retry without an error")
	}
	return res.Err
}
