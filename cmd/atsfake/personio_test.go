package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPersonioRun(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string `json:"addr"`
		Credentials struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
			BaseURL      string `json:"base_url"`
		} `json:"credentials"`
	}
	stop := startToolInProcess(t, runPersonio, []string{"--candidates", "9", "--seed", "4"}, &ready)
	requireListening(t, ready.Addr)
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.BaseURL)

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {ready.Credentials.ClientID},
		"client_secret": {ready.Credentials.ClientSecret}}
	resp, err := http.Post(ready.Credentials.BaseURL+"/v2/auth/token", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()

	req, err := http.NewRequest(http.MethodGet, ready.Credentials.BaseURL+"/v2/recruiting/candidates?limit=50", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Beta", "true")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Data []map[string]any `json:"_data"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.Len(t, page.Data, 9)

	requireStops(t, stop, "stopped")
}

func TestPersonioFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runPersonio, []flagCase{
		{args: []string{"--help"}, wantCode: 0, wantStderr: "-client-secret"},
		{args: []string{"--candidates", "-1"}, wantCode: 2, wantStderr: "must not be negative"},
		{args: []string{"--addr", "256.0.0.1:99999"}, wantCode: 1, wantStderr: "atsfake personio:"},
	})
}
