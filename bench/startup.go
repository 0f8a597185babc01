package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"syscall"
	"time"
)

type startupReport struct {
	runs       int
	empty      []time.Duration
	full       []time.Duration
	candidates int
	dbBytes    int64
}

func benchStartup(ctx context.Context, e *env, syncDB string) (*startupReport, error) {
	rep := &startupReport{runs: e.cfg.startupRuns, candidates: e.cfg.syncCands}
	for i := 0; i < rep.runs; i++ {
		path := filepath.Join(e.tmp, fmt.Sprintf("startup-empty-%d.db", i))
		d, err := e.startOnce(ctx, "sqlite://"+path, "")
		if err != nil {
			return nil, fmt.Errorf("empty database: %w", err)
		}
		logf("startup: empty database: %s", d.Round(time.Millisecond))
		rep.empty = append(rep.empty, d)
	}
	dbURL := "sqlite://" + syncDB
	key, err := e.cli(ctx, dbURL, "keys", "create", "--name", "bench-startup")
	if err != nil {
		return nil, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(syncDB + suffix); err == nil {
			rep.dbBytes += fi.Size()
		}
	}
	for i := 0; i < rep.runs; i++ {
		d, err := e.startOnce(ctx, dbURL, key)
		if err != nil {
			return nil, fmt.Errorf("database with %d candidates: %w", rep.candidates, err)
		}
		logf("startup: %d candidates: %s", rep.candidates, d.Round(time.Millisecond))
		rep.full = append(rep.full, d)
	}
	return rep, nil
}

var bannerKey = regexp.MustCompile(`API key\s+(rl_\S+)`)

// startOnce starts `resultlinks serve` and returns the time from the
// process's start to the first 200 of GET /v1/check-api-key. With no key it
// reads the key from the first-run banner (an empty database).
func (e *env) startOnce(ctx context.Context, dbURL, key string) (time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(e.binary, "serve", "--addr", "127.0.0.1:"+strconv.Itoa(port), "--database-url", dbURL, "--shutdown-timeout", "5s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	logs := &tail{max: 30}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, err
	}
	keys := make(chan string, 1)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := bannerKey.FindStringSubmatch(sc.Text()); m != nil {
				keys <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.add(sc.Text())
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		close(exited)
	}()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	deadline := time.After(2 * time.Minute)
	if key == "" {
		select {
		case key = <-keys:
		case <-exited:
			return 0, fmt.Errorf("resultlinks serve exited:\n%s", logs)
		case <-deadline:
			return 0, fmt.Errorf("no first-run banner within 2 minutes:\n%s", logs)
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v1/check-api-key", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case <-exited:
			return 0, fmt.Errorf("resultlinks serve exited:\n%s", logs)
		case <-deadline:
			return 0, fmt.Errorf("no answer from /v1/check-api-key within 2 minutes:\n%s", logs)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// stats returns the median, min and max.
func durStats(ds []time.Duration) (med, lo, hi time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	med = s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return med, s[0], s[len(s)-1]
}
