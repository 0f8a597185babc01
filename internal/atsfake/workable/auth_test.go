package workable_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 2})
	bearer := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	}
	tests := []struct {
		name       string
		edit       func(*http.Request)
		wantStatus int
		wantToken  string
	}{
		{"account token", bearer(workable.DefaultAccessToken), 200, "account"},
		{"partner token with client id", func(r *http.Request) {
			bearer(workable.DefaultPartnerToken)(r)
			r.Header.Set("X-WORKABLE-CLIENT-ID", workable.DefaultPartnerClientID)
		}, 200, "partner"},
		{"partner token without client id", bearer(workable.DefaultPartnerToken), 401, ""},
		{"partner token with another client id", func(r *http.Request) {
			bearer(workable.DefaultPartnerToken)(r)
			r.Header.Set("X-WORKABLE-CLIENT-ID", "someone-else")
		}, 401, ""},
		{"wrong token", bearer("nope"), 401, ""},
		{"token as basic auth", func(r *http.Request) { r.SetBasicAuth(workable.DefaultAccessToken, "") }, 401, ""},
		{"no credentials", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, b.request(t, http.MethodGet, "/candidates", nil, tt.edit))
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			if tt.wantStatus == http.StatusUnauthorized {
				require.JSONEq(t, `{"error":"Not authorized"}`, string(res.body))
			}
		})
	}
}

func TestRevokeCredentialsAndScopes(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 1})
	b.fake.RevokeCredentials()
	res := b.call(t, http.MethodGet, "/candidates", nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, "Not authorized", errorOf(t, res))
	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)

	cand := b.fake.Candidates()[0]
	comment := map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "x"}}
	b.fake.RevokeScope(workable.ScopeWriteComments)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments", comment).status,
		"w_candidates also allows comments")
	b.fake.RevokeScope(workable.ScopeWriteCandidates)
	res = b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments", comment)
	require.Equal(t, http.StatusForbidden, res.status)
	require.Equal(t, "The access token lacks the required scope: w_comments or w_candidates", errorOf(t, res))

	b.fake.RevokeScope(workable.ScopeReadJobs)
	res = b.call(t, http.MethodPatch, "/candidates/"+cand.ID+"/update_custom_attribute_value",
		map[string]any{"custom_attribute_key": "x", "value": "y"})
	require.Equal(t, http.StatusForbidden, res.status, "the attribute write needs r_jobs")
	b.fake.GrantScope(workable.ScopeReadJobs)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/jobs", nil).status)
}

func TestHostAndRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 1, Subdomain: "acme"})
	withHost := func(host string) result {
		return send(t, b.request(t, http.MethodGet, "/candidates", nil, func(r *http.Request) {
			r.Host = host
			r.Header.Set("Authorization", "Bearer "+workable.DefaultAccessToken)
		}))
	}
	require.Equal(t, http.StatusOK, withHost("acme.workable.com").status)
	res := withHost("other.workable.com")
	require.Equal(t, http.StatusNotFound, res.status)
	require.JSONEq(t, `{"error":"Not found"}`, string(res.body))

	for _, path := range []string{b.srv.URL + "/spi/v2/candidates", b.srv.URL + "/spi/v3/nothing"} {
		res := send(t, b.request(t, http.MethodGet, path, nil, nil))
		require.Equal(t, http.StatusNotFound, res.status, "unknown paths are 404 before auth")
		require.JSONEq(t, `{"error":"Not found"}`, string(res.body))
	}
	res = b.call(t, http.MethodDelete, "/candidates", nil)
	require.Equal(t, http.StatusNotFound, res.status)
}
