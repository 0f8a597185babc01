package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/dashboard"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

const password = "correct horse battery"

// queues records what the dashboard queued.
type queues struct {
	mu         sync.Mutex
	syncs      []mirror.SyncArgs
	deliveries []string
	resends    []string
}

func (q *queues) EnqueueSync(_ context.Context, args mirror.SyncArgs) (string, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.syncs = append(q.syncs, args)
	return args.SyncID, false, nil
}

func (q *queues) EnqueueDelivery(_ context.Context, rl *resultlinks.ResultLink, _ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.deliveries = append(q.deliveries, rl.ID)
	return nil
}

func (q *queues) ResendWebhookEvent(_ context.Context, eventID, webhookID string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.resends = append(q.resends, eventID+"→"+webhookID)
	return nil
}

// world is one environment's objects.
type world struct {
	env               *resultlinks.Environment
	key               string
	keyRecord         *resultlinks.APIKey
	operator          *resultlinks.Operator
	in                *resultlinks.Integration
	running           *resultlinks.Sync
	failed, delivered *resultlinks.ResultLink
	interaction       *resultlinks.Interaction
	hook              *resultlinks.Webhook
	event             *resultlinks.WebhookEvent
}

// bundle is a dashboard over a real SQLite store, served over HTTP.
type bundle struct {
	store  resultlinks.Store
	queues *queues
	srv    *httptest.Server
	a, b   *world
}

var t0 = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)

func populate(t *testing.T, s resultlinks.Store, name, email string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{env: &resultlinks.Environment{ID: resultlinks.NewID(), Name: name, CreatedAt: t0}}
	require.NoError(t, s.CreateEnvironment(ctx, w.env))
	w.key, w.keyRecord = resultlinks.NewAPIKey("k", t0)
	w.keyRecord.EnvironmentID = w.env.ID
	require.NoError(t, s.CreateAPIKey(ctx, w.keyRecord))
	var err error
	w.operator, err = resultlinks.NewOperator(w.env.ID, email, password, t0)
	require.NoError(t, err)
	require.NoError(t, s.CreateOperator(ctx, w.operator))
	w.in = &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: w.env.ID, Tool: "sandbox", Name: name + " Sandbox",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupCompleted, Credentials: json.RawMessage(`{}`), CreatedAt: t0, UpdatedAt: t0}
	require.NoError(t, s.CreateIntegration(ctx, w.in))
	ended := t0.Add(time.Minute)
	require.NoError(t, s.SaveSync(ctx, &resultlinks.Sync{ID: resultlinks.NewID(), IntegrationID: w.in.ID, EnvironmentID: w.env.ID, Full: true,
		State: resultlinks.SyncSucceeded, StartedAt: t0, EndedAt: &ended, Pages: 3, Records: 42, Changes: resultlinks.Changes{resultlinks.ModelCandidates: 7}}))
	w.running = &resultlinks.Sync{ID: resultlinks.NewID(), IntegrationID: w.in.ID, EnvironmentID: w.env.ID, State: resultlinks.SyncRunning,
		StartedAt: t0.Add(30 * time.Minute), Pages: 2, Records: 17, Changes: resultlinks.Changes{}}
	require.NoError(t, s.SaveSync(ctx, w.running))

	link := func(status resultlinks.DeliveryStatus, at time.Time) *resultlinks.ResultLink {
		rl := &resultlinks.ResultLink{ID: resultlinks.NewID(), EnvironmentID: w.env.ID, IntegrationID: w.in.ID, Model: resultlinks.ModelApplications,
			TargetID: resultlinks.NewID(), TargetRemoteID: "a1", Input: resultlinks.ResultLinkInput{Label: "Assessment " + string(status), URL: "https://acme.example/r/1"},
			Status: resultlinks.DeliveryQueued, CreatedAt: at, UpdatedAt: at}
		_, err := s.CreateResultLink(ctx, rl, nil)
		require.NoError(t, err)
		rl.Status, rl.Attempts = status, 1
		if status == resultlinks.DeliveryFailed {
			rl.ErrorCode, rl.ErrorMessage = resultlinks.CodeRemoteInputInvalid, "The ATS said no."
		} else {
			rl.DeliveredAt = &at
			rl.Receipt = resultlinks.Receipt{Channels: []resultlinks.Channel{resultlinks.ChannelNote}, RemoteIDs: []string{"note-77"}}
		}
		rl.Exchanges = []resultlinks.Exchange{{Time: at, Attempt: 1, Method: "POST", URL: "https://ats.example/notes", Status: 201,
			RequestHeaders: map[string]string{"Authorization": "[REDACTED]"}, RequestBody: `{"body":"hello"}`, ResponseBody: `{"id":"note-77"}`, Duration: 12 * time.Millisecond}}
		require.NoError(t, s.UpdateResultLink(ctx, rl))
		return rl
	}
	w.failed = link(resultlinks.DeliveryFailed, t0.Add(time.Minute))
	w.delivered = link(resultlinks.DeliveryDelivered, t0.Add(2*time.Minute))
	w.interaction = &resultlinks.Interaction{ID: resultlinks.NewID(), EnvironmentID: w.env.ID, IntegrationID: w.in.ID, Method: "POST",
		Route: "/v1/ats/applications/{id}/result-links", Path: "/v1/ats/applications/x/result-links", Status: 502,
		ErrorCode: resultlinks.CodeRemoteInputInvalid, ErrorMessage: "The ATS said no.", ResultLinkID: w.failed.ID, StartedAt: t0, Duration: 40 * time.Millisecond}
	require.NoError(t, s.CreateInteraction(ctx, w.interaction))

	w.hook, err = resultlinks.NewWebhook(w.env.ID, "https://hooks.example.com/"+name, nil, []byte("secret"), t0)
	require.NoError(t, err)
	require.NoError(t, s.CreateWebhook(ctx, w.hook))
	w.event = &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: w.env.ID, IntegrationID: w.in.ID,
		Type: resultlinks.EventResultLinkFailed, Data: json.RawMessage(`{}`), CreatedAt: t0}
	require.NoError(t, s.AddWebhookEvent(ctx, w.event, nil))
	require.NoError(t, s.AddWebhookDelivery(ctx, &resultlinks.WebhookDelivery{ID: resultlinks.NewID(), EventID: w.event.ID,
		EventType: w.event.Type, WebhookID: w.hook.ID, Attempt: 1, StatusCode: 500, Error: "endpoint answered 500", At: t0, Duration: time.Second}))
	return w
}

