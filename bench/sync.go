package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector/all"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/server"
)

// unlimited is an outbound.Pacers that never waits, so that a sync runs as
// fast as resultlinks and the fake allow instead of at Greenhouse's
// documented 75 requests per 30 s.
type unlimited struct{}

func (unlimited) For(string, int, time.Duration) outbound.Pacer { return unlimitedPacer{} }

type unlimitedPacer struct{}

func (unlimitedPacer) Wait(ctx context.Context) error { return ctx.Err() }
func (unlimitedPacer) Block(time.Time)                {}

// syncChildConfig is what the parent hands the __sync child on stdin.
type syncChildConfig struct {
	DBURL       string          `json:"db_url"`
	Credentials json.RawMessage `json:"credentials"`
	Again       bool            `json:"again"`
}

// syncRun is one timed sync.
type syncRun struct {
	Records int            `json:"records"`
	Pages   int            `json:"pages"`
	Seconds float64        `json:"seconds"`
	ByModel map[string]int `json:"by_model"`
	// HWMKB is the process's VmHWM (peak resident memory) after the sync.
	HWMKB int64 `json:"hwm_kb"`
}

// syncChildResult is what the __sync child prints.
type syncChildResult struct {
	IntegrationID string   `json:"integration_id"`
	StartHWMKB    int64    `json:"start_hwm_kb"`
	First         syncRun  `json:"first"`
	Again         *syncRun `json:"again,omitempty"`
}

// runSyncChild is the hidden __sync subcommand: it opens the store, creates
// an environment and a Greenhouse integration, and runs mirror.Syncer (the
// code behind `resultlinks sync`) with unlimited pacing, printing what it
// measured as JSON.
func runSyncChild(args []string) int {
	var cfg syncChildConfig
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintf(os.Stderr, "bench __sync: %v\n", err)
		return 2
	}
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "bench __sync: %v\n", err)
		return 1
	}
	store, err := server.OpenStore(ctx, cfg.DBURL)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	now := time.Now().UTC()
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "default", CreatedAt: now}
	if _, err := store.CreateFirstEnvironment(ctx, env); err != nil {
		return fail(err)
	}
	in := &resultlinks.Integration{
		ID: resultlinks.NewIntegrationID("greenhouse"), EnvironmentID: env.ID, Tool: "greenhouse", Name: "Bench Greenhouse",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending, Credentials: cfg.Credentials,
		EndUser: resultlinks.EndUser{OrganizationName: "Bench"}, CreatedAt: now, UpdatedAt: now,
	}
	if err := store.CreateIntegration(ctx, in); err != nil {
		return fail(err)
	}
	syncer := &mirror.Syncer{Store: store, Registry: all.Registry(), Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return time.Now().UTC() }, Limiters: unlimited{}}
	res := syncChildResult{IntegrationID: in.ID, StartHWMKB: procStatus("self", "VmHWM")}
	once := func(label string) (syncRun, error) {
		run := syncRun{ByModel: map[string]int{}}
		last := map[resultlinks.Model]int{}
		var prev int
		lastLog := time.Now()
		start := time.Now()
		stats, err := syncer.Run(ctx, in, mirror.RunOptions{Full: true}, func(m resultlinks.Model, s mirror.Stats) {
			last[m] += s.Records - prev
			prev = s.Records
			if time.Since(lastLog) > 10*time.Second {
				fmt.Fprintf(os.Stderr, "%s bench __sync: %s: %d records, %d pages, %.0f records/s\n", time.Now().Format("15:04:05"),
					label, s.Records, s.Pages, float64(s.Records)/time.Since(start).Seconds())
				lastLog = time.Now()
			}
		})
		if err != nil {
			return run, err
		}
		run.Seconds = time.Since(start).Seconds()
		run.Records, run.Pages = stats.Records, stats.Pages
		for m, k := range last {
			run.ByModel[string(m)] = k
		}
		run.HWMKB = procStatus("self", "VmHWM")
		return run, nil
	}
	if res.First, err = once("first full sync"); err != nil {
		return fail(err)
	}
	if cfg.Again {
		again, err := once("second full sync")
		if err != nil {
			return fail(err)
		}
		res.Again = &again
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return 1
	}
	return 0
}

type syncReport struct {
	candidates int
	seedTime   time.Duration
	raw        rawFetch
	child      syncChildResult
	dbPath     string
	dbBytes    int64
	pacedBound time.Duration
	hwmHeadKB  int64
}

