// Package mirror keeps the store's copy of each integration's ATS data: it
// walks a connector's pages model by model and writes each page to the store
// as it arrives, so memory stays flat whatever the ATS's size. A full sync
// reads everything and then marks what it did not see as deleted in the
// ATS; a delta sync asks only for what changed since the last sync began.
// The jobs in jobs.go run syncs on a schedule.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// Syncer runs syncs.
type Syncer struct {
	// Store is where the mirror lives.
	Store resultlinks.Store
	// Registry builds connectors.
	Registry *connector.Registry
	// Logger logs each sync.
	Logger *slog.Logger
	// Now is the clock.
	Now func() time.Time
	// Limiters hold each integration's request budget, shared with the
	// other jobs of the process.
	Limiters outbound.Pacers
	// DenyPrivate refuses calls to private and loopback addresses.
	DenyPrivate bool
	// Events builds the webhook events a sync's end emits; nil emits none.
	Events EventSource
	// PublicURL is the server's base URL, for the log_url of sync-finished.
	PublicURL string
}

// EventSource builds the webhook events of a change, for the store to
// commit with it (webhook.Events is one).
type EventSource interface {
	// For returns the event of type typ about the integration, with data,
	// for the environment's endpoints; nil when events are not sent.
	For(environmentID, integrationID, typ string, data any) *resultlinks.Emit
}

// RunOptions say which sync to run.
type RunOptions struct {
	// Full asks for a full sync; a first sync is always full.
	Full bool
	// SyncID identifies the sync's record; empty makes a new one. A
	// retried sync job passes its ID again and updates the same record; a
	// sync that paused or whose process died goes on where it stopped.
	SyncID string
	// Budget bounds how long this run fetches pages; zero means no bound.
	// A run over its budget stops after a page and answers ErrPaused.
	Budget time.Duration
}

// ErrPaused is answered by Run when a sync used up its budget: its record
// holds where it stopped, and a later Run with the same sync ID goes on
// from there.
var ErrPaused = errors.New("mirror: the sync paused; a later run goes on with it")

// resumable returns the record of the sync with the ID when it is running
// and knows where to go on from, else nil.
func (s *Syncer) resumable(ctx context.Context, in *resultlinks.Integration, syncID string) *resultlinks.Sync {
	if syncID == "" {
		return nil
	}
	prev, err := s.Store.FindSync(ctx, in.EnvironmentID, syncID)
	if err != nil || prev.State != resultlinks.SyncRunning || prev.Resume == nil {
		return nil
	}
	if prev.Changes == nil {
		prev.Changes = resultlinks.Changes{}
	}
	return prev
}

// Stats counts what a sync saw.
type Stats struct {
	// SyncID identifies the sync's record.
	SyncID string
	// Pages is the number of pages fetched.
	Pages int
	// Records is the number of records seen.
	Records int
	// Vanished is the number of records a full sync marked deleted.
	Vanished int
	// Changes counts the records the sync changed, per model.
	Changes resultlinks.Changes
	// Started and Duration time the sync.
	Started  time.Time
	Duration time.Duration
}

// Progress is called after each page with the counts so far.
type Progress func(model resultlinks.Model, s Stats)

