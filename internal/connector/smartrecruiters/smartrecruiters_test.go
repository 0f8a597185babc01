package smartrecruiters_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/smartrecruiters"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the SmartRecruiters fake to the conformance suite.
type harnessFake struct {
	f   *fake.Fake
	url string
}

func startWith(t *testing.T, opts fake.Options) *harnessFake {
	t.Helper()
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &harnessFake{f: f, url: srv.URL}
}

func start(t *testing.T, candidates int) *harnessFake {
	return startWith(t, fake.Options{Candidates: candidates, Seed: 5})
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

func (h *harnessFake) TouchCandidate(remoteID string) { h.f.TouchCandidate(remoteID) }

// Holds: the link and every attribute are in the application's properties,
// or a message on the candidate carries the URL.
func (h *harnessFake) Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	cand, jobID, _ := strings.Cut(remoteID, ":")
	if model == resultlinks.ModelApplications {
		got := map[string]string{}
		for _, v := range h.f.JobPropertyValues(cand, jobID) {
			got[v.Label] = fmt.Sprint(v.Value)
		}
		all := got[in.Label] == in.URL
		for _, a := range in.Details.Attributes {
			all = all && got[in.Details.FieldName(a.Key)] == a.Value
		}
		if all {
			return true
		}
	}
	for _, m := range h.f.CandidateMessages(cand) {
		if strings.Contains(m.Content, in.URL) {
			return true
		}
	}
	return false
}

func (h *harnessFake) Writes() int {
	n := 0
	for _, r := range h.f.Requests() {
		if r.Method != http.MethodGet && r.Path != "/identity/oauth/token" {
			n++
		}
	}
	return n
}

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     smartrecruiters.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

// oauthFake serves the same fake with OAuth client credentials.
type oauthFake struct{ *harnessFake }

func (o *oauthFake) Credentials() json.RawMessage {
	b, _ := json.Marshal(map[string]string{"client_id": fake.DefaultClientID, "client_secret": fake.DefaultClientSecret, "base_url": o.url})
	return b
}

func TestConformanceOAuth(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     smartrecruiters.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return &oauthFake{start(t, n)} },
	})
}

func open(t *testing.T, creds json.RawMessage, pageSize int) connector.Connector {
	t.Helper()
	c, err := smartrecruiters.New(creds, connector.Deps{IntegrationID: "smartrecruiters:" + resultlinks.NewID(), Now: time.Now, PageSize: pageSize})
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
		require.Less(t, pages, 1000)
		all.Jobs = append(all.Jobs, p.Batch.Jobs...)
		all.Stages = append(all.Stages, p.Batch.Stages...)
		all.Candidates = append(all.Candidates, p.Batch.Candidates...)
		all.Applications = append(all.Applications, p.Batch.Applications...)
		if p.Next == "" {
			return all, pages
		}
		cursor = p.Next
	}
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "api_key is required"},
		{`{"api_key":"k","client_id":"c","client_secret":"s"}`, "either api_key or client_id and client_secret"},
		{`{"client_id":"c"}`, "client_secret is required"},
		{`{"client_secret":"s"}`, "client_id is required"},
		{`{"api_key":true}`, `"api_key" must be a string`},
		{`{"api_key":"k","base_url":"ftp://x"}`, "base_url must be an http(s) URL"},
		{`{"api_key":"k","smart_token":"k"}`, "unknown field"},
		{`"k"`, "not a JSON object"},
	} {
		_, err := smartrecruiters.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}
	_, err := smartrecruiters.New(json.RawMessage(`{"api_key":"k"}`), connector.Deps{})
	require.NoError(t, err, "base_url defaults to SmartRecruiters' host")
}

func TestAuthModes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)

	// The API key goes in X-SmartToken.
	require.NoError(t, open(t, h.Credentials(), 0).CheckCredentials(ctx))
	require.Equal(t, "key", h.f.Requests()[0].Auth)

	// An OAuth client mints one token and reuses it.
	creds, _ := json.Marshal(map[string]string{"client_id": fake.DefaultClientID, "client_secret": fake.DefaultClientSecret, "base_url": h.url})
	c := open(t, creds, 0)
	require.NoError(t, c.CheckCredentials(ctx))
	_, _ = walk(t, c, resultlinks.ModelJobs, nil)
	mints, bearer := 0, 0
	for _, r := range h.f.Requests() {
		if r.Path == "/identity/oauth/token" {
			mints++
		}
		if r.Auth == "bearer" {
			bearer++
		}
	}
	require.Equal(t, 1, mints)
	require.Equal(t, 2, bearer)

	// A wrong secret is a rejected credential, and the secret stays out of the message.
	bad, _ := json.Marshal(map[string]string{"client_id": fake.DefaultClientID, "client_secret": "wrong-secret-value", "base_url": h.url})
	err := open(t, bad, 0).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err), "%v", err)
	require.Contains(t, resultlinks.ErrorMessage(err), "invalid_client")
	require.NotContains(t, err.Error(), "wrong-secret-value")
}

