package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// loadConfig tells the load generator what to send. The parent writes it as
// JSON to the child's stdin.
type loadConfig struct {
	// BaseURL is the server; requests go to
	// BaseURL/v1/ats/applications/{id}/result-links.
	BaseURL     string        `json:"base_url"`
	Key         string        `json:"key"`
	Integration string        `json:"integration"`
	AppIDs      []string      `json:"app_ids"`
	Async       bool          `json:"async"`
	Conns       int           `json:"conns"`
	Warmup      time.Duration `json:"warmup"`
	Duration    time.Duration `json:"duration"`
}

// loadResult is what the load generator measured; it prints it as JSON.
type loadResult struct {
	// Requests completed that started inside the measured window.
	Requests int `json:"requests"`
	// Errors counts transport errors and answers other than 200.
	Errors   int            `json:"errors"`
	Statuses map[string]int `json:"statuses"`
	// FirstError describes the first error, if any.
	FirstError string `json:"first_error,omitempty"`
	// Seconds is the measured window.
	Seconds float64 `json:"seconds"`
	// Latencies of the successful requests, in milliseconds.
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
	// Warmup counts the requests sent during the warm-up.
	Warmup int `json:"warmup"`
}

// RPS is successful requests per second.
func (r *loadResult) RPS() float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Seconds
}

// resultLinkBody is the request body, one URL per request.
func resultLinkBody(n string) []byte {
	return []byte(`{"label":"Assessment Result","url":"https://acme.example/results/` + n +
		`","details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]}}`)
}

// runLoad is the hidden __load subcommand: it reads a loadConfig on stdin,
// sends requests over Conns connections, and prints a loadResult.
func runLoad(args []string) int {
	var cfg loadConfig
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintf(os.Stderr, "bench __load: reading the configuration: %v\n", err)
		return 2
	}
	if len(cfg.AppIDs) == 0 || cfg.Conns <= 0 || cfg.Duration <= 0 {
		fmt.Fprintln(os.Stderr, "bench __load: need app_ids, conns and duration")
		return 2
	}
	res := generateLoad(cfg)
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return 1
	}
	return 0
}

type sample struct {
	start time.Time
	dur   time.Duration
	code  int
	err   error
}

func generateLoad(cfg loadConfig) *loadResult {
	tr := &http.Transport{
		MaxConnsPerHost:     cfg.Conns,
		MaxIdleConns:        cfg.Conns,
		MaxIdleConnsPerHost: cfg.Conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	begin := time.Now()
	measureFrom := begin.Add(cfg.Warmup)
	measureTo := measureFrom.Add(cfg.Duration)
	perWorker := make([][]sample, cfg.Conns)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			samples := make([]sample, 0, 4096)
			for i := 0; ; i++ {
				start := time.Now()
				if !start.Before(measureTo) {
					break
				}
				app := cfg.AppIDs[(w+i*cfg.Conns)%len(cfg.AppIDs)]
				body := resultLinkBody(strconv.Itoa(w) + "-" + strconv.Itoa(i))
				req, err := http.NewRequest(http.MethodPost, cfg.BaseURL+"/v1/ats/applications/"+app+"/result-links", bytes.NewReader(body))
				if err != nil {
					samples = append(samples, sample{start: start, err: err})
					continue
				}
				req.Header.Set("Authorization", "Bearer "+cfg.Key)
				req.Header.Set("X-Integration-Id", cfg.Integration)
				req.Header.Set("Content-Type", "application/json")
				if cfg.Async {
					req.Header.Set("Prefer", "respond-async")
				}
				s := sample{start: start}
				res, err := client.Do(req)
				if err != nil {
					s.err = err
				} else {
					var b []byte
					b, err = io.ReadAll(res.Body)
					res.Body.Close()
					s.code = res.StatusCode
					if err != nil {
						s.err = err
					} else if res.StatusCode != http.StatusOK {
						s.err = fmt.Errorf("%d %s", res.StatusCode, strings.TrimSpace(string(b)))
					}
				}
				s.dur = time.Since(start)
				samples = append(samples, s)
				if s.err != nil && s.code == 0 {
					time.Sleep(10 * time.Millisecond) // a refused connection: do not spin
				}
			}
			perWorker[w] = samples
		}()
	}
	wg.Wait()
	res := &loadResult{Statuses: map[string]int{}, Seconds: cfg.Duration.Seconds()}
	var lat []time.Duration
	for _, samples := range perWorker {
		for _, s := range samples {
			if s.start.Before(measureFrom) {
				res.Warmup++
				continue
			}
			res.Requests++
			if s.code == 0 {
				res.Statuses["error"]++
			} else {
				res.Statuses[strconv.Itoa(s.code)]++
			}
			if s.err != nil {
				res.Errors++
				if res.FirstError == "" {
					res.FirstError = s.err.Error()
				}
				continue
			}
			lat = append(lat, s.dur)
		}
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		res.P50 = ms(percentile(lat, 0.50))
		res.P90 = ms(percentile(lat, 0.90))
		res.P99 = ms(percentile(lat, 0.99))
		res.Max = ms(lat[len(lat)-1])
		res.Mean = ms(sum / time.Duration(len(lat)))
	}
	if len(res.FirstError) > 300 {
		res.FirstError = res.FirstError[:300] + "..."
	}
	return res
}

// percentile returns the p-quantile of sorted samples (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// load runs the load generator as a child process and returns what it
// measured.
func (e *env) load(ctx context.Context, cfg loadConfig) (*loadResult, error) {
	in, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, e.self, "__load")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("load generator: %v: %s", err, stderr.String())
	}
	var res loadResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("load generator: %v: %s", err, stdout.String())
	}
	return &res, nil
}
