// Command bench measures resultlinks on the machine it runs on and writes
// the results as markdown tables to docs/benchmarks.md.
//
//	go run ./bench                       # every part, default sizes
//	go run ./bench -parts api -duration 5s
//	go run ./bench -parts pacing -pacing-links 1000
//
// The parts:
//
//   - api: requests per second and p50/p99 latency of
//     POST /v1/ats/applications/{id}/result-links on the real binary with
//     the sandbox connector, asynchronous and synchronous, on SQLite and (when
//     a URL is given) PostgreSQL, beside a bare net/http baseline. Load comes
//     from a separate process (this program re-executed as a load
//     generator) over loopback with a fixed number of connections.
//   - pacing: N asynchronous result links to the Greenhouse fake at its
//     documented rate limit: time to drain, achieved rate, 429s, duplicates.
//   - sync: a full sync of many candidates from the Greenhouse fake with the
//     connector's pacing switched off, against the fake's raw serving rate of
//     the same pages, and the syncing process's peak resident memory.
//   - startup: time from process start to the first successful
//     GET /v1/check-api-key on an empty database and on the synced one.
//   - gobench: the testing.B benchmarks of the hot paths (go test -bench).
//
// Hidden subcommands (__load, __baseline, __sync) are the child processes the
// parts start; they are not meant to be run by hand.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// allParts lists the parts in the order they run and are reported.
var allParts = []string{"api", "pacing", "sync", "startup", "gobench"}

// config holds the flags.
type config struct {
	parts        []string
	out          string
	conns        int
	duration     time.Duration
	warmup       time.Duration
	drainTimeout time.Duration
	postgresURL  string
	pacingLinks  int
	pacingAPI    string
	syncCands    int
	resync       bool
	startupRuns  int
	gobenchTime  string
	keep         bool
	args         []string
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "__load":
			os.Exit(runLoad(os.Args[2:]))
		case "__baseline":
			os.Exit(runBaseline(os.Args[2:]))
		case "__sync":
			os.Exit(runSyncChild(os.Args[2:]))
		}
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := &config{args: args}
	parts := fs.String("parts", strings.Join(allParts, ","), "comma-separated parts to run: "+strings.Join(allParts, ", "))
	fs.StringVar(&cfg.out, "out", "docs/benchmarks.md", "where to write the markdown report (relative to the repository root)")
	fs.IntVar(&cfg.conns, "conns", 16, "api: concurrent connections of the load generator")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "api: measured time per row")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "api: warm-up before each row, not measured")
	fs.DurationVar(&cfg.drainTimeout, "drain-timeout", 2*time.Minute, "api: longest wait for the asynchronous backlog to be delivered before the synchronous row")
	fs.StringVar(&cfg.postgresURL, "postgres-url", os.Getenv("RESULTLINKS_TEST_POSTGRES_URL"),
		"api: PostgreSQL database for the PostgreSQL rows (a fresh schema is created and dropped); empty skips them (default $RESULTLINKS_TEST_POSTGRES_URL)")
	fs.IntVar(&cfg.pacingLinks, "pacing-links", 5000, "pacing: asynchronous result links to deliver (5000 take about 18 minutes at v1's limit)")
	fs.StringVar(&cfg.pacingAPI, "pacing-api", "v1", "pacing: Greenhouse credentials, v1 (50 requests per 10 s) or v3 (75 per 30 s)")
	fs.IntVar(&cfg.syncCands, "sync-candidates", 100_000, "sync: candidates in the Greenhouse fake (each has 1-3 applications)")
	fs.BoolVar(&cfg.resync, "sync-again", true, "sync: also time a second full sync of the unchanged data")
	fs.IntVar(&cfg.startupRuns, "startup-runs", 5, "startup: starts per database")
	fs.StringVar(&cfg.gobenchTime, "gobench-time", "1s", "gobench: -benchtime of go test")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (databases, logs) after the run")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: go run ./bench [flags]