// TestOneCandidateListingAtATime runs two syncs of the same credential at
// once against a slow GET /candidates: SmartRecruiters answers 429 to a
// second listing in flight, and none may be provoked.
func TestOneCandidateListingAtATime(t *testing.T) {
	t.Parallel()
	h := startWith(t, fake.Options{Candidates: 12, Seed: 3, RateLimit: fake.RateLimit{Limit: -1}})
	h.f.InjectFault(fake.Fault{Kind: fake.FaultLatency, Delay: 60 * time.Millisecond, Method: http.MethodGet, Path: "/candidates"})
	var wg sync.WaitGroup
	counts := make([]int, 3)
	for i := range counts {
		c := open(t, h.Credentials(), 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := walk(t, c, resultlinks.ModelCandidates, nil)
			counts[i] = len(b.Candidates)
		}()
	}
	wg.Wait()
	require.Equal(t, []int{12, 12, 12}, counts)
	require.Zero(t, h.f.RateLimitedCount(), "no listing ever overlapped another")
	listings := 0
	for _, r := range h.f.Requests() {
		if r.Path == "/candidates" {
			listings++
			require.Contains(t, r.Query, "limit=4")
		}
	}
	require.Equal(t, 9, listings, "three pages each, paged by pageId")
}

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 14)
	c := open(t, h.Credentials(), 5)

	stages, _ := walk(t, c, resultlinks.ModelStages, nil)
	stageIDs := map[string]*resultlinks.Stage{}
	for _, s := range stages.Stages {
		stageIDs[s.RemoteID] = s
	}
	for _, st := range fake.Statuses {
		require.Contains(t, stageIDs, st)
	}
	require.Equal(t, "Screening", *stageIDs["IN_REVIEW/Screening"].Name)
	require.Equal(t, *stageIDs["IN_REVIEW"].Index+1, *stageIDs["IN_REVIEW/Screening"].Index, "sub-statuses follow their status")
	require.Equal(t, resultlinks.StageActive, *stageIDs["OFFER/Offer Sent"].Status)

	apps, pages := walk(t, c, resultlinks.ModelApplications, nil)
	require.Equal(t, 3, pages, "five candidates per applications page")
	byID := map[string]*resultlinks.Application{}
	for _, a := range apps.Applications {
		byID[a.RemoteID] = a
	}
	want := h.f.Applications("")
	require.Len(t, apps.Applications, len(want))
	outcomes := map[string]resultlinks.Outcome{"HIRED": resultlinks.OutcomeHired, "REJECTED": resultlinks.OutcomeDeclined,
		"WITHDRAWN": resultlinks.OutcomeDeclined, "TRANSFERRED": resultlinks.OutcomeDeclined}
	for _, a := range want {
		got := byID[a.CandidateID+":"+a.Job.ID]
		require.NotNil(t, got)
		require.Equal(t, a.CandidateID, got.CandidateRemoteID)
		require.Equal(t, a.Job.ID, got.JobRemoteID)
		wantStage := a.Status
		if a.SubStatus != "" {
			wantStage += "/" + a.SubStatus
		}
		require.Equal(t, wantStage, got.CurrentStageRemoteID)
		require.Contains(t, stageIDs, got.CurrentStageRemoteID, "every application's stage is mirrored")
		o, ok := outcomes[a.Status]
		if !ok {
			o = resultlinks.OutcomePending
		}
		require.Equal(t, o, *got.Outcome, a.Status)
		require.True(t, a.CreatedOn.Equal(*got.RemoteCreatedAt))
		require.True(t, a.UpdatedOn.Equal(*got.RemoteUpdatedAt))
		for _, v := range h.f.JobPropertyValues(a.CandidateID, a.Job.ID) {
			require.Equal(t, v.Value, got.CustomFields[v.Label])
		}
	}

	cands, _ := walk(t, c, resultlinks.ModelCandidates, nil)
	require.Len(t, cands.Candidates, 14)
	for i, fc := range h.f.Candidates() {
		got := cands.Candidates[i]
		require.Equal(t, fc.ID, got.RemoteID)
		require.Equal(t, fc.FirstName, *got.FirstName)
		require.Equal(t, fc.LastName, *got.LastName)
		require.Equal(t, fc.Email, *got.EmailAddresses[0].EmailAddress)
		require.Equal(t, fc.PhoneNumber, got.PhoneNumbers[0].PhoneNumber)
		require.Equal(t, strings.ToUpper(fc.Location.CountryCode), *got.Location.Country)
		require.Equal(t, fc.Location.City, *got.Location.City)
		require.Len(t, got.Tags, len(fc.Tags))
		require.Equal(t, "https://www.smartrecruiters.com/app/people/candidates/"+fc.ID, *got.RemoteURL)
		require.True(t, fc.UpdatedOn.Equal(*got.RemoteUpdatedAt))
	}

	jobs, _ := walk(t, c, resultlinks.ModelJobs, nil)
	require.Len(t, jobs.Jobs, len(h.f.Jobs()))
	for i, j := range h.f.Jobs() {
		require.Equal(t, j.ID, jobs.Jobs[i].RemoteID)
		require.Equal(t, j.Title, *jobs.Jobs[i].Name)
	}

	// A delta of applications reads only the changed candidate's.
	target := h.f.Candidates()[6]
	since := time.Now().Add(-time.Second)
	require.True(t, h.f.TouchCandidate(target.ID))
	delta, _ := walk(t, c, resultlinks.ModelApplications, &since)
	require.Len(t, delta.Applications, len(h.f.Applications(target.ID)))
	for _, a := range delta.Applications {
		require.Equal(t, target.ID, a.CandidateRemoteID)
	}
}

