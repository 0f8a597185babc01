package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTeamtailorRun(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string `json:"addr"`
		Credentials struct {
			APIKey  string `json:"api_key"`
			BaseURL string `json:"base_url"`
		} `json:"credentials"`
	}
	stop := startToolInProcess(t, runTeamtailor, []string{"--candidates", "12", "--seed", "2"}, &ready)
	require.True(t, strings.HasPrefix(ready.Addr, "127.0.0.1:"))
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.BaseURL)
	require.NotEmpty(t, ready.Credentials.APIKey)

	req, err := http.NewRequest(http.MethodGet, ready.Credentials.BaseURL+"/v1/candidates?page[size]=30", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token token="+ready.Credentials.APIKey)
	req.Header.Set("X-Api-Version", "20240904")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var doc struct {
		Data []map[string]any `json:"data"`
		Meta map[string]any   `json:"meta"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/vnd.api+json", resp.Header.Get("Content-Type"))
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
	resp.Body.Close()
	require.Len(t, doc.Data, 12)

	code, stderr := stop()
	require.Equal(t, 0, code, "stderr: %s", stderr)
	require.Contains(t, stderr, "stopped")
}

func TestTeamtailorFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		wantCode   int
		wantStderr string
	}{
		{args: []string{"--help"}, wantCode: 0, wantStderr: "-api-version"},
		{args: []string{"--api-version", "latest"}, wantCode: 2, wantStderr: "YYYYMMDD"},
		{args: []string{"--candidates", "-3"}, wantCode: 2, wantStderr: "must not be negative"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := runTeamtailor(context.Background(), tt.args, &stdout, &stderr)
		require.Equal(t, tt.wantCode, code, "%v: %s", tt.args, stderr.String())
		require.Contains(t, stderr.String(), tt.wantStderr)
		require.Empty(t, stdout.String())
	}
}
