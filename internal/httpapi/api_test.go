package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/server"
	"github.com/stretchr/testify/require"
)

// scripted is a test connector: the sandbox's data, with writes that do
// what its credentials say (fail with a code, wait, panic), counting calls.
type scripted struct {
	connector.Connector
	script script
	calls  *atomic.Int64
}

type script struct {
	WriteError string `json:"write_error,omitempty"`
	CheckError string `json:"check_error,omitempty"`
	DelayMS    int    `json:"delay_ms,omitempty"`
	Panic      bool   `json:"panic,omitempty"`
}

func (s *scripted) CheckCredentials(context.Context) error {
	if s.script.CheckError != "" {
		return resultlinks.Errorf(resultlinks.Code(s.script.CheckError), "scripted check failure")
	}
	return nil
}

func (s *scripted) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	s.calls.Add(1)
	if s.script.DelayMS > 0 {
		time.Sleep(time.Duration(s.script.DelayMS) * time.Millisecond)
	}
	if s.script.Panic {
		panic("scripted panic")
	}
	if s.script.WriteError != "" {
		return nil, &resultlinks.Error{Code: resultlinks.Code(s.script.WriteError), Message: "scripted: the ATS said no (token=[REDACTED])", RetryAfter: 7 * time.Second}
	}
	return s.Connector.WriteResultLink(ctx, w)
}

type bundle struct {
	url        string
	store      resultlinks.Store
	app        *server.App
	key        string
	sandbox    *resultlinks.Integration
	otherKey   string
	otherInteg *resultlinks.Integration
	appID      string // a live sandbox application
	candID     string // a live sandbox candidate
	calls      *atomic.Int64
}

func setup(t *testing.T, cfg httpapi.Config) *bundle {
	t.Helper()
	return setupWith(t, cfg, "")
}

// setupWith is setup with the API's public URL.
func setupWith(t *testing.T, cfg httpapi.Config, publicURL string) *bundle {
	t.Helper()
	ctx := context.Background()
	store, err := server.OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "api.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	calls := &atomic.Int64{}
	scriptedInfo := connector.Info{
		Tool: "scripted", Label: "Scripted", Channels: []resultlinks.Channel{resultlinks.ChannelNote},
		New: func(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
			var sc script
			if err := connector.DecodeCredentials("scripted", raw, &sc); err != nil {
				return nil, err
			}
			inner, err := sandbox.New(nil, deps)
			if err != nil {
				return nil, err
			}
			return &scripted{Connector: inner, script: sc, calls: calls}, nil
		},
	}
	readOnly := connector.Info{Tool: "readonly", Label: "Read only", New: sandbox.New}
	registry := connector.NewRegistry(sandbox.Info(), scriptedInfo, readOnly)
	logger := slog.New(slog.DiscardHandler)
	app, err := server.NewApp(store, registry, logger)
	require.NoError(t, err)
	api := httpapi.New(httpapi.Deps{Store: store, Registry: registry, Deliverer: app.Deliverer, Syncs: app.Queue, Deliveries: app.Queue, Webhooks: app.Queue, Events: app.Events, Logger: logger, PublicURL: publicURL}, cfg)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(func() { srv.Close(); api.Wait() })

	b := &bundle{url: srv.URL, store: store, app: app, calls: calls}
	env, _, err := app.DefaultEnvironment(ctx)
	require.NoError(t, err)
	b.key, err = app.CreateAPIKey(ctx, env.ID, "test")
	require.NoError(t, err)
	b.sandbox, err = app.CreateIntegration(ctx, env.ID, server.IntegrationParams{Tool: "sandbox"}, nil)
	require.NoError(t, err)

	other := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "other", CreatedAt: time.Now()}
	require.NoError(t, store.CreateEnvironment(ctx, other))
	b.otherKey, err = app.CreateAPIKey(ctx, other.ID, "other")
	require.NoError(t, err)
	b.otherInteg, err = app.CreateIntegration(ctx, other.ID, server.IntegrationParams{Tool: "sandbox"}, nil)
	require.NoError(t, err)

	apps, err := store.ListApplications(ctx, b.sandbox.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	b.appID, b.candID = apps[0].ID, *apps[0].CandidateID
	return b
}

