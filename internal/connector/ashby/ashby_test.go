package ashby_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/ashby"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/ashby"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the Ashby fake to the conformance suite.
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
	h.f.InjectFault(fake.Fault{Kind: kind, Status: status, RetryAfter: retryAfter, Path: "/*", Times: n})
}

func (h *harnessFake) TouchCandidate(remoteID string) { h.f.TouchCandidate(remoteID) }

// Holds: the link and every attribute are in the record's custom fields, or
// a note on its candidate carries the URL.
func (h *harnessFake) Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	var values []fake.CustomFieldValue
	cand := remoteID
	if model == resultlinks.ModelApplications {
		app, ok := h.f.Application(remoteID)
		if !ok {
			return false
		}
		cand, values = app.Candidate.ID, h.f.ApplicationCustomFields(remoteID)
	} else {
		values = h.f.CandidateCustomFields(remoteID)
	}
	got := map[string]string{}
	for _, v := range values {
		got[v.Title] = fmt.Sprint(v.Value)
	}
	all := got[in.Label] == in.URL
	for _, a := range in.Details.Attributes {
		all = all && got[in.Details.FieldName(a.Key)] == a.Value
	}
	if all {
		return true
	}
	for _, n := range h.f.CandidateNotes(cand) {
		if strings.Contains(html.UnescapeString(n.Content), in.URL) {
			return true
		}
	}
	return false
}

var writePaths = map[string]bool{"/customField.create": true, "/customField.setValue": true, "/candidate.createNote": true}

func (h *harnessFake) Writes() int {
	n := 0
	for _, r := range h.f.Requests() {
		if writePaths[r.Path] {
			n++
		}
	}
	return n
}

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     ashby.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

// memState is an in-memory connector state store.
type memState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memState) GetState(_ context.Context, integrationID, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[integrationID+"|"+key], nil
}

func (s *memState) PutState(_ context.Context, integrationID, key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[integrationID+"|"+key] = value
	return nil
}

