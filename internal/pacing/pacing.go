// Package pacing keeps the budgets that replicas sharing one database must
// share: the pace of calls to each ATS and the writes in flight per
// integration, held in the database through resultlinks.Coordinator.
package pacing

import (
	"context"
	"log/slog"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Pacers hands out database-backed pacers.
type Pacers struct {
	// Coordinator keeps the budgets.
	Coordinator resultlinks.Coordinator
	// Logger logs database failures, which fall back to local pacing.
	Logger *slog.Logger
	// Local paces when the database cannot be asked.
	Local *outbound.Limiters
}

// For returns the integration's pacer.
func (p *Pacers) For(integrationID string, requests int, per time.Duration) outbound.Pacer {
	burst, interval, ok := outbound.Budget(requests, per)
	return &pacer{p: p, key: integrationID, burst: burst, interval: interval, limited: ok,
		local: p.Local.For(integrationID, requests, per)}
}

type pacer struct {
	p        *Pacers
	key      string
	burst    int
	interval time.Duration
	limited  bool
	local    outbound.Pacer
}

// Wait reserves the next call in the database and sleeps until it may start.
func (c *pacer) Wait(ctx context.Context) error {
	if !c.limited {
		return ctx.Err()
	}
	start, err := c.p.Coordinator.ReserveCall(ctx, c.key, c.interval, c.burst, time.Now())
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.p.Logger.Warn("pacing in the database failed; pacing this process alone", "key", c.key, "error", err)
		return c.local.Wait(ctx)
	}
	d := time.Until(start)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Block holds every replica's calls until t.
func (c *pacer) Block(t time.Time) {
	c.local.Block(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.p.Coordinator.BlockCalls(ctx, c.key, t); err != nil {
		c.p.Logger.Warn("recording a 429's block in the database", "key", c.key, "error", err)
	}
}
