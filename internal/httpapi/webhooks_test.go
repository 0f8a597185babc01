package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

func TestWebhookEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	auth := map[string]string{"Authorization": "Bearer " + b.key}
	other := map[string]string{"Authorization": "Bearer " + b.otherKey}

	bad := []struct {
		name, body, want string
	}{
		{"no url", `{"events":[]}`, "url"},
		{"relative url", `{"url":"/hooks"}`, "url"},
		{"ftp url", `{"url":"ftp://hooks.example.com"}`, "url"},
		{"credentials in url", `{"url":"https://u:p@hooks.example.com"}`, "url"},
		{"unknown event", `{"url":"https://hooks.example.com","events":["data-changed","nope"]}`, "events[1]"},
		{"unknown key", `{"url":"https://hooks.example.com","secret":"mine"}`, "secret"},
		{"not json", `{"url":`, "body"},
		{"events not a list", `{"url":"https://hooks.example.com","events":"data-changed"}`, "events"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			a := b.do(t, http.MethodPost, "/v1/webhooks", auth, tt.body)
			require.Equal(t, http.StatusBadRequest, a.status, a.raw)
			require.Equal(t, string(resultlinks.CodeInputInvalid), a.errorCode())
			require.Contains(t, a.message(), tt.want)
		})
	}
	list := b.do(t, http.MethodGet, "/v1/webhooks", auth, "")
	require.Equal(t, http.StatusOK, list.status)
	require.Empty(t, list.body["data"].(map[string]any)["results"], "bad input created nothing")

	a := b.do(t, http.MethodPost, "/v1/webhooks", auth, `{"url":"https://hooks.example.com/rl","events":["result-link-failed","result-link-failed"]}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	data := a.body["data"].(map[string]any)
	id := data["id"].(string)
	require.True(t, strings.HasPrefix(data["secret"].(string), "whsec_"))
	require.Equal(t, []any{"result-link-failed"}, data["events"])

	list = b.do(t, http.MethodGet, "/v1/webhooks", auth, "")
	results := list.body["data"].(map[string]any)["results"].([]any)
	require.Len(t, results, 1)
	require.Equal(t, id, results[0].(map[string]any)["id"])
	require.NotContains(t, list.raw, data["secret"].(string), "the secret is shown only once")

	// Another environment neither sees nor deletes it.
	require.Empty(t, b.do(t, http.MethodGet, "/v1/webhooks", other, "").body["data"].(map[string]any)["results"])
	require.Equal(t, http.StatusNotFound, b.do(t, http.MethodDelete, "/v1/webhooks/"+id, other, "").status)
	require.Equal(t, http.StatusNotFound, b.do(t, http.MethodGet, "/v1/webhooks/"+id+"/deliveries", other, "").status)

	require.Equal(t, http.StatusOK, b.do(t, http.MethodDelete, "/v1/webhooks/"+id, auth, "").status)
	require.Equal(t, http.StatusNotFound, b.do(t, http.MethodDelete, "/v1/webhooks/"+id, auth, "").status)
	require.Empty(t, b.do(t, http.MethodGet, "/v1/webhooks", auth, "").body["data"].(map[string]any)["results"])
}

// TestWebhookResend sends an event through the job queue to a receiver on
// loopback that verifies Kombo's signature, then resends it by the API.
func TestWebhookResend(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	auth := map[string]string{"Authorization": "Bearer " + b.key}

	var mu sync.Mutex
	var secret []byte
	var got []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var env webhook.Envelope
		require.NoError(t, json.Unmarshal(body, &env))
		got = append(got, env.ID)
	}))
	t.Cleanup(rcv.Close)
	received := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }

	a := b.do(t, http.MethodPost, "/v1/webhooks", auth, `{"url":"`+rcv.URL+`","events":[]}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	data := a.body["data"].(map[string]any)
	id := data["id"].(string)
	mu.Lock()
	secret = []byte(data["secret"].(string))
	mu.Unlock()

	require.NoError(t, b.app.Queue.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.app.Queue.Stop(ctx)
	})
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: b.sandbox.EnvironmentID, Type: resultlinks.EventDataChanged,
		Data: json.RawMessage(`{"integration_id":"` + b.sandbox.ID + `"}`), CreatedAt: time.Now()}
	require.NoError(t, b.store.AddWebhookEvent(ctx, ev, b.app.Queue.WebhookEventJob(ev)))
	require.Eventually(t, func() bool { return len(received()) == 1 }, 20*time.Second, 20*time.Millisecond)

	// The attempt is recorded right after the receiver answers.
	require.Eventually(t, func() bool {
		ds, err := b.store.ListWebhookDeliveries(ctx, id, 10)
		return err == nil && len(ds) == 1
	}, 20*time.Second, 20*time.Millisecond)
	ds := b.do(t, http.MethodGet, "/v1/webhooks/"+id+"/deliveries", auth, "")
	require.Equal(t, http.StatusOK, ds.status, ds.raw)
	rows := ds.body["data"].(map[string]any)["results"].([]any)
	require.Len(t, rows, 1)
	require.Equal(t, ev.ID, rows[0].(map[string]any)["event_id"])
	require.EqualValues(t, 200, rows[0].(map[string]any)["status_code"])

	// A disabled endpoint is enabled again by a resend.
	at := time.Now()
	require.NoError(t, b.store.SetWebhookHealth(ctx, id, 30, &at, "HTTP 500"))
	r := b.do(t, http.MethodPost, "/v1/webhooks/"+id+"/resend", auth, `{"event_id":"`+ev.ID+`"}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	require.Nil(t, r.body["data"].(map[string]any)["disabled_at"])
	require.Eventually(t, func() bool { return len(received()) == 2 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, []string{ev.ID, ev.ID}, received())

	// An event of another environment cannot be resent.
	r = b.do(t, http.MethodPost, "/v1/webhooks/"+id+"/resend", auth, `{"event_id":"`+resultlinks.NewID()+`"}`)
	require.Equal(t, http.StatusNotFound, r.status)
}

// TestResultLinkEvents checks that settling a result link sends its fate:
// result-link-delivered with the channels used, result-link-failed with
// the error, each only to endpoints that take it.
func TestResultLinkEvents(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	auth := map[string]string{"Authorization": "Bearer " + b.key}

	type got struct {
		env  webhook.Envelope
		data map[string]any
	}
	var mu sync.Mutex
	secrets := map[string][]byte{}
	byPath := map[string][]got{}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify(secrets[r.URL.Path], body, r.Header.Get(webhook.SignatureHeader)) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var g got
		require.NoError(t, json.Unmarshal(body, &g.env))
		require.NoError(t, json.Unmarshal(g.env.Data, &g.data))
		byPath[r.URL.Path] = append(byPath[r.URL.Path], g)
	}))
	t.Cleanup(rcv.Close)
	// Only the result links' events; the endpoint that takes all also
	// hears the scripted integration's creation.
	received := func(path string) []got {
		mu.Lock()
		defer mu.Unlock()
		var out []got
		for _, g := range byPath[path] {
			if strings.HasPrefix(g.env.Type, "result-link-") {
				out = append(out, g)
			}
		}
		return out
	}
	for path, events := range map[string]string{"/all": `[]`, "/failed": `["result-link-failed"]`} {
		a := b.do(t, http.MethodPost, "/v1/webhooks", auth, `{"url":"`+rcv.URL+path+`","events":`+events+`}`)
		require.Equal(t, http.StatusOK, a.status, a.raw)
		mu.Lock()
		secrets[path] = []byte(a.body["data"].(map[string]any)["secret"].(string))
		mu.Unlock()
	}
	require.NoError(t, b.app.Queue.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.app.Queue.Stop(ctx)
	})

	a := b.do(t, http.MethodPost, "/v1/ats/applications/"+b.appID+"/result-links", b.auth(b.sandbox.ID), goodBody)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	delivered := a.body["data"].(map[string]any)["result_link_id"].(string)

	broken := b.integration(t, "scripted", `{"write_error":"REMOTE.INPUT_INVALID"}`)
	apps, err := b.store.ListApplications(ctx, broken.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	a = b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[0].ID+"/result-links", b.auth(broken.ID), goodBody)
	require.NotEqual(t, http.StatusOK, a.status, a.raw)

	require.Eventually(t, func() bool { return len(received("/all")) == 2 && len(received("/failed")) == 1 },
		20*time.Second, 20*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	all := received("/all")
	require.Len(t, all, 2, "each settled link is reported once")
	types := map[string]got{}
	for _, g := range all {
		types[g.env.Type] = g
	}
	ok := types[resultlinks.EventResultLinkDelivered]
	require.Equal(t, delivered, ok.data["result_link_id"])
	require.Equal(t, b.sandbox.ID, ok.data["integration_id"])
	require.Equal(t, "DELIVERED", ok.data["status"])
	require.NotEmpty(t, ok.data["channels"])
	require.Nil(t, ok.data["error"])
	bad := types[resultlinks.EventResultLinkFailed]
	require.Equal(t, broken.ID, bad.data["integration_id"])
	require.Equal(t, "FAILED", bad.data["status"])
	require.Equal(t, "REMOTE.INPUT_INVALID", bad.data["error"].(map[string]any)["code"])
	failed := received("/failed")
	require.Equal(t, resultlinks.EventResultLinkFailed, failed[0].env.Type)
	require.Equal(t, bad.env.ID, failed[0].env.ID, "one event, sent to both endpoints")
}

// TestIntegrationEvents checks integration-created and
// integration-deleted in Kombo's shapes.
func TestIntegrationEvents(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	auth := map[string]string{"Authorization": "Bearer " + b.key}
	rcv := listen(t, b, `["integration-created","integration-deleted"]`)
	received := rcv.received

	in := b.integration(t, "sandbox", `{}`)
	require.Eventually(t, func() bool { return len(received()) == 1 }, 20*time.Second, 20*time.Millisecond)
	r := b.do(t, http.MethodDelete, "/v1/integrations/"+in.ID, auth, "")
	require.Equal(t, http.StatusOK, r.status, r.raw)
	require.Eventually(t, func() bool { return len(received()) == 2 }, 20*time.Second, 20*time.Millisecond)
	// The other environment's deletion is not this environment's event.
	require.Equal(t, http.StatusOK, b.do(t, http.MethodDelete, "/v1/integrations/"+b.otherInteg.ID,
		map[string]string{"Authorization": "Bearer " + b.otherKey}, "").status)
	time.Sleep(300 * time.Millisecond)

	evs := received()
	require.Len(t, evs, 2)
	byType := map[string]map[string]any{}
	for _, e := range evs {
		var d map[string]any
		require.NoError(t, json.Unmarshal(e.Data, &d))
		byType[e.Type] = d
	}
	created, deleted := byType["integration-created"], byType["integration-deleted"]
	require.Equal(t, in.ID, created["id"])
	require.Equal(t, "sandbox", created["tool"])
	require.Equal(t, "ATS", created["category"])
	require.Equal(t, in.EndUser.OrganizationName, created["end_user"].(map[string]any)["organization_name"])
	require.NotContains(t, created, "deleted_at")
	require.Equal(t, in.ID, deleted["id"])
	require.NotEmpty(t, deleted["deleted_at"])
}

// TestRefusedCredentialsChangeState: a write that the ATS refuses for its
// credentials marks the integration INVALID and says so with
// integration-state-changed, before the link's result-link-failed.
func TestRefusedCredentialsChangeState(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	broken := b.integration(t, "scripted", `{"write_error":"INTEGRATION.AUTHENTICATION_INVALID"}`)
	rcv := listen(t, b, `["integration-state-changed","result-link-failed"]`)

	apps, err := b.store.ListApplications(ctx, broken.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	a := b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[0].ID+"/result-links", b.auth(broken.ID), goodBody)
	require.NotEqual(t, http.StatusOK, a.status, a.raw)
	require.Eventually(t, func() bool { return len(rcv.received()) == 2 }, 20*time.Second, 20*time.Millisecond)
	evs := rcv.received()
	require.Equal(t, resultlinks.EventIntegrationStateChanged, evs[0].Type, "the state change comes first")
	require.Equal(t, resultlinks.EventResultLinkFailed, evs[1].Type)
	var state map[string]any
	require.NoError(t, json.Unmarshal(evs[0].Data, &state))
	require.Equal(t, broken.ID, state["integration_id"])
	require.Equal(t, "INVALID", state["state"])
	in, err := b.store.GetIntegration(ctx, broken.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.StatusInvalid, in.Status)
}

// hookReceiver is a webhook endpoint on loopback that keeps the events
// whose signature verifies.
type hookReceiver struct {
	mu     sync.Mutex
	secret []byte
	got    []webhook.Envelope
}

// listen registers a receiver in the bundle's environment for the event
// types (a JSON list), and starts the job queue that sends them.
func listen(t *testing.T, b *bundle, events string) *hookReceiver {
	t.Helper()
	h := &hookReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if !webhook.Verify(h.secret, body, r.Header.Get(webhook.SignatureHeader)) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var env webhook.Envelope
		if err := json.Unmarshal(body, &env); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		h.got = append(h.got, env)
	}))
	t.Cleanup(srv.Close)
	a := b.do(t, http.MethodPost, "/v1/webhooks", map[string]string{"Authorization": "Bearer " + b.key},
		`{"url":"`+srv.URL+`","events":`+events+`}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	h.mu.Lock()
	h.secret = []byte(a.body["data"].(map[string]any)["secret"].(string))
	h.mu.Unlock()
	require.NoError(t, b.app.Queue.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.app.Queue.Stop(ctx)
	})
	return h
}

// received returns the events received so far, in order.
func (h *hookReceiver) received() []webhook.Envelope {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]webhook.Envelope(nil), h.got...)
}

// data returns the data of the events of type typ received so far.
func (h *hookReceiver) data(t *testing.T, typ string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, env := range h.received() {
		if env.Type == typ {
			var d map[string]any
			require.NoError(t, json.Unmarshal(env.Data, &d))
			out = append(out, d)
		}
	}
	return out
}