func (s *memState) ListStateKeys(_ context.Context, integrationID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.m {
		if id, key, _ := strings.Cut(k, "|"); id == integrationID {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

func open(t *testing.T, creds json.RawMessage, state resultlinks.StateStore, pageSize int) connector.Connector {
	t.Helper()
	c, err := ashby.New(creds, connector.Deps{IntegrationID: "ashby:" + resultlinks.NewID(), State: state, Now: time.Now, PageSize: pageSize})
	require.NoError(t, err)
	return c
}

// walk reads every page of a model and counts the requests it took.
func walk(t *testing.T, c connector.Connector, m resultlinks.Model, since *time.Time) *resultlinks.Batch {
	t.Helper()
	all := &resultlinks.Batch{}
	cursor := ""
	for i := 0; ; i++ {
		require.Less(t, i, 1000)
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

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "api_key is required"},
		{`{"api_key":"  "}`, "api_key is required"},
		{`{"api_key":5}`, `"api_key" must be a string`},
		{`{"api_key":"k","base_url":"ftp://x"}`, "base_url must be an http(s) URL"},
		{`{"api_key":"k","base_url":"not a url"}`, "base_url"},
		{`{"api_key":"k","partner_id":"p"}`, "unknown field"},
		{`[]`, "not a JSON object"},
	} {
		_, err := ashby.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}
	c, err := ashby.New(json.RawMessage(`{"api_key":"k"}`), connector.Deps{})
	require.NoError(t, err, "base_url defaults to Ashby's host")
	require.NotNil(t, c)
	require.Equal(t, "https://api.ashbyhq.com", ashby.DefaultBaseURL)
}

// TestFailureEnvelopes checks every mapped failure, both the HTTP 200
// {"success": false} answers and the HTTP errors, and that the vendor's
// words reach the message without the key.
func TestFailureEnvelopes(t *testing.T) {
	t.Parallel()
	const key = "secret-ashby-key-123"
	for _, tc := range []struct {
		status int
		code   string
		want   resultlinks.Code
	}{
		{200, "invalid_input", resultlinks.CodeRemoteInputInvalid},
		{200, "candidate_not_found", resultlinks.CodeRemoteInputInvalid},
		{200, "invalid_cursor", resultlinks.CodeRemoteInputInvalid},
		{200, "unauthenticated", resultlinks.CodeIntegrationAuthInvalid},
		{200, "invalid_api_key", resultlinks.CodeIntegrationAuthInvalid},
		{200, "missing_endpoint_permission", resultlinks.CodePermissionMissing},
		{200, "rate_limit_exceeded", resultlinks.CodeRemoteRateLimited},
		{200, "internal_server_error", resultlinks.CodeRemoteUnavailable},
		{200, "", resultlinks.CodeRemoteUnknown},
		{401, "unauthenticated", resultlinks.CodeIntegrationAuthInvalid},
		{403, "invalid_api_key", resultlinks.CodeIntegrationAuthInvalid},
		{403, "missing_endpoint_permission", resultlinks.CodePermissionMissing},
	} {
		t.Run(fmt.Sprintf("%d %s", tc.status, tc.code), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				user, pass, ok := r.BasicAuth()
				if !ok || user != key || pass != "" || r.Method != http.MethodPost {
					w.WriteHeader(http.StatusTeapot)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				body := map[string]any{"success": false, "errors": []string{}}
				if tc.code != "" {
					body["errors"] = []string{tc.code}
					body["errorInfo"] = map[string]string{"code": tc.code, "message": "words from Ashby about " + key, "requestId": "r1"}
				}
				_ = json.NewEncoder(w).Encode(body)
			}))
			defer srv.Close()
			c := open(t, json.RawMessage(fmt.Sprintf(`{"api_key":%q,"base_url":%q}`, key, srv.URL)), nil, 0)
			_, err := c.ListPage(context.Background(), connector.PageRequest{Model: resultlinks.ModelCandidates})
			require.Equal(t, tc.want, resultlinks.ErrorCode(err), "%v", err)
			if tc.code != "" {
				require.Contains(t, resultlinks.ErrorMessage(err), tc.code)
				require.Contains(t, resultlinks.ErrorMessage(err), "words from Ashby")
			}
			if tc.status != 200 {
				require.NotContains(t, err.Error(), key, "the key is redacted")
			}
		})
	}
}

func TestCheckCredentialsNamesPermissions(t *testing.T) {
	t.Parallel()
	h := start(t, 2)
	h.f.RevokePermission(fake.PermCandidatesRead)
	err := open(t, h.Credentials(), nil, 0).CheckCredentials(context.Background())
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "candidatesRead")
}

func candidateListBodies(f *fake.Fake, after int) (bodies []string, codes []string) {
	for _, r := range f.Requests()[after:] {
		if r.Path == "/candidate.list" {
			bodies = append(bodies, r.Body)
			codes = append(codes, r.ErrorCode)
		}
	}
	return bodies, codes
}

