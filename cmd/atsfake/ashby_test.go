package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAshbyInProcess(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string          `json:"addr"`
		Credentials json.RawMessage `json:"credentials"`
	}
	stop := startToolInProcess(t, runAshby,
		[]string{"--addr", "127.0.0.1:0", "--candidates", "7", "--seed", "3", "--api-key", "k-ashby"}, &ready)
	requireListening(t, ready.Addr)
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

	requireStops(t, stop, "stopped")
}

func TestAshbyFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runAshby, []flagCase{
		{"help explains flags", []string{"--help"}, 0, "-api-key"},
		{"help shows the credentials", []string{"--help"}, 0, `"api_key"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"bad address", []string{"--addr", "256.0.0.1:99999"}, 1, "atsfake ashby"},
	})
}
