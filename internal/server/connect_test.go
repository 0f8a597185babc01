package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/stretchr/testify/require"
)

// connectBundle is an App with its pages served, and a browser.
type connectBundle struct {
	app    *App
	env    *resultlinks.Environment
	pages  *httptest.Server
	client *http.Client
}

// setupConnect serves the pages of an App over a fresh SQLite store whose
// greenhouse connector talks to ghURL.
func setupConnect(t *testing.T, ghURL string) *connectBundle {
	t.Helper()
	ctx := context.Background()
	store, err := OpenStore(ctx, "sqlite://"+filepath.Join(t.TempDir(), "connect.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	gh := greenhouse.Info()
	newGH := gh.New
	gh.New = func(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		m["base_url"], m["auth_url"] = ghURL, ghURL
		raw, _ = json.Marshal(m)
		return newGH(raw, deps)
	}
	app, err := NewApp(store, connector.NewRegistry(sandbox.Info(), gh), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	env, _, err := app.DefaultEnvironment(ctx)
	require.NoError(t, err)
	pages := httptest.NewServer(app.pagesHandler(httpapi.Deps{}))
	t.Cleanup(pages.Close)
	jar, _ := cookiejar.New(nil)
	return &connectBundle{app: app, env: env, pages: pages, client: &http.Client{Jar: jar}}
}

// link stores a connect link and returns its token.
func (b *connectBundle) link(t *testing.T, tool string, expires time.Time) string {
	t.Helper()
	token := resultlinks.NewID() + resultlinks.NewID()
	email, origin := "hr@acme.example", "cust-42"
	require.NoError(t, b.app.Store.CreateConnectLink(context.Background(), &resultlinks.ConnectLink{
		ID: resultlinks.NewID(), EnvironmentID: b.env.ID, TokenHash: resultlinks.HashConnectToken(token),
		EndUser: resultlinks.EndUser{OrganizationName: "Acme", CreatorEmail: &email, OriginID: &origin},
		Tool:    tool, CreatedAt: time.Now().UTC(), ExpiresAt: expires}))
	return token
}

// page is one answer of the pages.
type page struct {
	status int
	body   string
	url    string
}

func (b *connectBundle) get(t *testing.T, path string) page {
	t.Helper()
	res, err := b.client.Get(b.pages.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(raw), url: res.Request.URL.Path}
}

func (b *connectBundle) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.pages.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.pages.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(raw), url: res.Request.URL.Path}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formToken returns the form token of a form page.
func formToken(t *testing.T, p page) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(p.body)
	require.NotNil(t, m, "the form carries a token: %s", p.body)
	return m[1]
}

// TestConnectSandboxThroughALink: the customer picks the sandbox, submits
// the form, and the integration exists, announces itself to the webhook
// endpoint and gets its first sync; the link then cannot be used again.
func TestConnectSandboxThroughALink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupConnect(t, "http://127.0.0.1:9")
	var mu sync.Mutex
	var received []map[string]any
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev map[string]any
		_ = json.NewDecoder(r.Body).Decode(&ev)
		mu.Lock()
		received = append(received, ev)
		mu.Unlock()
	}))
	t.Cleanup(hooks.Close)
	require.NoError(t, b.app.Store.CreateWebhook(ctx, &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: b.env.ID, URL: hooks.URL,
		Events: []string{resultlinks.EventIntegrationCreated}, Secret: []byte("s"), CreatedAt: time.Now()}))
	require.NoError(t, b.app.Queue.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.app.Queue.Stop(sctx)
	})
	token := b.link(t, "", time.Now().Add(time.Hour))

	picker := b.get(t, "/connect/"+token)
	require.Equal(t, http.StatusOK, picker.status)
	for _, id := range []string{`id="tool-sandbox"`, `id="tool-greenhouse"`, `href="/connect/` + token + `/greenhouse"`, `src="/assets/tools/generic.svg"`} {
		require.Contains(t, picker.body, id)
	}
	form := b.get(t, "/connect/"+token+"/sandbox")
	require.Equal(t, http.StatusOK, form.status)
	require.Contains(t, form.body, `id="connect-form"`)
	require.Contains(t, form.body, `id="connect-submit"`)
	require.Contains(t, form.body, `id="change-tool"`, "the tool was not preset")
	require.Contains(t, form.body, `<label for="field-organization_name">`)

	done := b.post(t, "/connect/"+token+"/sandbox", url.Values{"csrf_token": {formToken(t, form)}, "organization_name": {"Acme Demo"}})
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Contains(t, done.body, `id="connected"`)
	require.Contains(t, done.body, `src="/static/connect.js"`)
	itok := regexp.MustCompile(`data-integration-token="([^"]+)"`).FindStringSubmatch(done.body)
	require.NotNil(t, itok)

	link, err := b.app.Store.FindConnectLinkByIntegrationToken(ctx, b.env.ID, resultlinks.HashConnectToken(itok[1]))
	require.NoError(t, err)
	in, err := b.app.Store.FindIntegration(ctx, b.env.ID, link.IntegrationID)
	require.NoError(t, err)
	require.Equal(t, "sandbox", in.Tool)
	require.Equal(t, "Acme", in.EndUser.OrganizationName)
	require.Equal(t, "cust-42", *in.EndUser.OriginID)
	require.JSONEq(t, `{"organization_name":"Acme Demo"}`, string(in.Credentials))
	require.Eventually(t, func() bool {
		got, err := b.app.Store.GetIntegration(ctx, in.ID)
		return err == nil && got.SetupStatus == resultlinks.SetupCompleted
	}, 20*time.Second, 50*time.Millisecond, "the first sync ran")
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, ev := range received {
			if ev["type"] == resultlinks.EventIntegrationCreated && ev["data"].(map[string]any)["id"] == in.ID {
				return true
			}
		}
		return false
	}, 20*time.Second, 50*time.Millisecond, "integration-created reached the endpoint")

	for _, again := range []page{
		b.get(t, "/connect/"+token),
		b.post(t, "/connect/"+token+"/sandbox", url.Values{"csrf_token": {formToken(t, form)}}),
	} {
		require.Equal(t, http.StatusGone, again.status)
		require.Contains(t, again.body, `id="link-gone"`)
		require.Contains(t, again.body, string(resultlinks.CodeConnectLinkUsed))
	}
	list, err := b.app.Store.ListIntegrations(ctx, b.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 1, "one link, one integration")
}

