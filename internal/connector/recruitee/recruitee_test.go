package recruitee_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/recruitee"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the Recruitee fake to the conformance suite.
type harnessFake struct {
	f   *fake.Fake
	url string
}

func start(t *testing.T, candidates int) *harnessFake {
	t.Helper()
	f := fake.New(fake.Options{Candidates: candidates, Seed: 11})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &harnessFake{f: f, url: srv.URL}
}

func (h *harnessFake) Credentials() json.RawMessage {
	b, _ := json.Marshal(h.f.Credentials(h.url))
	return b
}

func (h *harnessFake) RevokeCredentials() { h.f.RevokeCredentials() }

func (h *harnessFake) FailNext(n, status int, retryAfter time.Duration) {
	kind := fake.FaultStatus
	if status == http.StatusTooManyRequests {
		kind = fake.FaultRateLimit
	}
	h.f.InjectFault(fake.Fault{Kind: kind, Status: status, RetryAfter: retryAfter, Times: n})
}

func (h *harnessFake) TouchCandidate(remoteID string) { h.f.TouchCandidate(num(remoteID)) }

func (h *harnessFake) candidateOf(model resultlinks.Model, remoteID string) int64 {
	if model == resultlinks.ModelCandidates {
		return num(remoteID)
	}
	for _, p := range h.f.Placements(0) {
		if p.ID == num(remoteID) {
			return p.CandidateID
		}
	}
	return 0
}

// Holds: the link and every attribute are in profile fields of the
// candidate, or a note on the candidate carries the URL.
func (h *harnessFake) Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	cand := h.candidateOf(model, remoteID)
	values := map[string]string{}
	for _, f := range h.f.CandidateFields(cand) {
		if len(f.Values) == 1 {
			values[f.Name] = f.Values[0].String()
		}
	}
	all := values[in.Label] == in.URL
	for _, a := range in.Details.Attributes {
		all = all && values[in.Details.FieldName(a.Key)] == a.Value
	}
	if all {
		return true
	}
	for _, n := range h.f.CandidateNotes(cand) {
		if strings.Contains(n.Body, in.URL) {
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
		Info:     recruitee.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

// open builds a connector with its own state store.
func open(t *testing.T, creds json.RawMessage) connector.Connector {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	c, err := recruitee.New(creds, connector.Deps{IntegrationID: "recruitee:" + resultlinks.NewID(), State: store, Now: time.Now, PageSize: 7})
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

func TestInfo(t *testing.T) {
	t.Parallel()
	in := recruitee.Info()
	require.Equal(t, "recruitee", in.Tool)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, in.Channels)
	require.Equal(t, connector.RateLimit{Requests: 100, Per: 10 * time.Second}, in.RateLimit)
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "company_id is required"},
		{`{"api_token":"t"}`, "company_id is required"},
		{`{"company_id":"61503"}`, "api_token is required"},
		{`{"company_id":"61503","api_token":"  "}`, "api_token is required"},
		{`{"company_id":"acme/../x","api_token":"t"}`, "company_id"},
		{`{"company_id":1.5,"api_token":"t"}`, `"company_id" must be a string`},
		{`{"company_id":true,"api_token":"t"}`, `"company_id" must be a string`},
		{`{"company_id":"1","api_token":7}`, `"api_token" must be a string`},
		{`{"company_id":"1","api_token":"t","base_url":"ftp://x"}`, "base_url"},
		{`{"company_id":"1","api_token":"t","token":"x"}`, "unknown field"},
		{`[]`, "not a JSON object"},
	} {
		_, err := recruitee.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}
	// The company may be given as a number or as the subdomain.
	h := start(t, 2)
	ctx := context.Background()
	for _, company := range []string{strconv.FormatInt(h.f.CompanyID(), 10), `"` + fake.DefaultSubdomain + `"`} {
		raw := fmt.Sprintf(`{"company_id":%s,"api_token":%q,"base_url":%q}`, company, fake.DefaultAPIToken, h.url)
		require.NoError(t, open(t, json.RawMessage(raw)).CheckCredentials(ctx), company)
	}

	// A token of another company, and a wrong token: both refused as
	// credentials, and the token never shows in the message.
	other := fmt.Sprintf(`{"company_id":"99","api_token":%q,"base_url":%q}`, fake.DefaultAPIToken, h.url)
	err := open(t, json.RawMessage(other)).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), `company "99"`)
	wrong := fmt.Sprintf(`{"company_id":"61503","api_token":"wrong-token-value","base_url":%q}`, h.url)
	err = open(t, json.RawMessage(wrong)).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.NotContains(t, err.Error(), "wrong-token-value")
	require.Contains(t, resultlinks.ErrorMessage(err), "Unauthorized", "Recruitee's own words")
}

