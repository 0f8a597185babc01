package personio_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/personio"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/personio"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// Personio cannot take result links, so the conformance suite (whose last
// check writes one) does not apply as a whole; these tests run its sync,
// credential and outage checks against the Personio fake instead.

type env struct {
	f   *fake.Fake
	url string
}

func start(t *testing.T, opts fake.Options) *env {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 3
	}
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &env{f: f, url: srv.URL}
}

func (e *env) credentials(kv ...string) json.RawMessage {
	m := map[string]string{}
	b, _ := json.Marshal(e.f.Credentials(e.url))
	_ = json.Unmarshal(b, &m)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ = json.Marshal(m)
	return b
}

// count counts the fake's requests whose path has the prefix.
func (e *env) count(prefix string) int {
	n := 0
	for _, r := range e.f.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func open(t *testing.T, creds json.RawMessage, deps connector.Deps) connector.Connector {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	deps.IntegrationID, deps.State = "personio:"+resultlinks.NewID(), store
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.PageSize == 0 {
		deps.PageSize = 10
	}
	c, err := personio.New(creds, deps)
	require.NoError(t, err)
	return c
}

func walk(t *testing.T, c connector.Connector, m resultlinks.Model, since *time.Time) (*resultlinks.Batch, int) {
	t.Helper()
	all := &resultlinks.Batch{}
	cursor, pages := "", 0
	for {
		p, err := c.ListPage(context.Background(), connector.PageRequest{Model: m, Cursor: cursor, UpdatedSince: since})
		require.NoError(t, err)
		pages++
		all.Jobs = append(all.Jobs, p.Batch.Jobs...)
		all.Stages = append(all.Stages, p.Batch.Stages...)
		all.Candidates = append(all.Candidates, p.Batch.Candidates...)
		all.Applications = append(all.Applications, p.Batch.Applications...)
		if p.Next == "" {
			return all, pages
		}
		require.Less(t, pages, 1000, "paging ends")
		cursor = p.Next
	}
}

func TestInfoHasNoChannels(t *testing.T) {
	t.Parallel()
	in := personio.Info()
	require.Equal(t, "personio", in.Tool)
	require.Equal(t, "Personio", in.Label)
	require.Empty(t, in.Channels)
	require.False(t, in.CanWriteResultLinks())
	require.Equal(t, connector.RateLimit{Requests: 100, Per: time.Minute}, in.RateLimit)
}

func TestWriteIsNotAvailable(t *testing.T) {
	t.Parallel()
	e := start(t, fake.Options{Candidates: 2})
	c := open(t, e.credentials(), connector.Deps{})
	app := e.f.Applications("")[0]
	w := connector.Write{ResultLinkID: resultlinks.NewID(),
		Input:  resultlinks.ResultLinkInput{Label: "Test", URL: "https://acme.example/r/1"},
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: app.ID, CandidateRemoteID: app.CandidateID}}
	r, err := c.WriteResultLink(context.Background(), w)
	require.Nil(t, r)
	require.Equal(t, resultlinks.CodeActionNotAvailable, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "Personio cannot take result links")
	found, err := c.FindResultLink(context.Background(), w)
	require.NoError(t, err)
	require.Nil(t, found)
	require.Empty(t, e.f.Requests(), "no call to Personio at all")
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "client_id is required"},
		{`{"client_secret":"s"}`, "client_id is required"},
		{`{"client_id":"i"}`, "client_secret is required"},
		{`{"client_id":"i","client_secret":5}`, `"client_secret" must be a string`},
		{`{"client_id":"i","client_secret":"s","base_url":"personio"}`, "base_url"},
		{`{"client_id":"i","client_secret":"s","app_id":"my app"}`, "app_id"},
		{`{"client_id":"i","client_secret":"s","partner_id":"acme"}`, "partner_id"},
		{`{"client_id":"i","client_secret":"s","company_id":"1"}`, "unknown field"},
		{`"x"`, "not a JSON object"},
	} {
		_, err := personio.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}
	_, err := personio.New(json.RawMessage(`{"client_id":"i","client_secret":"s"}`), connector.Deps{})
	require.NoError(t, err, "base_url defaults to api.personio.de")
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := start(t, fake.Options{Candidates: 3})
	c := open(t, e.credentials(), connector.Deps{})
	require.NoError(t, c.CheckCredentials(ctx))
	e.f.RevokeCredentials()
	err := open(t, e.credentials(), connector.Deps{}).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err), "%v", err)
	// The connector that held a token: the token is refused, a new one too.
	_, err = c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err), "%v", err)

	// A wrong secret: the token endpoint's 400 invalid_client, in Personio's
	// words, without the secret.
	e2 := start(t, fake.Options{Candidates: 1})
	err = open(t, e2.credentials("client_secret", "wrong-secret-value"), connector.Deps{}).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "invalid_client: The client credentials are not valid.")
	require.NotContains(t, err.Error(), "wrong-secret-value")

	// Credentials without the recruiting scope.
	e3 := start(t, fake.Options{Candidates: 1, Scopes: []string{"personio:persons:read"}})
	err = open(t, e3.credentials(), connector.Deps{}).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "personio:recruiting:read")
}