// integration creates another integration of the first environment.
func (b *bundle) integration(t *testing.T, tool, creds string) *resultlinks.Integration {
	t.Helper()
	envs, err := b.store.ListEnvironments(context.Background())
	require.NoError(t, err)
	in, err := b.app.CreateIntegration(context.Background(), envs[0].ID, server.IntegrationParams{Tool: tool, Credentials: json.RawMessage(creds)}, nil)
	require.NoError(t, err)
	return in
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (a answer) errorCode() any { return a.body["error"].(map[string]any)["code"] }
func (a answer) message() string {
	e, ok := a.body["error"].(map[string]any)
	if !ok {
		return ""
	}
	m, _ := e["message"].(string)
	return m
}

func (b *bundle) do(t *testing.T, method, path string, headers map[string]string, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, b.url+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	a := answer{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(raw, &a.body), string(raw))
	}
	require.NotEmpty(t, res.Header.Get("X-Request-Id"), "every answer carries X-Request-Id")
	return a
}

// auth returns the headers of an authenticated call on an integration.
func (b *bundle) auth(integrationID string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + b.key, "X-Integration-Id": integrationID}
}

const goodBody = `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1",
	"details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]}}`

// requireError checks a complete error envelope.
func requireError(t *testing.T, a answer, status int, code any, msgPart string) {
	t.Helper()
	require.Equal(t, status, a.status, a.raw)
	require.Equal(t, "error", a.body["status"], a.raw)
	e := a.body["error"].(map[string]any)
	for _, k := range []string{"code", "title", "message", "log_url"} {
		require.Contains(t, e, k, "error key %s present", k)
	}
	require.Equal(t, code, e["code"], a.raw)
	require.Contains(t, e["message"], msgPart, a.raw)
}

func attrs(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = `{"key":"k` + strings.Repeat("x", i%3) + `","value":"v"}`
	}
	return strings.Join(parts, ",")
}

