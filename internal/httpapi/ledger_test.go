package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/stretchr/testify/require"
)

func TestLedgerAndInteractions(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	key := map[string]string{"Authorization": "Bearer " + b.key}

	// One delivered link on the sandbox, one failed on a refusing ATS.
	ok := b.do(t, http.MethodPost, "/v1/ats/applications/"+b.appID+"/result-links", b.auth(b.sandbox.ID), goodBody)
	require.Equal(t, 200, ok.status, ok.raw)
	okID := ok.body["data"].(map[string]any)["result_link_id"].(string)
	bad := b.integration(t, "scripted", `{"write_error":"REMOTE.INPUT_INVALID"}`)
	badApps, err := b.store.ListApplications(ctx, bad.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	failed := b.do(t, http.MethodPost, "/v1/ats/applications/"+badApps[0].ID+"/result-links", b.auth(bad.ID), goodBody)
	requireError(t, failed, 400, "REMOTE.INPUT_INVALID", "the ATS said no")

	// The error's log_url points at the call's page in the dashboard; the
	// API answers the same log at /v1/interactions/{id}, naming the result link.
	logURL := failed.body["error"].(map[string]any)["log_url"].(string)
	require.Equal(t, b.url+"/interactions/"+failed.header.Get("X-Request-Id"), logURL)
	apiLog := "/v1" + strings.TrimPrefix(logURL, b.url)
	in := b.do(t, http.MethodGet, apiLog, key, "")
	require.Equal(t, 200, in.status, in.raw)
	data := in.body["data"].(map[string]any)
	require.Equal(t, float64(400), data["status"])
	require.Equal(t, "REMOTE.INPUT_INVALID", data["error"].(map[string]any)["code"])
	failedID := data["result_link_id"].(string)
	require.True(t, resultlinks.IsID(failedID))
	// Another environment cannot read it.
	requireError(t, b.do(t, http.MethodGet, apiLog, map[string]string{"Authorization": "Bearer " + b.otherKey}, ""), 404, nil, "Interaction")

	// One entry.
	one := b.do(t, http.MethodGet, "/v1/result-links/"+okID, key, "")
	require.Equal(t, 200, one.status, one.raw)
	rl := one.body["data"].(map[string]any)
	require.Equal(t, "DELIVERED", rl["status"])
	require.Equal(t, float64(1), rl["attempts"])
	require.Equal(t, []any{"custom_fields"}, rl["channels"])
	require.Equal(t, b.appID, rl["target_id"])
	require.Equal(t, "Assessment Result", rl["label"])
	require.Nil(t, rl["error"])
	requireError(t, b.do(t, http.MethodGet, "/v1/result-links/"+okID, map[string]string{"Authorization": "Bearer " + b.otherKey}, ""), 404, nil, okID)

	// The list, with filters and paging.
	all := results(t, b.do(t, http.MethodGet, "/v1/result-links", key, ""))
	require.Len(t, all, 2)
	require.Equal(t, failedID, all[0]["id"], "newest first")
	f := results(t, b.do(t, http.MethodGet, "/v1/result-links?status=FAILED", key, ""))
	require.Len(t, f, 1)
	require.Equal(t, "REMOTE.INPUT_INVALID", f[0]["error"].(map[string]any)["code"])
	require.Len(t, results(t, b.do(t, http.MethodGet, "/v1/result-links?application_id="+b.appID, key, "")), 1)
	require.Len(t, results(t, b.do(t, http.MethodGet, "/v1/result-links?integration_id="+bad.ID, key, "")), 1)
	p1 := b.do(t, http.MethodGet, "/v1/result-links?page_size=1", key, "")
	next := p1.body["data"].(map[string]any)["next"].(string)
	p2 := results(t, b.do(t, http.MethodGet, "/v1/result-links?page_size=1&cursor="+next, key, ""))
	require.Len(t, p2, 1)
	require.Equal(t, okID, p2[0]["id"])
	requireError(t, b.do(t, http.MethodGet, "/v1/result-links?status=LOST", key, ""), 400, "PLATFORM.INPUT_INVALID", "status")
	requireError(t, b.do(t, http.MethodGet, "/v1/result-links?cursor=zzz", key, ""), 400, "PLATFORM.INPUT_INVALID", "cursor")

	// Retry: only FAILED ones; a retry queues it again.
	requireError(t, b.do(t, http.MethodPost, "/v1/result-links/"+okID+"/retry", key, ""), 400, "PLATFORM.INPUT_INVALID", "DELIVERED")
	r := b.do(t, http.MethodPost, "/v1/result-links/"+failedID+"/retry", key, "")
	require.Equal(t, 200, r.status, r.raw)
	require.Equal(t, "QUEUED", r.body["data"].(map[string]any)["status"])
	got, err := b.store.GetResultLink(ctx, failedID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryQueued, got.Status)
}