func appTarget(a fake.Application) connector.Target {
	return connector.Target{Model: resultlinks.ModelApplications, RemoteID: a.CandidateID + ":" + a.Job.ID, CandidateRemoteID: a.CandidateID}
}

func values(list []fake.CandidatePropertyValue) map[string]any {
	out := map[string]any{}
	for _, v := range list {
		out[v.Label] = v.Value
	}
	return out
}

func TestJobScopedProperties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 6)
	for _, p := range []fake.NewCandidateProperty{
		{Label: "Coding Test", Type: fake.PropertyText}, {Label: "Acme: Score", Type: fake.PropertyPercent},
		{Label: "Acme: Time", Type: fake.PropertyText}, {Label: "Acme: Level", Type: fake.PropertySingleSelect, Options: []string{"Junior", "Senior"}},
		{Label: "Acme: Rank", Type: fake.PropertyNumber},
	} {
		_, err := h.f.AddCandidateProperty(p)
		require.NoError(t, err)
	}
	c := open(t, h.Credentials(), 0)
	var cand fake.Candidate
	for _, fc := range h.f.Candidates() {
		if len(h.f.Applications(fc.ID)) > 1 {
			cand = fc
			break
		}
	}
	require.NotEmpty(t, cand.ID, "a candidate with two applications")
	apps := h.f.Applications(cand.ID)

	w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: appTarget(apps[0]), Input: resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/7",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
			{Key: "Score", Value: "87%"}, {Key: "Time", Value: "1:10h"}, {Key: "Level", Value: "senior"},
		}},
	}}
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels)
	require.Equal(t, resultlinks.Model(""), r.FieldsOn)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/7", "Acme: Score": 87.0, "Acme: Time": "1:10h", "Acme: Level": "Senior"}, r.CustomFields)
	got := values(h.f.JobPropertyValues(cand.ID, apps[0].Job.ID))
	require.Equal(t, "https://acme.example/r/7", got["Coding Test"])
	require.Equal(t, 87.0, got["Acme: Score"])
	require.Equal(t, "Senior", got["Acme: Level"].(fake.PropertyOption).Label)
	require.NotContains(t, values(h.f.JobPropertyValues(cand.ID, apps[1].Job.ID)), "Coding Test", "the values are scoped to the application's job")
	require.Empty(t, h.f.CandidateMessages(cand.ID))
	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, again.Channels)
	require.Equal(t, r.CustomFields, again.CustomFields)

	// An attribute without a property, and one its property cannot hold: the
	// matching properties are written and the whole result goes into a message.
	w2 := w
	w2.ResultLinkID, w2.Target = resultlinks.NewID(), appTarget(apps[1])
	w2.Input.Details = &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
		{Key: "Score", Value: "91"}, {Key: "Rank", Value: "first"}, {Key: "Notes", Value: "solid"},
	}}
	r2, err := c.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r2.Channels)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/7", "Acme: Score": 91.0}, r2.CustomFields)
	require.Contains(t, r2.Warnings[1], `"Acme: Rank": its property is of type NUMBER`)
	require.Contains(t, r2.Warnings[1], `"Acme: Notes": there is no candidate property of that label`)
	msgs := h.f.CandidateMessages(cand.ID)
	require.Len(t, msgs, 1)
	require.Equal(t, "message:"+msgs[0].ID, r2.RemoteIDs[1])
	require.True(t, strings.HasPrefix(msgs[0].Content, "#[CANDIDATE:"+cand.ID+"] Coding Test: https://acme.example/r/7"))
	require.Contains(t, msgs[0].Content, "\nAcme: Notes: solid")
	require.Contains(t, msgs[0].Content, connector.Marker(w2.ResultLinkID))
	require.Equal(t, w2.ResultLinkID, msgs[0].CorrelationID)
	require.Equal(t, []string{apps[1].Job.ID}, msgs[0].ShareWith.HiringTeamOf)
	require.True(t, msgs[0].ShareWith.OpenNote)
	found2, err := c.FindResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, found2.Channels)
	require.Equal(t, "message:"+msgs[0].ID, found2.RemoteIDs[1])

	// Property writes refused for this credential: the message carries everything.
	h.f.InjectFault(fake.Fault{Kind: fake.FaultStatus, Status: http.StatusForbidden, Method: http.MethodPut, Path: "/candidates/*/jobs/*/properties", Times: 1})
	w3 := w
	w3.ResultLinkID = resultlinks.NewID()
	r3, err := c.WriteResultLink(ctx, w3)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r3.Channels)
	require.Nil(t, r3.CustomFields)
	require.Contains(t, r3.Warnings[0], "may not write candidate properties")
	require.Len(t, h.f.CandidateMessages(cand.ID), 2)
}

func TestCandidateTargetAndLongMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	_, err := h.f.AddCandidateProperty(fake.NewCandidateProperty{Label: "Essay", Type: fake.PropertyText})
	require.NoError(t, err)
	c := open(t, h.Credentials(), 0)
	cand := h.f.Candidates()[0]
	var attrs []resultlinks.Attribute
	for i := range 50 {
		attrs = append(attrs, resultlinks.Attribute{Key: fmt.Sprintf("Q%02d", i), Value: strings.Repeat("é", 300)})
	}
	w := connector.Write{ResultLinkID: resultlinks.NewID(),
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: cand.ID, CandidateRemoteID: cand.ID},
		Input: resultlinks.ResultLinkInput{Label: "Essay", URL: "https://acme.example/e/1",
			Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: attrs}}}
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels, "a candidate has no job-scoped properties")
	require.Contains(t, r.Warnings[0], "the target is a candidate")
	require.Contains(t, r.Warnings[1], "attribute(s) were left out")
	msgs := h.f.CandidateMessages(cand.ID)
	require.Len(t, msgs, 1)
	require.LessOrEqual(t, utf8.RuneCountInString(msgs[0].Content), 10000)
	require.True(t, strings.HasSuffix(msgs[0].Content, connector.Marker(w.ResultLinkID)))
	require.Contains(t, msgs[0].Content, "more attributes were left out")
	require.Empty(t, msgs[0].ShareWith.HiringTeamOf)
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, found.Channels)

	// A malformed application ID is refused before any call.
	before := len(h.f.Requests())
	w.Target = connector.Target{Model: resultlinks.ModelApplications, RemoteID: cand.ID}
	_, err = c.WriteResultLink(ctx, w)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Len(t, h.f.Requests(), before)
}

// TestFindWithoutMessageAccess: only ADMINISTRATOR users may list
// messages, so another user's credential finds no earlier message (and
// says so in the log) instead of failing.
func TestFindWithoutMessageAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startWith(t, fake.Options{Candidates: 2, Seed: 9, KeyUserID: fake.RecruiterUserID})
	c := open(t, h.Credentials(), 0)
	app := h.f.Applications("")[0]
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: appTarget(app),
		Input: resultlinks.ResultLinkInput{Label: "Result", URL: "https://acme.example/x"}}
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels)
	writes := (&harnessFake{f: h.f}).Writes()
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)
	require.Equal(t, writes, (&harnessFake{f: h.f}).Writes())
	forbidden := 0
	for _, req := range h.f.Requests() {
		if req.Path == "/messages" && req.Status == http.StatusForbidden {
			forbidden++
		}
	}
	require.Equal(t, 1, forbidden)
}

func TestErrorEnvelope(t *testing.T) {
	t.Parallel()
	h := start(t, 1)
	c := open(t, h.Credentials(), 0)
	_, err := c.WriteResultLink(context.Background(), connector.Write{ResultLinkID: resultlinks.NewID(),
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: "nope:nada"},
		Input:  resultlinks.ResultLinkInput{Label: "L", URL: "https://acme.example/"}})
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err), "%v", err)
	require.Contains(t, resultlinks.ErrorMessage(err), "smartrecruiters answered HTTP 400: INVALID_JOB: unknown job")
}