func TestResultLinkDecisions(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	appPath := "/v1/ats/applications/" + b.appID + "/result-links"
	candPath := "/v1/ats/candidates/" + b.candID + "/result-links"
	ok := b.auth(b.sandbox.ID)
	bigLabel := `{"label":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `","url":"https://x.example"}`

	cases := []struct {
		name    string
		path    string
		headers map[string]string
		body    string
		status  int
		code    any
		msg     string
	}{
		{"no key", appPath, map[string]string{"X-Integration-Id": b.sandbox.ID}, goodBody, 401, "PLATFORM.AUTHENTICATION_INVALID", "API key"},
		{"unknown key", appPath, map[string]string{"Authorization": "Bearer rl_nope", "X-Integration-Id": b.sandbox.ID}, goodBody, 401, "PLATFORM.AUTHENTICATION_INVALID", "API key"},
		{"not bearer", appPath, map[string]string{"Authorization": "Basic " + b.key, "X-Integration-Id": b.sandbox.ID}, goodBody, 401, "PLATFORM.AUTHENTICATION_INVALID", "API key"},
		{"no integration header", appPath, map[string]string{"Authorization": "Bearer " + b.key}, goodBody, 400, "PLATFORM.INPUT_INVALID", "X-Integration-Id"},
		{"unknown integration", appPath, b.auth("sandbox:" + resultlinks.NewID()), goodBody, 404, "PLATFORM.INTEGRATION_NOT_FOUND", "sandbox:"},
		{"other environment's integration", appPath, b.auth(b.otherInteg.ID), goodBody, 404, "PLATFORM.INTEGRATION_NOT_FOUND", b.otherInteg.ID},
		{"unknown application", "/v1/ats/applications/" + resultlinks.NewID() + "/result-links", ok, goodBody, 404, nil, "Application"},
		{"unknown candidate", "/v1/ats/candidates/nope/result-links", ok, goodBody, 404, nil, `"nope"`},
		{"application of another integration", "/v1/ats/applications/" + b.appID + "/result-links", b.auth(b.integration(t, "sandbox", "").ID), goodBody, 404, nil, b.appID},
		{"empty body", appPath, ok, ``, 400, "PLATFORM.INPUT_INVALID", "body"},
		{"not json", appPath, ok, `{"label":`, 400, "PLATFORM.INPUT_INVALID", "body: not valid JSON"},
		{"array body", appPath, ok, `[1]`, 400, "PLATFORM.INPUT_INVALID", "body: must be a JSON object"},
		{"label missing", appPath, ok, `{"url":"https://x.example"}`, 400, "PLATFORM.INPUT_INVALID", "label: is required"},
		{"label wrong type", appPath, ok, `{"label":5,"url":"https://x.example"}`, 400, "PLATFORM.INPUT_INVALID", "label: must be a string"},
		{"label empty", appPath, ok, `{"label":" ","url":"https://x.example"}`, 400, "PLATFORM.INPUT_INVALID", "label: must not be empty"},
		{"url missing", appPath, ok, `{"label":"L"}`, 400, "PLATFORM.INPUT_INVALID", "url: is required"},
		{"url relative", appPath, ok, `{"label":"L","url":"/results/1"}`, 400, "PLATFORM.INPUT_INVALID", "url: must be an absolute http"},
		{"url ftp", appPath, ok, `{"label":"L","url":"ftp://x.example/r"}`, 400, "PLATFORM.INPUT_INVALID", "url: must be an absolute http"},
		{"url javascript", appPath, ok, `{"label":"L","url":"javascript:alert(1)"}`, 400, "PLATFORM.INPUT_INVALID", "url: must be an absolute http"},
		{"url too long", appPath, ok, `{"label":"L","url":"https://x.example/` + strings.Repeat("a", 2040) + `"}`, 400, "PLATFORM.INPUT_INVALID", "url: must be at most 2048"},
		{"details without prefix", appPath, ok, `{"label":"L","url":"https://x.example","details":{"attributes":[]}}`, 400, "PLATFORM.INPUT_INVALID", "details.custom_field_name_prefix: is required"},
		{"details without attributes", appPath, ok, `{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:"}}`, 400, "PLATFORM.INPUT_INVALID", "details.attributes: is required"},
		{"attributes not array", appPath, ok, `{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:","attributes":{}}}`, 400, "PLATFORM.INPUT_INVALID", "details.attributes: must be an array"},
		{"attribute empty key", appPath, ok, `{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:","attributes":[{"key":"a","value":"1"},{"key":"b","value":"2"},{"key":"","value":"3"}]}}`, 400, "PLATFORM.INPUT_INVALID", "details.attributes[2].key: must not be empty"},
		{"attribute value wrong type", appPath, ok, `{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:","attributes":[{"key":"a","value":1}]}}`, 400, "PLATFORM.INPUT_INVALID", "details.attributes[0].value: must be a string"},
		{"too many attributes", appPath, ok, `{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:","attributes":[` + attrs(51) + `]}}`, 400, "PLATFORM.INPUT_INVALID", "details.attributes: at most 50"},
		{"oracle category unknown", appPath, ok, `{"label":"L","url":"https://x.example","remote_fields":{"oracle":{"override_document_category":"NOPE"}}}`, 400, "PLATFORM.INPUT_INVALID", "remote_fields.oracle.override_document_category"},
		{"greenhouse header wrong type", appPath, ok, `{"label":"L","url":"https://x.example","remote_fields":{"greenhouse":{"post_headers":{"On-Behalf-Of":4080}}}}`, 400, "PLATFORM.INPUT_INVALID", "remote_fields.greenhouse.post_headers.On-Behalf-Of: must be a string"},
		{"body over 1 MiB", appPath, ok, bigLabel, 400, "PLATFORM.INPUT_INVALID", "1 MiB"},
		{"candidate variant validates too", candPath, ok, `{"label":"L","url":"nope"}`, 400, "PLATFORM.INPUT_INVALID", "url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := b.do(t, http.MethodPost, tc.path, tc.headers, tc.body)
			requireError(t, a, tc.status, tc.code, tc.msg)
			if tc.status == 404 && tc.code == nil {
				require.Equal(t, "Not found", a.body["error"].(map[string]any)["title"])
			}
		})
	}
	// None of those wrote anything.
	require.Zero(t, b.calls.Load())
	got, err := b.store.FindApplication(context.Background(), b.sandbox.ID, b.appID)
	require.NoError(t, err)
	require.Empty(t, got.CustomFields, "refused requests change nothing")
}

