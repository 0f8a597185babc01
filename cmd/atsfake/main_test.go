package main

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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRunUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "help lists tools", args: []string{"--help"}, wantCode: 0, wantStdout: "greenhouse"},
		{name: "no tool", args: nil, wantCode: 2, wantStderr: "Usage: atsfake <tool>"},
		{name: "unknown tool", args: []string{"lever2000"}, wantCode: 2, wantStderr: `unknown tool "lever2000"`},
		{name: "tool help explains flags", args: []string{"greenhouse", "--help"}, wantCode: 0, wantStderr: "-candidates"},
		{name: "bad flag", args: []string{"greenhouse", "--nope"}, wantCode: 2, wantStderr: "flag provided but not defined"},
		{name: "stray argument", args: []string{"greenhouse", "extra"}, wantCode: 2, wantStderr: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			require.Contains(t, stdout.String(), tt.wantStdout)
			require.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}

// goTool finds the go command; go test puts its own GOROOT/bin first on
// the PATH of test processes.
func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	require.NoError(t, err, "go command needed to build cmd/atsfake")
	return p
}

func TestGreenhouseProcess(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "atsfake")
	build := exec.Command(goTool(t), "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	cmd := exec.Command(bin, "greenhouse", "--addr", "127.0.0.1:0", "--candidates", "30", "--seed", "4")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		// Harmless when the process has already exited.
		_ = cmd.Process.Kill()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
		}
	})

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("no ready line; stderr: %s", stderr.String())
	}
	var ready struct {
		Addr        string `json:"addr"`
		Credentials struct {
			APIVersion   string `json:"api_version"`
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
			BaseURL      string `json:"base_url"`
			AuthURL      string `json:"auth_url"`
		} `json:"credentials"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &ready), "ready line: %q", line)
	requireListening(t, ready.Addr)
	require.Equal(t, "v3", ready.Credentials.APIVersion)
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.BaseURL)
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.AuthURL)

	// Mint a token with the printed credentials, then list candidates.
	req, err := http.NewRequest(http.MethodPost, ready.Credentials.AuthURL+"/token",
		strings.NewReader("grant_type=client_credentials"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ready.Credentials.ClientID, ready.Credentials.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresAt   string `json:"expires_at"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	require.NotEmpty(t, tok.ExpiresAt)

	req, err = http.NewRequest(http.MethodGet, ready.Credentials.BaseURL+"/v3/candidates?per_page=500", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var cands []map[string]any
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cands))
	resp.Body.Close()
	require.Len(t, cands, 30)

	// SIGINT stops it cleanly.
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		require.NoError(t, err, "stderr: %s", stderr.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("atsfake did not stop on SIGINT; stderr: %s", stderr.String())
	}
	require.Contains(t, stderr.String(), "stopped")
}
