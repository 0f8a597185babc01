package webhook

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/resultlinks/resultlinks"
)

// QueueWebhooks is the River queue that sends events.
const QueueWebhooks = "webhooks"

// Inserter inserts River jobs.
type Inserter interface {
	InsertJob(ctx context.Context, args river.JobArgs) error
}

// FanOutArgs is the job, committed with its event, that queues one send
// job per endpoint that takes the event.
type FanOutArgs struct {
	EventID string `json:"event_id"`
}

// Kind names the job.
func (FanOutArgs) Kind() string { return "webhook_fanout" }

// InsertOpts puts the job on the webhook queue.
func (FanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: 25}
}

// FanOutWorker works FanOutArgs.
type FanOutWorker struct {
	river.WorkerDefaults[FanOutArgs]
	// Store holds events and endpoints.
	Store resultlinks.Store
	// Jobs inserts the send jobs.
	Jobs Inserter
}

// Work queues a send to each endpoint the event still waits for. A send
// job is unique by its arguments while it waits, and a send settles once,
// so a fan-out that is retried sends nothing twice.
func (w *FanOutWorker) Work(ctx context.Context, job *river.Job[FanOutArgs]) error {
	hooks, err := w.Store.PendingWebhookSends(ctx, job.Args.EventID)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if err := w.Jobs.InsertJob(ctx, SendArgs{EventID: job.Args.EventID, WebhookID: h}); err != nil {
			return err
		}
	}
	return nil
}

// SendArgs is the job that sends one event to one endpoint.
type SendArgs struct {
	EventID   string `json:"event_id"`
	WebhookID string `json:"webhook_id"`
	// ResendID sets a resend apart from the first send and other resends,
	// which may still be running.
	ResendID string `json:"resend_id,omitempty"`
	// After is the event whose settling queued this send (it was waiting
	// behind it); it sets the job apart from the fan-out's, which may
	// still be finishing.
	After string `json:"after,omitempty"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "webhook_send" }

// InsertOpts makes the job unique while it waits or runs; a finished one
// may be sent again (a resend). Whichever jobs of one send run, its claim
// lets only one of them send at a time, and a settled send is not sent
// again.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueWebhooks,
		MaxAttempts: 100, // the RetryWindow ends the retries long before
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled,
		}},
	}
}

// SendWorker works SendArgs.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	// Sender sends.
	Sender *Sender
	// Backoff is the wait before attempt n+1 after n failed; nil means
	// Backoff.
	Backoff func(n int) time.Duration
}

// Backoff waits 5 s after the first failure, doubling to at most an hour,
// with 10 % jitter: about 30 attempts in the RetryWindow.
func Backoff(n int) time.Duration {
	d := 5 * time.Second << min(max(n-1, 0), 10)
	d = min(d, time.Hour)
	return d - d/10 + time.Duration(rand.Int64N(int64(d/5)+1))
}

// Timeout bounds a job: the send's timeout and the bookkeeping around it.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration {
	return w.Sender.timeout() + 20*time.Second
}

// NextRetry schedules the next attempt.
func (w *SendWorker) NextRetry(job *river.Job[SendArgs]) time.Time {
	b := w.Backoff
	if b == nil {
		b = Backoff
	}
	return time.Now().Add(b(job.Attempt))
}

// Work sends the event once.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	outcome, until, err := w.Sender.Send(ctx, job.Args.EventID, job.Args.WebhookID, job.Attempt, job.Args.ResendID != "")
	switch outcome {
	case Sent, Skipped:
		return nil
	case Busy:
		return river.JobSnooze(max(time.Until(until), time.Second))
	case Dropped:
		if err == nil {
			err = errors.New("dropped")
		}
		return river.JobCancel(err)
	}
	return err
}

// RescueArgs is the periodic job that sends again what a dead worker
// was sending: a pending send whose claim ran out.
type RescueArgs struct{}

// Kind names the job.
func (RescueArgs) Kind() string { return "webhook_rescue" }

// InsertOpts keeps one rescue job at a time.
func (RescueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 15 * time.Second}}
}

// RescueWorker works RescueArgs.
type RescueWorker struct {
	river.WorkerDefaults[RescueArgs]
	// Store finds the abandoned sends.
	Store resultlinks.Store
	// Jobs inserts their send jobs.
	Jobs Inserter
	// Now is the clock.
	Now func() time.Time
}

// Work queues a send job for each abandoned send. A claim lasts longer
// than its job may run, so a claim that ran out was held by a worker that
// died; its own job waits for the job queue's much later rescue, and then
// finds the send settled.
func (w *RescueWorker) Work(ctx context.Context, _ *river.Job[RescueArgs]) error {
	list, err := w.Store.AbandonedWebhookSends(ctx, w.Now(), 500)
	if err != nil {
		return err
	}
	for _, a := range list {
		// The claim's end sets this job apart from one queued for an
		// earlier death of the same send, and repeats none while it waits.
		args := SendArgs{EventID: a.EventID, WebhookID: a.WebhookID, After: "rescue " + a.ClaimedUntil.UTC().Format(time.RFC3339Nano)}
		if err := w.Jobs.InsertJob(ctx, args); err != nil {
			return err
		}
	}
	return nil
}
