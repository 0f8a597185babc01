package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRecruiteeRun(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string `json:"addr"`
		Credentials struct {
			CompanyID string `json:"company_id"`
			APIToken  string `json:"api_token"`
			BaseURL   string `json:"base_url"`
		} `json:"credentials"`
	}
	stop := startToolInProcess(t, runRecruitee, []string{"--candidates", "7", "--seed", "3", "--company-id", "4242"}, &ready)
	requireListening(t, ready.Addr)
	require.Equal(t, "http://"+ready.Addr, ready.Credentials.BaseURL)
	require.Equal(t, "4242", ready.Credentials.CompanyID)

	req, err := http.NewRequest(http.MethodGet,
		ready.Credentials.BaseURL+"/c/"+ready.Credentials.CompanyID+"/candidates?limit=100", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+ready.Credentials.APIToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct {
		Candidates []map[string]any `json:"candidates"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	require.Len(t, page.Candidates, 7)

	requireStops(t, stop, "stopped")
}

func TestRecruiteeFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runRecruitee, []flagCase{
		{args: []string{"--help"}, wantCode: 0, wantStderr: "-api-token"},
		{args: []string{"--candidates", "-1"}, wantCode: 2, wantStderr: "must not be negative"},
		{args: []string{"extra"}, wantCode: 2, wantStderr: `unexpected argument "extra"`},
	})
}
