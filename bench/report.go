package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

type machine struct {
	cpu, cores, memory, goVersion, os, load string
}

// loadavg returns the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// codeVersion names the commit measured, and whether the working tree had
// changes beyond it.
func codeVersion(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	v := "commit " + strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		v += " with uncommitted changes in the working tree"
	}
	return v
}

func describeMachine() machine {
	m := machine{cpu: "unknown", memory: "unknown", goVersion: runtime.Version(), load: "unknown"}
	procs := 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			switch strings.TrimSpace(k) {
			case "model name":
				if m.cpu == "unknown" {
					m.cpu = strings.TrimSpace(v)
				}
			case "processor":
				procs++
			}
		}
	}
	m.cores = fmt.Sprintf("%d logical CPUs in /proc/cpuinfo, %d usable by Go (runtime.NumCPU)", procs, runtime.NumCPU())
	if kb := meminfo("MemTotal"); kb > 0 {
		m.memory = fmt.Sprintf("%.1f GiB (MemTotal)", float64(kb)/(1<<20))
	}
	osName := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", kernel " + strings.TrimSpace(string(b))
	}
	m.os = fmt.Sprintf("%s (%s/%s%s)", osName, runtime.GOOS, runtime.GOARCH, kernel)
	m.load = loadavg()
	return m
}

func meminfo(field string) int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

type report struct {
	cfg               *config
	machine           machine
	code              string
	endLoad           string
	started, finished time.Time
	api               *apiReport
	pacing            *pacingReport
	sync              *syncReport
	startup           *startupReport
	gobench           *gobenchReport
	keyLimits         map[string]string
	failed            map[string]string
}

// commandLine is the command as typed, with passwords hidden.
func (r *report) commandLine() string {
	parts := []string{"go", "run", "./bench"}
	for _, a := range r.cfg.args {
		if strings.Contains(a, "://") {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") {
				a = k + "=" + redactURL(v)
			} else {
				a = redactURL(a)
			}
		}
		if strings.ContainsAny(a, " \"'$&?;|<>*") {
			a = "'" + a + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}

func dur(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02.0fs", int(d.Minutes()), (d - time.Duration(int(d.Minutes()))*time.Minute).Seconds())
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), ",")
}

func mib(kb int64) string { return fmt.Sprintf("%.0f MiB", float64(kb)/1024) }

func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Benchmarks\n\n")
	w("These numbers were measured by the harness in `bench/` and written to this file by it; nothing here\n")
	w("is edited by hand. They describe one run on one machine: compare them with a run of the same\n")
	w("command on your own hardware rather than reading them as guarantees.\n\n")
	w("Command (run from the repository's root):\n\n```sh\n%s\n```\n\n", r.commandLine())
	w("| | |\n|---|---|\n")
	w("| Date | %s (took %s) |\n", r.started.UTC().Format("2006-01-02 15:04 MST"), dur(r.finished.Sub(r.started).Round(time.Second)))
	w("| CPU | %s |\n", r.machine.cpu)
	w("| Cores | %s |\n", r.machine.cores)
	w("| Memory | %s |\n", r.machine.memory)
	w("| Go | %s |\n", r.machine.goVersion)
	w("| OS | %s |\n", r.machine.os)
	w("| Code | %s |\n", r.code)
	w("| Load average | %s at the start, %s at the end (1, 5, 15 minutes; the machine is shared with other work) |\n", r.machine.load, r.endLoad)
	w("\nParts run: %s. Every process (server, load generator, fakes, database) shares these cores, so the\n", strings.Join(r.cfg.parts, ", "))
	w("figures include that contention; on a machine with more cores the server gets more of them.\n\n")

	r.apiSection(w)
	r.pacingSection(w)
	r.syncSection(w)
	r.startupSection(w)
	r.gobenchSection(w)
	return b.String()
}

type writer func(format string, args ...any)

func (r *report) notRun(w writer, part string) {
	if msg, ok := r.failed[part]; ok {
		if len(msg) > 2000 {
			msg = msg[:2000] + "..."
		}
		w("**This part failed in this run:**\n\n```text\n%s\n```\n\n", msg)
		return
	}
	w("Not run in this measurement (select it with `-parts %s`).\n\n", part)
}

