package greenhouse_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func TestV3AuthAndRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 4})
	other := setup(t, greenhouse.Options{Candidates: 4})
	admin := b.adminToken(t)
	recruiter := b.mint(t, strconv.FormatInt(greenhouse.RecruiterUserID, 10))
	nobody := b.mint(t, "999999")
	foreign := other.adminToken(t)
	candID := b.fake.Candidates()[0].ID

	tests := []struct {
		name       string
		method     string
		path       string
		edit       func(*http.Request)
		body       any
		wantStatus int
		wantBody   string
	}{
		{name: "no token", method: http.MethodGet, path: "/v3/candidates",
			wantStatus: http.StatusUnauthorized, wantBody: wantUnauthorized},
		{name: "garbage token", method: http.MethodGet, path: "/v3/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer not.a.jwt") },
			wantStatus: http.StatusUnauthorized, wantBody: wantUnauthorized},
		{name: "token of another account", method: http.MethodGet, path: "/v3/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+foreign) },
			wantStatus: http.StatusUnauthorized, wantBody: wantUnauthorized},
		{name: "basic auth is not accepted on v3", method: http.MethodGet, path: "/v3/candidates",
			edit: func(r *http.Request) {
				r.SetBasicAuth(greenhouse.DefaultClientID, greenhouse.DefaultClientSecret)
			},
			wantStatus: http.StatusUnauthorized, wantBody: wantUnauthorized},
		{name: "unknown path routes before auth", method: http.MethodGet, path: "/v3/bogus",
			wantStatus: http.StatusNotFound, wantBody: `{"message":"Resource not found"}`},
		{name: "no GET by id", method: http.MethodGet, path: "/v3/candidates/" + strconv.FormatInt(candID, 10),
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+admin) },
			wantStatus: http.StatusNotFound, wantBody: `{"message":"Resource not found"}`},
		{name: "unsupported method", method: http.MethodDelete, path: "/v3/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+admin) },
			wantStatus: http.StatusNotFound, wantBody: `{"message":"Resource not found"}`},
		{name: "admin reads", method: http.MethodGet, path: "/v3/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+admin) },
			wantStatus: http.StatusOK},
		{name: "non site admin cannot read", method: http.MethodGet, path: "/v3/applications",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+recruiter) },
			wantStatus: http.StatusForbidden, wantBody: `{"message":"Forbidden"}`},
		{name: "non site admin can write", method: http.MethodPatch, path: "/v3/candidates/" + strconv.FormatInt(candID, 10),
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+recruiter) },
			body:       map[string]any{"title": "Staff Engineer"},
			wantStatus: http.StatusOK},
		{name: "sub naming no user", method: http.MethodGet, path: "/v3/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+nobody) },
			wantStatus: http.StatusForbidden, wantBody: `{"message":"Forbidden"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, b.request(t, tt.method, tt.path, tt.body, tt.edit))
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			if tt.wantBody != "" {
				require.JSONEq(t, tt.wantBody, string(res.body))
			}
			require.Equal(t, "application/json; charset=utf-8", res.header.Get("Content-Type"))
			require.Equal(t, "75", res.header.Get("X-RateLimit-Limit"), "every v3 response carries the budget")
		})
	}
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	tok := b.adminToken(t)
	v1 := func() int {
		return send(t, b.request(t, http.MethodGet, "/v1/candidates", nil, func(r *http.Request) {
			r.SetBasicAuth(greenhouse.DefaultAPIKey, "")
		})).status
	}
	require.Equal(t, http.StatusOK, v1())

	b.fake.RevokeCredentials()
	res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.JSONEq(t, wantUnauthorized, string(res.body))
	mint := send(t, b.request(t, http.MethodPost, "/token?grant_type=client_credentials", nil, func(r *http.Request) {
		r.SetBasicAuth(greenhouse.DefaultClientID, greenhouse.DefaultClientSecret)
	}))
	require.Equal(t, http.StatusUnauthorized, mint.status)
	require.JSONEq(t, `{"error":"invalid_client"}`, string(mint.body))
	require.Equal(t, http.StatusUnauthorized, v1())

	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status,
		"tokens from before the revocation stay dead")
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", b.adminToken(t), nil).status)
	require.Equal(t, http.StatusOK, v1())
}

func TestRevokeTokens(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	tok := b.adminToken(t)
	b.fake.RevokeTokens()
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", b.adminToken(t), nil).status)
}

func TestRevokeScope(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	tok := b.adminToken(t)

	b.fake.RevokeScope("harvest:candidates:list")
	res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusForbidden, res.status)
	require.JSONEq(t, `{"message":"Forbidden"}`, string(res.body))
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/applications", tok, nil).status)

	b.fake.GrantScope("harvest:candidates:list")
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).status)
}
