package main

import (
	"encoding/json"
	"net/http"
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
	requireListening(t, ready.Addr)
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

	requireStops(t, stop, "stopped")
}

func TestTeamtailorFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runTeamtailor, []flagCase{
		{args: []string{"--help"}, wantCode: 0, wantStderr: "-api-version"},
		{args: []string{"--api-version", "latest"}, wantCode: 2, wantStderr: "YYYYMMDD"},
		{args: []string{"--candidates", "-3"}, wantCode: 2, wantStderr: "must not be negative"},
	})
}