func (r *report) apiSection(w writer) {
	w("## 1. API overhead\n\n")
	a := r.api
	if a == nil {
		r.notRun(w, "api")
		return
	}
	w("`POST /v1/ats/applications/{id}/result-links` on the real `resultlinks serve` (built with `go build`,\n")
	w("`--addr 127.0.0.1:0`, default settings, logging one line per request to stderr) with a key and a sandbox\n")
	w("integration created through its CLI, against a bare `net/http` baseline in its own process that decodes\n")
	w("the same JSON body and answers the same envelope. Load comes from a separate process on loopback\n")
	w("(this program re-executed as a load generator) over %d keep-alive connections, each sending its next\n", a.conns)
	w("request when the answer to the last arrives; each row is %s of warm-up followed by %s measured.\n", a.warmup, a.duration)
	apps := []string{}
	for _, k := range []string{"SQLite", "PostgreSQL"} {
		if n, ok := a.apps[k]; ok {
			apps = append(apps, fmt.Sprintf("%d on %s", n, k))
		}
	}
	if len(apps) > 0 {
		w("Requests go round-robin over every sandbox application read from `GET /v1/ats/applications` (%s),\n", strings.Join(apps, ", "))
		w("each with its own result URL and no `Idempotency-Key`, so every request stores a new result link.\n")
	}
	if len(r.keyLimits) > 0 {
		w("The server's per-API-key limits (by default %s requests/s with a burst of %s, and %s in flight: `--key-rate-limit`,\n",
			r.keyLimits["key-rate-limit"], r.keyLimits["key-burst"], r.keyLimits["key-concurrency"])
		w("`--key-burst`, `--key-concurrency`) are raised out of the way through their environment variables, so that the\n")
		w("rows measure the request path rather than that limiter: with the defaults, one key gets at most %s requests/s.\n", r.keyLimits["key-rate-limit"])
	}
	w("*async* sends `Prefer: respond-async` (the answer comes once the link and its delivery job are committed);\n")
	w("*sync* waits for the delivery to the sandbox.")
	if a.pgURL != "" {
		w(" PostgreSQL: `%s`, in a fresh schema (selected with `search_path`) dropped afterwards.", a.pgURL)
	}
	w("\n\n")
	var base *loadResult
	for _, row := range a.rows {
		if row.target == "net/http baseline" {
			base = row.res
		}
	}
	w("| Server | Store | Mode | Requests/s | p50 | p99 | Errors | Requests/s vs baseline | p50 vs baseline |\n")
	w("|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range a.rows {
		server, store := "resultlinks", row.target
		if row.target == "net/http baseline" {
			server, store = "net/http baseline", "—"
		}
		if row.res == nil {
			w("| %s | %s | %s | — | — | — | — | — | — |\n", server, store, row.mode)
			continue
		}
		res := row.res
		ratio, lat := "1.00×", "1.00×"
		if base != nil && res != base && base.RPS() > 0 && base.P50 > 0 {
			ratio = fmt.Sprintf("%.3f× (%.1f%%)", res.RPS()/base.RPS(), 100*res.RPS()/base.RPS())
			lat = fmt.Sprintf("%.1f×", res.P50/base.P50)
		}
		errs := strconv.Itoa(res.Errors)
		if res.Errors > 0 {
			var codes []string
			for k, v := range res.Statuses {
				if k != "200" {
					codes = append(codes, fmt.Sprintf("%d×%s", v, k))
				}
			}
			slices.Sort(codes)
			errs += " (" + strings.Join(codes, ", ") + ")"
		}
		w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", server, store, row.mode, thousands(int(res.RPS()+0.5)), ms(res.P50), ms(res.P99), errs, ratio, lat)
	}
	w("\n")
	for _, row := range a.rows {
		switch {
		case row.skipped != "":
			w("- **%s %s:** %s.\n", row.target, row.mode, row.skipped)
		case row.note != "" && row.mode == "—":
			w("- **%s:** %s.\n", row.target, row.note)
		case row.note != "":
			w("- **%s %s:** %s.\n", row.target, row.mode, row.note)
		}
		if row.res != nil && row.res.FirstError != "" {
			w("  First error: `%s`\n", strings.ReplaceAll(row.res.FirstError, "`", "'"))
		}
	}
	w("\nThe latencies are measured by the load generator (from sending the request to reading the whole answer).\n")
	w("The ratio says how much of what a bare Go HTTP server could answer on this machine is left after\n")
	w("authentication, the integration lookup, validation, the ledger transaction with its job, the request log and metrics.\n\n")
}

