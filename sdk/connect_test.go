package sdk

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestConnect(t *testing.T) {
	t.Parallel()
	b := setup(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/connect/create-link":
			reply(w, 200, `{"status":"success","data":{"link":"https://rl.example/connect/abc"},"warnings":[]}`)
		case r.Method == http.MethodGet && r.URL.EscapedPath() == "/v1/connect/integration-by-token/t%2F1":
			reply(w, 200, `{"status":"success","data":{"id":"greenhouse:x","tool":"greenhouse","end_user_origin_id":"c-42",`+
				`"end_user_organization_name":"Acme","end_user_email":"hr@acme.example","setup_status":"FINAL_SYNC_PENDING"}}`)
		default:
			reply(w, 404, `{"status":"error","error":{"code":"PLATFORM.UNKNOWN_ERROR","title":"Not found","message":"no","log_url":null}}`)
		}
	})
	ctx := context.Background()
	origin, tool := "c-42", "greenhouse"
	link, err := b.client.CreateConnectLink(ctx, PostConnectCreateLinkRequestBody{EndUserEmail: "hr@acme.example",
		EndUserOrganizationName: "Acme", EndUserOriginID: &origin, IntegrationTool: &tool})
	if err != nil || link != "https://rl.example/connect/abc" {
		t.Fatalf("CreateConnectLink = %q, %v", link, err)
	}
	req := b.server.reqs[0]
	if req.header.Get("X-Integration-Id") != "" {
		t.Errorf("create-link sent X-Integration-Id %q", req.header.Get("X-Integration-Id"))
	}
	for _, want := range []string{`"end_user_email":"hr@acme.example"`, `"end_user_origin_id":"c-42"`, `"integration_tool":"greenhouse"`} {
		if !strings.Contains(req.body, want) {
			t.Errorf("body %s lacks %s", req.body, want)
		}
	}
	if strings.Contains(req.body, "language") {
		t.Errorf("body %s sends an absent field", req.body)
	}
	in, err := b.client.GetIntegrationByToken(ctx, "t/1")
	if err != nil || in.ID != "greenhouse:x" || *in.EndUserOriginID != "c-42" || in.SetupStatus != SetupFinalSyncPending {
		t.Fatalf("GetIntegrationByToken = %+v, %v", in, err)
	}
	if _, err := b.client.CreateConnectLink(ctx, PostConnectCreateLinkRequestBody{EndUserEmail: "x@y.example"}); err == nil {
		t.Error("a link without the organization name was asked for")
	}
	if len(b.server.reqs) != 2 {
		t.Errorf("%d requests, want 2", len(b.server.reqs))
	}
}
