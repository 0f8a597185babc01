package ashby_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestAuthAndRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		edit       func(r *http.Request)
		endpoint   string
		body       any
		wantStatus int
		wantCode   string // "" means success
	}{
		{name: "good key", endpoint: "candidate.list", body: map[string]any{}, wantStatus: http.StatusOK},
		{name: "empty body is an empty object", endpoint: "candidate.list", wantStatus: http.StatusOK},
		{name: "no key", endpoint: "candidate.list", edit: func(r *http.Request) { r.Header.Del("Authorization") },
			wantStatus: http.StatusUnauthorized, wantCode: "unauthenticated"},
		{name: "bearer is not basic", endpoint: "candidate.list",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+ashby.DefaultAPIKey) },
			wantStatus: http.StatusUnauthorized, wantCode: "unauthenticated"},
		{name: "wrong key", endpoint: "candidate.list", edit: func(r *http.Request) { r.SetBasicAuth("nope", "") },
			wantStatus: http.StatusForbidden, wantCode: "invalid_api_key"},
		{name: "GET is not served", endpoint: "candidate.list", edit: func(r *http.Request) { r.Method = http.MethodGet },
			wantStatus: http.StatusNotFound, wantCode: "endpoint_not_found"},
		{name: "unknown endpoint routes before auth", endpoint: "candidate.explode",
			edit:       func(r *http.Request) { r.Header.Del("Authorization") },
			wantStatus: http.StatusNotFound, wantCode: "endpoint_not_found"},
		{name: "form body is a logical failure", endpoint: "candidate.list", body: "limit=5",
			edit:       func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") },
			wantStatus: http.StatusOK, wantCode: "invalid_input"},
		{name: "broken JSON is a logical failure", endpoint: "candidate.list", body: `{"limit":`,
			wantStatus: http.StatusOK, wantCode: "invalid_input"},
		{name: "missing permission", endpoint: "customField.create", body: map[string]any{},
			wantStatus: http.StatusForbidden, wantCode: "missing_endpoint_permission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			perms := []string{ashby.PermCandidatesRead, ashby.PermCandidatesWrite}
			b := setup(t, ashby.Options{Candidates: 2, Permissions: perms})
			req := b.request(t, tt.endpoint, tt.body)
			if tt.edit != nil {
				tt.edit(req)
			}
			res := send(t, req)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			if tt.wantCode == "" {
				var p page[ashby.Candidate]
				res.decode(t, &p)
				require.True(t, p.Success)
				require.Len(t, p.Results, 2)
				return
			}
			e := res.failure(t)
			require.Equal(t, tt.wantCode, e.ErrorInfo.Code)
			require.NotEmpty(t, e.ErrorInfo.Message)
			require.True(t, strings.HasPrefix(e.ErrorInfo.RequestID, "01"))
			logged := b.fake.Requests()
			require.Equal(t, tt.wantCode, logged[len(logged)-1].ErrorCode)
		})
	}
}

func TestPermissionsAndRevocation(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 3})
	cand := b.fake.Candidates()[0]
	note := map[string]any{"candidateId": cand.ID, "note": "hello"}

	b.ok(t, "candidate.createNote", note, nil)
	require.Equal(t, ashby.AdminUserID, b.fake.Requests()[0].ActingUserID)

	b.fake.RevokePermission(ashby.PermCandidatesWrite)
	res := b.call(t, "candidate.createNote", note)
	require.Equal(t, http.StatusForbidden, res.status)
	require.Equal(t, "missing_endpoint_permission", res.failure(t).ErrorInfo.Code)
	require.Contains(t, res.failure(t).ErrorInfo.Message, ashby.PermCandidatesWrite)
	b.ok(t, "candidate.list", nil, nil) // reads still work
	b.fake.GrantPermission(ashby.PermCandidatesWrite)
	b.ok(t, "candidate.createNote", note, nil)

	b.fake.RevokeCredentials()
	res = b.call(t, "candidate.list", nil)
	require.Equal(t, http.StatusForbidden, res.status)
	require.Equal(t, "invalid_api_key", res.failure(t).ErrorInfo.Code)
	b.fake.RestoreCredentials()
	b.ok(t, "candidate.list", nil, nil)
	require.Len(t, b.fake.CandidateNotes(cand.ID), 2, "the refused write stored nothing")
}

func TestCustomKeyAndCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{APIKey: "k-123", Candidates: 1})
	require.Equal(t, "k-123", b.fake.APIKey())
	creds := b.fake.Credentials(b.srv.URL + "/")
	require.Equal(t, ashby.Credentials{APIKey: "k-123", BaseURL: b.srv.URL}, creds)

	res := b.call(t, "candidate.list", nil) // default key
	require.Equal(t, http.StatusForbidden, res.status)
	req := b.request(t, "candidate.list", nil)
	req.SetBasicAuth("k-123", "")
	require.Equal(t, http.StatusOK, send(t, req).status)

	var info ashby.APIKeyInfo
	req = b.request(t, "apiKey.info", nil)
	req.SetBasicAuth("k-123", "")
	res = send(t, req)
	var env one[ashby.APIKeyInfo]
	res.decode(t, &env)
	info = env.Results
	require.True(t, env.Success)
	require.NotEmpty(t, info.Title)
}