func (r *report) pacingSection(w writer) {
	w("## 2. Delivery pacing\n\n")
	p := r.pacing
	if p == nil {
		r.notRun(w, "pacing")
		return
	}
	w("%s asynchronous result links, posted as fast as the server takes them (8 connections, one\n", thousands(p.links))
	w("`Idempotency-Key` each), to the Greenhouse fake (`internal/atsfake/greenhouse`, run inside the harness\n")
	w("on loopback so that its request log, 429 count and notes can be read) with Harvest %s credentials.\n", p.api)
	w("The fake enforces Greenhouse's documented limit of %d requests per %s in fixed windows and answers\n", p.limit, p.window)
	w("429 beyond it; resultlinks (`resultlinks serve` on SQLite, its own process) must pace itself to that limit.\n")
	w("The fake holds %s candidates; one link goes to each of %s applications.\n\n", thousands(p.candidates), thousands(p.links))
	w("| Measure | Value |\n|---|---:|\n")
	w("| Result links | %s |\n", thousands(p.links))
	w("| Accepted in (all %s posts answered) | %s |\n", thousands(p.links), dur(p.accept))
	status := ""
	if !p.finishedInTime {
		status = fmt.Sprintf(" (stopped waiting after %s)", dur(p.timeout))
	}
	w("| Time to drain (first post to last final state) | %s%s |\n", dur(p.drain), status)
	w("| Delivered / failed | %s / %s |\n", thousands(p.delivered), thousands(p.failed))
	w("| Harvest %s calls while draining | %s (%.2f per link) |\n", p.api, thousands(p.calls), float64(p.calls)/float64(max(1, p.links)))
	w("| Achieved rate | %.2f requests/s |\n", p.rate())
	w("| Allowed rate (%d per %s) | %.2f requests/s |\n", p.limit, p.window, p.allowed())
	w("| Achieved / allowed | **%.1f%%** |\n", 100*p.rate()/p.allowed())
	w("| Busiest fixed %s window of the fake | %d of %d requests |\n", p.window, p.peakWindow, p.limit)
	w("| 429s from Greenhouse while draining (target 0) | **%d** |\n", p.throttledDrain)
	w("| 429s in the fake's whole life (setup sync included) | %d |\n", p.throttledTotal)
	w("| Duplicates (target 0) | **%d** |\n", p.duplicates())
	w("| Links whose marker is in a Greenhouse note | %s of %s |\n", thousands(p.withMarker), thousands(p.links))
	w("\n")
	var eps []string
	for k, v := range p.callsByEndpoint {
		eps = append(eps, fmt.Sprintf("`%s` %s", k, thousands(v)))
	}
	slices.Sort(eps)
	w("Calls by endpoint: %s.", strings.Join(eps, ", "))
	if p.tokenCalls > 0 {
		w(" Token calls (their own budget): %d.", p.tokenCalls)
	}
	w("\n\n")
	w("The 429 count is the fake's own `RateLimitedCount()`. Duplicates are counted in the fake: a link's\n")
	w("`[resultlinks:<id>]` marker in more than one note (%d) plus custom-field PATCHes of a candidate beyond\n", p.duplicateNotes)
	w("the number of links sent to it (%d). The connector's pacer lets a tenth of the limit through at once and\n", p.excessPatches)
	w("then spaces calls evenly at %.2f requests/s (%.0f%% of the documented limit), so that no window of\n", p.designRate, 100*p.designRate/p.allowed())
	w("the limit's length, aligned or not, ever holds more than the limit: that is the ceiling of \"achieved / allowed\".\n")
	if p.links < 5000 {
		w("\nThe default is `-pacing-links 5000` (about 18 minutes at v1's limit); this run used %s to fit its time budget.\n", thousands(p.links))
	}
	w("\n")
}