func TestSyncTokenDeltaAndExpiry(t *testing.T) {
	t.Parallel()
	h := start(t, 12)
	state := &memState{}
	c := open(t, h.Credentials(), state, 5)
	since := time.Now().Add(-time.Hour)

	// Without a kept token a delta lists everything.
	first := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, first.Candidates, 12)

	// The full listing ended with a syncToken, kept once the last page was read.
	cands := h.f.Candidates()
	require.True(t, h.f.TouchCandidate(cands[3].ID))
	mark := len(h.f.Requests())
	delta := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, delta.Candidates, 1)
	require.Equal(t, cands[3].ID, delta.Candidates[0].RemoteID)
	bodies, _ := candidateListBodies(h.f, mark)
	require.Len(t, bodies, 1)
	require.Contains(t, bodies[0], `"syncToken"`)

	// A full listing (no UpdatedSince) never sends the token.
	mark = len(h.f.Requests())
	full := walk(t, c, resultlinks.ModelCandidates, nil)
	require.Len(t, full.Candidates, 12)
	bodies, _ = candidateListBodies(h.f, mark)
	for _, b := range bodies {
		require.NotContains(t, b, "syncToken")
	}

	// An expired token: Ashby answers HTTP 200 sync_token_expired and the
	// connector lists everything again, keeping the fresh token.
	h.f.ExpireSyncTokens()
	time.Sleep(5 * time.Millisecond)
	require.True(t, h.f.TouchCandidate(cands[7].ID))
	time.Sleep(5 * time.Millisecond) // Ashby's tokens count changes in the millisecond the listing began
	mark = len(h.f.Requests())
	again := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, again.Candidates, 12, "an expired token means a full listing")
	_, codes := candidateListBodies(h.f, mark)
	require.Equal(t, "sync_token_expired", codes[0])

	require.True(t, h.f.TouchCandidate(cands[9].ID))
	after := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, after.Candidates, 1, "the token of the fallback listing is used next time")
	require.Equal(t, cands[9].ID, after.Candidates[0].RemoteID)

	// Applications keep their own token.
	apps := walk(t, c, resultlinks.ModelApplications, nil)
	require.Greater(t, len(apps.Applications), 1)
	require.True(t, h.f.TouchApplication(apps.Applications[0].RemoteID))
	appDelta := walk(t, c, resultlinks.ModelApplications, &since)
	require.Len(t, appDelta.Applications, 1)
	require.Equal(t, apps.Applications[0].RemoteID, appDelta.Applications[0].RemoteID)
}

func TestTokenKeptOnlyAfterTheLastPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 4)
	c := open(t, h.Credentials(), &memState{}, 10)
	// One page holds everything; the page that would keep the token is not read.
	p, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.NoError(t, err)
	require.Len(t, p.Batch.Candidates, 4)
	require.NotEmpty(t, p.Next, "a last page still leads to the page that keeps the token")
	since := time.Now()
	delta := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, delta.Candidates, 4, "no token was kept, so the delta lists everything")

	// Without a state store there is nothing to keep and the last page ends the listing.
	plain := open(t, h.Credentials(), nil, 10)
	p, err = plain.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.NoError(t, err)
	require.Empty(t, p.Next)
}

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 20)
	c := open(t, h.Credentials(), nil, 7)
	apps := walk(t, c, resultlinks.ModelApplications, nil)
	byID := map[string]*resultlinks.Application{}
	for _, a := range apps.Applications {
		byID[a.RemoteID] = a
	}
	outcomes := map[resultlinks.Outcome]int{}
	for _, a := range h.f.Applications("") {
		got := byID[a.ID]
		require.NotNil(t, got, a.ID)
		require.Equal(t, a.Candidate.ID, got.CandidateRemoteID)
		require.Equal(t, a.Job.ID, got.JobRemoteID)
		require.Equal(t, a.CurrentInterviewStage.ID, got.CurrentStageRemoteID)
		want := map[string]resultlinks.Outcome{"Hired": resultlinks.OutcomeHired, "Archived": resultlinks.OutcomeDeclined,
			"Active": resultlinks.OutcomePending, "Lead": resultlinks.OutcomePending}[a.Status]
		require.Equal(t, want, *got.Outcome, a.Status)
		outcomes[want]++
		require.True(t, a.CreatedAt.Equal(*got.RemoteCreatedAt))
		require.True(t, a.UpdatedAt.Equal(*got.RemoteUpdatedAt))
		if a.Status == "Archived" {
			require.True(t, a.ArchivedAt.Equal(*got.RejectedAt))
			require.Equal(t, a.ArchiveReason.Text, *got.RejectionReasonName)
		} else {
			require.Nil(t, got.RejectedAt)
		}
		for _, v := range a.CustomFields {
			require.Equal(t, v.Value, got.CustomFields[v.Title])
		}
	}
	require.Len(t, apps.Applications, len(h.f.Applications("")))
	require.Greater(t, outcomes[resultlinks.OutcomePending], 0)

	cands := walk(t, c, resultlinks.ModelCandidates, nil)
	require.Len(t, cands.Candidates, 20)
	for i, fc := range h.f.Candidates() {
		got := cands.Candidates[i]
		require.Equal(t, fc.ID, got.RemoteID)
		require.Equal(t, fc.Name, *got.FirstName+" "+*got.LastName)
		require.Equal(t, fc.PrimaryEmailAddress.Value, *got.EmailAddresses[0].EmailAddress)
		require.Equal(t, "PERSONAL", *got.EmailAddresses[0].Type)
		require.Equal(t, fc.PrimaryPhoneNumber.Value, got.PhoneNumbers[0].PhoneNumber)
		require.Equal(t, "MOBILE", *got.PhoneNumbers[0].Type)
		require.Equal(t, fc.ProfileURL, *got.RemoteURL)
		require.Equal(t, fc.Source.Title, *got.Source)
		require.True(t, fc.CreatedAt.Equal(*got.RemoteCreatedAt))
		for _, v := range fc.CustomFields {
			require.Equal(t, v.Value, got.CustomFields[v.Title])
		}
	}

	jobs := walk(t, c, resultlinks.ModelJobs, nil)
	require.Len(t, jobs.Jobs, len(h.f.Jobs()))
	for i, j := range h.f.Jobs() {
		require.Equal(t, j.ID, jobs.Jobs[i].RemoteID)
		require.Equal(t, j.Title, *jobs.Jobs[i].Name)
	}

	stages := walk(t, c, resultlinks.ModelStages, nil)
	require.Len(t, stages.Stages, len(h.f.InterviewStages()))
	for i, s := range h.f.InterviewStages() {
		require.Equal(t, s.ID, stages.Stages[i].RemoteID)
		require.Equal(t, s.Title, *stages.Stages[i].Name)
		require.Equal(t, s.OrderInInterviewPlan, *stages.Stages[i].Index)
		require.Equal(t, resultlinks.StageActive, *stages.Stages[i].Status)
	}

	// A key without interviewsRead mirrors no stages rather than failing.
	h.f.RevokePermission(fake.PermInterviewsRead)
	none := walk(t, c, resultlinks.ModelStages, nil)
	require.Empty(t, none.Stages)
}

