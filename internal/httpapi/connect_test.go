package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/stretchr/testify/require"
)

func TestCreateConnectLinkValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.Config{})
	auth := map[string]string{"Authorization": "Bearer " + b.key}
	cases := []struct {
		name, body, field string
	}{
		{"not JSON", `nope`, "body"},
		{"unknown key", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","colour":"red"}`, "body"},
		{"no email", `{"end_user_organization_name":"Acme"}`, "end_user_email"},
		{"bad email", `{"end_user_email":"hr at acme","end_user_organization_name":"Acme"}`, "end_user_email"},
		{"no organisation", `{"end_user_email":"hr@acme.example","end_user_organization_name":"  "}`, "end_user_organization_name"},
		{"long organisation", `{"end_user_email":"hr@acme.example","end_user_organization_name":"` + strings.Repeat("a", 300) + `"}`, "end_user_organization_name"},
		{"HRIS", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","integration_category":"HRIS"}`, "integration_category"},
		{"unknown category", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","integration_category":"CRM"}`, "integration_category"},
		{"unknown tool", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","integration_tool":"workday"}`, "integration_tool"},
		{"language", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","language":"pt"}`, "language"},
		{"link type", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","link_type":"IFRAME"}`, "link_type"},
		{"wrong type", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","enable_filtering":"yes"}`, "body"},
	}
	for _, c := range cases {
		a := b.do(t, "POST", "/v1/connect/create-link", auth, c.body)
		requireError(t, a, http.StatusBadRequest, string(resultlinks.CodeInputInvalid), c.field)
	}
	a := b.do(t, "POST", "/v1/connect/create-link", nil, `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme"}`)
	require.Equal(t, http.StatusUnauthorized, a.status)
}

func TestCreateConnectLinkAndIntegrationByToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, httpapi.Config{})
	auth := map[string]string{"Authorization": "Bearer " + b.key}
	a := b.do(t, "POST", "/v1/connect/create-link", auth, `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme",
		"end_user_origin_id":"cust-7","integration_category":"ATS","integration_tool":"sandbox","language":"de","link_type":"EMBEDDED",
		"remote_environment":null,"scope_config_id":"sc1","enable_filtering":false,"enable_field_mapping":true}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	require.Equal(t, "success", a.body["status"])
	link := a.body["data"].(map[string]any)["link"].(string)
	require.True(t, strings.HasPrefix(link, b.url+"/connect/"), link)
	require.Contains(t, a.raw, "scope_config_id is accepted and ignored")
	require.Contains(t, a.raw, "enable_field_mapping is accepted and ignored")
	token := strings.TrimPrefix(link, b.url+"/connect/")
	require.GreaterOrEqual(t, len(token), 40, "the token is long and random")

	l, err := b.store.FindConnectLink(ctx, resultlinks.HashConnectToken(token))
	require.NoError(t, err)
	require.Equal(t, "sandbox", l.Tool)
	require.Equal(t, "de", l.Language)
	require.Equal(t, "hr@acme.example", *l.EndUser.CreatorEmail)
	require.Equal(t, "cust-7", *l.EndUser.OriginID)
	require.WithinDuration(t, time.Now().Add(resultlinks.DefaultConnectLinkTTL), l.ExpiresAt, time.Minute)
	require.NoError(t, l.Usable(time.Now()))

	// Not yet used: the integration token is unknown.
	a = b.do(t, "GET", "/v1/connect/integration-by-token/itok", auth, "")
	requireError(t, a, http.StatusNotFound, nil, "No integration")

	now := time.Now().UTC()
	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: l.EnvironmentID, Tool: "sandbox", Name: "Sandbox",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending, Credentials: json.RawMessage(`{}`),
		EndUser: l.EndUser, CreatedAt: now, UpdatedAt: now}
	require.NoError(t, b.store.CompleteConnectLink(ctx, l.ID, resultlinks.HashConnectToken("itok"), now, in))
	a = b.do(t, "GET", "/v1/connect/integration-by-token/itok", auth, "")
	require.Equal(t, http.StatusOK, a.status, a.raw)
	require.Equal(t, map[string]any{"id": in.ID, "tool": "sandbox", "end_user_origin_id": "cust-7", "end_user_organization_name": "Acme",
		"end_user_email": "hr@acme.example", "setup_status": "FINAL_SYNC_PENDING"}, a.body["data"])

	// Another environment's key finds nothing; neither does the link's own token.
	a = b.do(t, "GET", "/v1/connect/integration-by-token/itok", map[string]string{"Authorization": "Bearer " + b.otherKey}, "")
	requireError(t, a, http.StatusNotFound, nil, "No integration")
	a = b.do(t, "GET", "/v1/connect/integration-by-token/"+token, auth, "")
	requireError(t, a, http.StatusNotFound, nil, "No integration")

	// A link without a preset tool; the public URL, when set, starts the link.
	b2 := setupWith(t, httpapi.Config{}, "https://rl.example.com/")
	a = b2.do(t, "POST", "/v1/connect/create-link", map[string]string{"Authorization": "Bearer " + b2.key},
		`{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme"}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	require.True(t, strings.HasPrefix(a.body["data"].(map[string]any)["link"].(string), "https://rl.example.com/connect/"), a.raw)
	require.Equal(t, []any{}, a.body["warnings"])
}