func (r *report) syncSection(w writer) {
	w("## 3. Sync\n\n")
	s := r.sync
	if s == nil {
		r.notRun(w, "sync")
		return
	}
	f := s.child.First
	w("A full sync of %s candidates with their applications (and the jobs and stages) from the Greenhouse fake\n", thousands(s.candidates))
	w("with Harvest v3 credentials, into a new SQLite database. The fake runs inside the harness on loopback with\n")
	w("its rate limit switched off (`HarvestRateLimit.Limit < 0`; seeding it took %s). The sync runs in a child\n", dur(s.seedTime))
	w("process of its own: `mirror.Syncer.Run`, the code behind `resultlinks sync` and the scheduled syncs, with the\n")
	w("real Greenhouse connector and store, but with an unlimited `outbound.Pacers` instead of `outbound.NewLimiters()`,\n")
	w("because the connector otherwise paces itself to Greenhouse's documented 75 requests per 30 s, and the\n")
	w("sync would measure that pacing rather than resultlinks. The baseline fetches the same pages (500 per page,\n")
	w("following the `Link` headers) straight from the fake with a plain HTTP client, decoding each page only into\n")
	w("raw JSON records: the fake's raw serving rate.\n\n")
	w("| Run | Records | Pages | Time | Records/s | vs baseline | Peak RSS of the syncing process |\n")
	w("|---|---:|---:|---:|---:|---:|---:|\n")
	rawRate := float64(s.raw.records) / s.raw.seconds
	w("| Baseline: the fake's pages over plain HTTP | %s | %s | %s | %s | 1.00× | — |\n",
		thousands(s.raw.records), thousands(s.raw.pages), dur(time.Duration(s.raw.seconds*float64(time.Second))), thousands(int(rawRate+0.5)))
	row := func(name string, run syncRun) {
		rate := float64(run.Records) / run.Seconds
		w("| %s | %s | %s | %s | %s | %.3f× | %s |\n", name, thousands(run.Records), thousands(run.Pages),
			dur(time.Duration(run.Seconds*float64(time.Second))), thousands(int(rate+0.5)), rate/rawRate, mib(run.HWMKB))
	}
	row("resultlinks: first full sync (every record new)", f)
	if s.child.Again != nil {
		row("resultlinks: second full sync (nothing changed)", *s.child.Again)
	}
	w("\n")
	var models []string
	for k, v := range f.ByModel {
		models = append(models, fmt.Sprintf("%s %s", k, thousands(v)))
	}
	slices.Sort(models)
	w("- Records of the first sync: %s.\n", strings.Join(models, ", "))
	w("- Peak RSS is the child's `VmHWM` from `/proc/self/status` after the sync (%s before it, after opening the\n", mib(s.child.StartHWMKB))
	w("  store); the second row's is the peak over both syncs. The database took %.0f MiB on disk afterwards.\n", float64(s.dbBytes)/(1<<20))
	w("- At the documented limit the connector's pacer would need about **%s** for these %s pages (a burst of a\n", dur(s.pacedBound), thousands(f.Pages))
	w("  tenth of the limit, then one call every 30 s / 68): with real Greenhouse the sync is bound by the pacing, not by resultlinks.\n")
	if s.candidates != 100_000 {
		w("- The default is `-sync-candidates 100000`; this run used %s.\n", thousands(s.candidates))
	}
	w("\n")
}

func (r *report) startupSection(w writer) {
	w("## 4. Start-up\n\n")
	s := r.startup
	if s == nil {
		r.notRun(w, "startup")
		return
	}
	w("Time from starting `resultlinks serve --addr 127.0.0.1:<port> --database-url sqlite://...` to the first\n")
	w("200 of `GET /v1/check-api-key` (polled every 2 ms from the moment the process is started), %d starts each.\n", s.runs)
	w("The empty database is a new file each time, so the time includes creating the schema, the job queue's\n")
	w("migrations and the first-run bootstrap (an environment, an API key read from the banner, and a sandbox\n")
	w("integration with its first sync). The other is the database of part 3 (%s candidates, %.0f MiB on disk).\n\n",
		thousands(s.candidates), float64(s.dbBytes)/(1<<20))
	w("| Database | Median | Fastest | Slowest |\n|---|---:|---:|---:|\n")
	med, lo, hi := durStats(s.empty)
	w("| Empty (new file) | %s | %s | %s |\n", dur(med), dur(lo), dur(hi))
	med, lo, hi = durStats(s.full)
	w("| %s candidates | %s | %s | %s |\n", thousands(s.candidates), dur(med), dur(lo), dur(hi))
	w("\n")
}

func (r *report) gobenchSection(w writer) {
	w("## Go benchmarks of the hot paths\n\n")
	w("`testing.B` benchmarks, for regressions rather than absolute numbers: request decoding and validation\n")
	w("(`internal/httpapi`, directly and through `httpapi.New(...).Handler()`), ID derivation and `NewID` (the root\n")
	w("package), and the store's `UpsertBatch` of a page of candidates and `CreateResultLink` on SQLite and, when\n")
	w("`RESULTLINKS_TEST_POSTGRES_URL` is set, PostgreSQL. Compare two runs with\n")
	w("[`benchstat`](https://pkg.go.dev/golang.org/x/perf/cmd/benchstat):\n\n")
	w("```sh\ngo test -run '^$' -bench . -benchmem -count 10 %s > old.txt\n# change something, run again into new.txt\nbenchstat old.txt new.txt\n```\n\n",
		strings.Join(goBenchPackages, " "))
	g := r.gobench
	if g == nil {
		r.notRun(w, "gobench")
		return
	}
	w("This run (`%s`):\n\n```text\n%s\n```\n", g.command, strings.Join(g.output, "\n"))
	if !g.postgres {
		w("\nThe PostgreSQL benchmarks were skipped: no PostgreSQL was given.\n")
	}
}
