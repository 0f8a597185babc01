package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks/sdk"
	"github.com/stretchr/testify/require"
)

// binary builds the real resultlinks binary once per test run.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "resultlinks-e2e")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "resultlinks")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return path, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

func bin(t *testing.T) string {
	t.Helper()
	p, err := binary()
	require.NoError(t, err)
	return p
}

// run runs one CLI command and returns its stdout, trimmed.
func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "resultlinks %s: %s", strings.Join(args, " "), stderr.String())
	return strings.TrimSpace(stdout.String())
}

// server is a running resultlinks serve.
type server struct {
	cmd    *exec.Cmd
	url    string
	stdout *syncBuffer
	logs   *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`(?:msg=listening addr=|"msg":"listening","addr":")(127\.0\.0\.1:\d+)`)

// serve starts the binary on a free port and waits until it listens.
func serve(t *testing.T, dbURL string, extra ...string) *server {
	t.Helper()
	return serveEnv(t, dbURL, nil, extra...)
}

// serveEnv starts the binary with extra environment.
func serveEnv(t *testing.T, dbURL string, env []string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL}, extra...)
	cmd := exec.Command(bin(t), args...)
	cmd.Env = append(os.Environ(), env...)
	s := &server{cmd: cmd, stdout: &syncBuffer{}, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout = s.stdout
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	require.NoError(t, cmd.Start())
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			s.logs.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
	}()
	go func() { s.done <- cmd.Wait(); pw.Close() }()
	select {
	case a := <-addr:
		s.url = "http://" + a
	case err := <-s.done:
		t.Fatalf("server exited: %v\n%s", err, s.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start:\n%s", s.logs.String())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-s.done:
		require.NoError(t, err, "graceful shutdown exits 0:\n%s", s.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}

func get(t *testing.T, url, key, integration string, out any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	if integration != "" {
		req.Header.Set("X-Integration-Id", integration)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.NoError(t, json.NewDecoder(res.Body).Decode(out))
	return res.StatusCode
}

const body = `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1","details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]}}`

type page struct {
	Status string `json:"status"`
	Data   struct {
		Next    *string          `json:"next"`
		Results []map[string]any `json:"results"`
	} `json:"data"`
}

// TestEndToEnd drives the real binary the way the README does: the CLI
// creates a key and an integration, the server answers over HTTP, a result
// link lands in an application's custom fields, and SIGTERM stops it.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "e2e.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + dbURL}

	key := run(t, env, "keys", "create", "--name", "e2e")
	require.Regexp(t, `^rl_live_[1-9A-HJ-NP-Za-km-z]{48}$`, key, "only the key on stdout")
	integ := run(t, nil, "integrations", "create", "--tool", "sandbox", "--name", "Acme sandbox", "--database-url", dbURL)
	require.Regexp(t, `^sandbox:[1-9A-HJ-NP-Za-km-z]{24}$`, integ)
	list := run(t, env, "integrations", "list")
	require.Contains(t, list, integ+"\tsandbox\tAcme sandbox\tACTIVE\tCOMPLETED")

	s := serve(t, dbURL)
	require.Empty(t, s.stdout.String(), "no first-run banner on a database that has an environment")

	var cands page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/candidates?page_size=5", key, integ, &cands))
	require.Len(t, cands.Data.Results, 5)
	require.NotNil(t, cands.Data.Next)
	appID := cands.Data.Results[0]["applications"].([]any)[0].(map[string]any)["id"].(string)

	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/ats/applications/"+appID+"/result-links", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode, string(raw))
	require.Contains(t, string(raw), `"status":"success"`)
	require.Contains(t, string(raw), `"warnings":[{"message":`)

	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?ids="+appID, key, integ, &apps))
	require.Len(t, apps.Data.Results, 1)
	cf := apps.Data.Results[0]["custom_fields"].(map[string]any)
	require.Equal(t, "100%", cf["Acme: Score"])
	require.Equal(t, "2:30h", cf["Acme: Time"])
	require.Equal(t, "https://acme.example/results/5BtP1WC1", cf["Assessment Result"])

	// The CLI reads the ledger.
	ledger := run(t, env, "result-links", "list", "--status", "DELIVERED")
	require.Contains(t, ledger, "\tDELIVERED\t1\t"+integ+"\t"+appID)
	id := strings.Fields(ledger)[0]
	shown := run(t, env, "result-links", "show", id)
	require.Contains(t, shown, `"Label": "Assessment Result"`)
	require.Contains(t, shown, `"custom_fields"`)

	// The action switch from the CLI takes effect at once.
	run(t, env, "integrations", "set-action", integ, "ats_add_application_result_link", "off")
	req, _ = http.NewRequest(http.MethodPost, s.url+"/v1/ats/applications/"+appID+"/result-links", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 403, res.StatusCode)
	run(t, env, "integrations", "set-action", integ, "ats_add_application_result_link", "on")

	// The Go SDK against the real server: find an application, write, read back.
	client, err := sdk.New(sdk.WithServerURL(s.url+"/v1"), sdk.WithAPIKey(key), sdk.WithIntegrationID(integ))
	require.NoError(t, err)
	ctx := context.Background()
	envID, err := client.CheckAPIKey(ctx)
	require.NoError(t, err)
	require.Len(t, envID, 24)
	var target string
	n := 0
	for a, err := range client.ListApplications(ctx, sdk.ListApplicationsParams{PageSize: 40}) {
		require.NoError(t, err)
		n++
		if target == "" && a.ID != appID {
			target = a.ID
		}
	}
	require.Greater(t, n, 60, "the iterator walks every page")
	resp, err := client.AddApplicationResultLink(ctx, sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
		ApplicationID: target,
		RequestBody: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{
			Label: "Coding Test", URL: "https://acme.example/results/sdk",
			Details: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails{
				CustomFieldNamePrefix: "Acme:",
				Attributes:            []sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute{{Key: "Score", Value: "87%"}},
			},
		},
	})
	require.NoError(t, err)
	require.Equal(t, "DELIVERED", string(resp.Status))
	require.NotEmpty(t, resp.Warnings)
	pg, err := client.ListApplicationsPage(ctx, sdk.ListApplicationsParams{IDs: []string{target}})
	require.NoError(t, err)
	require.Len(t, pg.Results, 1)
	require.Equal(t, "87%", pg.Results[0].CustomFields["Acme: Score"])
	_, err = client.AddApplicationResultLink(ctx, sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
		ApplicationID: "nope", RequestBody: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{Label: "x", URL: "https://x.example"},
	})
	require.ErrorIs(t, err, sdk.ErrNotFound)
	gi, err := client.GetIntegration(ctx, integ)
	require.NoError(t, err)
	require.Equal(t, integ, gi.ID)

	s.stop(t)
	logs := s.logs.String()
	require.Contains(t, logs, "route=\"POST /v1/ats/applications/{application_id}/result-links\"")
	require.NotContains(t, logs, key, "the API key never reaches the logs")
	require.NotContains(t, logs, key[3:], "nor any part of it")
}

