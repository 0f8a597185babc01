package main_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/resultlinks/resultlinks/sdk"
)

// TestWebhookSurvivesAKill configures an endpoint with the CLI, lets a
// result link settle while the endpoint is down, kills the server before
// the event could be sent, and checks that the restarted server sends it,
// signed, exactly once.
func TestWebhookSurvivesAKill(t *testing.T) {
	t.Parallel()
	var up atomic.Bool
	var secret atomic.Value
	var mu sync.Mutex
	var got []webhook.Envelope
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if !up.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		key := secret.Load().([]byte)
		if !webhook.Verify(key, raw, r.Header.Get(webhook.SignatureHeader)) ||
			webhook.VerifyTimestamped(key, r.Header.Get(webhook.TimestampHeader), raw, r.Header.Get(webhook.TimestampSignatureHeader), time.Now(), time.Minute) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var env webhook.Envelope
		if json.Unmarshal(raw, &env) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, env)
		mu.Unlock()
	}))
	t.Cleanup(rcv.Close)
	received := func() []webhook.Envelope {
		mu.Lock()
		defer mu.Unlock()
		return append([]webhook.Envelope(nil), got...)
	}

	db := "sqlite://" + filepath.Join(t.TempDir(), "hooks.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "sandbox", "--quiet")
	created := strings.Fields(run(t, env, "webhooks", "create", "--events", "result-link-delivered,result-link-failed", rcv.URL))
	require.Len(t, created, 2)
	hookID := created[0]
	secret.Store([]byte(created[1]))
	require.Contains(t, run(t, env, "webhooks", "list"), hookID+"\t"+rcv.URL+"\tresult-link-delivered,result-link-failed\t0\t-")

	s := serve(t, db)
	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?page_size=1", key, integ, &apps))
	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/ats/applications/"+apps.Data.Results[0]["id"].(string)+"/result-links", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var answer struct {
		Data struct {
			ResultLinkID string `json:"result_link_id"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&answer))
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)

	// The endpoint refuses the first send; the server dies before the next.
	require.Eventually(t, func() bool {
		return strings.Contains(run(t, env, "webhooks", "deliveries", hookID), "\t503\t")
	}, 30*time.Second, 100*time.Millisecond)
	time.Sleep(time.Second) // let the job queue record the failed attempt
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	<-s.done
	require.Empty(t, received())

	up.Store(true)
	s2 := serve(t, db)
	require.Eventually(t, func() bool { return len(received()) == 1 }, 60*time.Second, 100*time.Millisecond,
		"the restarted server sends the event\n%s", s2.logs.String())
	ev := received()[0]
	require.Equal(t, "result-link-delivered", ev.Type)
	var data map[string]any
	require.NoError(t, json.Unmarshal(ev.Data, &data))
	require.Equal(t, answer.Data.ResultLinkID, data["result_link_id"])
	require.Equal(t, integ, data["integration_id"])
	require.Eventually(t, func() bool {
		return strings.Contains(run(t, env, "webhooks", "deliveries", hookID), "\t"+ev.ID+"\tresult-link-delivered\t2\t200\t")
	}, 10*time.Second, 100*time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	require.Len(t, received(), 1, "sent exactly once")

	// A resend from the CLI reaches the endpoint again.
	run(t, env, "webhooks", "resend", hookID, ev.ID)
	require.Eventually(t, func() bool { return len(received()) == 2 }, 30*time.Second, 100*time.Millisecond)
	require.Equal(t, ev.ID, received()[1].ID)
	s2.stop(t)
}

// TestWebhooksThroughTheSDK drives the real server with the Go SDK: it
// registers an endpoint, forces a sync and writes a result link, and the
// receiver, written with the SDK, verifies each event (with replay
// protection), decodes it, follows sync-finished's log_url, and sees one
// integration's events in the order they happened.
func TestWebhooksThroughTheSDK(t *testing.T) {
	t.Parallel()
	var secret atomic.Value
	secret.Store("")
	var mu sync.Mutex
	var got []*sdk.WebhookEvent
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := sdk.ReadWebhook(r, secret.Load().(string), time.Minute)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}))
	t.Cleanup(rcv.Close)
	received := func() []*sdk.WebhookEvent {
		mu.Lock()
		defer mu.Unlock()
		return append([]*sdk.WebhookEvent(nil), got...)
	}

	db := "sqlite://" + filepath.Join(t.TempDir(), "sdk-hooks.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "sandbox", "--quiet")
	s := serve(t, db)
	ctx := context.Background()
	client, err := sdk.New(sdk.WithServerURL(s.url+"/v1"), sdk.WithAPIKey(key), sdk.WithIntegrationID(integ))
	require.NoError(t, err)
	hook, err := client.CreateWebhook(ctx, rcv.URL+"/hooks", nil)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(hook.Secret, "whsec_"))
	secret.Store(hook.Secret)

	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/force-sync", strings.NewReader(`{"type":"FULL"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	require.Eventually(t, func() bool {
		for _, ev := range received() {
			if ev.Type == sdk.EventSyncFinished {
				return true
			}
		}
		return false
	}, 60*time.Second, 100*time.Millisecond, "sync-finished arrives\n%s", s.logs.String())

	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?page_size=1", key, integ, &apps))
	link, err := client.AddApplicationResultLink(ctx, sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
		ApplicationID: apps.Data.Results[0]["id"].(string),
		RequestBody:   &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{Label: "Coding Test", URL: "https://acme.example/results/hooks"},
	})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		evs := received()
		return len(evs) > 0 && evs[len(evs)-1].Type == sdk.EventResultLinkDelivered
	}, 30*time.Second, 100*time.Millisecond)

	var types []string
	var finished sdk.SyncFinishedData
	var delivered sdk.ResultLinkEventData
	for _, ev := range received() {
		types = append(types, ev.Type)
		switch ev.Type {
		case sdk.EventSyncFinished:
			require.NoError(t, ev.Decode(&finished))
		case sdk.EventResultLinkDelivered:
			require.NoError(t, ev.Decode(&delivered))
		}
	}
	require.Equal(t, []string{sdk.EventSyncFinished, sdk.EventResultLinkDelivered}, types,
		"an unchanged sandbox sends no data-changed; the events come in order")
	require.Equal(t, integ, finished.IntegrationID)
	require.Equal(t, "SUCCEEDED", finished.SyncState)
	require.Equal(t, "ATS", finished.IntegrationCategory)
	require.False(t, finished.SyncEndedAt.Before(finished.SyncStartedAt))
	var syncRecord struct {
		Data map[string]any `json:"data"`
	}
	require.Equal(t, s.url+"/syncs/"+finished.SyncID, finished.LogURL, "log_url names the sync's page in the dashboard")
	require.Equal(t, 200, get(t, s.url+"/v1/syncs/"+finished.SyncID, key, "", &syncRecord), "the API answers the same sync")
	require.Equal(t, finished.SyncID, syncRecord.Data["id"])
	require.Equal(t, link.ResultLinkID, delivered.ResultLinkID)
	require.Equal(t, "DELIVERED", delivered.Status)
	require.NotEmpty(t, delivered.Channels)

	deliveries, err := client.ListWebhookDeliveries(ctx, hook.ID, 10)
	require.NoError(t, err)
	require.Len(t, deliveries, 2)
	for _, d := range deliveries {
		require.NotNil(t, d.StatusCode)
		require.Equal(t, 200, *d.StatusCode)
	}
	list, err := client.ListWebhooks(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Empty(t, list[0].Secret, "the secret is shown only once")
	require.NoError(t, client.DeleteWebhook(ctx, hook.ID))
	_, err = client.ListWebhookDeliveries(ctx, hook.ID, 10)
	require.ErrorIs(t, err, sdk.ErrNotFound)
	s.stop(t)
}