func setup(t *testing.T, cfg dashboard.Config) *bundle {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dash.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	b := &bundle{store: s, queues: &queues{}}
	b.a = populate(t, s, "alpha", "ops@alpha.example")
	b.b = populate(t, s, "beta", "ops@beta.example")
	cfg.Store, cfg.Syncs, cfg.Deliveries, cfg.Webhooks = s, b.queues, b.queues, b.queues
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := dashboard.New(cfg)
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("GET /static/", web.Static())
	d.Mount(mux)
	b.srv = httptest.NewServer(web.Protect(mux, slog.New(slog.DiscardHandler)))
	t.Cleanup(b.srv.Close)
	return b
}

// browser is a client with cookies that does not follow redirects.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (b *bundle) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, base: b.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer with its parsed document.
type page struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (br *browser) do(method, path string, form url.Values) *page {
	br.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, br.base+path, body)
	require.NoError(br.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := br.c.Do(req)
	require.NoError(br.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(br.t, err)
	doc, err := html.Parse(strings.NewReader(string(b)))
	require.NoError(br.t, err)
	return &page{status: res.StatusCode, header: res.Header, body: string(b), doc: doc}
}

func (br *browser) get(path string) *page { return br.do(http.MethodGet, path, nil) }

// post sends a form with the page's form token, unless form sets one.
func (br *browser) post(path string, form url.Values) *page {
	return br.do(http.MethodPost, path, form)
}

// signIn signs in with the form's fields and returns the answer.
func (br *browser) signIn(fields url.Values) *page {
	br.t.Helper()
	p := br.get("/sign-in?next=" + url.QueryEscape(fields.Get("next")))
	require.Equal(br.t, http.StatusOK, p.status)
	fields.Set(web.TokenField, attr(byID(p.doc, "sign-in-key"), "csrf_token"))
	return br.post("/sign-in", fields)
}

// signedIn returns a browser signed in with w's API key.
func (b *bundle) signedIn(t *testing.T, w *world) (*browser, string) {
	br := b.browser(t)
	p := br.signIn(url.Values{"api_key": {w.key}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = br.get("/integrations")
	require.Equal(t, http.StatusOK, p.status)
	return br, csrf(t, p)
}

// csrf returns the page's form token (the sign-out form's).
func csrf(t *testing.T, p *page) string {
	t.Helper()
	var token string
	walk(p.doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attrOf(n, "name") == web.TokenField && token == "" {
			token = attrOf(n, "value")
		}
	})
	require.NotEmpty(t, token)
	return token
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attrOf(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// attr returns the value of the named input inside n.
func attr(n *html.Node, name string) string {
	var v string
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && c.Data == "input" && attrOf(c, "name") == name {
			v = attrOf(c, "value")
		}
	})
	return v
}

func byID(n *html.Node, id string) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) {
		if found == nil && c.Type == html.ElementNode && attrOf(c, "id") == id {
			found = c
		}
	})
	return found
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func sessionCookie(res http.Header) *http.Cookie {
	for _, line := range res.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.Name == dashboard.SessionCookie {
			return c
		}
	}
	return nil
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	revoked, revokedKey := resultlinks.NewAPIKey("old", t0)
	revokedKey.EnvironmentID = b.a.env.ID
	require.NoError(t, b.store.CreateAPIKey(context.Background(), revokedKey))
	require.NoError(t, b.store.RevokeAPIKey(context.Background(), b.a.env.ID, revokedKey.ID, t0))

	tests := []struct {
		name   string
		fields url.Values
		ok     bool
		who    string
	}{
		{"API key", url.Values{"api_key": {b.a.key}}, true, b.a.keyRecord.Prefix},
		{"operator", url.Values{"email": {"OPS@alpha.example"}, "password": {password}}, true, "ops@alpha.example"},
		{"other environment's operator", url.Values{"email": {"ops@beta.example"}, "password": {password}}, true, "ops@beta.example"},
		{"wrong password", url.Values{"email": {"ops@alpha.example"}, "password": {password + "!"}}, false, ""},
		{"unknown operator", url.Values{"email": {"nobody@alpha.example"}, "password": {password}}, false, ""},
		{"revoked key", url.Values{"api_key": {revoked}}, false, ""},
		{"unknown key", url.Values{"api_key": {b.a.key + "x"}}, false, ""},
		{"nothing", url.Values{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := b.browser(t)
			tt.fields.Set("next", "/result-links?status=FAILED")
			p := br.signIn(tt.fields)
			if !tt.ok {
				require.Equal(t, http.StatusUnauthorized, p.status)
				require.Nil(t, sessionCookie(p.header), "no session")
				require.Contains(t, p.body, "Those sign-in details are not valid.", "one message for every failure")
				require.NotContains(t, strings.ToLower(p.body), "password is wrong")
				require.Equal(t, http.StatusSeeOther, br.get("/integrations").status, "still signed out")
				return
			}
			require.Equal(t, http.StatusSeeOther, p.status, p.body)
			require.Equal(t, "/result-links?status=FAILED", p.header.Get("Location"), "goes on to the page asked for")
			c := sessionCookie(p.header)
			require.NotNil(t, c)
			require.True(t, c.HttpOnly)
			require.Equal(t, http.SameSiteLaxMode, c.SameSite)
			require.False(t, c.Secure, "plain HTTP")
			require.Equal(t, "/", c.Path)
			require.Len(t, c.Value, 43, "32 random bytes")
			home := br.get("/integrations")
			require.Equal(t, http.StatusOK, home.status)
			require.Contains(t, text(home.doc), tt.who)
		})
	}

	// Signing in is audited with the actor.
	audit, err := b.store.ListAudit(context.Background(), b.a.env.ID, 10)
	require.NoError(t, err)
	var actors []string
	for _, r := range audit {
		if r.Action == "dashboard.sign_in" {
			actors = append(actors, r.Actor)
		}
	}
	require.ElementsMatch(t, []string{b.a.keyRecord.Prefix + "…", "ops@alpha.example"}, actors)
}

