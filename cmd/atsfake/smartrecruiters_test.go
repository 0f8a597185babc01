package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmartRecruitersInProcess(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string          `json:"addr"`
		Credentials json.RawMessage `json:"credentials"`
	}
	stop := startToolInProcess(t, runSmartRecruiters,
		[]string{"--addr", "127.0.0.1:0", "--candidates", "12", "--seed", "5", "--api-key", "st-1"}, &ready)
	requireListening(t, ready.Addr)
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

	requireStops(t, stop, "stopped")
}

func TestSmartRecruitersFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runSmartRecruiters, []flagCase{
		{"help explains flags", []string{"--help"}, 0, "-candidates-concurrency"},
		{"help shows the credentials", []string{"--help"}, 0, `"api_key"`},
		{"negative candidates", []string{"--candidates", "-2"}, 2, "must not be negative"},
		{"empty key", []string{"--api-key", ""}, 2, "--api-key must not be empty"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
	})
}