Measures resultlinks on this machine and writes docs/benchmarks.md.
Run it from the repository root.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, p := range strings.Split(*parts, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if p == "all" {
			cfg.parts = append(cfg.parts, allParts...)
			continue
		}
		if !slices.Contains(allParts, p) {
			return nil, fmt.Errorf("-parts: unknown part %q; parts: %s", p, strings.Join(allParts, ", "))
		}
		cfg.parts = append(cfg.parts, p)
	}
	switch {
	case len(cfg.parts) == 0:
		return nil, fmt.Errorf("-parts: no part selected")
	case cfg.conns <= 0:
		return nil, fmt.Errorf("-conns must be positive")
	case cfg.duration <= 0:
		return nil, fmt.Errorf("-duration must be positive")
	case cfg.warmup < 0:
		return nil, fmt.Errorf("-warmup must not be negative")
	case cfg.pacingLinks <= 0:
		return nil, fmt.Errorf("-pacing-links must be positive")
	case cfg.pacingAPI != "v1" && cfg.pacingAPI != "v3":
		return nil, fmt.Errorf("-pacing-api must be v1 or v3")
	case cfg.syncCands <= 0:
		return nil, fmt.Errorf("-sync-candidates must be positive")
	case cfg.startupRuns <= 0:
		return nil, fmt.Errorf("-startup-runs must be positive")
	}
	return cfg, nil
}

func (c *config) has(part string) bool { return slices.Contains(c.parts, part) }

// env is what every part shares: the repository, the built binaries and a
// scratch directory.
type env struct {
	cfg    *config
	root   string
	tmp    string
	binary string // the resultlinks binary
	self   string // this program, re-executed for child processes
	// secretKey seals credentials on PostgreSQL (RESULTLINKS_SECRET_KEY).
	secretKey string
	// keyLimits are the server's per-API-key limits as its --help states
	// them (flag name to default); empty when it has none.
	keyLimits map[string]string
	started   time.Time
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, cfg *config) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "rlbench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		logf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	e := &env{cfg: cfg, root: root, tmp: tmp, self: self, started: time.Now(), secretKey: newSecretKey()}
	rep := &report{cfg: cfg, machine: describeMachine(), started: e.started, failed: map[string]string{}, code: codeVersion(root)}

	needBinary := cfg.has("api") || cfg.has("pacing") || cfg.has("startup")
	if needBinary {
		logf("building resultlinks")
		// The same binary as cmd/resultlinks under a name of its own, so that
		// a cleanup of stray test servers on a shared machine (a pkill of
		// "resultlinks serve") leaves the measured one alone.
		e.binary = filepath.Join(tmp, "rlserver")
		if out, err := command(ctx, root, "go", "build", "-o", e.binary, "./cmd/resultlinks"); err != nil {
			return fmt.Errorf("go build ./cmd/resultlinks: %v\n%s", err, out)
		}
		e.keyLimits = keyLimitDefaults(ctx, e.binary)
		rep.keyLimits = e.keyLimits
	}

	var syncDB string // the synced database, reused by startup
	for _, part := range allParts {
		if !cfg.has(part) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		start := time.Now()
		logf("part %s", part)
		switch part {
		case "api":
			rep.api, err = benchAPI(ctx, e)
		case "pacing":
			rep.pacing, err = benchPacing(ctx, e)
		case "sync":
			rep.sync, err = benchSync(ctx, e)
			if rep.sync != nil {
				syncDB = rep.sync.dbPath
			}
		case "startup":
			if syncDB == "" {
				logf("startup needs a synced database: running the sync of %d candidates first", cfg.syncCands)
				rep.sync, err = benchSync(ctx, e)
				if err != nil {
					break
				}
				syncDB = rep.sync.dbPath
			}
			rep.startup, err = benchStartup(ctx, e, syncDB)
		case "gobench":
			rep.gobench, err = benchGo(ctx, e)
		}
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("part %s: %w", part, err)
			}
			// Report the failure and go on with the other parts.
			logf("part %s FAILED: %v", part, err)
			rep.failed[part] = err.Error()
			continue
		}
		logf("part %s done in %s", part, time.Since(start).Round(time.Second))
	}
	rep.finished = time.Now()
	rep.endLoad = loadavg()
	out := cfg.out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, []byte(rep.markdown()), 0o644); err != nil {
		return err
	}
	logf("wrote %s (%s in all)", out, time.Since(e.started).Round(time.Second))
	if len(rep.failed) > 0 {
		return fmt.Errorf("%d part(s) failed; see %s", len(rep.failed), out)
	}
	return nil
}

// repoRoot finds the directory of the module's go.mod from the working
// directory upwards.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/resultlinks/resultlinks\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run bench inside the resultlinks repository (no go.mod of github.com/resultlinks/resultlinks above %s)", dir)
		}
		dir = parent
	}
}
