package greenhouse_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

// jwtSub returns the sub claim of a JWT without verifying it.
func jwtSub(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims struct {
		Sub string `json:"sub"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	return claims.Sub
}

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	const form = "application/x-www-form-urlencoded"
	good := [2]string{greenhouse.DefaultClientID, greenhouse.DefaultClientSecret}
	tests := []struct {
		name        string
		query       string
		body        string
		contentType string
		basic       *[2]string
		wantStatus  int
		wantBody    string // exact JSON when set
		check       func(t *testing.T, res result)
	}{
		{
			name: "form body with sub", body: "grant_type=client_credentials&sub=4080", contentType: form,
			basic: &good, wantStatus: http.StatusOK,
			check: func(t *testing.T, res result) {
				var tok map[string]string
				res.decode(t, &tok)
				require.Equal(t, "Bearer", tok["token_type"])
				require.Equal(t, "2026-03-02T13:00:00Z", tok["expires_at"])
				require.Equal(t, "4080", jwtSub(t, tok["access_token"]))
				require.Equal(t, "no-store", res.header.Get("Cache-Control"))
			},
		},
		{
			name: "grant_type in query and no body", query: "?grant_type=client_credentials",
			basic: &good, wantStatus: http.StatusOK,
			check: func(t *testing.T, res result) {
				var tok map[string]string
				res.decode(t, &tok)
				require.Equal(t, "4000", jwtSub(t, tok["access_token"]), "no sub acts as the service user")
			},
		},
		{
			name: "sub in JSON body", query: "?grant_type=client_credentials", body: `{"sub":4081}`,
			contentType: "application/json", basic: &good, wantStatus: http.StatusOK,
			check: func(t *testing.T, res result) {
				var tok map[string]string
				res.decode(t, &tok)
				require.Equal(t, "4081", jwtSub(t, tok["access_token"]))
			},
		},
		{
			name: "no credential", body: "grant_type=client_credentials", contentType: form,
			wantStatus: http.StatusUnauthorized,
			check: func(t *testing.T, res result) {
				e := res.errorBody(t)
				require.Equal(t, "Unauthorized", e.Message)
				require.True(t, strings.HasPrefix(e.ErrorID, "err-"), e.ErrorID)
			},
		},
		{
			name: "client id without suffix", body: "grant_type=client_credentials", contentType: form,
			basic: &[2]string{"nosuffix", "x"}, wantStatus: http.StatusBadRequest,
			check: func(t *testing.T, res result) {
				e := res.errorBody(t)
				require.Equal(t, "client_id=nosuffix does not contain a valid client ID suffix", e.Message)
				require.NotEmpty(t, e.ErrorID)
			},
		},
		{
			name: "wrong secret", body: "grant_type=client_credentials", contentType: form,
			basic: &[2]string{greenhouse.DefaultClientID, "wrong"}, wantStatus: http.StatusUnauthorized,
			wantBody: `{"error":"invalid_client"}`,
		},
		{
			name: "unknown client", body: "grant_type=client_credentials", contentType: form,
			basic: &[2]string{"someone-else-7", "x"}, wantStatus: http.StatusUnauthorized,
			wantBody: `{"error":"invalid_client"}`,
		},
		{
			name: "no grant_type", body: "sub=4080", contentType: form, basic: &good,
			wantStatus: http.StatusBadRequest,
			wantBody:   `{"message":"Must include ` + "`grant_type`" + ` parameter in /token request"}`,
		},
		{
			name: "bad grant_type", query: "?grant_type=password", basic: &good,
			wantStatus: http.StatusBadRequest,
			wantBody: `{"message":"grant_type=password is invalid, please use one of: authorization_code, ` +
				`refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange"}`,
		},
		{
			name: "partner grant is not available", query: "?grant_type=refresh_token", basic: &good,
			wantStatus: http.StatusBadRequest, wantBody: `{"error":"invalid_grant"}`,
		},
		{
			name: "non-numeric sub", body: "grant_type=client_credentials&sub=avery", contentType: form,
			basic: &good, wantStatus: http.StatusBadRequest, wantBody: `{"message":"sub=avery is invalid"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, greenhouse.Options{})
			var body any
			if tt.body != "" {
				body = tt.body
			}
			req := b.request(t, http.MethodPost, "/token"+tt.query, body, func(r *http.Request) {
				r.Header.Del("Content-Type")
				if tt.contentType != "" {
					r.Header.Set("Content-Type", tt.contentType)
				}
				if tt.basic != nil {
					r.SetBasicAuth(tt.basic[0], tt.basic[1])
				}
			})
			res := send(t, req)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			require.Equal(t, "application/json; charset=utf-8", res.header.Get("Content-Type"))
			require.NotEmpty(t, res.header.Get("X-RateLimit-Limit"), "token responses carry the token budget")
			if tt.wantBody != "" {
				require.JSONEq(t, tt.wantBody, string(res.body))
			}
			if tt.check != nil {
				tt.check(t, res)
			}
		})
	}
}

func TestTokenExpires(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 3, TokenTTL: 10 * time.Minute})
	tok := b.adminToken(t)

	res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusOK, res.status)

	b.clock.Advance(10 * time.Minute)
	res = b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.JSONEq(t, wantUnauthorized, string(res.body))

	// A fresh mint works again.
	res = b.call(t, http.MethodGet, "/v3/candidates", b.adminToken(t), nil)
	require.Equal(t, http.StatusOK, res.status)
}

func TestSingleActiveToken(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 1, SingleActiveToken: true})
	first := b.adminToken(t)
	second := b.adminToken(t)
	require.NotEqual(t, first, second)
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/v3/candidates", first, nil).status)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", second, nil).status)
}

func TestTransitionToken(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	post := func(key string, body any) result {
		return send(t, b.request(t, http.MethodPost, "/auth/token", body, func(r *http.Request) {
			r.SetBasicAuth(key, "")
		}))
	}
	res := post("not-the-key", nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.JSONEq(t, `{"message":"Invalid credentials"}`, string(res.body))

	res = post(greenhouse.DefaultAPIKey, map[string]any{"sub": greenhouse.AdminUserID})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var tok map[string]string
	res.decode(t, &tok)
	require.Equal(t, "Bearer", tok["token_type"])
	require.NotEmpty(t, tok["expires"])
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v3/candidates", tok["access_token"], nil).status)
}