func appTarget(a fake.Application) connector.Target {
	return connector.Target{Model: resultlinks.ModelApplications, RemoteID: a.ID, CandidateRemoteID: a.Candidate.ID}
}

func valuesOf(list []fake.CustomFieldValue) map[string]any {
	out := map[string]any{}
	for _, v := range list {
		out[v.Title] = v.Value
	}
	return out
}

func TestWriteChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	c := open(t, h.Credentials(), nil, 0)
	app := h.f.Applications("")[0]
	// An admin made "Acme: Score" a Number field; "Acme: Passed" a Boolean one.
	_, err := h.f.AddCustomField(fake.NewCustomField{Title: "Acme: Score", ObjectType: "Application", FieldType: "Number"})
	require.NoError(t, err)
	_, err = h.f.AddCustomField(fake.NewCustomField{Title: "Acme: Passed", ObjectType: "Application", FieldType: "Boolean"})
	require.NoError(t, err)

	w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: appTarget(app), Input: resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/1?a=1&b=2",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
			{Key: "Score", Value: "87%"}, {Key: "Time", Value: "1:10h"}, {Key: "Passed", Value: "true"},
		}},
	}}
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels)
	require.Equal(t, resultlinks.Model(""), r.FieldsOn, "the fields are on the application itself")
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1?a=1&b=2", "Acme: Score": 87.0, "Acme: Time": "1:10h", "Acme: Passed": true}, r.CustomFields)
	require.Equal(t, []string{"application:" + app.ID}, r.RemoteIDs)
	require.Contains(t, r.Warnings[0], `created the Application fields "Coding Test", "Acme: Time"`)
	held := valuesOf(h.f.ApplicationCustomFields(app.ID))
	for k, v := range r.CustomFields {
		require.Equal(t, v, held[k], k)
	}
	require.Empty(t, h.f.CandidateNotes(app.Candidate.ID))
	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, again.Channels)
	require.Equal(t, r.CustomFields, again.CustomFields)

	// The same names on another application reuse the fields: none is created twice.
	fieldsBefore := len(h.f.CustomFields())
	other := h.f.Applications("")[1]
	w2 := w
	w2.ResultLinkID, w2.Target = resultlinks.NewID(), appTarget(other)
	_, err = c.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Len(t, h.f.CustomFields(), fieldsBefore)

	// Without hiringProcessMetadataWrite a new attribute cannot get a field:
	// the fields that exist are filled and the whole result goes into a note.
	h.f.RevokePermission(fake.PermHiringProcessMetadataWrite)
	w3 := w
	w3.ResultLinkID = resultlinks.NewID()
	w3.Input.Label = "Coding <Test> & Co"
	w3.Input.Details = &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
		{Key: "Score", Value: "90"}, {Key: "Passed", Value: "maybe"},
	}}
	r3, err := c.WriteResultLink(ctx, w3)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r3.Channels)
	require.Equal(t, map[string]any{"Acme: Score": 90.0}, r3.CustomFields)
	require.Contains(t, r3.Warnings[1], "hiringProcessMetadataWrite")
	require.Contains(t, r3.Warnings[1], `"Acme: Passed": its Application field is a Boolean field`)
	notes := h.f.CandidateNotes(app.Candidate.ID)
	require.Len(t, notes, 1)
	require.Equal(t, "note:"+notes[0].ID, r3.RemoteIDs[1])
	require.Contains(t, notes[0].Content, connector.Marker(w3.ResultLinkID), "the marker is visible text")
	require.Contains(t, notes[0].Content, "<b>Coding &lt;Test&gt; &amp; Co</b>")
	require.Contains(t, notes[0].Content, "<li>Acme: Passed: maybe</li>")
	require.Contains(t, notes[0].Content, "Application: "+app.Job.Title)
	require.Equal(t, fake.AdminUserID, notes[0].Author.ID)
	found3, err := c.FindResultLink(ctx, w3)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, found3.Channels)
	require.Equal(t, "note:"+notes[0].ID, found3.RemoteIDs[1])

	// Without hiringProcessMetadataRead no field can be found: a note only.
	h.f.RevokePermission(fake.PermHiringProcessMetadataRead)
	w4 := w
	w4.ResultLinkID = resultlinks.NewID()
	r4, err := c.WriteResultLink(ctx, w4)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r4.Channels)
	require.Nil(t, r4.CustomFields)
	require.Contains(t, r4.Warnings[0], "hiringProcessMetadataRead")
	require.Len(t, h.f.CandidateNotes(app.Candidate.ID), 2)

	// Without candidatesWrite nothing can be written at all.
	h.f.RevokePermission(fake.PermCandidatesWrite)
	w5 := w
	w5.ResultLinkID = resultlinks.NewID()
	_, err = c.WriteResultLink(ctx, w5)
	require.Equal(t, resultlinks.CodePermissionMissing, resultlinks.ErrorCode(err), "%v", err)
}

func TestWriteToCandidateAndMissingTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	c := open(t, h.Credentials(), nil, 0)
	cand := h.f.Candidates()[1]
	w := connector.Write{ResultLinkID: resultlinks.NewID(),
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: cand.ID, CandidateRemoteID: cand.ID},
		Input:  resultlinks.ResultLinkInput{Label: "Personality", URL: "https://acme.example/p/9"}}
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels)
	require.Equal(t, "https://acme.example/p/9", valuesOf(h.f.CandidateCustomFields(cand.ID))["Personality"])
	var def fake.CustomField
	for _, f := range h.f.CustomFields() {
		if f.Title == "Personality" {
			def = f
		}
	}
	require.Equal(t, "Candidate", def.ObjectType)
	require.Equal(t, "String", def.FieldType)
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.NotNil(t, found)

	// An application Ashby does not know: its HTTP 200 application_not_found
	// is the ATS refusing the input.
	w.Target = connector.Target{Model: resultlinks.ModelApplications, RemoteID: "00000000-0000-4000-8000-000000000000", CandidateRemoteID: cand.ID}
	_, err = c.WriteResultLink(ctx, w)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "application_not_found")
}