func TestResultLinkLandsInCustomFields(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	body := `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1","application_id":"x",
		"details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h","unit":"h"}]},
		"remote_fields":{"greenhouse":{"post_headers":{"On-Behalf-Of":null}},"lever":{"perform_as":"u1"}}}`
	a := b.do(t, http.MethodPost, "/v1/ats/applications/"+b.appID+"/result-links", b.auth(b.sandbox.ID), body)
	require.Equal(t, 200, a.status, a.raw)
	require.Equal(t, "success", a.body["status"])
	data := a.body["data"].(map[string]any)
	require.Equal(t, "DELIVERED", data["status"])
	require.Equal(t, []any{"custom_fields"}, data["channels"])
	require.True(t, resultlinks.IsID(data["result_link_id"].(string)))
	require.Equal(t, "30", a.header.Get("Concurrency-Limit"))
	require.NotEmpty(t, a.header.Get("Concurrency-Remaining"))
	warnings := a.raw
	require.Contains(t, warnings, "application_id")
	require.Contains(t, warnings, "details.attributes[1].unit")
	require.Contains(t, warnings, "remote_fields.lever", "unknown tools are named")
	require.Contains(t, warnings, `custom field \"Assessment Result\"`, "the channel is named")

	// Visible afterwards through the GET endpoints.
	list := b.do(t, http.MethodGet, "/v1/ats/applications?ids="+b.appID, b.auth(b.sandbox.ID), "")
	require.Equal(t, 200, list.status, list.raw)
	res := list.body["data"].(map[string]any)["results"].([]any)
	require.Len(t, res, 1)
	cf := res[0].(map[string]any)["custom_fields"].(map[string]any)
	require.Equal(t, "100%", cf["Acme: Score"])
	require.Equal(t, "2:30h", cf["Acme: Time"])
	require.Equal(t, "https://acme.example/results/5BtP1WC1", cf["Assessment Result"])

	// The candidate variant writes to the candidate.
	c := b.do(t, http.MethodPost, "/v1/ats/candidates/"+b.candID+"/result-links", b.auth(b.sandbox.ID), goodBody)
	require.Equal(t, 200, c.status, c.raw)
	cl := b.do(t, http.MethodGet, "/v1/ats/candidates?ids="+b.candID, b.auth(b.sandbox.ID), "")
	cand := cl.body["data"].(map[string]any)["results"].([]any)[0].(map[string]any)
	require.Equal(t, "100%", cand["custom_fields"].(map[string]any)["Acme: Score"])
	// A sync keeps what was written (the sandbox holds it).
	_, err := b.app.Syncer.Run(context.Background(), b.sandbox, mirror.RunOptions{Full: true}, nil)
	require.NoError(t, err)
	got, err := b.store.FindApplication(context.Background(), b.sandbox.ID, b.appID)
	require.NoError(t, err)
	require.Equal(t, "100%", got.CustomFields["Acme: Score"])
}

