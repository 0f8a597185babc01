package main_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/stretchr/testify/require"
)

// The soak tests drain thousands of result links at a real ATS's pace, so
// they take minutes: they run when RESULTLINKS_SOAK=1 (CI sets it).
func soak(t *testing.T) {
	t.Helper()
	if os.Getenv("RESULTLINKS_SOAK") != "1" {
		t.Skip("a soak test of several minutes: set RESULTLINKS_SOAK=1 to run it (.ci/run does)")
	}
}

// greenhouseV1 starts a Greenhouse fake and answers its Harvest v1
// credentials, whose documented budget is 50 requests per 10 s.
func greenhouseV1(t *testing.T, candidates int) (*fake.Fake, json.RawMessage) {
	t.Helper()
	gh := fake.New(fake.Options{Candidates: candidates, Seed: 11})
	srv := httptest.NewServer(gh)
	t.Cleanup(srv.Close)
	creds, _ := json.Marshal(map[string]string{"api_version": "v1", "api_key": gh.APIKey(),
		"on_behalf_of": strconv.FormatInt(fake.AdminUserID, 10), "base_url": srv.URL})
	return gh, creds
}

// postAsync posts one asynchronous result link to each application.
func postAsync(t *testing.T, urls []string, key, integ string, apps []string) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failures atomic.Int64
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(apps) {
					return
				}
				b := strings.Replace(body, "5BtP1WC1", "r"+strconv.Itoa(i), 1)
				for attempt := 0; ; attempt++ {
					req, _ := http.NewRequest(http.MethodPost, urls[i%len(urls)]+"/v1/ats/applications/"+apps[i]+"/result-links", strings.NewReader(b))
					req.Header.Set("Authorization", "Bearer "+key)
					req.Header.Set("X-Integration-Id", integ)
					req.Header.Set("Prefer", "respond-async")
					req.Header.Set("Idempotency-Key", "soak-"+strconv.Itoa(i))
					res, err := http.DefaultClient.Do(req)
					if err == nil {
						res.Body.Close()
						if res.StatusCode == 200 {
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
	require.Zero(t, failures.Load(), "every link was accepted")
}

// applicationIDs lists n application IDs of the integration.
func applicationIDs(t *testing.T, url, key, integ string, n int) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for len(ids) < n {
		var p page
		q := "/v1/ats/applications?page_size=250"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		require.Equal(t, 200, get(t, url+q, key, integ, &p))
		for _, r := range p.Data.Results {
			ids = append(ids, r["id"].(string))
		}
		if p.Data.Next == nil {
			break
		}
		cursor = *p.Data.Next
	}
	require.GreaterOrEqual(t, len(ids), n)
	return ids[:n]
}

// drained waits until no link is QUEUED or DELIVERING, and none FAILED.
func drained(t *testing.T, url, key string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	require.Eventually(t, func() bool {
		for _, st := range []string{"QUEUED", "DELIVERING"} {
			var p page
			if get(t, url+"/v1/result-links?page_size=1&status="+st, key, "", &p) != 200 || len(p.Data.Results) > 0 {
				return false
			}
		}
		return true
	}, within, time.Second)
	var failed page
	require.Equal(t, 200, get(t, url+"/v1/result-links?status=FAILED", key, "", &failed))
	require.Empty(t, failed.Data.Results, "no link failed")
	return time.Since(start)
}

// notesOnce checks that the fake holds exactly one note per result link.
func notesOnce(t *testing.T, gh *fake.Fake, want int) {
	t.Helper()
	seen := map[string]int{}
	for _, c := range gh.Candidates() {
		for _, n := range gh.CandidateNotes(c.ID) {
			i := strings.Index(n.Body, "[resultlinks:")
			require.GreaterOrEqual(t, i, 0, "every note carries a marker")
			seen[n.Body[i:]]++
		}
	}
	require.Len(t, seen, want, "every result link is in the ATS")
	for m, n := range seen {
		require.Equal(t, 1, n, "result link %s written once", m)
	}
}

// TestSoakPacing: 2,000 asynchronous result links to a Greenhouse that
// allows 50 requests per 10 s are all delivered, none twice, and the ATS
// never has to answer 429.
func TestSoakPacing(t *testing.T) {
	t.Parallel()
	soak(t)
	const links = 2000
	gh, creds := greenhouseV1(t, 1100)
	db := "sqlite://" + t.TempDir() + "/soak.db"
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")
	s := serve(t, db)
	apps := applicationIDs(t, s.url, key, integ, links)
	before := len(gh.Requests())
	start := time.Now()
	postAsync(t, []string{s.url}, key, integ, apps)
	accepted := time.Since(start)
	drain := drained(t, s.url, key, 25*time.Minute)
	calls := len(gh.Requests()) - before
	t.Logf("%d links accepted in %s, delivered %s later; %d calls to Greenhouse (%.2f/s against an allowed 5/s); 429s: %d",
		links, accepted.Round(time.Millisecond), drain.Round(time.Second), calls, float64(calls)/time.Since(start).Seconds(), gh.RateLimitedCount())
	require.Zero(t, gh.RateLimitedCount(), "the pacing kept Greenhouse from answering 429")
	notesOnce(t, gh, links)
	s.stop(t)
}

// TestSoakReplicas: two servers on one PostgreSQL database share 1,000
// asynchronous deliveries; one is killed with SIGKILL midway; every link
// ends DELIVERED exactly once, and the two together never push the ATS
// past its limit.
func TestSoakReplicas(t *testing.T) {
	t.Parallel()
	soak(t)
	base := os.Getenv("RESULTLINKS_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("RESULTLINKS_TEST_POSTGRES_URL is not set; the replicas test needs PostgreSQL")
	}
	db := freshPostgresSchema(t, base)
	const links = 1000
	gh, creds := greenhouseV1(t, 600)
	secretKey := "RESULTLINKS_SECRET_KEY=" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	env := []string{"RESULTLINKS_DATABASE_URL=" + db, secretKey}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")
	flags := []string{"--delivery-timeout", "60s", "--deny-private-targets", "off"}
	a := serveEnv(t, db, []string{secretKey}, flags...)
	b := serveEnv(t, db, []string{secretKey}, flags...)
	apps := applicationIDs(t, a.url, key, integ, links)
	start := time.Now()
	postAsync(t, []string{a.url, b.url}, key, integ, apps)

	// Kill one replica once a quarter of the links are in Greenhouse.
	require.Eventually(t, func() bool { return countNotes(gh) >= links/4 }, 10*time.Minute, 500*time.Millisecond)
	require.NoError(t, b.cmd.Process.Signal(syscall.SIGKILL))
	<-b.done

	drain := drained(t, a.url, key, 20*time.Minute)
	t.Logf("%d links over two replicas (one killed midway) delivered in %s; 429s: %d",
		links, time.Since(start).Round(time.Second), gh.RateLimitedCount())
	_ = drain
	require.Zero(t, gh.RateLimitedCount(), "the replicas shared one budget")
	notesOnce(t, gh, links)
	a.stop(t)
}

func countNotes(gh *fake.Fake) int {
	n := 0
	for _, c := range gh.Candidates() {
		n += len(gh.CandidateNotes(c.ID))
	}
	return n
}

// freshPostgresSchema returns the URL of a new, empty schema, dropped after the test.
func freshPostgresSchema(t *testing.T, base string) string {
	t.Helper()
	schema := fmt.Sprintf("soak_%d", time.Now().UnixNano())
	psql := func(sql string) {
		out, err := execPSQL(base, sql)
		require.NoError(t, err, out)
	}
	psql("CREATE SCHEMA " + schema)
	t.Cleanup(func() { execPSQL(base, "DROP SCHEMA "+schema+" CASCADE") })
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// execPSQL runs one statement on the database through pgx.
func execPSQL(databaseURL, sql string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return "", err
}
