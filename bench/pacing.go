package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

type pacingReport struct {
	api             string
	links           int
	candidates      int
	limit           int
	window          time.Duration
	designRate      float64 // the pacer's steady rate, requests/s
	accept          time.Duration
	drain           time.Duration
	calls           int
	tokenCalls      int
	statuses        map[int]int
	peakWindow      int
	throttledDrain  int
	throttledTotal  int
	delivered       int
	failed          int
	withMarker      int
	duplicateNotes  int
	excessPatches   int
	notesTotal      int
	patchesTotal    int
	finishedInTime  bool
	timeout         time.Duration
	setup           time.Duration
	acceptFailures  int64
	callsByEndpoint map[string]int
}

var markerRE = regexp.MustCompile(`\[resultlinks:[1-9A-HJ-NP-Za-km-z]+\]`)

func benchPacing(ctx context.Context, e *env) (*pacingReport, error) {
	cfg := e.cfg
	n := cfg.pacingLinks
	rep := &pacingReport{api: cfg.pacingAPI, links: n, statuses: map[int]int{}, callsByEndpoint: map[string]int{}}
	rep.candidates = n*6/10 + 50
	setupStart := time.Now()

	// The fake in this process, so that its request log, 429 count and notes
	// can be read; the server is a process of its own.
	fake := greenhouse.New(greenhouse.Options{Candidates: rep.candidates, Seed: 11})
	hs := httptest.NewServer(fake)
	defer hs.Close()
	var creds []byte
	switch cfg.pacingAPI {
	case "v1":
		rep.limit, rep.window = 50, 10*time.Second
		creds, _ = json.Marshal(map[string]string{"api_version": "v1", "api_key": fake.APIKey(),
			"on_behalf_of": strconv.FormatInt(greenhouse.AdminUserID, 10), "base_url": hs.URL})
	case "v3":
		rep.limit, rep.window = 75, 30*time.Second
		var m map[string]any
		b, _ := json.Marshal(fake.Credentials(hs.URL))
		json.Unmarshal(b, &m)
		m["user_id"] = strconv.FormatInt(greenhouse.AdminUserID, 10)
		creds, _ = json.Marshal(m)
	}
	burst, interval, _ := outbound.Budget(rep.limit, rep.window)
	_ = burst
	rep.designRate = float64(time.Second) / float64(interval)

	dbURL := "sqlite://" + filepath.Join(e.tmp, "pacing.db")
	key, err := e.cli(ctx, dbURL, "keys", "create", "--name", "bench")
	if err != nil {
		return nil, err
	}
	logf("pacing: creating the Greenhouse %s integration (%d candidates; its first sync is paced too)", cfg.pacingAPI, rep.candidates)
	integ, err := e.cli(ctx, dbURL, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")
	if err != nil {
		return nil, err
	}
	srv, err := e.serve(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	c := newClient(srv.url, key, integ)
	apps, err := c.applications(ctx, n)
	if err != nil {
		return nil, err
	}
	if len(apps) < n {
		return nil, fmt.Errorf("the fake has %d applications, fewer than the %d links asked", len(apps), n)
	}
	rep.setup = time.Since(setupStart)
	linksPerCandidate := map[string]int{}
	for _, a := range apps {
		linksPerCandidate[a.Candidate.RemoteID]++
	}

	// Give the server a moment to settle after its start (its job queue's
	// first rounds), then post every link asynchronously.
	time.Sleep(2 * time.Second)
	logBefore := len(fake.Requests())
	throttledBefore := fake.RateLimitedCount()
	finals := func() (float64, float64) {
		d, _ := c.metric(ctx, "resultlinks_result_links_total", `state="DELIVERED"`)
		f, _ := c.metric(ctx, "resultlinks_result_links_total", `state="FAILED"`)
		return d, f
	}
	d0, f0 := finals()
	logf("pacing: posting %d asynchronous result links", n)
	t0 := time.Now()
	rep.acceptFailures = postAsync(ctx, srv.url, key, integ, apps)
	rep.accept = time.Since(t0)
	rep.timeout = max(10*time.Minute, time.Duration(float64(n)*3/(float64(rep.limit)/rep.window.Seconds()))*time.Second)
	logf("pacing: accepted in %s; waiting for the deliveries (at most %s)", rep.accept.Round(time.Millisecond), rep.timeout)
	lastLog := time.Now()
	for {
		if err := srv.check(); err != nil {
			return nil, err
		}
		d, f := finals()
		if int(d-d0+f-f0) >= n {
			rep.finishedInTime = true
			rep.delivered, rep.failed = int(d-d0), int(f-f0)
			break
		}
		if time.Since(t0) > rep.timeout {
			rep.delivered, rep.failed = int(d-d0), int(f-f0)
			break
		}
		if time.Since(lastLog) > 30*time.Second {
			logf("pacing: %d of %d delivered after %s", int(d-d0), n, time.Since(t0).Round(time.Second))
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	rep.drain = time.Since(t0)
	tEnd := time.Now()
	rep.throttledDrain = fake.RateLimitedCount() - throttledBefore
	rep.throttledTotal = fake.RateLimitedCount()

	// The calls Greenhouse received while the links drained.
	log := fake.Requests()
	if logBefore > len(log) {
		logBefore = 0 // the fake's log was halved; count by time alone
	}
	windows := map[time.Time]int{}
	patches := map[string]int{}
	for _, r := range log[logBefore:] {
		if r.Time.Before(t0) || r.Time.After(tEnd) {
			continue
		}
		switch r.API {
		case "token", "auth":
			rep.tokenCalls++
			continue
		case cfg.pacingAPI:
		default:
			continue
		}
		rep.calls++
		rep.statuses[r.Status]++
		windows[r.Time.Truncate(rep.window)]++
		rep.callsByEndpoint[r.Method+" "+endpointClass(r.Path)]++
		if r.Method == http.MethodPatch && r.Status/100 == 2 && strings.Contains(r.Path, "/candidates/") {
			patches[r.Path[strings.LastIndex(r.Path, "/")+1:]]++
		}
	}
	for _, v := range windows {
		rep.peakWindow = max(rep.peakWindow, v)
	}

	// Duplicates: every note carries its link's marker; a link's marker in
	// more than one note, or more custom-field PATCHes of a candidate than
	// links sent to it, is a duplicate write.
	markers := map[string]int{}
	for cand := range linksPerCandidate {
		id, err := strconv.ParseInt(cand, 10, 64)
		if err != nil {
			continue
		}
		for _, note := range fake.CandidateNotes(id) {
			for _, m := range markerRE.FindAllString(note.Body, -1) {
				markers[m]++
				rep.notesTotal++
			}
		}
	}
	rep.withMarker = len(markers)
	for _, k := range markers {
		if k > 1 {
			rep.duplicateNotes += k - 1
		}
	}
	for cand, k := range patches {
		rep.patchesTotal += k
		if k > linksPerCandidate[cand] {
			rep.excessPatches += k - linksPerCandidate[cand]
		}
	}
	logf("pacing: %d delivered, %d failed in %s; %d calls (%.2f/s of an allowed %.2f/s); 429s: %d; duplicates: %d",
		rep.delivered, rep.failed, rep.drain.Round(time.Second), rep.calls, rep.rate(), rep.allowed(), rep.throttledDrain, rep.duplicates())
	return rep, nil
}

func (r *pacingReport) allowed() float64 { return float64(r.limit) / r.window.Seconds() }
func (r *pacingReport) rate() float64    { return float64(r.calls) / r.drain.Seconds() }
func (r *pacingReport) duplicates() int  { return r.duplicateNotes + r.excessPatches }

var digits = regexp.MustCompile(`/\d+`)

// endpointClass turns /v1/candidates/123/activity_feed/notes into
// /v1/candidates/{id}/activity_feed/notes.
func endpointClass(path string) string { return digits.ReplaceAllString(path, "/{id}") }

// postAsync posts one asynchronous result link to each application over 8
// connections, with an Idempotency-Key so that a retried post stores
// nothing twice, and returns how many could not be posted.
func postAsync(ctx context.Context, url, key, integ string, apps []application) int64 {
	var next, failures atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: time.Minute}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(apps) || ctx.Err() != nil {
					return
				}
				body := resultLinkBody("pacing-" + strconv.Itoa(i))
				for attempt := 0; ; attempt++ {
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/ats/applications/"+apps[i].ID+"/result-links", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+key)
					req.Header.Set("X-Integration-Id", integ)
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Prefer", "respond-async")
					req.Header.Set("Idempotency-Key", "bench-pacing-"+strconv.Itoa(i))
					res, err := client.Do(req)
					if err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if res.StatusCode == http.StatusOK {
							break
						}
					}
					if attempt == 5 {
						failures.Add(1)
						break
					}
					time.Sleep(200 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	return failures.Load()
}