func TestResultLinkIntegrationStates(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	path := "/v1/ats/applications/" + b.appID + "/result-links"

	// Disabled action.
	in, err := b.store.FindIntegration(ctx, b.sandbox.EnvironmentID, b.sandbox.ID)
	require.NoError(t, err)
	in.DisabledActions = []resultlinks.Action{resultlinks.ActionAddApplicationResultLink}
	require.NoError(t, b.store.UpdateIntegration(ctx, in))
	requireError(t, b.do(t, http.MethodPost, path, b.auth(b.sandbox.ID), goodBody), 403, "INTEGRATION.ACTION_DISABLED", "disabled")
	// The candidate action is still on.
	c := b.do(t, http.MethodPost, "/v1/ats/candidates/"+b.candID+"/result-links", b.auth(b.sandbox.ID), goodBody)
	require.Equal(t, 200, c.status, c.raw)
	gi := b.do(t, http.MethodGet, "/v1/integrations/"+b.sandbox.ID, map[string]string{"Authorization": "Bearer " + b.key}, "")
	actions := gi.body["data"].(map[string]any)["write_actions"].([]any)
	require.Equal(t, "ats_add_application_result_link", actions[0].(map[string]any)["id"])
	require.Equal(t, false, actions[0].(map[string]any)["is_available"])
	require.Equal(t, "DISABLED", actions[0].(map[string]any)["scope_config_setting"])
	require.Equal(t, true, actions[1].(map[string]any)["is_available"])

	// A connector with no channel: no remote call.
	ro := b.integration(t, "readonly", "")
	roApps, err := b.store.ListApplications(ctx, ro.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	requireError(t, b.do(t, http.MethodPost, "/v1/ats/applications/"+roApps[0].ID+"/result-links", b.auth(ro.ID), goodBody),
		400, "INTEGRATION.ACTION_NOT_AVAILABLE", "readonly")

	// Setup sync pending: reads answer 409.
	in.SetupStatus = resultlinks.SetupFinalSyncPending
	require.NoError(t, b.store.UpdateIntegration(ctx, in))
	for _, p := range []string{"/v1/ats/candidates", "/v1/ats/applications"} {
		requireError(t, b.do(t, http.MethodGet, p, b.auth(b.sandbox.ID), ""), 409, "INTEGRATION.SETUP_SYNC_PENDING", "first sync")
	}
}

func TestResultLinkRemoteFailures(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	cases := []struct {
		name   string
		code   string
		status int
		retry  bool
	}{
		{"credentials rejected", "INTEGRATION.AUTHENTICATION_INVALID", 403, false},
		{"rate limited", "REMOTE.RATE_LIMIT_EXCEEDED", 429, true},
		{"unavailable", "REMOTE.SERVICE_UNAVAILABLE", 503, true},
		{"input rejected", "REMOTE.INPUT_INVALID", 400, false},
		{"unknown remote error", "REMOTE.UNKNOWN_HTTP_ERROR", 502, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := b.integration(t, "scripted", `{"write_error":"`+tc.code+`"}`)
			apps, err := b.store.ListApplications(context.Background(), in.ID, resultlinks.ApplicationFilter{Limit: 1})
			require.NoError(t, err)
			a := b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[0].ID+"/result-links", b.auth(in.ID), goodBody)
			requireError(t, a, tc.status, tc.code, "the ATS said no")
			if tc.retry {
				require.Equal(t, "7", a.header.Get("Retry-After"))
			} else {
				require.Empty(t, a.header.Get("Retry-After"))
			}
			gi := b.do(t, http.MethodGet, "/v1/integrations/"+in.ID, map[string]string{"Authorization": "Bearer " + b.key}, "")
			status := gi.body["data"].(map[string]any)["status"]
			if tc.code == "INTEGRATION.AUTHENTICATION_INVALID" {
				require.Equal(t, "INVALID", status)
			} else {
				require.Equal(t, "ACTIVE", status)
			}
		})
	}
	t.Run("connector panic", func(t *testing.T) {
		in := b.integration(t, "scripted", `{"panic":true}`)
		apps, err := b.store.ListApplications(context.Background(), in.ID, resultlinks.ApplicationFilter{Limit: 1})
		require.NoError(t, err)
		a := b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[0].ID+"/result-links", b.auth(in.ID), goodBody)
		requireError(t, a, 500, "PLATFORM.UNKNOWN_ERROR", "server log")
		require.NotContains(t, a.raw, "scripted panic", "internal details stay in the log")
		// The server is still up.
		require.Equal(t, 200, b.do(t, http.MethodGet, "/v1/check-api-key", map[string]string{"Authorization": "Bearer " + b.key}, "").status)
	})
}

func TestResultLinkDeadlineAndConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.Config{SyncDeadline: 200 * time.Millisecond, ConcurrencyLimit: 1})
	slow := b.integration(t, "scripted", `{"delay_ms":700}`)
	apps, err := b.store.ListApplications(context.Background(), slow.ID, resultlinks.ApplicationFilter{Limit: 2})
	require.NoError(t, err)
	path := "/v1/ats/applications/" + apps[0].ID + "/result-links"

	a := b.do(t, http.MethodPost, path, b.auth(slow.ID), goodBody)
	requireError(t, a, 504, "PLATFORM.TASK_TIMED_OUT", "will be delivered once")
	require.Equal(t, "1", a.header.Get("Concurrency-Limit"))
	id := strings.Fields(a.message())[2]
	require.True(t, resultlinks.IsID(id), a.message())

	// The first write still holds the only slot.
	c := b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[1].ID+"/result-links", b.auth(slow.ID), goodBody)
	requireError(t, c, 429, "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED", "in flight")
	require.Equal(t, "0", c.header.Get("Concurrency-Remaining"))
	require.NotEmpty(t, c.header.Get("Retry-After"))

	// The timed-out link is delivered once, after the answer.
	require.Eventually(t, func() bool {
		rl, err := b.store.FindResultLink(context.Background(), slow.EnvironmentID, id)
		return err == nil && rl.Status == resultlinks.DeliveryDelivered
	}, 5*time.Second, 20*time.Millisecond)
	require.Equal(t, int64(1), b.calls.Load())
	got, err := b.store.FindApplication(context.Background(), slow.ID, apps[0].ID)
	require.NoError(t, err)
	require.Equal(t, "100%", got.CustomFields["Acme: Score"])
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	in := b.integration(t, "scripted", `{}`)
	apps, err := b.store.ListApplications(context.Background(), in.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	path := "/v1/ats/applications/" + apps[0].ID + "/result-links"
	h := b.auth(in.ID)
	h["Idempotency-Key"] = "retake-42"

	var wg sync.WaitGroup
	answers := make([]answer, 4)
	for i := range answers {
		wg.Add(1)
		go func() { defer wg.Done(); answers[i] = b.do(t, http.MethodPost, path, h, goodBody) }()
	}
	wg.Wait()
	first := answers[0].body["data"].(map[string]any)["result_link_id"]
	for _, a := range answers {
		require.Equal(t, 200, a.status, a.raw)
		require.Equal(t, first, a.body["data"].(map[string]any)["result_link_id"])
	}
	require.Equal(t, int64(1), b.calls.Load(), "one write for one key")

	// Same key, same content with other spacing and an ignored key: same answer.
	again := b.do(t, http.MethodPost, path, h, strings.ReplaceAll(goodBody, "\n", " "))
	require.Equal(t, 200, again.status)
	require.Equal(t, first, again.body["data"].(map[string]any)["result_link_id"])

	// Same key, another body: 422.
	requireError(t, b.do(t, http.MethodPost, path, h, `{"label":"Other","url":"https://acme.example/2"}`), 422, "PLATFORM.INPUT_INVALID", "retake-42")
	require.Equal(t, int64(1), b.calls.Load())

	h["Idempotency-Key"] = strings.Repeat("k", 256)
	requireError(t, b.do(t, http.MethodPost, path, h, goodBody), 400, "PLATFORM.INPUT_INVALID", "Idempotency-Key")
}

func TestGeneralEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	key := map[string]string{"Authorization": "Bearer " + b.key}

	a := b.do(t, http.MethodGet, "/v1/check-api-key", key, "")
	require.Equal(t, 200, a.status)
	data := a.body["data"].(map[string]any)
	require.Equal(t, b.sandbox.EnvironmentID, data["environment_id"])
	require.Equal(t, data["environment_id"], data["customer_id"])
	requireError(t, b.do(t, http.MethodGet, "/v1/check-api-key", nil, ""), 401, "PLATFORM.AUTHENTICATION_INVALID", "API key")
	o := b.do(t, http.MethodGet, "/v1/check-api-key", map[string]string{"Authorization": "Bearer " + b.otherKey}, "")
	require.NotEqual(t, data["environment_id"], o.body["data"].(map[string]any)["environment_id"])

	gi := b.do(t, http.MethodGet, "/v1/integrations/"+b.sandbox.ID, key, "")
	require.Equal(t, 200, gi.status, gi.raw)
	in := gi.body["data"].(map[string]any)
	require.Equal(t, b.sandbox.ID, in["id"])
	require.Equal(t, "sandbox", in["tool"].(map[string]any)["id"])
	require.Equal(t, "Sandbox", in["tool"].(map[string]any)["label"])
	require.Equal(t, "ATS", in["category"])
	require.Equal(t, "ACTIVE", in["status"])
	require.Equal(t, "COMPLETED", in["setup_status"])
	require.Nil(t, in["data_expired_at"])
	require.Contains(t, in, "end_user")
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, in["created_at"])
	logo := in["tool"].(map[string]any)["logo_url"].(string)
	res, err := http.Get(logo)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "image/svg+xml", res.Header.Get("Content-Type"))

	// Another environment's key cannot see or delete it.
	other := map[string]string{"Authorization": "Bearer " + b.otherKey}
	requireError(t, b.do(t, http.MethodGet, "/v1/integrations/"+b.sandbox.ID, other, ""), 404, "PLATFORM.INTEGRATION_NOT_FOUND", b.sandbox.ID)
	requireError(t, b.do(t, http.MethodDelete, "/v1/integrations/"+b.sandbox.ID, other, "{}"), 404, "PLATFORM.INTEGRATION_NOT_FOUND", b.sandbox.ID)
	requireError(t, b.do(t, http.MethodGet, "/v1/ats/candidates", map[string]string{"Authorization": "Bearer " + b.otherKey, "X-Integration-Id": b.sandbox.ID}, ""),
		404, "PLATFORM.INTEGRATION_NOT_FOUND", b.sandbox.ID)

	// Delete, then it is gone everywhere.
	d := b.do(t, http.MethodDelete, "/v1/integrations/"+b.sandbox.ID, key, "{}")
	require.Equal(t, 200, d.status, d.raw)
	require.JSONEq(t, `{"status":"success","data":{}}`, d.raw)
	requireError(t, b.do(t, http.MethodGet, "/v1/integrations/"+b.sandbox.ID, key, ""), 404, "PLATFORM.INTEGRATION_NOT_FOUND", b.sandbox.ID)
	requireError(t, b.do(t, http.MethodPost, "/v1/ats/applications/"+b.appID+"/result-links", b.auth(b.sandbox.ID), goodBody), 404, "PLATFORM.INTEGRATION_NOT_FOUND", "")

	requireError(t, b.do(t, http.MethodGet, "/v1/nope", key, ""), 404, nil, "/v1/nope")
}

