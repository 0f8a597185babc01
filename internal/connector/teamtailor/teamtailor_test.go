package teamtailor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/teamtailor"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the Teamtailor fake to the conformance suite.
type harnessFake struct {
	f   *fake.Fake
	url string
}

func start(t *testing.T, candidates int) *harnessFake {
	t.Helper()
	return startWith(t, fake.Options{Candidates: candidates, Seed: 5})
}

func startWith(t *testing.T, opts fake.Options) *harnessFake {
	t.Helper()
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &harnessFake{f: f, url: srv.URL}
}

func (h *harnessFake) Credentials() json.RawMessage {
	b, _ := json.Marshal(h.f.Credentials(h.url))
	return b
}

// with returns the fake's credentials with some fields changed.
func (h *harnessFake) with(kv ...string) json.RawMessage {
	m := map[string]string{}
	_ = json.Unmarshal(h.Credentials(), &m)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return b
}

func (h *harnessFake) RevokeCredentials() { h.f.RevokeCredentials() }

func (h *harnessFake) FailNext(n, status int, retryAfter time.Duration) {
	kind := fake.FaultStatus
	if status == http.StatusTooManyRequests {
		kind = fake.FaultRateLimit
	}
	h.f.InjectFault(fake.Fault{Kind: kind, Status: status, RetryAfter: retryAfter, Path: "/v1/*", Times: n})
}

func (h *harnessFake) TouchCandidate(remoteID string) { h.f.TouchCandidate(num(remoteID)) }

func (h *harnessFake) candidateOf(model resultlinks.Model, remoteID string) int64 {
	if model == resultlinks.ModelCandidates {
		return num(remoteID)
	}
	for _, a := range h.f.JobApplications(0) {
		if a.ID == num(remoteID) {
			return a.CandidateID
		}
	}
	return 0
}

// values returns a candidate's custom field values by the field's name.
func (h *harnessFake) values(cand int64) map[string]string {
	names := map[string]string{}
	for _, cf := range h.f.CustomFields() {
		names[cf.APIName] = cf.Name
	}
	out := map[string]string{}
	for api, v := range h.f.CandidateCustomFieldValues(cand) {
		out[names[api]] = fmt.Sprint(v.Value)
	}
	return out
}

// Holds: the link and every attribute are in the candidate's custom
// fields, or a note on the candidate carries the URL.
func (h *harnessFake) Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	cand := h.candidateOf(model, remoteID)
	values := h.values(cand)
	all := values[in.Label] == in.URL
	for _, a := range in.Details.Attributes {
		all = all && values[in.Details.FieldName(a.Key)] == a.Value
	}
	if all {
		return true
	}
	for _, n := range h.f.CandidateNotes(cand) {
		if strings.Contains(n.Note, in.URL) {
			return true
		}
	}
	return false
}

func (h *harnessFake) Writes() int {
	n := 0
	for _, r := range h.f.Requests() {
		if r.Method != http.MethodGet {
			n++
		}
	}
	return n
}

func num(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     teamtailor.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

// recorder keeps the headers of every request the connector sends.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(context.Background()))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) all() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...)
}

// open builds a connector with its own state store.
func open(t *testing.T, creds json.RawMessage, rt http.RoundTripper) connector.Connector {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	deps := connector.Deps{IntegrationID: "teamtailor:" + resultlinks.NewID(), State: store, Now: time.Now, PageSize: 10}
	if rt != nil {
		deps.HTTPClient = &http.Client{Transport: rt}
	}
	c, err := teamtailor.New(creds, deps)
	require.NoError(t, err)
	return c
}

// walk reads every page of a model.
func walk(t *testing.T, c connector.Connector, m resultlinks.Model, since *time.Time) *resultlinks.Batch {
	t.Helper()
	all := &resultlinks.Batch{}
	cursor := ""
	for {
		p, err := c.ListPage(context.Background(), connector.PageRequest{Model: m, Cursor: cursor, UpdatedSince: since})
		require.NoError(t, err)
		all.Jobs = append(all.Jobs, p.Batch.Jobs...)
		all.Stages = append(all.Stages, p.Batch.Stages...)
		all.Candidates = append(all.Candidates, p.Batch.Candidates...)
		all.Applications = append(all.Applications, p.Batch.Applications...)
		if p.Next == "" {
			return all
		}
		cursor = p.Next
	}
}

func input(prefix string, attrs ...string) resultlinks.ResultLinkInput {
	in := resultlinks.ResultLinkInput{Label: "Coding Test", URL: "https://acme.example/r/1",
		Details: &resultlinks.Details{CustomFieldNamePrefix: prefix}}
	for i := 0; i+1 < len(attrs); i += 2 {
		in.Details.Attributes = append(in.Details.Attributes, resultlinks.Attribute{Key: attrs[i], Value: attrs[i+1]})
	}
	return in
}

