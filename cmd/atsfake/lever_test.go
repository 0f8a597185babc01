package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLeverInProcess(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string            `json:"addr"`
		Credentials map[string]string `json:"credentials"`
	}
	stop := startToolInProcess(t, runLever, []string{"--addr", "127.0.0.1:0", "--candidates", "7", "--seed", "3"}, &ready)
	requireListening(t, ready.Addr)
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

	requireStops(t, stop, "atsfake lever: stopped")
}

func TestLeverFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runLever, []flagCase{
		{"help explains flags", []string{"--help"}, 0, "-rate-burst"},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"empty key", []string{"--api-key", ""}, 2, "must not be empty"},
	})
}
