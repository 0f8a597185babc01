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

// workableSyncBuffer is a bytes.Buffer safe to write from the server
// goroutine while the test reads it.
type workableSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *workableSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *workableSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWorkableInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr workableSyncBuffer
	done := make(chan int, 1)
	go func() {
		code := runWorkable(ctx, []string{"--addr", "127.0.0.1:0", "--candidates", "30", "--seed", "2", "--subdomain", "acme"}, pw, &stderr)
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
	require.Equal(t, map[string]string{
		"subdomain":    "acme",
		"access_token": "atsfake-workable-access-token",
		"base_url":     "http://" + ready.Addr,
	}, ready.Credentials)

	req, err := http.NewRequest(http.MethodGet, ready.Credentials["base_url"]+"/spi/v3/candidates?limit=10", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+ready.Credentials["access_token"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Candidates []map[string]any `json:"candidates"`
		Paging     struct {
			Next string `json:"next"`
		} `json:"paging"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "10", resp.Header.Get("X-Rate-Limit-Limit"))
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.Len(t, page.Candidates, 10)
	require.True(t, strings.HasPrefix(page.Paging.Next, ready.Credentials["base_url"]+"/spi/v3/candidates?"),
		"paging.next leads back to the fake: %s", page.Paging.Next)

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("runWorkable did not return after cancel")
	}
	require.Contains(t, stderr.String(), "atsfake workable: stopped")
}

func TestWorkableFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"help explains flags", []string{"--help"}, 0, "-partner-rate-limit"},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"empty subdomain", []string{"--subdomain", ""}, 2, "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := runWorkable(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code)
			require.Contains(t, stderr.String(), tt.wantStderr)
			require.Empty(t, stdout.String())
		})
	}
}