func toCandidate(id int64, in resultlinks.ResultLinkInput) connector.Write {
	return connector.Write{ResultLinkID: resultlinks.NewID(), Input: in,
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: strconv.FormatInt(id, 10)}}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	in := teamtailor.Info()
	require.Equal(t, "teamtailor", in.Tool)
	require.Equal(t, "Teamtailor", in.Label)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, in.Channels)
	require.Equal(t, connector.RateLimit{Requests: 50, Per: 10 * time.Second}, in.RateLimit)
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "api_key is required"},
		{`{"api_key":" "}`, "api_key is required"},
		{`{"api_key":"k","region":"us"}`, `region "us"`},
		{`{"api_key":"k","api_version":"2024-09-04"}`, "api_version"},
		{`{"api_key":"k","user_id":"bob"}`, "user_id"},
		{`{"api_key":"k","user_id":7}`, `"user_id" must be a string`},
		{`{"api_key":"k","base_url":"api.teamtailor.com"}`, "base_url"},
		{`{"api_key":"k","token":"x"}`, "unknown field"},
	} {
		_, err := teamtailor.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}

	// The region picks the stack's host; base_url defaults to it.
	ctx := context.Background()
	for region, host := range map[string]string{"": "api.teamtailor.com", "eu": "api.teamtailor.com", "na": "api.na.teamtailor.com"} {
		rec := &recorder{next: roundTrip(func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 401, Header: http.Header{"Content-Type": {fake.MediaType}},
				Body: http.NoBody}, nil
		})}
		raw, _ := json.Marshal(map[string]string{"api_key": "k", "region": region})
		err := open(t, raw, rec).CheckCredentials(ctx)
		require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
		require.Equal(t, "https://"+host+"/v1/candidates?page%5Bsize%5D=1", rec.all()[0].URL.String(), region)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestHeadersAndErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	rec := &recorder{next: http.DefaultTransport}
	c := open(t, h.Credentials(), rec)
	require.NoError(t, c.CheckCredentials(ctx))
	cand := h.f.Candidates()[0]
	_, err := c.WriteResultLink(ctx, toCandidate(cand.ID, input("Acme:", "Score", "90%")))
	require.NoError(t, err)
	writes := 0
	for _, r := range rec.all() {
		require.Equal(t, teamtailor.DefaultAPIVersion, r.Header.Get("X-Api-Version"))
		require.Equal(t, "Token token="+fake.DefaultAPIKey, r.Header.Get("Authorization"))
		require.Equal(t, teamtailor.MediaType, r.Header.Get("Accept"))
		if r.Method != http.MethodGet {
			writes++
			require.Equal(t, teamtailor.MediaType, r.Header.Get("Content-Type"))
		}
	}
	require.Equal(t, 4, writes, "two field definitions and two values")

	// A company pinned to another API version: the JSON:API error's title
	// and detail come through.
	pinned := startWith(t, fake.Options{Candidates: 1, APIVersion: "20210218"})
	err = open(t, pinned.Credentials(), nil).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), `teamtailor answered HTTP 406: Unsupported API version: X-Api-Version "20240904" is not supported.`)
	require.NoError(t, open(t, pinned.with("api_version", "20210218"), nil).CheckCredentials(ctx))

	// A validation error points at the member.
	bad := open(t, h.with("user_id", "999"), nil)
	_, err = bad.WriteResultLink(ctx, toCandidate(cand.ID, resultlinks.ResultLinkInput{Label: "Portfolio", URL: "not a url at all"}))
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "HTTP 422: user - must exist (/data/relationships/user)")

	// A wrong key.
	err = open(t, h.with("api_key", "wrong-key-value"), nil).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "Missing or invalid API key")
	require.NotContains(t, err.Error(), "wrong-key-value")
}