func TestRateLimitsAndOutages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := start(t, fake.Options{Candidates: 3})
	c := open(t, e.credentials(), connector.Deps{})
	require.NoError(t, c.CheckCredentials(ctx))

	// A 429 is waited out.
	e.f.InjectFault(fake.Fault{Kind: fake.FaultRateLimit, RetryAfter: time.Second, Path: "/v2/recruiting/*", Times: 1})
	_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.NoError(t, err)

	// A 429 asking longer than the client waits is passed on with the wait.
	e.f.InjectFault(fake.Fault{Kind: fake.FaultRateLimit, RetryAfter: 10 * time.Minute, Path: "/v2/recruiting/*", Times: 10})
	_, err = c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.Equal(t, resultlinks.CodeRemoteRateLimited, resultlinks.ErrorCode(err), "%v", err)
	var re *resultlinks.Error
	require.ErrorAs(t, err, &re)
	require.GreaterOrEqual(t, re.RetryAfter, time.Minute)

	// An outage.
	e2 := start(t, fake.Options{Candidates: 3})
	c2 := open(t, e2.credentials(), connector.Deps{})
	require.NoError(t, c2.CheckCredentials(ctx))
	e2.f.InjectFault(fake.Fault{Kind: fake.FaultStatus, Status: 503, Path: "/v2/recruiting/*", Times: outbound.DefaultMaxAttempts})
	_, err = c2.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.Equal(t, resultlinks.CodeRemoteUnavailable, resultlinks.ErrorCode(err), "%v", err)
	require.Contains(t, resultlinks.ErrorMessage(err), "Service Unavailable: Injected failure.", "the problem+json words")
}

func TestPagingAndMapping(t *testing.T) {
	t.Parallel()
	const n = 30
	e := start(t, fake.Options{Candidates: n})
	c := open(t, e.credentials(), connector.Deps{})
	cands, pages := walk(t, c, resultlinks.ModelCandidates, nil)
	require.GreaterOrEqual(t, pages, 3, "the data spans at least three pages")
	require.Len(t, cands.Candidates, n)
	byID := map[string]*resultlinks.Candidate{}
	for _, cd := range cands.Candidates {
		require.Nil(t, byID[cd.RemoteID], "no candidate twice across pages")
		byID[cd.RemoteID] = cd
	}
	for _, want := range e.f.Candidates() {
		got := byID[want.ID]
		require.NotNil(t, got)
		require.Equal(t, want.FirstName, *got.FirstName)
		require.Equal(t, want.LastName, *got.LastName)
		require.Equal(t, want.Email, *got.EmailAddresses[0].EmailAddress)
		require.Equal(t, want.Phone, got.PhoneNumbers[0].PhoneNumber)
		require.Equal(t, want.Location, *got.Location.Raw)
		require.True(t, want.CreatedAt.Equal(*got.RemoteCreatedAt))
		require.True(t, want.UpdatedAt.Equal(*got.RemoteUpdatedAt))
		if want.LinkedinProfile != "" {
			require.Equal(t, want.LinkedinProfile, *got.SocialMedia[0].Link)
		}
	}

	apps, appPages := walk(t, c, resultlinks.ModelApplications, nil)
	require.Greater(t, appPages, 1)
	require.Len(t, apps.Applications, len(e.f.Applications("")))
	stageType := map[string]string{}
	for _, cat := range e.f.Categories() {
		for _, s := range cat.Stages {
			stageType[s.ID] = s.Type
		}
	}
	appByID := map[string]*resultlinks.Application{}
	for _, a := range apps.Applications {
		appByID[a.RemoteID] = a
	}
	outcomes := map[resultlinks.Outcome]int{}
	for _, want := range e.f.Applications("") {
		got := appByID[want.ID]
		require.NotNil(t, got)
		require.NotNil(t, byID[got.CandidateRemoteID], "every application belongs to a listed candidate")
		require.Equal(t, want.CandidateID, got.CandidateRemoteID)
		require.Equal(t, want.JobID, got.JobRemoteID)
		require.Equal(t, want.StageID, got.CurrentStageRemoteID)
		// Application timestamps come as {"date-time", "timezone"} objects.
		require.True(t, want.CreatedAt.Equal(*got.RemoteCreatedAt), "%v %v", want.CreatedAt, got.RemoteCreatedAt)
		require.True(t, want.UpdatedAt.Equal(*got.RemoteUpdatedAt))
		outcome := map[string]resultlinks.Outcome{"ACCEPTED": resultlinks.OutcomeHired, "REJECTED": resultlinks.OutcomeDeclined}[stageType[want.StageID]]
		if outcome == "" {
			outcome = resultlinks.OutcomePending
		}
		require.Equal(t, outcome, *got.Outcome, want.StageID)
		outcomes[outcome]++
	}
	require.Positive(t, outcomes[resultlinks.OutcomePending])
	require.Positive(t, outcomes[resultlinks.OutcomeHired]+outcomes[resultlinks.OutcomeDeclined])

	jobs, _ := walk(t, c, resultlinks.ModelJobs, nil)
	require.Len(t, jobs.Jobs, len(e.f.Jobs()))
	names := map[string]string{}
	for _, j := range jobs.Jobs {
		names[j.RemoteID] = *j.Name
	}
	for _, j := range e.f.Jobs() {
		require.Equal(t, j.Name, names[j.ID])
	}
	stages, _ := walk(t, c, resultlinks.ModelStages, nil)
	want := 0
	for _, cat := range e.f.Categories() {
		want += len(cat.Stages)
	}
	require.Len(t, stages.Stages, want)
	require.Equal(t, e.f.Categories()[0].Stages[3].Name, *stages.Stages[3].Name)
	require.Equal(t, 3, *stages.Stages[3].Index)
}

