package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/resultlinks/resultlinks"
)

// apiRow is one row of the API overhead table.
type apiRow struct {
	target  string // "net/http baseline", "SQLite", "PostgreSQL"
	mode    string // "async" or "sync"
	res     *loadResult
	skipped string // why the row was not measured
	note    string
}

type apiReport struct {
	conns            int
	duration, warmup time.Duration
	apps             map[string]int // applications spread over, per store
	pgURL            string
	rows             []apiRow
}

func benchAPI(ctx context.Context, e *env) (*apiReport, error) {
	cfg := e.cfg
	rep := &apiReport{conns: cfg.conns, duration: cfg.duration, warmup: cfg.warmup, apps: map[string]int{}}

	// The baseline first, with no resultlinks process running.
	logf("api: baseline (bare net/http handler in its own process)")
	burl, stopBaseline, err := e.startBaseline(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 120)
	for i := range ids {
		ids[i] = resultlinks.NewID()
	}
	res, err := e.load(ctx, loadConfig{BaseURL: burl, Key: "rl_baseline", Integration: "sandbox:baseline", AppIDs: ids,
		Async: true, Conns: cfg.conns, Warmup: cfg.warmup, Duration: cfg.duration})
	stopBaseline()
	if err != nil {
		return nil, err
	}
	rep.rows = append(rep.rows, apiRow{target: "net/http baseline", mode: "—", res: res,
		note: "decodes the body, checks label and url, and answers the same envelope (QUEUED to `Prefer: respond-async`); no authentication lookup, store, queue, log or metrics"})

	// SQLite, the embedded default.
	rows, err := apiStore(ctx, e, rep, "SQLite", "sqlite://"+filepath.Join(e.tmp, "api.db"))
	if err != nil {
		return nil, err
	}
	rep.rows = append(rep.rows, rows...)

	// PostgreSQL, when one is given.
	if cfg.postgresURL == "" {
		why := "not measured: no PostgreSQL given (-postgres-url or RESULTLINKS_TEST_POSTGRES_URL)"
		rep.rows = append(rep.rows, apiRow{target: "PostgreSQL", mode: "async", skipped: why}, apiRow{target: "PostgreSQL", mode: "sync", skipped: why})
		return rep, nil
	}
	rep.pgURL = redactURL(cfg.postgresURL)
	dbURL, drop, err := pgSchema(ctx, cfg.postgresURL, "rlbench_")
	if err != nil {
		why := fmt.Sprintf("not measured: PostgreSQL at %s: %v", redactURL(cfg.postgresURL), err)
		logf("api: %s", why)
		rep.rows = append(rep.rows, apiRow{target: "PostgreSQL", mode: "async", skipped: why}, apiRow{target: "PostgreSQL", mode: "sync", skipped: why})
		return rep, nil
	}
	defer drop()
	rows, err = apiStore(ctx, e, rep, "PostgreSQL", dbURL)
	if err != nil {
		return nil, err
	}
	rep.rows = append(rep.rows, rows...)
	return rep, nil
}

// apiStore measures the asynchronous and the synchronous row on one store:
// a fresh database, a key and a sandbox integration made with the CLI, and
// the real server.
func apiStore(ctx context.Context, e *env, rep *apiReport, target, dbURL string) ([]apiRow, error) {
	cfg := e.cfg
	logf("api: %s: creating a key and a sandbox integration with the CLI", target)
	key, err := e.cli(ctx, dbURL, "keys", "create", "--name", "bench")
	if err != nil {
		return nil, err
	}
	integ, err := e.cli(ctx, dbURL, "integrations", "create", "--tool", "sandbox", "--name", "Bench sandbox", "--quiet")
	if err != nil {
		return nil, err
	}
	srv, err := e.serve(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	c := newClient(srv.url, key, integ)
	apps, err := c.applications(ctx, 0)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	rep.apps[target] = len(ids)
	lc := loadConfig{BaseURL: srv.url, Key: key, Integration: integ, AppIDs: ids, Conns: cfg.conns, Warmup: cfg.warmup, Duration: cfg.duration}
	delivered := func() float64 {
		v, _ := c.metric(ctx, "resultlinks_result_links_total", `state="DELIVERED"`)
		return v
	}

	// Asynchronous: the answer once the link and its job are stored; the
	// server's workers deliver meanwhile and afterwards.
	logf("api: %s async: %d connections, %s warm-up + %s", target, cfg.conns, cfg.warmup, cfg.duration)
	before := delivered()
	lc.Async = true
	async, err := e.load(ctx, lc)
	if err != nil {
		return nil, err
	}
	if err := srv.check(); err != nil {
		return nil, err
	}
	rowEnd := time.Now()
	duringRow := delivered() - before
	accepted := async.Warmup + async.Requests - async.Errors
	logf("api: %s async: %.0f req/s; waiting up to %s for the backlog to be delivered", target, async.RPS(), cfg.drainTimeout)
	drained := false
	for time.Since(rowEnd) < cfg.drainTimeout {
		if err := srv.check(); err != nil {
			return nil, err
		}
		p, err := c.pending(ctx)
		if err != nil {
			return nil, err
		}
		if !p {
			drained = true
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	drainTime := time.Since(rowEnd)
	total := delivered() - before
	bg := total / (cfg.warmup + cfg.duration + drainTime).Seconds()
	asyncNote := fmt.Sprintf("%d links accepted (warm-up included); %.0f delivered by the server's workers during the load", accepted, duringRow)
	if drained {
		asyncNote += fmt.Sprintf(", the rest within %.1f s after it (%.0f deliveries/s in the background overall)", drainTime.Seconds(), bg)
	} else {
		asyncNote += fmt.Sprintf("; %.0f in all after waiting %s, the rest still queued when the sync row started", total, cfg.drainTimeout)
	}

	// Synchronous: the answer once the sandbox holds the result.
	logf("api: %s sync: %d connections, %s warm-up + %s", target, cfg.conns, cfg.warmup, cfg.duration)
	lc.Async = false
	syncRes, err := e.load(ctx, lc)
	if err != nil {
		return nil, err
	}
	if err := srv.check(); err != nil {
		return nil, err
	}
	logf("api: %s sync: %.0f req/s", target, syncRes.RPS())
	return []apiRow{
		{target: target, mode: "async", res: async, note: asyncNote},
		{target: target, mode: "sync", res: syncRes, note: "each write also commits the ledger entry, the delivery and the mirror's custom fields (the sandbox writes into the mirror)"},
	}, nil
}