func TestFieldsThenNote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 4)
	// The company already has a number field of one attribute's name.
	_, ok := h.f.AddCustomField(fake.NewCustomField{Name: "Acme: Rank", FieldType: "CustomField::Number"})
	require.True(t, ok)
	c := open(t, h.Credentials(), nil)
	cand := h.f.Candidates()[2]
	app := h.f.JobApplications(cand.ID)[0]
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: input("Acme:", "Score", "87%", "Rank", "top 5%"),
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: strconv.FormatInt(app.ID, 10), CandidateRemoteID: strconv.FormatInt(cand.ID, 10)}}
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r.Channels)
	require.Equal(t, resultlinks.ModelCandidates, r.FieldsOn)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1", "Acme: Score": "87%"}, r.CustomFields)
	require.Contains(t, r.Warnings[0], `created the fields "Coding Test", "Acme: Score"`)
	require.Contains(t, r.Warnings[1], `"Acme: Rank" (its field is a Number)`)
	require.Equal(t, map[string]string{"Coding Test": "https://acme.example/r/1", "Acme: Score": "87%"}, h.values(cand.ID))
	for _, cf := range h.f.CustomFields() {
		if cf.Name == "Coding Test" {
			require.Equal(t, "CustomField::Url", cf.FieldType)
		}
	}
	notes := h.f.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Contains(t, notes[0].Note, "Acme: Rank: top 5%")
	require.Contains(t, notes[0].Note, connector.Marker(w.ResultLinkID))
	require.Equal(t, fake.AdminUserID, notes[0].UserID, "the first admin writes the note")

	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, r.Channels, again.Channels)
	require.Equal(t, r.CustomFields, again.CustomFields)

	// A second result of the same label changes the values in place, and a
	// configured user writes notes.
	before := len(h.f.CandidateCustomFieldValues(cand.ID))
	c2 := open(t, h.with("user_id", strconv.FormatInt(fake.RecruiterUserID, 10)), nil)
	w2 := toCandidate(cand.ID, input("Acme:", "Score", "91%", "Rank", "top 1%"))
	w2.Input.URL = "https://acme.example/r/2"
	r2, err := c2.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/2", "Acme: Score": "91%"}, r2.CustomFields)
	require.Len(t, h.f.CandidateCustomFieldValues(cand.ID), before, "no second value of a field")
	require.Equal(t, map[string]string{"Coding Test": "https://acme.example/r/2", "Acme: Score": "91%"}, h.values(cand.ID))
	notes = h.f.CandidateNotes(cand.ID)
	require.Len(t, notes, 2)
	require.Equal(t, fake.RecruiterUserID, notes[1].UserID)
	patches := 0
	for _, req := range h.f.Requests() {
		if req.Method == http.MethodPatch {
			patches++
		}
	}
	require.Equal(t, 2, patches)

	// The sync shows the written values by the field's name.
	for _, cd := range walk(t, c, resultlinks.ModelCandidates, nil).Candidates {
		if cd.RemoteID == strconv.FormatInt(cand.ID, 10) {
			require.Equal(t, "91%", cd.CustomFields["Acme: Score"])
			require.Equal(t, "https://acme.example/r/2", cd.CustomFields["Coding Test"])
		}
	}

	// A fields-only write is found by its values.
	w3 := toCandidate(cand.ID, input("Acme:", "Score", "91%"))
	w3.Input.URL = "https://acme.example/r/2"
	found, err = c.FindResultLink(ctx, w3)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, found.Channels)
}

func TestKeysThatMayNotWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	cand := h.f.Candidates()[0]
	fieldsBefore := len(h.f.CustomFields())
	for _, tc := range []struct {
		key   string
		scope fake.Scope
		write bool
	}{
		{"internal-read-write", fake.ScopeInternal, true},
		{"admin-read-only", fake.ScopeAdmin, false},
	} {
		h.f.AddAPIKey(tc.key, tc.scope, tc.write)
		c := open(t, h.with("api_key", tc.key), nil)
		require.NoError(t, c.CheckCredentials(ctx), "the key reads")
		_, err := c.WriteResultLink(ctx, toCandidate(cand.ID, input("Acme:", "Score", "90%")))
		require.Equal(t, resultlinks.CodePermissionMissing, resultlinks.ErrorCode(err), tc.key)
		require.Contains(t, resultlinks.ErrorMessage(err), "needs an Admin API key with read-write access")
		require.Contains(t, resultlinks.ErrorMessage(err), "Writing needs an Admin API key with write access", "Teamtailor's own words")
	}
	require.Empty(t, h.f.CandidateNotes(cand.ID))
	require.Equal(t, map[string]string{"Salary expectation": h.values(cand.ID)["Salary expectation"]}, h.values(cand.ID), "only the seeded value")
	require.Len(t, h.f.CustomFields(), fieldsBefore, "no field was created")

	// A Public key cannot even read candidates: refused as credentials.
	h.f.AddAPIKey("public", fake.ScopePublic, false)
	err := open(t, h.with("api_key", "public"), nil).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "Internal or Admin scope")
}

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 12)
	c := open(t, h.Credentials(), nil)
	jobs := walk(t, c, resultlinks.ModelJobs, nil).Jobs
	require.Len(t, jobs, len(h.f.Jobs()))
	require.Equal(t, h.f.Jobs()[0].Title, *jobs[0].Name)
	stages := walk(t, c, resultlinks.ModelStages, nil).Stages
	require.Len(t, stages, len(h.f.Stages()))
	for i, s := range h.f.Stages() {
		require.Equal(t, strconv.FormatInt(s.ID, 10), stages[i].RemoteID)
		require.Equal(t, s.Name, *stages[i].Name)
		require.Equal(t, s.RowOrder, *stages[i].Index)
	}

	cands := walk(t, c, resultlinks.ModelCandidates, nil).Candidates
	require.Len(t, cands, 12)
	withField := 0
	for i, want := range h.f.Candidates() {
		got := cands[i]
		require.Equal(t, strconv.FormatInt(want.ID, 10), got.RemoteID)
		require.Equal(t, want.FirstName, *got.FirstName)
		require.Equal(t, want.LastName, *got.LastName)
		require.Equal(t, want.Email, *got.EmailAddresses[0].EmailAddress)
		require.Equal(t, want.Phone, got.PhoneNumbers[0].PhoneNumber)
		require.Len(t, got.Tags, len(want.Tags))
		require.True(t, want.UpdatedAt.Equal(*got.RemoteUpdatedAt))
		if want.LinkedinURL != "" {
			require.Equal(t, want.LinkedinURL, *got.SocialMedia[0].Link)
		}
		if v, ok := h.f.CandidateCustomFieldValues(want.ID)["salary-expectation"]; ok {
			withField++
			require.Equal(t, v.Value, got.CustomFields["Salary expectation"])
		} else {
			require.Empty(t, got.CustomFields)
		}
	}
	require.Positive(t, withField)

	apps := walk(t, c, resultlinks.ModelApplications, nil).Applications
	require.Len(t, apps, len(h.f.JobApplications(0)))
	stageType := map[int64]string{}
	for _, s := range h.f.Stages() {
		stageType[s.ID] = s.StageType
	}
	outcomes := map[resultlinks.Outcome]int{}
	for i, want := range h.f.JobApplications(0) {
		got := apps[i]
		require.Equal(t, strconv.FormatInt(want.ID, 10), got.RemoteID)
		require.Equal(t, strconv.FormatInt(want.CandidateID, 10), got.CandidateRemoteID)
		require.Equal(t, strconv.FormatInt(want.JobID, 10), got.JobRemoteID)
		require.Equal(t, strconv.FormatInt(want.StageID, 10), got.CurrentStageRemoteID)
		outcome := resultlinks.OutcomePending
		switch {
		case !want.RejectedAt.IsZero():
			outcome = resultlinks.OutcomeDeclined
			require.True(t, want.RejectedAt.Equal(*got.RejectedAt))
		case stageType[want.StageID] == "hired":
			outcome = resultlinks.OutcomeHired
		}
		require.Equal(t, outcome, *got.Outcome)
		outcomes[outcome]++
	}
	require.Positive(t, outcomes[resultlinks.OutcomePending])
	require.Positive(t, outcomes[resultlinks.OutcomeHired]+outcomes[resultlinks.OutcomeDeclined])
}

func TestDeltaAndValueCache(t *testing.T) {
	t.Parallel()
	h := start(t, 9)
	c := open(t, h.Credentials(), nil)
	perCandidate := func() int {
		n := 0
		for _, r := range h.f.Requests() {
			if strings.HasSuffix(r.Path, "/custom-field-values") && strings.HasPrefix(r.Path, "/v1/candidates/") {
				n++
			}
		}
		return n
	}
	walk(t, c, resultlinks.ModelCandidates, nil)
	first := perCandidate()
	require.Equal(t, 3, first, "the candidates with values are read once for their fields")
	walk(t, c, resultlinks.ModelCandidates, nil)
	require.Equal(t, first, perCandidate(), "the fields of known values are remembered")

	since := time.Now().Add(-time.Second)
	target := h.f.Candidates()[3]
	h.f.TouchCandidate(target.ID)
	changed := walk(t, c, resultlinks.ModelCandidates, &since).Candidates
	require.Len(t, changed, 1)
	require.Equal(t, strconv.FormatInt(target.ID, 10), changed[0].RemoteID)
	require.Equal(t, "Salary expectation", func() string {
		for k := range changed[0].CustomFields {
			return k
		}
		return ""
	}())
	for _, r := range h.f.Requests() {
		if strings.Contains(r.Query, "updated-at") {
			require.Contains(t, r.Query, "filter%5Bupdated-at%5D%5Bfrom%5D=")
		}
	}
}