func TestDeltaPicksUpExactlyTheChangedRecord(t *testing.T) {
	t.Parallel()
	e := start(t, fake.Options{Candidates: 30})
	c := open(t, e.credentials(), connector.Deps{})
	cands, _ := walk(t, c, resultlinks.ModelCandidates, nil)
	since := time.Now().Add(-time.Second)
	target := cands.Candidates[len(cands.Candidates)/2].RemoteID
	require.True(t, e.f.TouchCandidate(target))
	changed, _ := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, changed.Candidates, 1)
	require.Equal(t, target, changed.Candidates[0].RemoteID)

	// Moving an application shows it (and its candidate) in the next delta.
	app := e.f.Applications("")[0]
	cat := e.f.Categories()
	var other string
	for _, cg := range cat {
		for _, s := range cg.Stages {
			if s.ID != app.StageID && other == "" && e.f.MoveApplication(app.ID, s.ID) {
				other = s.ID
			}
		}
	}
	require.NotEmpty(t, other)
	apps, _ := walk(t, c, resultlinks.ModelApplications, &since)
	require.Len(t, apps.Applications, 1)
	require.Equal(t, app.ID, apps.Applications[0].RemoteID)
	require.Equal(t, other, apps.Applications[0].CurrentStageRemoteID)
	for _, r := range e.f.Requests() {
		if strings.Contains(r.Query, "updated_at") {
			require.Contains(t, r.Query, "updated_at.gt=")
		}
	}
}

// headers keeps the headers of every request the connector sends.
type headers struct {
	mu   sync.Mutex
	seen []http.Header
	urls []string
}

func (h *headers) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen = append(h.seen, r.Header.Clone())
	h.urls = append(h.urls, r.URL.Path)
	h.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestTokensAndHeaders(t *testing.T) {
	t.Parallel()
	e := start(t, fake.Options{Candidates: 25})
	rec := &headers{}
	log := &outbound.Log{}
	c := open(t, e.credentials("partner_id", "ACME_PARTNER"), connector.Deps{HTTPClient: &http.Client{Transport: rec}, Recorder: log})
	walk(t, c, resultlinks.ModelCandidates, nil)
	walk(t, c, resultlinks.ModelJobs, nil)
	require.Equal(t, 1, e.count("/v2/auth/token"), "one token serves every call")

	e.f.ExpireTokens()
	walk(t, c, resultlinks.ModelJobs, nil)
	require.Equal(t, 2, e.count("/v2/auth/token"), "a refused token is minted again, once")

	rec.mu.Lock()
	defer rec.mu.Unlock()
	reads := 0
	for i, h := range rec.seen {
		require.Equal(t, "RESULTLINKS", h.Get("X-Personio-App-ID"))
		require.Equal(t, "ACME_PARTNER", h.Get("X-Personio-Partner-ID"))
		if strings.HasPrefix(rec.urls[i], "/v2/recruiting/") {
			reads++
			require.Equal(t, "true", h.Get("Beta"), rec.urls[i])
			require.True(t, strings.HasPrefix(h.Get("Authorization"), "Bearer papi-"))
		} else {
			require.Equal(t, "application/x-www-form-urlencoded", h.Get("Content-Type"))
			require.Empty(t, h.Get("Authorization"))
		}
	}
	require.Greater(t, reads, 3)
	for _, x := range log.Exchanges() {
		all := x.URL + x.RequestBody + x.ResponseBody + strings.Join(mapValues(x.RequestHeaders), " ")
		require.NotContains(t, all, fake.DefaultClientSecret)
		require.NotRegexp(t, `papi-[0-9a-f]{48}`, all, "no token in the recorded exchanges")
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