func TestSignInFormToken(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br := b.browser(t)
	br.get("/sign-in")
	p := br.post("/sign-in", url.Values{"api_key": {b.a.key}, web.TokenField: {"forged"}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Nil(t, sessionCookie(p.header))
}

func TestSignInLimited(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{SignInRate: time.Hour, SignInBurst: 3})
	br := b.browser(t)
	for i := 0; i < 3; i++ {
		require.Equal(t, http.StatusUnauthorized, br.signIn(url.Values{"api_key": {"rl_live_nope"}}).status)
	}
	p := br.signIn(url.Values{"api_key": {b.a.key}})
	require.Equal(t, http.StatusTooManyRequests, p.status, "even the right key waits")
	require.Nil(t, sessionCookie(p.header))
}

func TestSignedOutRedirects(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br := b.browser(t)
	tests := []struct{ path, location string }{
		{"/", "/sign-in"},
		{"/integrations", "/sign-in?next=%2Fintegrations"},
		{"/result-links?status=FAILED", "/sign-in?next=%2Fresult-links%3Fstatus%3DFAILED"},
		{"/webhooks/" + b.a.hook.ID, "/sign-in?next=%2Fwebhooks%2F" + b.a.hook.ID},
	}
	for _, tt := range tests {
		p := br.get(tt.path)
		require.Equal(t, http.StatusSeeOther, p.status, tt.path)
		require.Equal(t, tt.location, p.header.Get("Location"), tt.path)
	}
	// A POST without a session changes nothing.
	p := br.post("/result-links/"+b.a.failed.ID+"/retry", url.Values{})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Empty(t, b.queues.deliveries)
}

func TestNextStaysOnSite(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/sign-in", "evil"} {
		br := b.browser(t)
		p := br.signIn(url.Values{"api_key": {b.a.key}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, p.status, next)
		require.Equal(t, "/integrations", p.header.Get("Location"), next)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, token := b.signedIn(t, b.a)
	retry := "/result-links/" + b.a.failed.ID + "/retry"
	for _, form := range []url.Values{{}, {web.TokenField: {"wrong"}}, {web.TokenField: {token + "x"}}} {
		p := br.post(retry, form)
		require.Equal(t, http.StatusForbidden, p.status)
	}
	for _, path := range []string{"/integrations/" + b.a.in.ID + "/sync", "/webhooks/" + b.a.hook.ID + "/resend", "/sign-out"} {
		require.Equal(t, http.StatusForbidden, br.post(path, url.Values{"event_id": {b.a.event.ID}}).status, path)
	}
	rl, err := b.store.FindResultLink(context.Background(), b.a.env.ID, b.a.failed.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryFailed, rl.Status, "nothing changed")
	require.Empty(t, b.queues.deliveries)
	require.Empty(t, b.queues.syncs)
	require.Empty(t, b.queues.resends)
	require.Equal(t, http.StatusOK, br.get("/integrations").status, "still signed in")
}

func TestRetry(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, token := b.signedIn(t, b.a)
	p := br.get("/result-links/" + b.a.failed.ID)
	require.NotNil(t, byID(p.doc, "retry"), "a FAILED link has the button")
	p = br.post("/result-links/"+b.a.failed.ID+"/retry", url.Values{web.TokenField: {token}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/result-links/"+b.a.failed.ID+"?done=retried", p.header.Get("Location"))
	rl, err := b.store.FindResultLink(context.Background(), b.a.env.ID, b.a.failed.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryQueued, rl.Status)
	require.Equal(t, []string{b.a.failed.ID}, b.queues.deliveries)
	p = br.get(p.header.Get("Location"))
	require.Contains(t, text(p.doc), "queued for another delivery")
	require.Equal(t, "QUEUED", text(byID(p.doc, "status")))
	require.Nil(t, byID(p.doc, "retry"), "no button once queued")

	// A link that is not FAILED is refused, and nothing is queued.
	p = br.post("/result-links/"+b.a.delivered.ID+"/retry", url.Values{web.TokenField: {token}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, p.header.Get("Location"), "problem=not-failed")
	require.Len(t, b.queues.deliveries, 1)

	audit, err := b.store.ListAudit(context.Background(), b.a.env.ID, 10)
	require.NoError(t, err)
	require.Equal(t, "result_link.retry", audit[0].Action)
	require.Equal(t, b.a.keyRecord.Prefix+"…", audit[0].Actor)
}

func TestPages(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, _ := b.signedIn(t, b.a)
	a := b.a
	tests := []struct {
		name, path string
		check      func(t *testing.T, p *page)
	}{
		{"integrations", "/integrations", func(t *testing.T, p *page) {
			table := text(byID(p.doc, "integrations"))
			require.Contains(t, table, "alpha Sandbox")
			require.Contains(t, table, "RUNNING")
			require.Contains(t, table, "17 / 2", "the running sync's records and pages")
			require.NotContains(t, table, "beta Sandbox")
			require.Equal(t, "/integrations", attrOf(byID(p.doc, "integrations-live"), "data-poll"), "polled while a sync runs")
			require.Contains(t, p.body, `src="/assets/tools/sandbox.svg"`)
		}},
		{"integration", "/integrations/" + a.in.ID, func(t *testing.T, p *page) {
			progress := byID(p.doc, "sync-progress")
			require.Equal(t, "/integrations/"+a.in.ID, attrOf(progress, "data-poll"))
			require.Contains(t, text(byID(p.doc, "running-sync")), "2 pages, 17 records")
			syncs := text(byID(p.doc, "syncs"))
			require.Contains(t, syncs, "SUCCEEDED")
			require.Contains(t, syncs, "42")
			require.Contains(t, syncs, "(ats_candidates: 7)")
			require.NotNil(t, byID(p.doc, "sync-now"))
			require.NotNil(t, byID(p.doc, "rl-"+a.failed.ID))
		}},
		{"result links", "/result-links", func(t *testing.T, p *page) {
			require.NotNil(t, byID(p.doc, "rl-"+a.failed.ID))
			require.NotNil(t, byID(p.doc, "rl-"+a.delivered.ID))
			require.Nil(t, byID(p.doc, "rl-"+b.b.failed.ID), "not another environment's")
			require.Equal(t, "FAILED", text(byID(p.doc, "rl-"+a.failed.ID+"-status")))
		}},
		{"result links by status", "/result-links?status=FAILED", func(t *testing.T, p *page) {
			require.NotNil(t, byID(p.doc, "rl-"+a.failed.ID))
			require.Nil(t, byID(p.doc, "rl-"+a.delivered.ID))
		}},
		{"result links by target", "/result-links?target_id=" + a.delivered.TargetID, func(t *testing.T, p *page) {
			require.Nil(t, byID(p.doc, "rl-"+a.failed.ID))
			require.NotNil(t, byID(p.doc, "rl-"+a.delivered.ID))
		}},
		{"result links by integration", "/result-links?integration_id=" + b.b.in.ID, func(t *testing.T, p *page) {
			require.NotNil(t, byID(p.doc, "no-result-links"), "another environment's integration matches nothing")
		}},
		{"result links older", "/result-links?before=" + a.delivered.ID, func(t *testing.T, p *page) {
			require.NotNil(t, byID(p.doc, "rl-"+a.failed.ID))
			require.Nil(t, byID(p.doc, "rl-"+a.delivered.ID))
		}},
		{"failed result link", "/result-links/" + a.failed.ID, func(t *testing.T, p *page) {
			require.Equal(t, "FAILED", text(byID(p.doc, "status")))
			require.Contains(t, text(byID(p.doc, "error")), "The ATS said no.")
			x := byID(p.doc, "exchange-0")
			require.Equal(t, "details", x.Data)
			require.Contains(t, text(x), "POST https://ats.example/notes")
			require.Contains(t, text(x), `{"body":"hello"}`)
			require.Contains(t, text(x), "Authorization: [REDACTED]")
			require.Contains(t, text(x), "12 ms")
			require.NotNil(t, byID(p.doc, "retry"))
			require.Contains(t, p.body, `href="/interactions/`+a.interaction.ID+`"`)
		}},
		{"delivered result link", "/result-links/" + a.delivered.ID, func(t *testing.T, p *page) {
			require.Equal(t, "DELIVERED", text(byID(p.doc, "status")))
			require.Equal(t, "note", text(byID(p.doc, "channels")))
			require.Equal(t, "note-77", text(byID(p.doc, "remote-ids")))
			require.Nil(t, byID(p.doc, "retry"))
		}},
		{"interaction", "/interactions/" + a.interaction.ID, func(t *testing.T, p *page) {
			require.Equal(t, "POST /v1/ats/applications/x/result-links", text(byID(p.doc, "call")))
			require.Equal(t, "502", text(byID(p.doc, "status")))
			require.Contains(t, text(byID(p.doc, "error")), string(resultlinks.CodeRemoteInputInvalid))
			require.Equal(t, "/result-links/"+a.failed.ID, attrOf(byID(p.doc, "result-link"), "href"))
		}},
		{"running sync", "/syncs/" + a.running.ID, func(t *testing.T, p *page) {
			require.Equal(t, "RUNNING", text(byID(p.doc, "sync-state")))
			require.Equal(t, "17", text(byID(p.doc, "sync-records")))
			require.Equal(t, "/syncs/"+a.running.ID, attrOf(byID(p.doc, "sync-facts"), "data-poll"), "polled while it runs")
			require.Equal(t, "/integrations/"+a.in.ID, attrOf(byID(p.doc, "sync-integration"), "href"))
		}},
		{"webhooks", "/webhooks", func(t *testing.T, p *page) {
			row := text(byID(p.doc, "wh-"+a.hook.ID))
			require.Contains(t, row, "https://hooks.example.com/alpha")
			require.Contains(t, row, "all")
			require.Nil(t, byID(p.doc, "wh-"+b.b.hook.ID))
		}},
		{"webhook", "/webhooks/" + a.hook.ID, func(t *testing.T, p *page) {
			d := text(byID(p.doc, "deliveries"))
			require.Contains(t, d, "result-link-failed")
			require.Contains(t, d, "endpoint answered 500")
			require.NotNil(t, byID(p.doc, "resend-"+a.event.ID))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := br.get(tt.path)
			require.Equal(t, http.StatusOK, p.status, p.body)
			tt.check(t, p)
		})
	}
}

func TestOtherEnvironmentIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, token := b.signedIn(t, b.a)
	other := b.b
	for _, path := range []string{"/integrations/" + other.in.ID, "/result-links/" + other.failed.ID, "/interactions/" + other.interaction.ID, "/syncs/" + other.running.ID,
		"/webhooks/" + other.hook.ID, "/result-links?before=" + other.failed.ID, "/integrations/nope", "/result-links/nope"} {
		p := br.get(path)
		require.Equal(t, http.StatusNotFound, p.status, path)
		require.NotContains(t, p.body, other.in.Name, path)
	}
	for _, path := range []string{"/result-links/" + other.failed.ID + "/retry", "/integrations/" + other.in.ID + "/sync", "/webhooks/" + other.hook.ID + "/resend"} {
		require.Equal(t, http.StatusNotFound, br.post(path, url.Values{web.TokenField: {token}, "event_id": {other.event.ID}}).status, path)
	}
	// Another environment's event through one's own endpoint, too.
	require.Equal(t, http.StatusNotFound, br.post("/webhooks/"+b.a.hook.ID+"/resend", url.Values{web.TokenField: {token}, "event_id": {other.event.ID}}).status)
	require.Empty(t, b.queues.deliveries)
	require.Empty(t, b.queues.syncs)
	require.Empty(t, b.queues.resends)
}

func TestActions(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, token := b.signedIn(t, b.a)
	p := br.post("/integrations/"+b.a.in.ID+"/sync", url.Values{web.TokenField: {token}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Len(t, b.queues.syncs, 1)
	require.Equal(t, b.a.in.ID, b.queues.syncs[0].IntegrationID)
	require.True(t, b.queues.syncs[0].Full)

	p = br.post("/webhooks/"+b.a.hook.ID+"/resend", url.Values{web.TokenField: {token}, "event_id": {b.a.event.ID}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, []string{b.a.event.ID + "→" + b.a.hook.ID}, b.queues.resends)
	p = br.get(p.header.Get("Location"))
	require.Contains(t, text(p.doc), "queued to be sent again")
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, token := b.signedIn(t, b.a)
	var old *http.Cookie
	u, _ := url.Parse(b.srv.URL)
	for _, c := range br.c.Jar.Cookies(u) {
		if c.Name == dashboard.SessionCookie {
			old = c
		}
	}
	require.NotNil(t, old)
	p := br.post("/sign-out", url.Values{web.TokenField: {token}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "/sign-in", p.header.Get("Location"))
	require.Equal(t, http.StatusSeeOther, br.get("/integrations").status)

	// The old cookie does not work any more: the session is gone.
	req, _ := http.NewRequest(http.MethodGet, b.srv.URL+"/integrations", nil)
	req.AddCookie(&http.Cookie{Name: dashboard.SessionCookie, Value: old.Value})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now().UTC()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	b := setup(t, dashboard.Config{Now: clock, IdleTimeout: 30 * time.Minute, MaxAge: 2 * time.Hour})
	br, _ := b.signedIn(t, b.a)
	for i := 0; i < 4; i++ {
		advance(25 * time.Minute)
		require.Equal(t, http.StatusOK, br.get("/integrations").status, "used within the idle timeout")
	}
	advance(25 * time.Minute) // 125 min after sign-in
	require.Equal(t, http.StatusSeeOther, br.get("/integrations").status, "past the absolute expiry")

	br, _ = b.signedIn(t, b.a)
	advance(31 * time.Minute)
	require.Equal(t, http.StatusSeeOther, br.get("/integrations").status, "idle")
}

func TestRevokedKeyEndsSession(t *testing.T) {
	t.Parallel()
	b := setup(t, dashboard.Config{})
	br, _ := b.signedIn(t, b.a)
	require.NoError(t, b.store.RevokeAPIKey(context.Background(), b.a.env.ID, b.a.keyRecord.ID, time.Now().UTC()))
	require.Equal(t, http.StatusSeeOther, br.get("/integrations").status)
}
