package httpapi_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/mirror"
)

func TestSyncs(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	// The integration's first sync ran when it was created; a delta follows.
	stats, err := b.app.Syncer.Run(context.Background(), b.sandbox, mirror.RunOptions{}, nil)
	require.NoError(t, err)

	list := b.do(t, http.MethodGet, "/v1/syncs", b.auth(b.sandbox.ID), "")
	require.Equal(t, http.StatusOK, list.status, list.raw)
	require.Equal(t, "success", list.body["status"])
	results := list.body["data"].(map[string]any)["results"].([]any)
	require.Len(t, results, 2)
	latest, first := results[0].(map[string]any), results[1].(map[string]any)
	require.Equal(t, stats.SyncID, latest["id"], "newest first")
	require.Equal(t, "DELTA", latest["type"])
	require.Equal(t, "FULL", first["type"])
	require.Equal(t, "SUCCEEDED", first["state"])
	require.Equal(t, b.sandbox.ID, first["integration_id"])
	require.Positive(t, first["changes"].(map[string]any)["ats_candidates"])
	require.Nil(t, first["error"])
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	require.Equal(t, []string{"changes", "ended_at", "error", "id", "integration_id", "pages", "records", "started_at", "state", "type", "vanished"}, keys)

	one := b.do(t, http.MethodGet, "/v1/syncs?page_size=1", b.auth(b.sandbox.ID), "")
	require.Equal(t, http.StatusOK, one.status, one.raw)
	require.Len(t, one.body["data"].(map[string]any)["results"], 1)

	got := b.do(t, http.MethodGet, "/v1/syncs/"+stats.SyncID, map[string]string{"Authorization": "Bearer " + b.key}, "")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	require.Equal(t, latest, got.body["data"])

	own := map[string]string{"Authorization": "Bearer " + b.key}
	other := map[string]string{"Authorization": "Bearer " + b.otherKey}
	for _, c := range []struct {
		name    string
		path    string
		headers map[string]string
		status  int
		code    any
		msg     string
	}{
		{"another environment's sync", "/v1/syncs/" + stats.SyncID, other, http.StatusNotFound, nil, stats.SyncID},
		{"unknown sync", "/v1/syncs/nope", own, http.StatusNotFound, nil, "nope"},
		{"no integration header", "/v1/syncs", own, http.StatusBadRequest, string(resultlinks.CodeInputInvalid), "X-Integration-Id"},
		{"another environment's integration", "/v1/syncs", map[string]string{"Authorization": "Bearer " + b.key,
			"X-Integration-Id": b.otherInteg.ID}, http.StatusNotFound, string(resultlinks.CodeIntegrationNotFound), b.otherInteg.ID},
		{"bad page size", "/v1/syncs?page_size=0", b.auth(b.sandbox.ID), http.StatusBadRequest, string(resultlinks.CodeInputInvalid), "page_size"},
		{"no key", "/v1/syncs/" + stats.SyncID, nil, http.StatusUnauthorized, string(resultlinks.CodeAuthenticationInvalid), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			requireError(t, b.do(t, http.MethodGet, c.path, c.headers, ""), c.status, c.code, c.msg)
		})
	}
}

// TestSyncEventsReachReceiver checks that a sync's events are signed and
// sent: a new integration's first sync changes data, and a forced sync
// reports the sync_id force-sync answered.
func TestSyncEventsReachReceiver(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	rcv := listen(t, b, `["data-changed","sync-finished","integration-state-changed"]`)
	of := func(typ string) []map[string]any { return rcv.data(t, typ) }

	in := b.integration(t, "sandbox", `{}`)
	require.Eventually(t, func() bool {
		return len(of(resultlinks.EventDataChanged)) == 1 && len(of(resultlinks.EventSyncFinished)) == 1 &&
			len(of(resultlinks.EventIntegrationStateChanged)) == 1
	}, 20*time.Second, 20*time.Millisecond)
	changed := of(resultlinks.EventDataChanged)[0]
	require.Equal(t, in.ID, changed["integration_id"])
	require.Contains(t, changed["changed_models"], map[string]any{"name": "ats_candidates"})
	require.Equal(t, "COMPLETED", of(resultlinks.EventIntegrationStateChanged)[0]["setup_status"])

	fs := b.do(t, http.MethodPost, "/v1/force-sync", b.auth(in.ID), `{"type":"FULL"}`)
	require.Equal(t, http.StatusOK, fs.status, fs.raw)
	syncID := fs.body["data"].(map[string]any)["sync_id"].(string)
	require.Eventually(t, func() bool { return len(of(resultlinks.EventSyncFinished)) == 2 }, 20*time.Second, 20*time.Millisecond)
	finished := of(resultlinks.EventSyncFinished)[1]
	require.Equal(t, syncID, finished["sync_id"], "the forced sync reports the ID force-sync answered")
	require.Equal(t, "SUCCEEDED", finished["sync_state"])
	rec := b.do(t, http.MethodGet, "/v1/syncs/"+syncID, map[string]string{"Authorization": "Bearer " + b.key}, "")
	require.Equal(t, http.StatusOK, rec.status, rec.raw)
	time.Sleep(200 * time.Millisecond)
	require.Len(t, of(resultlinks.EventDataChanged), 1, "an unchanged ATS changes no data")
}