type rawFetch struct {
	records int
	pages   int
	seconds float64
	byModel map[string]int
}

func benchSync(ctx context.Context, e *env) (*syncReport, error) {
	cfg := e.cfg
	rep := &syncReport{candidates: cfg.syncCands, dbPath: filepath.Join(e.tmp, fmt.Sprintf("sync-%d.db", cfg.syncCands))}
	os.Remove(rep.dbPath)
	logf("sync: seeding the Greenhouse fake with %d candidates (in this process, rate limit off)", cfg.syncCands)
	start := time.Now()
	fake := greenhouse.New(greenhouse.Options{Candidates: cfg.syncCands, Seed: 1, HarvestRateLimit: greenhouse.RateLimit{Limit: -1}})
	rep.seedTime = time.Since(start)
	hs := httptest.NewServer(fake)
	defer hs.Close()
	creds, _ := json.Marshal(fake.Credentials(hs.URL))

	logf("sync: baseline: fetching the same pages straight from the fake")
	raw, err := fetchRaw(ctx, hs.URL, fake)
	if err != nil {
		return nil, err
	}
	rep.raw = raw
	logf("sync: baseline: %d records in %d pages in %.1f s", raw.records, raw.pages, raw.seconds)

	logf("sync: full sync in a child process (mirror.Syncer, unlimited pacing, SQLite)")
	in, _ := json.Marshal(syncChildConfig{DBURL: "sqlite://" + rep.dbPath, Credentials: creds, Again: cfg.resync})
	cmd := exec.CommandContext(ctx, e.self, "__sync")
	cmd.Stdin = bytes.NewReader(in)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("sync child: %v", err)
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep.child); err != nil {
		return nil, fmt.Errorf("sync child: %v: %s", err, stdout.String())
	}
	logf("sync: %d records in %d pages in %.1f s; peak RSS %d MiB", rep.child.First.Records, rep.child.First.Pages,
		rep.child.First.Seconds, rep.child.First.HWMKB/1024)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(rep.dbPath + suffix); err == nil {
			rep.dbBytes += fi.Size()
		}
	}
	// What Greenhouse's documented limit would make of the same pages: the
	// connector's pacer lets a tenth of the limit through at once, then
	// spaces the calls evenly.
	burst, interval, _ := outbound.Budget(75, 30*time.Second)
	rep.pacedBound = time.Duration(max(0, rep.child.First.Pages+1-burst)) * interval
	return rep, nil
}

var nextRE = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="?next"?`)

// fetchRaw reads every page the sync reads (jobs, stages, candidates,
// applications, 500 a page) with a plain HTTP client, decoding each page
// only into raw records to count them.
func fetchRaw(ctx context.Context, base string, fake *greenhouse.Fake) (rawFetch, error) {
	out := rawFetch{byModel: map[string]int{}}
	c := fake.Credentials(base)
	client := &http.Client{Timeout: time.Minute}
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/token", bytes.NewReader([]byte(form.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+c.ClientSecret)))
	res, err := client.Do(req)
	if err != nil {
		return out, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || tok.AccessToken == "" {
		return out, fmt.Errorf("fake token: %v (status %d)", err, res.StatusCode)
	}
	start := time.Now()
	for _, path := range []string{"/v3/jobs", "/v3/job_interview_stages", "/v3/candidates", "/v3/applications"} {
		next := base + path + "?per_page=500"
		for next != "" {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			res, err := client.Do(req)
			if err != nil {
				return out, err
			}
			b, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				return out, err
			}
			if res.StatusCode != http.StatusOK {
				return out, fmt.Errorf("GET %s: %d %s", next, res.StatusCode, b)
			}
			var list []json.RawMessage
			if err := json.Unmarshal(b, &list); err != nil {
				return out, fmt.Errorf("GET %s: %v", next, err)
			}
			out.pages++
			out.records += len(list)
			out.byModel[path] += len(list)
			next = ""
			if m := nextRE.FindStringSubmatch(res.Header.Get("Link")); m != nil {
				u, err := url.Parse(m[1])
				if err != nil {
					return out, err
				}
				next = (&url.URL{Scheme: "http", Host: req.URL.Host}).ResolveReference(u).String()
			}
		}
	}
	out.seconds = time.Since(start).Seconds()
	return out, nil
}
