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

// ashbyOutput is a bytes.Buffer safe for the tool's goroutine and the test.
type ashbyOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *ashbyOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *ashbyOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startAshbyTool runs a tool in-process and returns its first stdout line, a
// cancel function and a channel with its exit code.
func startAshbyTool(t *testing.T, run func(context.Context, []string, io.Writer, io.Writer) int, args ...string) (string, context.CancelFunc, <-chan int, *ashbyOutput) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	stderr := &ashbyOutput{}
	done := make(chan int, 1)
	go func() {
		code := run(ctx, args, pw, stderr)
		_ = pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case line := <-lines:
		return line, cancel, done, stderr
	case <-time.After(10 * time.Second):
		t.Fatalf("no ready line; stderr: %s", stderr.String())
		return "", nil, nil, nil
	}
}

func TestAshbyInProcess(t *testing.T) {
	t.Parallel()
	line, cancel, done, stderr := startAshbyTool(t, runAshby, "--addr", "127.0.0.1:0", "--candidates", "7", "--seed", "3", "--api-key", "k-ashby")
	var ready struct {
		Addr        string          `json:"addr"`
		Credentials json.RawMessage `json:"credentials"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &ready), "ready line: %q", line)
	require.True(t, strings.HasPrefix(ready.Addr, "127.0.0.1:"))
	require.NotEqual(t, "127.0.0.1:0", ready.Addr)
	require.JSONEq(t, `{"api_key":"k-ashby","base_url":"http://`+ready.Addr+`"}`, string(ready.Credentials))
	var creds struct {
		APIKey  string `json:"api_key"`
		BaseURL string `json:"base_url"`
	}
	require.NoError(t, json.Unmarshal(ready.Credentials, &creds))

	req, err := http.NewRequest(http.MethodPost, creds.BaseURL+"/candidate.list", strings.NewReader(`{"limit":100}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(creds.APIKey, "")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Success   bool              `json:"success"`
		Results   []json.RawMessage `json:"results"`
		SyncToken string            `json:"syncToken"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.True(t, page.Success)
	require.Len(t, page.Results, 7)
	require.NotEmpty(t, page.SyncToken)

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("runAshby did not return after cancel")
	}
	require.Contains(t, stderr.String(), "stopped")
}

func TestAshbyFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"help explains flags", []string{"--help"}, 0, "-api-key"},
		{"help shows the credentials", []string{"--help"}, 0, `"api_key"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"bad address", []string{"--addr", "256.0.0.1:99999"}, 1, "atsfake ashby"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := runAshby(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			require.Contains(t, stderr.String(), tt.wantStderr)
			require.Empty(t, stdout.String())
		})
	}
}
