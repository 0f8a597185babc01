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
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/metrics"
	"github.com/resultlinks/resultlinks/internal/outbound"
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
}

// Stats counts what a sync saw.
type Stats struct {
	// Pages is the number of pages fetched.
	Pages int
	// Records is the number of records seen.
	Records int
	// Vanished is the number of records a full sync marked deleted.
	Vanished int
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
// becomes INVALID.
func (s *Syncer) Run(ctx context.Context, in *resultlinks.Integration, full bool, progress Progress) (Stats, error) {
	stats := Stats{Started: s.Now()}
	conn, _, err := s.Registry.Open(in, connector.Deps{State: s.Store, Logger: s.Logger, Now: s.Now, Limiters: s.Limiters, DenyPrivate: s.DenyPrivate})
	if err != nil {
		return stats, s.failed(ctx, in, err)
	}
	var since *time.Time
	if !full && in.LastSyncedAt != nil {
		since = in.LastSyncedAt
	}
	full = since == nil
	for _, m := range connector.SyncModels {
		cursor := ""
		for {
			page, err := conn.ListPage(ctx, connector.PageRequest{Model: m, Cursor: cursor, UpdatedSince: since})
			if err != nil {
				metrics.SyncRuns.WithLabelValues(in.Tool, kind(full), "failed").Inc()
				return stats, s.failed(ctx, in, err)
			}
			if _, err := s.Store.UpsertBatch(ctx, in.ID, &page.Batch, s.Now()); err != nil {
				metrics.SyncRuns.WithLabelValues(in.Tool, kind(full), "failed").Inc()
				return stats, s.failed(ctx, in, fmt.Errorf("mirror: %s: %w", in.ID, err))
			}
			stats.Pages++
			stats.Records += page.Batch.Len()
			if progress != nil {
				progress(m, stats)
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
			return stats, s.failed(ctx, in, err)
		}
		stats.Vanished = vanished.Total()
		in.LastFullSyncedAt = &stats.Started
	}
	in.SetupStatus = resultlinks.SetupCompleted
	in.LastSyncedAt = &stats.Started
	in.SyncError = ""
	if in.Status == resultlinks.StatusInvalid {
		in.Status = resultlinks.StatusActive
	}
	in.UpdatedAt = s.Now()
	if err := s.Store.UpdateIntegration(ctx, in); err != nil {
		return stats, err
	}
	stats.Duration = s.Now().Sub(stats.Started)
	metrics.SyncRuns.WithLabelValues(in.Tool, kind(full), "succeeded").Inc()
	metrics.SyncRecords.WithLabelValues(in.Tool).Add(float64(stats.Records))
	s.Logger.Info("sync finished", "integration", in.ID, "tool", in.Tool, "full", full, "pages", stats.Pages,
		"records", stats.Records, "vanished", stats.Vanished, "duration", stats.Duration)
	return stats, nil
}

func kind(full bool) string {
	if full {
		return "full"
	}
	return "delta"
}

func (s *Syncer) failed(ctx context.Context, in *resultlinks.Integration, err error) error {
	s.Logger.Warn("sync failed", "integration", in.ID, "tool", in.Tool, "error", err)
	in.SyncError = resultlinks.ErrorMessage(err)
	if resultlinks.ErrorCode(err) == resultlinks.CodeIntegrationAuthInvalid {
		in.Status = resultlinks.StatusInvalid
	}
	in.UpdatedAt = s.Now()
	if uerr := s.Store.UpdateIntegration(context.WithoutCancel(ctx), in); uerr != nil {
		return errors.Join(err, uerr)
	}
	return err
}
