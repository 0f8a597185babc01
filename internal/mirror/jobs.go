package mirror

import (
	"context"
	"errors"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Schedule is when integrations are synced.
type Schedule struct {
	// Delta is how often a delta sync runs (default 10 minutes).
	Delta time.Duration
	// Full is how often a full sync runs, the one that finds deletions
	// (default 24 hours).
	Full time.Duration
	// Plan is how often the planner looks for due integrations (default 1 minute).
	Plan time.Duration
}

// DefaultSchedule returns the default sync schedule.
func DefaultSchedule() Schedule {
	return Schedule{Delta: 10 * time.Minute, Full: 24 * time.Hour, Plan: time.Minute}
}

// QueueSync is the River queue of sync jobs.
const QueueSync = "sync"

// SyncArgs is the job of one sync of one integration. At most one sync of an
// integration waits or runs at a time.
type SyncArgs struct {
	// IntegrationID is the integration to sync.
	IntegrationID string `json:"integration_id" river:"unique"`
	// Full asks for a full sync.
	Full bool `json:"full"`
	// SyncID identifies this sync for callers (force-sync answers it).
	SyncID string `json:"sync_id"`
}

// Kind names the job.
func (SyncArgs) Kind() string { return "sync" }

// InsertOpts makes sync jobs unique per integration while waiting or
// running (a finished sync does not block the next one).
func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueSync,
		MaxAttempts: 8,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateScheduled, rivertype.JobStateRetryable,
		}},
	}
}

// SyncWorker runs SyncArgs jobs.
type SyncWorker struct {
	river.WorkerDefaults[SyncArgs]
	// Syncer runs the sync.
	Syncer *Syncer
	// Budget is how long one run of the job fetches pages before the sync
	// pauses and the job is snoozed to go on; zero means DefaultBudget.
	Budget time.Duration
}

// DefaultBudget is how long one run of a sync job fetches pages: a long
// sync is a chain of short runs, so that one that dies with its process
// is rescued soon (see RescueAfter) and goes on where it stopped.
const DefaultBudget = 5 * time.Minute

// RescueAfter is how long a job may run before the job queue takes it for
// dead and runs it again: longer than any job's Timeout.
const RescueAfter = 30 * time.Minute

func (w *SyncWorker) budget() time.Duration {
	if w.Budget > 0 {
		return w.Budget
	}
	return DefaultBudget
}

// Timeout bounds one run of the job: its budget, plus the last page,
// which may wait on the ATS's rate limit.
func (w *SyncWorker) Timeout(*river.Job[SyncArgs]) time.Duration { return w.budget() + 15*time.Minute }

// Work runs one sync, or its next part: a sync over the job's budget
// pauses, and the job is snoozed to go on where it stopped. A deleted
// integration or refused credentials end the job; other failures are
// retried with River's backoff.
func (w *SyncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	in, err := w.Syncer.Store.GetIntegration(ctx, job.Args.IntegrationID)
	if resultlinks.IsNotFound(err) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	_, err = w.Syncer.Run(ctx, in, RunOptions{Full: job.Args.Full, SyncID: job.Args.SyncID, Budget: w.budget()}, nil)
	if errors.Is(err, ErrPaused) {
		return river.JobSnooze(time.Second)
	}
	switch resultlinks.ErrorCode(err) {
	case "":
		return nil
	case resultlinks.CodeIntegrationAuthInvalid, resultlinks.CodeInputInvalid, resultlinks.CodePermissionMissing:
		return river.JobCancel(err)
	case resultlinks.CodeRemoteRateLimited:
		var e *resultlinks.Error
		if errors.As(err, &e) && e.RetryAfter > 0 {
			return river.JobSnooze(e.RetryAfter)
		}
	}
	return err
}

// PlanArgs is the periodic job that enqueues the syncs that are due.
type PlanArgs struct{}

// Kind names the job.
func (PlanArgs) Kind() string { return "sync_plan" }

// InsertOpts keeps one planner job at a time.
func (PlanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSync, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 30 * time.Second}}
}

// Enqueuer inserts sync jobs.
type Enqueuer interface {
	// EnqueueSync inserts a sync job and reports whether one was already
	// waiting or running (then nothing was inserted) and its sync ID.
	EnqueueSync(ctx context.Context, args SyncArgs) (syncID string, alreadyQueued bool, err error)
}

// PlanWorker runs PlanArgs jobs.
type PlanWorker struct {
	river.WorkerDefaults[PlanArgs]
	// Store lists the integrations.
	Store resultlinks.Store
	// Enqueuer inserts the due syncs.
	Enqueuer Enqueuer
	// Schedule says what is due.
	Schedule Schedule
	// Now is the clock.
	Now func() time.Time
}

// Due reports whether an integration needs a sync now, and whether a full one.
func (s Schedule) Due(in *resultlinks.Integration, now time.Time) (due, full bool) {
	switch {
	case in.Status == resultlinks.StatusInactive:
		return false, false
	case in.SetupStatus != resultlinks.SetupCompleted || in.LastSyncedAt == nil:
		return true, true
	case in.LastFullSyncedAt == nil || now.Sub(*in.LastFullSyncedAt) >= s.Full:
		return true, true
	case now.Sub(*in.LastSyncedAt) >= s.Delta:
		return true, false
	}
	return false, false
}

// Work enqueues a sync for every integration that is due.
func (w *PlanWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	envs, err := w.Store.ListEnvironments(ctx)
	if err != nil {
		return err
	}
	now := w.Now()
	for _, env := range envs {
		list, err := w.Store.ListIntegrations(ctx, env.ID)
		if err != nil {
			return err
		}
		for _, in := range list {
			if due, full := w.Schedule.Due(in, now); due {
				if _, _, err := w.Enqueuer.EnqueueSync(ctx, SyncArgs{IntegrationID: in.ID, Full: full, SyncID: resultlinks.NewID()}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
