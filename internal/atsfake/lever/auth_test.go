package lever_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

const wantUnauthorized = `{"code":"UnauthorizedError","message":"Invalid API key or access token"}`

func TestAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 2})
	tests := []struct {
		name       string
		auth       func(*http.Request)
		wantStatus int
		wantCred   string
	}{
		{"basic key with empty password", func(r *http.Request) { r.SetBasicAuth(lever.DefaultAPIKey, "") }, 200, "basic"},
		{"basic key with a password too", func(r *http.Request) { r.SetBasicAuth(lever.DefaultAPIKey, "x") }, 200, "basic"},
		{"oauth bearer token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+lever.DefaultOAuthToken) }, 200, "bearer"},
		{"wrong key", func(r *http.Request) { r.SetBasicAuth("nope", "") }, 401, ""},
		{"key as bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+lever.DefaultAPIKey) }, 401, ""},
		{"token as basic", func(r *http.Request) { r.SetBasicAuth(lever.DefaultOAuthToken, "") }, 401, ""},
		{"garbled basic", func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") }, 401, ""},
		{"no credentials", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, b.request(t, http.MethodGet, "/v1/stages", nil, tt.auth))
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			require.Equal(t, "global", res.header.Get("X-Lever-Region"))
			if tt.wantStatus == http.StatusUnauthorized {
				require.JSONEq(t, wantUnauthorized, string(res.body))
			}
		})
	}
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	b.fake.RevokeCredentials()
	res := b.call(t, http.MethodGet, "/v1/opportunities", nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.JSONEq(t, wantUnauthorized, string(res.body))
	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities", nil).status)
}

func TestRevokePermission(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	b.fake.RevokePermission(lever.PermNotesWrite)
	res := b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/notes", map[string]any{"value": "x"})
	require.Equal(t, http.StatusForbidden, res.status)
	require.Equal(t, lever.ErrorBody{Code: "ForbiddenError", Message: "This credential does not have the notes:write:admin permission"}, res.errorBody(t))
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID+"/notes", nil).status,
		"reading notes needs another permission")
	b.fake.GrantPermission(lever.PermNotesWrite)
	require.Equal(t, http.StatusCreated, b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/notes", map[string]any{"value": "x"}).status)
}

func TestRoutingBeforeAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	res := send(t, b.request(t, http.MethodGet, "/v1/nothing", nil, nil))
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, lever.ErrorBody{Code: "ResourceNotFound", Message: "/v1/nothing does not exist"}, res.errorBody(t))

	res = send(t, b.request(t, http.MethodDelete, "/v1/opportunities", nil, nil))
	require.Equal(t, http.StatusMethodNotAllowed, res.status)
	require.Equal(t, "MethodNotAllowed", res.errorBody(t).Code)
	require.Equal(t, "GET", res.header.Get("Allow"))
}

func TestPerformAs(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	path := "/v1/opportunities/" + opp.ID + "/notes"
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantUser   string
		wantMsg    string
	}{
		{"default is the key owner", "", http.StatusCreated, lever.AdminUserID, ""},
		{"recruiter", "?perform_as=" + lever.RecruiterUserID, http.StatusCreated, lever.RecruiterUserID, ""},
		{"unknown user", "?perform_as=00000000-0000-4000-8000-000000000000", http.StatusBadRequest, "",
			"perform_as: no user with id 00000000-0000-4000-8000-000000000000"},
		{"deactivated user", "?perform_as=" + lever.DeactivatedUserID, http.StatusBadRequest, "",
			"perform_as: user " + lever.DeactivatedUserID + " is deactivated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.call(t, http.MethodPost, path+tt.query, map[string]any{"value": "by " + tt.name})
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			if tt.wantStatus != http.StatusCreated {
				require.Equal(t, lever.ErrorBody{Code: "BadRequestError", Message: tt.wantMsg}, res.errorBody(t))
				return
			}
			var got lever.Item[lever.Note]
			res.decode(t, &got)
			require.Equal(t, tt.wantUser, got.Data.User)
			require.Equal(t, tt.wantUser, got.Data.Fields[0].User)
			logged := b.fake.Requests()
			require.Equal(t, tt.wantUser, logged[len(logged)-1].ActingUserID)
		})
	}
}