// TestFirstStart checks the first start of an empty database: the banner
// holds a key, an integration and a curl that works as printed.
func TestFirstStart(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite://" + filepath.Join(t.TempDir(), "first.db")
	s := serve(t, dbURL)
	// The banner is written before the server logs that it listens; wait
	// for its last line to arrive through the pipe.
	require.Eventually(t, func() bool { return strings.Contains(s.stdout.String(), "2:30h") }, 10*time.Second, 10*time.Millisecond)
	out := s.stdout.String()
	key := regexp.MustCompile(`API key\s+(rl_\S+)`).FindStringSubmatch(out)
	integ := regexp.MustCompile(`integration\s+(sandbox:\S+)`).FindStringSubmatch(out)
	require.NotNil(t, key, out)
	require.NotNil(t, integ, out)
	require.Contains(t, out, "The dashboard is at "+s.url+"/ (sign in with the API key).")
	curl := out[strings.Index(out, "curl "):]
	curl = strings.TrimSpace(curl)
	cmd := exec.Command("sh", "-c", curl)
	got, err := cmd.CombinedOutput()
	require.NoError(t, err, string(got))
	require.Contains(t, string(got), `"status":"success"`, curl)
	require.Contains(t, string(got), `"DELIVERED"`)
	s.stop(t)
	require.NotContains(t, s.logs.String(), key[1], "the key is printed once on stdout, never logged")

	// A second start of the same database prints nothing new.
	s2 := serve(t, dbURL)
	require.Empty(t, s2.stdout.String())
	var ck map[string]any
	require.Equal(t, 200, get(t, s2.url+"/v1/check-api-key", key[1], "", &ck), "the first key still works")
	s2.stop(t)
}

func TestCLIHelpAndErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"keys", "create", "--help"}, {"integrations", "create", "--help"}, {"integrations", "list", "--help"}} {
		cmd := exec.Command(bin(t), args...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v: %s", args, out)
		require.Contains(t, string(out), "USAGE", args)
	}
	out, _ := exec.Command(bin(t), "serve", "--help").CombinedOutput()
	for _, f := range []string{"-addr", "-database-url", "-sync-deadline", "RESULTLINKS_ADDR", "RESULTLINKS_DATABASE_URL"} {
		require.Contains(t, string(out), f)
	}
	db := "sqlite://" + filepath.Join(t.TempDir(), "cli.db")
	cmd := exec.Command(bin(t), "integrations", "create", "--tool", "nope", "--database-url", db)
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), `unknown tool "nope"`)
	cmd = exec.Command(bin(t), "integrations", "create", "--tool", "sandbox", "--credentials-json", `{"x":1}`, "--database-url", db)
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), `unknown field "x"`)
	cmd = exec.Command(bin(t), "serve", "--database-url", "mysql://x")
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "unknown scheme")

	// Invalid settings fail fast, naming the setting.
	for _, tc := range []struct {
		args, env []string
		msg       string
	}{
		{[]string{"serve", "--sync-deadline", "0s"}, nil, "RESULTLINKS_SYNC_DEADLINE"},
		{[]string{"serve"}, []string{"RESULTLINKS_CONCURRENCY_LIMIT=-1"}, "--concurrency-limit"},
		{[]string{"serve"}, []string{"RESULTLINKS_ADDR=nonsense"}, "--addr"},
		{[]string{"serve", "--log-format", "xml"}, nil, "--log-format"},
		{[]string{"serve", "--tool-url", "greenhouse"}, nil, "--tool-url"},
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/33"}, nil, "--trusted-proxies"},
		{[]string{"serve"}, []string{"RESULTLINKS_TOOL_URL=sandbox=http://127.0.0.1:9"}, "not a tool whose host can be set"},
		{[]string{"config"}, []string{"RESULTLINKS_DATABASE_URL_FILE=/nonexistent/file"}, "RESULTLINKS_DATABASE_URL_FILE"},
	} {
		cmd := exec.Command(bin(t), tc.args...)
		cmd.Env = append(os.Environ(), tc.env...)
		out, err := cmd.CombinedOutput()
		require.Error(t, err, "%v", tc.args)
		require.Contains(t, string(out), tc.msg)
	}

	// config prints the effective settings, a secret from a file, masked.
	secretFile := filepath.Join(t.TempDir(), "db")
	require.NoError(t, os.WriteFile(secretFile, []byte("postgres://svc:hunter2@db.internal:5432/rl\n"), 0o600))
	cfg := run(t, []string{"RESULTLINKS_DATABASE_URL_FILE=" + secretFile, "RESULTLINKS_CONCURRENCY_LIMIT=12"}, "config")
	require.Contains(t, cfg, "postgres://svc:xxxxx@db.internal:5432/rl")
	require.NotContains(t, cfg, "hunter2")
	require.Regexp(t, `concurrency-limit\s+RESULTLINKS_CONCURRENCY_LIMIT\s+12`, cfg)
	require.Equal(t, "dev", run(t, nil, "version"))
}
