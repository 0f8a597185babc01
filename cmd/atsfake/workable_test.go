package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWorkableInProcess(t *testing.T) {
	t.Parallel()
	var ready struct {
		Addr        string            `json:"addr"`
		Credentials map[string]string `json:"credentials"`
	}
	stop := startToolInProcess(t, runWorkable,
		[]string{"--addr", "127.0.0.1:0", "--candidates", "30", "--seed", "2", "--subdomain", "acme"}, &ready)
	requireListening(t, ready.Addr)
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

	requireStops(t, stop, "atsfake workable: stopped")
}

func TestWorkableFlags(t *testing.T) {
	t.Parallel()
	checkFlags(t, runWorkable, []flagCase{
		{"help explains flags", []string{"--help"}, 0, "-partner-rate-limit"},
		{"bad flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"negative candidates", []string{"--candidates", "-1"}, 2, "must not be negative"},
		{"empty subdomain", []string{"--subdomain", ""}, 2, "must not be empty"},
	})
}
