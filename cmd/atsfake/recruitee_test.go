package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer safe to read while a tool writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startToolInProcess runs a tool in-process on 127.0.0.1:0, decodes its first stdout
// line into ready and returns a stop function that cancels it and returns
// its exit code and stderr.
func startToolInProcess(t *testing.T, run func(context.Context, []string, io.Writer, io.Writer) int, args []string,
	ready any,
) func() (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		code := run(ctx, args, pw, &stderr)
		_ = pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	stop := func() (int, string) {
		cancel()
		select {
		case code := <-done:
			return code, stderr.String()
		case <-time.After(10 * time.Second):
			t.Fatalf("tool did not stop; stderr: %s", stderr.String())
			return -1, ""
		}
	}
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		stop()
		t.Fatalf("no ready line; stderr: %s", stderr.String())
	}
	require.NoError(t, json.Unmarshal([]byte(line), ready), "ready line: %q", line)
	return stop
}

func TestRecruiteeRun(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string `json:"addr"`
		Credentials struct {
			CompanyID string `json:"company_id"`
			APIToken  string `json:"api_token"`
			BaseURL   string `json:"base_url"`
		} `json:"credentials"`
	}
	stop := startToolInProcess(t, runRecruitee, []string{"--candidates", "7", "--seed", "3", "--company-id", "4242"}, &ready)
	require.True(t, strings.HasPrefix(ready.Addr, "127.0.0.1:"))
	require.NotEqual(t, "127.0.0.1:0", ready.Addr)
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.BaseURL)
	require.Equal(t, "4242", ready.Credentials.CompanyID)

	req, err := http.NewRequest(http.MethodGet,
		ready.Credentials.BaseURL+"/c/"+ready.Credentials.CompanyID+"/candidates?limit=100", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+ready.Credentials.APIToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Candidates []map[string]any `json:"candidates"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.Len(t, page.Candidates, 7)

	code, stderr := stop()
	require.Equal(t, 0, code, "stderr: %s", stderr)
	require.Contains(t, stderr, "stopped")
}

func TestRecruiteeFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		wantCode   int
		wantStderr string
	}{
		{args: []string{"--help"}, wantCode: 0, wantStderr: "-api-token"},
		{args: []string{"--candidates", "-1"}, wantCode: 2, wantStderr: "must not be negative"},
		{args: []string{"extra"}, wantCode: 2, wantStderr: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := runRecruitee(context.Background(), tt.args, &stdout, &stderr)
		require.Equal(t, tt.wantCode, code, "%v: %s", tt.args, stderr.String())
		require.Contains(t, stderr.String(), tt.wantStderr)
		require.Empty(t, stdout.String())
	}
}