// TestConnectGreenhouseVerdicts: Greenhouse refuses a wrong secret (the
// verdict is shown, nothing is saved, the secret is not echoed), then
// accepts the right one; repeated refusals lock a link.
func TestConnectGreenhouseVerdicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	gh := httptest.NewServer(fake.New(fake.Options{Candidates: 2, Seed: 1}))
	t.Cleanup(gh.Close)
	b := setupConnect(t, gh.URL)
	token := b.link(t, "greenhouse", time.Now().Add(time.Hour))
	path := "/connect/" + token + "/greenhouse"

	form := b.get(t, "/connect/"+token)
	require.Equal(t, http.StatusOK, form.status)
	require.Equal(t, path, form.url, "a preset tool skips the picker")
	require.NotContains(t, form.body, `id="change-tool"`)
	require.Contains(t, form.body, "Dev Center")
	require.Contains(t, form.body, `id="field-client_secret" name="client_secret" type="password" autocomplete="off"`)
	csrf := formToken(t, form)

	cases := []struct {
		name    string
		form    url.Values
		status  int
		want    []string
		failure int
	}{
		{name: "missing values", form: url.Values{"client_secret": {"typed-s3cret-value"}}, status: http.StatusUnprocessableEntity,
			want: []string{`id="error-client_id"`, `aria-describedby="error-client_id help-client_id"`, `aria-invalid="true"`}},
		{name: "wrong secret", form: url.Values{"client_id": {fake.DefaultClientID}, "client_secret": {"wrong-s3cret"}},
			status: http.StatusUnprocessableEntity, want: []string{`id="verdict"`, `role="alert"`, "attempts remain"}, failure: 1},
		{name: "foreign form", form: url.Values{"client_id": {fake.DefaultClientID}, "client_secret": {fake.DefaultClientSecret}, "csrf_token": {"forged"}},
			status: http.StatusForbidden, want: []string{"open too long"}, failure: 1},
	}
	for _, c := range cases {
		if c.form.Get("csrf_token") == "" {
			c.form.Set("csrf_token", csrf)
		}
		p := b.post(t, path, c.form)
		require.Equal(t, c.status, p.status, "%s: %s", c.name, p.body)
		for _, w := range c.want {
			require.Contains(t, p.body, w, c.name)
		}
		require.NotContains(t, p.body, c.form.Get("client_secret"), "%s: a secret is never echoed", c.name)
		l, err := b.app.Store.FindConnectLink(ctx, resultlinks.HashConnectToken(token))
		require.NoError(t, err)
		require.Equal(t, c.failure, l.FailedChecks, c.name)
		list, err := b.app.Store.ListIntegrations(ctx, b.env.ID)
		require.NoError(t, err)
		require.Empty(t, list, "%s: nothing saved", c.name)
	}
	require.Equal(t, http.StatusNotFound, b.get(t, "/connect/"+token+"/sandbox").status, "not the preset tool")

	done := b.post(t, path, url.Values{"csrf_token": {csrf}, "client_id": {fake.DefaultClientID}, "client_secret": {fake.DefaultClientSecret}})
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Contains(t, done.body, `id="connected"`)
	list, err := b.app.Store.ListIntegrations(ctx, b.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "greenhouse", list[0].Tool)

	// A link refuses after MaxConnectFailures refused checks.
	locked := b.link(t, "greenhouse", time.Now().Add(time.Hour))
	lpath := "/connect/" + locked + "/greenhouse"
	lcsrf := formToken(t, b.get(t, lpath))
	var last page
	for range resultlinks.MaxConnectFailures {
		last = b.post(t, lpath, url.Values{"csrf_token": {lcsrf}, "client_id": {fake.DefaultClientID}, "client_secret": {"guess"}})
	}
	require.Equal(t, http.StatusGone, last.status)
	require.Contains(t, last.body, string(resultlinks.CodeConnectLinkLocked))
	right := b.post(t, lpath, url.Values{"csrf_token": {lcsrf}, "client_id": {fake.DefaultClientID}, "client_secret": {fake.DefaultClientSecret}})
	require.Equal(t, http.StatusGone, right.status, "even the right secret is refused once locked")
}