func TestCompanyIDInEveryPath(t *testing.T) {
	t.Parallel()
	h := start(t, 4)
	raw, _ := json.Marshal(map[string]string{"company_id": fake.DefaultSubdomain, "api_token": fake.DefaultAPIToken, "base_url": h.url})
	c := open(t, raw)
	for _, m := range connector.SyncModels {
		walk(t, c, m, nil)
	}
	cand := h.f.Candidates()[0]
	_, err := c.WriteResultLink(context.Background(), connector.Write{ResultLinkID: resultlinks.NewID(),
		Input:  resultlinks.ResultLinkInput{Label: "Test", URL: "https://acme.example/r/9"},
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: strconv.FormatInt(cand.ID, 10)}})
	require.NoError(t, err)
	reqs := h.f.Requests()
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		require.True(t, strings.HasPrefix(r.Path, "/c/"+fake.DefaultSubdomain+"/"), r.Path)
		require.Less(t, r.Status, 400, "%s %s", r.Method, r.Path)
	}
}

// addField adds a profile field straight through the fake's API, as a
// recruiter would in the UI.
func addField(t *testing.T, h *harnessFake, cand int64, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/c/%d/custom_fields/candidates/%d/fields", h.url, h.f.CompanyID(), cand), bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+fake.DefaultAPIToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)
}

func TestWritesFieldsAndNoteWithoutDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	c := open(t, h.Credentials())
	cand := h.f.Candidates()[1]
	app := cand.Placements[0]
	// A number field of the same name as one attribute, made by a recruiter.
	addField(t, h, cand.ID, `{"field":{"name":"Acme: Rank","kind":"number","values":[{"number":"3"}]}}`)
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/1",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
			{Key: "Score", Value: "87%"}, {Key: "Rank", Value: "top 5%"},
		}},
	}, Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: strconv.FormatInt(app.ID, 10), CandidateRemoteID: strconv.FormatInt(cand.ID, 10)}}

	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r.Channels)
	require.Equal(t, resultlinks.ModelCandidates, r.FieldsOn)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1", "Acme: Score": "87%"}, r.CustomFields)
	require.Len(t, r.RemoteIDs, 3, "two fields and the note")
	require.Contains(t, strings.Join(r.Warnings, " "), `"Acme: Rank" (an existing number field)`)
	require.Contains(t, strings.Join(r.Warnings, " "), "public note")

	fields := func() map[string][]string {
		out := map[string][]string{}
		for _, f := range h.f.CandidateFields(cand.ID) {
			for _, v := range f.Values {
				out[f.Name] = append(out[f.Name], v.String())
			}
		}
		return out
	}
	require.Equal(t, []string{"https://acme.example/r/1"}, fields()["Coding Test"])
	require.Equal(t, []string{"87%"}, fields()["Acme: Score"])
	require.Equal(t, []string{"3"}, fields()["Acme: Rank"], "the recruiter's field is left alone")
	notes := h.f.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Contains(t, notes[0].Body, "Acme: Rank: top 5%")
	require.Contains(t, notes[0].Body, connector.Marker(w.ResultLinkID))
	require.Equal(t, "public", notes[0].Visibility.Level)
	require.Equal(t, fake.OwnerAdminID, notes[0].AdminID)

	// Found again by the note's marker, with the fields that hold the values.
	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, again.Channels)
	require.Equal(t, r.CustomFields, again.CustomFields)

	// A second result with the same label: the fields are changed in place.
	before := len(h.f.CandidateFields(cand.ID))
	w2 := w
	w2.ResultLinkID = resultlinks.NewID()
	w2.Input.URL = "https://acme.example/r/2"
	w2.Input.Details = &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "91%"}}}
	r2, err := c.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/2", "Acme: Score": "91%"}, r2.CustomFields)
	require.Len(t, h.f.CandidateFields(cand.ID), before, "no second field of the same name")
	require.Equal(t, []string{"https://acme.example/r/2"}, fields()["Coding Test"])
	require.Equal(t, []string{"91%"}, fields()["Acme: Score"])
	patches := 0
	for _, req := range h.f.Requests() {
		if req.Method == http.MethodPatch {
			patches++
		}
	}
	require.Equal(t, 2, patches)
	require.Len(t, h.f.CandidateNotes(cand.ID), 2, "each result link has its own note")

	// The mirror sees the written fields at the next sync.
	cands := walk(t, c, resultlinks.ModelCandidates, nil)
	for _, cd := range cands.Candidates {
		if cd.RemoteID == strconv.FormatInt(cand.ID, 10) {
			require.Equal(t, "91%", cd.CustomFields["Acme: Score"])
			require.Equal(t, "3", cd.CustomFields["Acme: Rank"])
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	c := open(t, h.Credentials())
	_, err := c.WriteResultLink(ctx, connector.Write{ResultLinkID: resultlinks.NewID(),
		Input:  resultlinks.ResultLinkInput{Label: "L", URL: "https://acme.example/r"},
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: "12345"}})
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "HTTP 404: Not found")
	_, err = c.WriteResultLink(ctx, connector.Write{ResultLinkID: resultlinks.NewID(),
		Input:  resultlinks.ResultLinkInput{Label: "L", URL: "https://acme.example/r"},
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: "../offers"}})
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Equal(t, 0, (&harnessFake{f: h.f}).Writes())
}

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 12)
	c := open(t, h.Credentials())
	jobs := walk(t, c, resultlinks.ModelJobs, nil).Jobs
	stages := walk(t, c, resultlinks.ModelStages, nil).Stages
	offers := h.f.Offers()
	require.Len(t, jobs, len(offers))
	require.Equal(t, strconv.FormatInt(offers[0].ID, 10), jobs[0].RemoteID)
	require.Equal(t, offers[0].Title, *jobs[0].Name)
	require.Len(t, stages, len(offers)*len(offers[0].PipelineTemplate.Stages))
	require.Equal(t, offers[0].PipelineTemplate.Stages[2].Name, *stages[2].Name)
	require.Equal(t, 2, *stages[2].Index)

	cands := walk(t, c, resultlinks.ModelCandidates, nil).Candidates
	require.Len(t, cands, 12)
	byID := map[string]*resultlinks.Candidate{}
	for _, cd := range cands {
		byID[cd.RemoteID] = cd
	}
	withField := 0
	for _, want := range h.f.Candidates() {
		got := byID[strconv.FormatInt(want.ID, 10)]
		require.NotNil(t, got)
		require.Equal(t, want.Name, *got.FirstName+" "+*got.LastName)
		require.Equal(t, want.Emails[0], *got.EmailAddresses[0].EmailAddress)
		require.Equal(t, want.Phones[0], got.PhoneNumbers[0].PhoneNumber)
		require.Equal(t, want.Source, *got.Source)
		require.Len(t, got.Tags, len(want.Tags))
		require.True(t, want.UpdatedAt.Equal(*got.RemoteUpdatedAt))
		require.Contains(t, *got.RemoteURL, "candidate="+got.RemoteID)
		require.Contains(t, *got.RemoteURL, "company=61503")
		if d, _ := h.f.Candidate(want.ID); len(d.Fields) > 0 {
			withField++
			require.Equal(t, d.Fields[0].Values[0].String(), got.CustomFields["Notice period"])
		}
	}
	require.Positive(t, withField, "some candidates have a profile field")

	apps := walk(t, c, resultlinks.ModelApplications, nil).Applications
	require.Len(t, apps, len(h.f.Placements(0)))
	appByID := map[string]*resultlinks.Application{}
	for _, a := range apps {
		appByID[a.RemoteID] = a
	}
	outcomes := map[resultlinks.Outcome]int{}
	for _, p := range h.f.Placements(0) {
		got := appByID[strconv.FormatInt(p.ID, 10)]
		require.NotNil(t, got)
		require.Equal(t, strconv.FormatInt(p.CandidateID, 10), got.CandidateRemoteID)
		require.Equal(t, strconv.FormatInt(p.OfferID, 10), got.JobRemoteID)
		require.Equal(t, strconv.FormatInt(*p.StageID, 10), got.CurrentStageRemoteID)
		want := resultlinks.OutcomePending
		switch {
		case !p.HiredAt.IsZero():
			want = resultlinks.OutcomeHired
		case p.DisqualifyReason != nil:
			want = resultlinks.OutcomeDeclined
			require.Equal(t, *p.DisqualifyReason, *got.RejectionReasonName)
			require.True(t, p.DisqualifiedAt.Equal(*got.RejectedAt))
		}
		require.Equal(t, want, *got.Outcome)
		outcomes[want]++
	}
	require.Positive(t, outcomes[resultlinks.OutcomePending])
	require.Positive(t, outcomes[resultlinks.OutcomeHired]+outcomes[resultlinks.OutcomeDeclined])
}

func TestDeltaAndFieldCache(t *testing.T) {
	t.Parallel()
	h := start(t, 9)
	c := open(t, h.Credentials())
	details := func() int {
		n := 0
		for _, r := range h.f.Requests() {
			if strings.Count(r.Path, "/") == 4 && strings.Contains(r.Path, "/candidates/") {
				n++
			}
		}
		return n
	}
	walk(t, c, resultlinks.ModelCandidates, nil)
	require.Equal(t, 9, details(), "each candidate's profile fields are read once")
	walk(t, c, resultlinks.ModelCandidates, nil)
	require.Equal(t, 9, details(), "unchanged candidates' fields are remembered")

	since := time.Now().Add(-time.Second)
	target := h.f.Candidates()[4]
	h.f.TouchCandidate(target.ID)
	changed := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, changed.Candidates, 1)
	require.Equal(t, 10, details(), "only the changed candidate is read again")
	apps := walk(t, c, resultlinks.ModelApplications, &since).Applications
	require.Len(t, apps, len(target.Placements), "a changed candidate's placements come along")
	for _, a := range apps {
		require.Equal(t, strconv.FormatInt(target.ID, 10), a.CandidateRemoteID)
	}
}
