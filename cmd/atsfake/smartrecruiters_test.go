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

// srOutput is a bytes.Buffer safe for the tool's goroutine and the test.
type srOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *srOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *srOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSmartRecruitersInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	stderr := &srOutput{}
	done := make(chan int, 1)
	go func() {
		code := runSmartRecruiters(ctx, []string{"--addr", "127.0.0.1:0", "--candidates", "12", "--seed", "5", "--api-key", "st-1"}, pw, stderr)
		_ = pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatalf("no ready line; stderr: %s", stderr.String())
	}

	var ready struct {
		Addr        string          `json:"addr"`
		Credentials json.RawMessage `json:"credentials"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &ready), "ready line: %q", line)
	require.True(t, strings.HasPrefix(ready.Addr, "127.0.0.1:"))
	require.NotEqual(t, "127.0.0.1:0", ready.Addr)
	require.JSONEq(t, `{"api_key":"st-1","base_url":"http://`+ready.Addr+`"}`, string(ready.Credentials))
	var creds struct {
		APIKey  string `json:"api_key"`
		BaseURL string `json:"base_url"`
	}
	require.NoError(t, json.Unmarshal(ready.Credentials, &creds))

	req, err := http.NewRequest(http.MethodGet, creds.BaseURL+"/candidates?limit=100", nil)
	require.NoError(t, err)
	req.Header.Set("X-SmartToken", creds.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		TotalFound int               `json:"totalFound"`
		Content    []json.RawMessage `json:"content"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "10", resp.Header.Get("X-RateLimit-Limit"))
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.Equal(t, 12, page.TotalFound)
	require.Len(t, page.Content, 12)

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("runSmartRecruiters did not return after cancel")
	}
	require.Contains(t, stderr.String(), "stopped")
}

func TestSmartRecruitersFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"help explains flags", []string{"--help"}, 0, "-candidates-concurrency"},
		{"help shows the credentials", []string{"--help"}, 0, `"api_key"`},
		{"negative candidates", []string{"--candidates", "-2"}, 2, "must not be negative"},
		{"empty key", []string{"--api-key", ""}, 2, "--api-key must not be empty"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := runSmartRecruiters(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			require.Contains(t, stderr.String(), tt.wantStderr)
			require.Empty(t, stdout.String())
		})
	}
}
