package main_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	fake "github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/stretchr/testify/require"
)

// TestCrashAfterTheATSAcceptedAWrite kills the server with SIGKILL right
// after the ATS accepted a write and before the ledger recorded it. After a
// restart the link ends DELIVERED and the ATS holds exactly one copy: the
// next attempt finds the earlier write by its marker instead of writing
// again.
func TestCrashAfterTheATSAcceptedAWrite(t *testing.T) {
	t.Parallel()
	gh := fake.New(fake.Options{Candidates: 5, Seed: 3})
	// No custom fields may be created, so the result goes into a note: a
	// write that a repeat would duplicate.
	gh.RevokeScope("harvest:custom_fields:create")
	var hold atomic.Bool
	hold.Store(true)
	accepted := make(chan struct{})
	var once sync.Once
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v3/notes" && hold.Load() {
			// Let Greenhouse take the note, then keep the answer back.
			rec := httptest.NewRecorder()
			gh.ServeHTTP(rec, r)
			once.Do(func() { close(accepted) })
			<-release
			return
		}
		gh.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	creds, _ := json.Marshal(gh.Credentials(srv.URL))

	db := "sqlite://" + filepath.Join(t.TempDir(), "crash.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")
	flags := []string{"--sync-deadline", "2s", "--delivery-timeout", "10s"}
	s := serve(t, db, flags...)

	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?page_size=1", key, integ, &apps))
	appID := apps.Data.Results[0]["id"].(string)
	cand, _ := strconv.ParseInt(apps.Data.Results[0]["candidate"].(map[string]any)["remote_id"].(string), 10, 64)

	go func() {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/ats/applications/"+appID+"/result-links", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("X-Integration-Id", integ)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	select {
	case <-accepted:
	case <-time.After(30 * time.Second):
		t.Fatal("the write never reached the ATS")
	}
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	<-s.done
	require.Len(t, gh.CandidateNotes(cand), 1, "the ATS holds the note")
	ledger := run(t, env, "result-links", "list")
	require.Contains(t, ledger, "\tDELIVERING\t1\t", "the ledger never heard the answer")
	id := strings.Fields(ledger)[0]

	hold.Store(false)
	s2 := serve(t, db, flags...)
	require.Eventually(t, func() bool {
		return strings.Contains(run(t, env, "result-links", "list"), id+"\tDELIVERED\t2\t")
	}, 60*time.Second, 250*time.Millisecond, "the next attempt takes the link over")
	notes := gh.CandidateNotes(cand)
	require.Len(t, notes, 1, "exactly one copy in the ATS")
	require.Contains(t, notes[0].Body, "https://acme.example/results/5BtP1WC1")
	shown := run(t, env, "result-links", "show", id)
	require.Contains(t, shown, "already held this result as note")
	s2.stop(t)
}
