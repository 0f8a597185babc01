package smartrecruiters_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

// mint asks the token endpoint for an access token.
func (b *testBundle) mint(t *testing.T, id, secret string) result {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/identity/oauth/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, req)
}

func (b *testBundle) bearer(t *testing.T, token, target string) result {
	t.Helper()
	req := b.request(t, http.MethodGet, target, nil)
	req.Header.Del("X-SmartToken")
	req.Header.Set("Authorization", "Bearer "+token)
	return send(t, req)
}

func TestAPIKeyAuthAndRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 3})
	tests := []struct {
		name       string
		method     string
		path       string
		edit       func(*http.Request)
		wantStatus int
		wantCode   string
	}{
		{name: "good key", method: http.MethodGet, path: "/candidates", wantStatus: http.StatusOK},
		{name: "no key", method: http.MethodGet, path: "/candidates",
			edit: func(r *http.Request) { r.Header.Del("X-SmartToken") }, wantStatus: http.StatusUnauthorized, wantCode: "UNAUTHORIZED"},
		{name: "wrong key", method: http.MethodGet, path: "/candidates",
			edit: func(r *http.Request) { r.Header.Set("X-SmartToken", "nope") }, wantStatus: http.StatusUnauthorized, wantCode: "UNAUTHORIZED"},
		{name: "key as bearer is not a token", method: http.MethodGet, path: "/jobs",
			edit: func(r *http.Request) {
				r.Header.Del("X-SmartToken")
				r.Header.Set("Authorization", "Bearer "+smartrecruiters.DefaultAPIKey)
			}, wantStatus: http.StatusUnauthorized, wantCode: "UNAUTHORIZED"},
		{name: "unknown path routes before auth", method: http.MethodGet, path: "/nope",
			edit: func(r *http.Request) { r.Header.Del("X-SmartToken") }, wantStatus: http.StatusNotFound, wantCode: "NOT_FOUND"},
		{name: "unsupported method", method: http.MethodDelete, path: "/candidates", wantStatus: http.StatusNotFound, wantCode: "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := b.request(t, tt.method, tt.path, nil)
			if tt.edit != nil {
				tt.edit(req)
			}
			res := send(t, req)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, res.errorCode(t))
				require.Empty(t, res.header.Get("X-RateLimit-Remaining"), "errors before auth carry no budget")
			} else {
				require.NotEmpty(t, res.header.Get("X-RateLimit-Remaining"))
			}
		})
	}
}

func TestOAuthClientCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2, TokenTTL: 10 * time.Minute})

	res := b.mint(t, smartrecruiters.DefaultClientID, smartrecruiters.DefaultClientSecret)
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	res.decode(t, &tok)
	require.NotEmpty(t, tok.AccessToken)
	require.Equal(t, "bearer", tok.TokenType)
	require.Equal(t, 600, tok.ExpiresIn)

	require.Equal(t, http.StatusOK, b.bearer(t, tok.AccessToken, "/candidates").status)
	logged := b.fake.Requests()
	require.Equal(t, "bearer", logged[len(logged)-1].Auth)
	require.Equal(t, smartrecruiters.AdminUserID, logged[len(logged)-1].ActingUserID)

	res = b.mint(t, smartrecruiters.DefaultClientID, "wrong")
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.JSONEq(t, `{"error":"invalid_client"}`, string(res.body))

	req, _ := http.NewRequest(http.MethodPost, b.srv.URL+"/identity/oauth/token", strings.NewReader("grant_type=password"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res = send(t, req)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.JSONEq(t, `{"error":"unsupported_grant_type"}`, string(res.body))

	b.clock.Advance(11 * time.Minute)
	res = b.bearer(t, tok.AccessToken, "/candidates")
	require.Equal(t, http.StatusUnauthorized, res.status, "expired token")
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	b.mint(t, smartrecruiters.DefaultClientID, smartrecruiters.DefaultClientSecret).decode(t, &tok)

	b.fake.RevokeCredentials()
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/candidates", nil).status)
	require.Equal(t, http.StatusUnauthorized, b.bearer(t, tok.AccessToken, "/candidates").status)
	require.Equal(t, http.StatusUnauthorized,
		b.mint(t, smartrecruiters.DefaultClientID, smartrecruiters.DefaultClientSecret).status)

	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", nil).status)
	require.Equal(t, http.StatusUnauthorized, b.bearer(t, tok.AccessToken, "/candidates").status,
		"tokens issued before the revocation stay dead")
	require.Equal(t, http.StatusOK, b.mint(t, smartrecruiters.DefaultClientID, smartrecruiters.DefaultClientSecret).status)
}

func TestCredentialsJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{APIKey: "tok-1"})
	require.Equal(t, smartrecruiters.Credentials{APIKey: "tok-1", BaseURL: b.srv.URL}, b.fake.Credentials(b.srv.URL+"/"))
	require.Equal(t, "tok-1", b.fake.APIKey())
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/jobs", nil).status)
	req := b.request(t, http.MethodGet, "/jobs", nil)
	req.Header.Set("X-SmartToken", "tok-1")
	require.Equal(t, http.StatusOK, send(t, req).status)
}