// Run syncs one integration. A full sync reads everything; otherwise only
// records changed since the last successful sync are asked for (a first
// sync is always full). On success the integration's setup is complete and
// its sync times are set; when the ATS rejects the credentials its status
// becomes INVALID. The sync's record is saved as it starts, after each
// page, and as it ends, when it is saved with the integration and the
// events the end emits: sync-finished, data-changed when records changed,
// and integration-state-changed when the integration's status or setup
// status changed.
func (s *Syncer) Run(ctx context.Context, in *resultlinks.Integration, opts RunOptions, progress Progress) (Stats, error) {
	began := s.Now()
	stats := Stats{SyncID: opts.SyncID, Started: began, Changes: resultlinks.Changes{}}
	if stats.SyncID == "" {
		stats.SyncID = resultlinks.NewID()
	}
	var since *time.Time
	if !opts.Full && in.LastSyncedAt != nil {
		since = in.LastSyncedAt
	}
	full := since == nil
	rec := &resultlinks.Sync{ID: stats.SyncID, IntegrationID: in.ID, EnvironmentID: in.EnvironmentID, Full: full,
		State: resultlinks.SyncRunning, StartedAt: stats.Started, Changes: stats.Changes}
	if prev := s.resumable(ctx, in, opts.SyncID); prev != nil {
		// The sync went on in an earlier run: go on where it stopped.
		rec, full = prev, prev.Full
		if full {
			since = nil
		}
		stats.Started, stats.Pages, stats.Records, stats.Changes = rec.StartedAt, rec.Pages, rec.Records, rec.Changes
	}
	from := rec.Resume
	if from == nil {
		from = &resultlinks.SyncResume{Model: connector.SyncModels[0]}
		rec.Resume = from
	}
	run := &run{Syncer: s, in: in, before: *in, rec: rec}
	if err := s.Store.SaveSync(ctx, run.rec); err != nil {
		return stats, err
	}
	conn, _, err := s.Registry.Open(in, connector.Deps{State: s.Store, Logger: s.Logger, Now: s.Now, Limiters: s.Limiters, DenyPrivate: s.DenyPrivate})
	if err != nil {
		return stats, run.failed(ctx, &stats, err)
	}
	models := connector.SyncModels
	first := max(slices.Index(models, from.Model), 0)
	for i := first; i < len(models); i++ {
		m, cursor := models[i], ""
		if i == first {
			cursor = from.Cursor
		}
		for {
			page, err := conn.ListPage(ctx, connector.PageRequest{Model: m, Cursor: cursor, UpdatedSince: since})
			if err != nil {
				return stats, run.failed(ctx, &stats, err)
			}
			changes, err := s.Store.UpsertBatch(ctx, in.ID, &page.Batch, s.Now())
			if err != nil {
				return stats, run.failed(ctx, &stats, fmt.Errorf("mirror: %s: %w", in.ID, err))
			}
			stats.Changes.Merge(changes)
			stats.Pages++
			stats.Records += page.Batch.Len()
			// Where a later run goes on from, saved with the counts.
			switch {
			case page.Next != "":
				rec.Resume = &resultlinks.SyncResume{Model: m, Cursor: page.Next}
			case i+1 < len(models):
				rec.Resume = &resultlinks.SyncResume{Model: models[i+1]}
			default:
				rec.Resume = nil
			}
			run.progress(ctx, stats)
			if progress != nil {
				progress(m, stats)
			}
			if rec.Resume != nil && opts.Budget > 0 && s.Now().Sub(began) >= opts.Budget {
				s.Logger.Info("sync paused", "integration", in.ID, "sync", stats.SyncID, "pages", stats.Pages, "records", stats.Records)
				return stats, ErrPaused
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
	}
	if full {
		// Whatever this full sync did not see is gone from the ATS.
		vanished, err := s.Store.MarkVanished(ctx, in.ID, stats.Started, s.Now())
		if err != nil {
			return stats, run.failed(ctx, &stats, err)
		}
		stats.Changes.Merge(vanished)
		stats.Vanished = vanished.Total()
		in.LastFullSyncedAt = &stats.Started
	}
	in.SetupStatus = resultlinks.SetupCompleted
	in.LastSyncedAt = &stats.Started
	in.SyncError = ""
	if in.Status == resultlinks.StatusInvalid {
		in.Status = resultlinks.StatusActive
	}
	if err := run.finish(ctx, &stats, resultlinks.SyncSucceeded, nil); err != nil {
		return stats, err
	}
	metrics.SyncRuns.WithLabelValues(in.Tool, kind(full), "succeeded").Inc()
	metrics.SyncRecords.WithLabelValues(in.Tool).Add(float64(stats.Records))
	s.Logger.Info("sync finished", "integration", in.ID, "tool", in.Tool, "sync", stats.SyncID, "full", full, "pages", stats.Pages,
		"records", stats.Records, "changed", stats.Changes.Total(), "vanished", stats.Vanished, "duration", stats.Duration)
	return stats, nil
}

func kind(full bool) string {
	if full {
		return "full"
	}
	return "delta"
}

// run is one sync under way: the integration as it was when it began, and
// the sync's record.
type run struct {
	*Syncer
	in     *resultlinks.Integration
	before resultlinks.Integration
	rec    *resultlinks.Sync
}

// progress saves the counts so far to the sync's record. A failure to save
// them does not stop the sync.
func (r *run) progress(ctx context.Context, stats Stats) {
	r.rec.Pages, r.rec.Records = stats.Pages, stats.Records
	if err := r.Store.SaveSync(ctx, r.rec); err != nil {
		r.Logger.Warn("saving sync progress", "integration", r.in.ID, "sync", r.rec.ID, "error", err)
	}
}

// failed ends the sync in the state err calls for and records err on the
// integration; refused credentials make the integration INVALID.
func (r *run) failed(ctx context.Context, stats *Stats, err error) error {
	r.Logger.Warn("sync failed", "integration", r.in.ID, "tool", r.in.Tool, "sync", r.rec.ID, "error", err)
	metrics.SyncRuns.WithLabelValues(r.in.Tool, kind(r.rec.Full), "failed").Inc()
	r.in.SyncError = resultlinks.ErrorMessage(err)
	state := failedState(ctx, err)
	if state == resultlinks.SyncAuthenticationFailed {
		r.in.Status = resultlinks.StatusInvalid
	}
	if ferr := r.finish(ctx, stats, state, err); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// failedState is the state a sync that failed with err ends in.
func failedState(ctx context.Context, err error) resultlinks.SyncState {
	switch {
	case resultlinks.ErrorCode(err) == resultlinks.CodeIntegrationAuthInvalid:
		return resultlinks.SyncAuthenticationFailed
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return resultlinks.SyncTimedOut
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return resultlinks.SyncCancelled
	}
	return resultlinks.SyncFailed
}

// finish ends the sync's record in state, with err's code and message, and
// saves it with the integration and the events its end emits. It saves
// even when ctx is done.
func (r *run) finish(ctx context.Context, stats *Stats, state resultlinks.SyncState, err error) error {
	ctx = context.WithoutCancel(ctx)
	now := r.Now()
	stats.Duration = now.Sub(stats.Started)
	r.in.UpdatedAt = now
	r.rec.State, r.rec.EndedAt, r.rec.Resume = state, &now, nil
	r.rec.Pages, r.rec.Records, r.rec.Vanished, r.rec.Changes = stats.Pages, stats.Records, stats.Vanished, stats.Changes
	if err != nil {
		r.rec.ErrorCode, r.rec.ErrorMessage = resultlinks.ErrorCode(err), resultlinks.ErrorMessage(err)
	}
	return r.Store.FinishSync(ctx, r.rec, r.in, r.emits()...)
}

// emits returns the events of the sync's end: data-changed when records
// changed, integration-state-changed when the integration's status or
// setup status changed, and always sync-finished.
func (r *run) emits() []*resultlinks.Emit {
	if r.Events == nil {
		return nil
	}
	env := r.in.EnvironmentID
	var out []*resultlinks.Emit
	if r.rec.Changes.Total() > 0 {
		out = append(out, r.Events.For(env, r.in.ID, resultlinks.EventDataChanged, webhook.DataChangedData(r.in, r.rec.Changes)))
	}
	if r.in.Status != r.before.Status || r.in.SetupStatus != r.before.SetupStatus {
		out = append(out, r.Events.For(env, r.in.ID, resultlinks.EventIntegrationStateChanged, webhook.IntegrationStateData(r.in)))
	}
	logURL := strings.TrimSuffix(r.PublicURL, "/") + "/syncs/" + r.rec.ID
	return append(out, r.Events.For(env, r.in.ID, resultlinks.EventSyncFinished, webhook.SyncFinishedData(r.rec, r.in, logURL)))
}