// TestConnectLinksThatCannotBeUsed: unknown and expired links answer a
// clear page.
func TestConnectLinksThatCannotBeUsed(t *testing.T) {
	t.Parallel()
	b := setupConnect(t, "http://127.0.0.1:9")
	expired := b.link(t, "", time.Now().Add(-time.Minute))
	cases := []struct {
		path   string
		status int
		code   resultlinks.Code
	}{
		{"/connect/unknown-token", http.StatusNotFound, resultlinks.CodeNotFound},
		{"/connect/unknown-token/sandbox", http.StatusNotFound, resultlinks.CodeNotFound},
		{"/connect/" + expired, http.StatusGone, resultlinks.CodeConnectLinkExpired},
		{"/connect/" + expired + "/sandbox", http.StatusGone, resultlinks.CodeConnectLinkExpired},
	}
	for _, c := range cases {
		p := b.get(t, c.path)
		require.Equal(t, c.status, p.status, c.path)
		require.Contains(t, p.body, `id="link-gone"`, c.path)
		require.Contains(t, p.body, `data-code="`+string(c.code)+`"`, c.path)
	}
	require.Equal(t, http.StatusNotFound, b.get(t, "/connect/"+b.link(t, "", time.Now().Add(time.Hour))+"/nosuchtool").status)
}
