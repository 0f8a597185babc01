package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// command runs a program to its end and returns its combined output.
func command(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cli runs one resultlinks command on a database and returns its stdout,
// trimmed.
func (e *env) cli(ctx context.Context, dbURL string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, e.binary, args...)
	cmd.Env = append(e.environ(dbURL), "RESULTLINKS_DATABASE_URL="+dbURL)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("resultlinks %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// environ is the environment of a resultlinks process on dbURL: a
// PostgreSQL database needs RESULTLINKS_SECRET_KEY (every process sharing
// it must seal credentials with the same key), which the harness makes up
// once per run unless the environment has one; SQLite keeps a key file
// beside the database.
func (e *env) environ(dbURL string) []string {
	out := os.Environ()
	if strings.HasPrefix(dbURL, "postgres") && os.Getenv("RESULTLINKS_SECRET_KEY") == "" {
		out = append(out, "RESULTLINKS_SECRET_KEY="+e.secretKey)
	}
	return out
}

// liftKeyLimits raises the server's per-API-key request limits out of the
// way (a server without them ignores these variables), so that the load of
// one key measures the request path rather than that limiter.
var liftKeyLimits = []string{
	"RESULTLINKS_KEY_RATE_LIMIT=1000000", "RESULTLINKS_KEY_BURST=1000000", "RESULTLINKS_KEY_CONCURRENCY=100000",
}

var keyLimitFlag = regexp.MustCompile(`-(key-rate-limit|key-burst|key-concurrency)\s+(\S+)`)

// keyLimitDefaults reads the per-key limits and their defaults from
// `resultlinks serve --help`.
func keyLimitDefaults(ctx context.Context, binary string) map[string]string {
	out, _ := exec.CommandContext(ctx, binary, "serve", "--help").CombinedOutput()
	m := map[string]string{}
	for _, f := range keyLimitFlag.FindAllStringSubmatch(string(out), -1) {
		m[f[1]] = f[2]
	}
	return m
}

// tail keeps the last lines written to it.
type tail struct {
	mu    sync.Mutex
	lines []string
	max   int
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// server is a running `resultlinks serve`.
type rlServer struct {
	cmd     *exec.Cmd
	url     string
	logs    *tail
	exited  chan struct{} // closed when the process has ended
	waitErr error         // how it ended, once exited is closed
}

// check answers an error when the server is no longer running.
func (s *rlServer) check() error {
	select {
	case <-s.exited:
		return fmt.Errorf("resultlinks serve exited unexpectedly (%v); its last log lines:\n%s", s.waitErr, s.logs)
	default:
		return nil
	}
}

var listening = regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`)

// serve starts the binary on a free port and waits until it listens. Its
// log lines are read (and dropped but for the last ones) as they come.
func (e *env) serve(ctx context.Context, dbURL string, extra ...string) (*rlServer, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--shutdown-timeout", "5s"}, extra...)
	cmd := exec.Command(e.binary, args...)
	cmd.Env = append(e.environ(dbURL), liftKeyLimits...)
	cmd.Stdout = io.Discard
	s := &rlServer{cmd: cmd, logs: &tail{max: 50}, exited: make(chan struct{})}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			s.logs.add(line)
			if !found {
				if m := listening.FindStringSubmatch(line); m != nil {
					found = true
					addr <- m[1]
				}
			}
		}
		io.Copy(io.Discard, stderr)
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	select {
	case a := <-addr:
		s.url = "http://" + a
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("resultlinks serve exited: %v\n%s", s.waitErr, s.logs)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("resultlinks serve did not listen within 60s:\n%s", s.logs)
	case <-ctx.Done():
		cmd.Process.Kill()
		return nil, ctx.Err()
	}
}

// stop ends the server with SIGTERM, or SIGKILL when it does not stop.
func (s *rlServer) stop() {
	if s == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// rlClient talks to a resultlinks server.
type rlClient struct {
	url, key, integration string
	http                  *http.Client
}

func newClient(url, key, integration string) *rlClient {
	return &rlClient{url: url, key: key, integration: integration, http: &http.Client{Timeout: 60 * time.Second}}
}

func (c *rlClient) get(ctx context.Context, path string, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if c.integration != "" {
		req.Header.Set("X-Integration-Id", c.integration)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, fmt.Errorf("GET %s: %w", path, err)
		}
	}
	return res.StatusCode, nil
}

// application is what the harness needs of a listed application.
type application struct {
	ID        string `json:"id"`
	RemoteID  string `json:"remote_id"`
	Candidate struct {
		ID       string `json:"id"`
		RemoteID string `json:"remote_id"`
	} `json:"candidate"`
}

// applications lists up to n of the integration's applications (all when n
// is 0) through GET /v1/ats/applications.
func (c *rlClient) applications(ctx context.Context, n int) ([]application, error) {
	var out []application
	cursor := ""
	for n == 0 || len(out) < n {
		var page struct {
			Data struct {
				Next    *string       `json:"next"`
				Results []application `json:"results"`
			} `json:"data"`
		}
		q := "/v1/ats/applications?page_size=250"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		if _, err := c.get(ctx, q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Data.Results...)
		if page.Data.Next == nil || *page.Data.Next == "" {
			break
		}
		cursor = *page.Data.Next
	}
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// pending reports whether any result link is QUEUED or DELIVERING.
func (c *rlClient) pending(ctx context.Context) (bool, error) {
	for _, st := range []string{"QUEUED", "DELIVERING"} {
		var page struct {
			Data struct {
				Results []json.RawMessage `json:"results"`
			} `json:"data"`
		}
		if _, err := c.get(ctx, "/v1/result-links?page_size=1&status="+st, &page); err != nil {
			return false, err
		}
		if len(page.Data.Results) > 0 {
			return true, nil
		}
	}
	return false, nil
}

// countStatus counts the result links with a status by paging the ledger.
func (c *rlClient) countStatus(ctx context.Context, status string) (int, error) {
	n := 0
	cursor := ""
	for {
		var page struct {
			Data struct {
				Next    *string           `json:"next"`
				Results []json.RawMessage `json:"results"`
			} `json:"data"`
		}
		q := "/v1/result-links?page_size=250&status=" + status
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		if _, err := c.get(ctx, q, &page); err != nil {
			return n, err
		}
		n += len(page.Data.Results)
		if page.Data.Next == nil || *page.Data.Next == "" {
			return n, nil
		}
		cursor = *page.Data.Next
	}
}

// metric sums the samples of a Prometheus counter on /metrics whose labels
// contain every one of the given label pairs (e.g. `state="DELIVERED"`).
func (c *rlClient) metric(ctx context.Context, name string, labels ...string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(line, l)
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			sum += v
		}
	}
	return sum, sc.Err()
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// pgSchema creates a fresh schema in the database base names and returns a
// URL whose search_path selects it, and a function that drops it.
func pgSchema(ctx context.Context, base, prefix string) (string, func(), error) {
	var b [6]byte
	rand.Read(b[:])
	schema := prefix + hex.EncodeToString(b[:])
	if err := pgExec(ctx, base, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop := func() {
		if err := pgExec(context.Background(), base, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			logf("dropping schema %s: %v", schema, err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func pgExec(ctx context.Context, databaseURL, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// newSecretKey returns a random base64 AES-256 key.
func newSecretKey() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// redactURL hides a password in a database URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// procStatus reads one field (in kB) of /proc/<pid>/status; pid "self" is
// this process.
func procStatus(pid, field string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
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
