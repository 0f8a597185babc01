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

// leverSyncBuffer is a bytes.Buffer safe to write from the server goroutine while
// the test reads it.
type leverSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *leverSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *leverSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLeverInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr leverSyncBuffer
	done := make(chan int, 1)
	go func() {
		code := runLever(ctx, []string{"--addr", "127.0.0.1:0", "--candidates", "7", "--seed", "3"}, pw, &stderr)
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
		Addr        string            `json:"addr"`
		Credentials map[string]string `json:"credentials"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &ready), "ready line: %q", line)
	require.True(t, strings.HasPrefix(ready.Addr, "127.0.0.1:"))
	require.NotEqual(t, "127.0.0.1:0", ready.Addr)
	require.Equal(t, map[string]string{"api_key": "atsfake-lever-api-key", "base_url": "http://" + ready.Addr}, ready.Credentials)

	req, err := http.NewRequest(http.MethodGet, ready.Credentials["base_url"]+"/v1/opportunities?limit=100", nil)
	require.NoError(t, err)
	req.SetBasicAuth(ready.Credentials["api_key"], "")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Data    []map[string]any `json:"data"`
		HasNext bool             `json:"hasNext"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.GreaterOrEqual(t, len(page.Data), 7, "7 contacts have at least 7 opportunities")
	require.False(t, page.HasNext)

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("runLever did not return after cancel")
	}
	require.Contains(t, stderr.String(), "atsfake lever: stopped")
}

func TestLeverFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"help explains flags", []string{"--help"}, 0, "-rate-burst"},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"empty key", []string{"--api-key", ""}, 2, "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := runLever(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code)
			require.Contains(t, stderr.String(), tt.wantStderr)
			require.Empty(t, stdout.String())
		})
	}
}