func TestEveryAnswerIsJSONWithRequestID(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	for _, p := range []string{"/", "/v1/ats/candidates", "/v1/integrations/x"} {
		a := b.do(t, http.MethodGet, p, nil, "")
		require.Equal(t, "error", a.body["status"], p)
	}
	// A huge header block is refused by the server, not crashed on.
	req, _ := http.NewRequest(http.MethodGet, b.url+"/v1/check-api-key", bytes.NewReader(nil))
	req.Header.Set("Authorization", "Bearer "+b.key)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
}

func TestRespondAsync(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	slow := b.integration(t, "scripted", `{"delay_ms":1500}`)
	apps, err := b.store.ListApplications(context.Background(), slow.ID, resultlinks.ApplicationFilter{Limit: 1})
	require.NoError(t, err)
	// Asynchronous links are delivered by the job queue's workers.
	require.NoError(t, b.app.Queue.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.app.Queue.Stop(ctx)
	})
	h := b.auth(slow.ID)
	h["Prefer"] = "respond-async"
	a := b.do(t, http.MethodPost, "/v1/ats/applications/"+apps[0].ID+"/result-links", h, goodBody)
	require.Equal(t, 200, a.status, a.raw)
	require.Equal(t, "respond-async", a.header.Get("Preference-Applied"))
	data := a.body["data"].(map[string]any)
	require.Equal(t, "QUEUED", data["status"])
	id := data["result_link_id"].(string)
	rl, err := b.store.FindResultLink(context.Background(), slow.EnvironmentID, id)
	require.NoError(t, err)
	require.NotEqual(t, resultlinks.DeliveryDelivered, rl.Status, "the answer came before the delivery finished")
	require.Eventually(t, func() bool {
		rl, err := b.store.FindResultLink(context.Background(), slow.EnvironmentID, id)
		return err == nil && rl.Status == resultlinks.DeliveryDelivered
	}, 20*time.Second, 20*time.Millisecond)
}

func TestForceSync(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	h := b.auth(b.sandbox.ID)
	first := b.do(t, http.MethodPost, "/v1/force-sync", h, `{"type":"DELTA"}`)
	require.Equal(t, 200, first.status, first.raw)
	data := first.body["data"].(map[string]any)
	require.Equal(t, false, data["already_queued"])
	require.Equal(t, "DELTA", data["type"])
	require.True(t, resultlinks.IsID(data["sync_id"].(string)))
	require.Contains(t, first.body, "warnings")

	// The queue is not running here, so the first sync still waits: a
	// second request answers that one.
	second := b.do(t, http.MethodPost, "/v1/force-sync", h, ``)
	require.Equal(t, 200, second.status, second.raw)
	d2 := second.body["data"].(map[string]any)
	require.Equal(t, true, d2["already_queued"])
	require.Equal(t, data["sync_id"], d2["sync_id"])

	requireError(t, b.do(t, http.MethodPost, "/v1/force-sync", h, `{"type":"PARTIAL"}`), 400, "PLATFORM.INPUT_INVALID", "type")
	requireError(t, b.do(t, http.MethodPost, "/v1/force-sync", h, `[`), 400, "PLATFORM.INPUT_INVALID", "body")
	requireError(t, b.do(t, http.MethodPost, "/v1/force-sync", map[string]string{"Authorization": "Bearer " + b.key}, `{}`), 400, "PLATFORM.INPUT_INVALID", "X-Integration-Id")
}

// TestTenantsApart calls every endpoint with another environment's key or
// integration: nothing of one environment is visible or reachable from the
// other, and the answers do not tell a foreign ID from a missing one.
func TestTenantsApart(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	// Something of environment A to look for: a result link and its call log.
	ok := b.do(t, http.MethodPost, "/v1/ats/applications/"+b.appID+"/result-links", b.auth(b.sandbox.ID), goodBody)
	require.Equal(t, 200, ok.status)
	rlID := ok.body["data"].(map[string]any)["result_link_id"].(string)
	bad := b.do(t, http.MethodPost, "/v1/ats/applications/nope/result-links", b.auth(b.sandbox.ID), goodBody)
	interaction := bad.header.Get("X-Request-Id")
	// B's key, aimed at A's things.
	foreign := map[string]string{"Authorization": "Bearer " + b.otherKey, "X-Integration-Id": b.sandbox.ID}
	cases := []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/v1/ats/candidates", "", 404},
		{"GET", "/v1/ats/applications", "", 404},
		{"POST", "/v1/ats/applications/" + b.appID + "/result-links", goodBody, 404},
		{"POST", "/v1/ats/candidates/" + b.candID + "/result-links", goodBody, 404},
		{"POST", "/v1/force-sync", `{}`, 404},
		{"GET", "/v1/integrations/" + b.sandbox.ID, "", 404},
		{"DELETE", "/v1/integrations/" + b.sandbox.ID, "{}", 404},
		{"GET", "/v1/result-links/" + rlID, "", 404},
		{"POST", "/v1/result-links/" + rlID + "/retry", "", 404},
		{"GET", "/v1/interactions/" + interaction, "", 404},
	}
	for _, tc := range cases {
		a := b.do(t, tc.method, tc.path, foreign, tc.body)
		require.Equal(t, tc.status, a.status, "%s %s: %s", tc.method, tc.path, a.raw)
		require.NotContains(t, a.raw, b.appID, "%s %s leaks A's data", tc.method, tc.path)
	}
	// B's own integration ID with B's key still cannot reach A's records.
	own := map[string]string{"Authorization": "Bearer " + b.otherKey, "X-Integration-Id": b.otherInteg.ID}
	requireError(t, b.do(t, "POST", "/v1/ats/applications/"+b.appID+"/result-links", own, goodBody), 404, nil, b.appID)
	list := results(t, b.do(t, "GET", "/v1/result-links", map[string]string{"Authorization": "Bearer " + b.otherKey}, ""))
	require.Empty(t, list, "B's ledger holds none of A's links")
	in, err := b.store.FindIntegration(ctx, b.sandbox.EnvironmentID, b.sandbox.ID)
	require.NoError(t, err, "A's integration is untouched")
	require.Equal(t, b.sandbox.ID, in.ID)
}

func TestKeyLimits(t *testing.T) {
	t.Parallel()
	cfg := httpapi.DefaultConfig()
	cfg.KeyRate, cfg.KeyBurst = 1, 3
	b := setup(t, cfg)
	key := map[string]string{"Authorization": "Bearer " + b.key}
	for i := 0; i < 3; i++ {
		require.Equal(t, 200, b.do(t, "GET", "/v1/check-api-key", key, "").status)
	}
	a := b.do(t, "GET", "/v1/check-api-key", key, "")
	requireError(t, a, 429, "PLATFORM.RATE_LIMIT_EXCEEDED", "faster")
	require.NotEmpty(t, a.header.Get("Retry-After"))
	// Another key has its own budget.
	require.Equal(t, 200, b.do(t, "GET", "/v1/check-api-key", map[string]string{"Authorization": "Bearer " + b.otherKey}, "").status)
	// A revoked key fails at once.
	keys, err := b.store.ListAPIKeys(context.Background(), b.sandbox.EnvironmentID)
	require.NoError(t, err)
	require.NoError(t, b.store.RevokeAPIKey(context.Background(), b.sandbox.EnvironmentID, keys[0].ID, time.Now()))
	requireError(t, b.do(t, "GET", "/v1/check-api-key", key, ""), 401, "PLATFORM.AUTHENTICATION_INVALID", "API key")
}
