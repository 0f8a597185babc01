package greenhouse_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/greenhouse"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the Greenhouse fake to the conformance suite.
type harnessFake struct {
	f   *fake.Fake
	url string
}

func start(t *testing.T, candidates int) *harnessFake {
	t.Helper()
	f := fake.New(fake.Options{Candidates: candidates, Seed: 7})
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
	if status == 429 {
		kind = fake.FaultRateLimit
	}
	h.f.InjectFault(fake.Fault{Kind: kind, Status: status, RetryAfter: retryAfter, Path: "/v3/*", Times: n})
}

func (h *harnessFake) TouchCandidate(remoteID string) {
	id, _ := strconv.ParseInt(remoteID, 10, 64)
	h.f.TouchCandidate(id)
}

func (h *harnessFake) candidateOf(model resultlinks.Model, remoteID string) int64 {
	id, _ := strconv.ParseInt(remoteID, 10, 64)
	if model == resultlinks.ModelCandidates {
		return id
	}
	for _, c := range h.f.Candidates() {
		for _, a := range h.f.Applications(c.ID) {
			if a.ID == id {
				return c.ID
			}
		}
	}
	return 0
}

// Holds: the link and every attribute are in the candidate's custom fields,
// or a note on the candidate carries the URL.
func (h *harnessFake) Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	cand := h.candidateOf(model, remoteID)
	values := map[string]string{}
	for _, v := range h.f.CandidateCustomFields(cand) {
		values[v.Name] = fmt.Sprint(v.Value)
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
		if r.Method != "GET" && r.API == "v3" {
			n++
		}
	}
	return n
}

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     greenhouse.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

func newConn(t *testing.T, h *harnessFake, creds json.RawMessage) connector.Connector {
	t.Helper()
	c, err := greenhouse.New(creds, connector.Deps{IntegrationID: "greenhouse:" + resultlinks.NewID(), Now: time.Now})
	require.NoError(t, err)
	return c
}

func TestWritesFieldsThenNote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	c := newConn(t, h, h.Credentials())
	cand := h.f.Candidates()[0]
	app := h.f.Applications(cand.ID)[0]
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/1",
		Details:      &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "87%"}}},
		RemoteFields: resultlinks.RemoteFields{GreenhouseOnBehalfOf: ptr(strconv.FormatInt(fake.RecruiterUserID, 10))},
	}, Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: strconv.FormatInt(app.ID, 10), CandidateRemoteID: strconv.FormatInt(cand.ID, 10)}}
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels, "the fake lets the credential create fields")
	require.Equal(t, resultlinks.ModelCandidates, r.FieldsOn)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1", "Acme: Score": "87%"}, r.CustomFields)
	require.Contains(t, r.Warnings[0], "created the fields")
	fields := h.f.CandidateCustomFields(cand.ID)
	found := 0
	for _, v := range fields {
		if v.Name == "Acme: Score" && v.Value == "87%" || v.Name == "Coding Test" && v.Value == "https://acme.example/r/1" {
			found++
		}
	}
	require.Equal(t, 2, found)
	require.Empty(t, h.f.CandidateNotes(cand.ID), "no note when every value found a field")

	// The same result again: found by its values, nothing written.
	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.NotNil(t, again)

	// Without the scope to create fields, new attributes go into a note,
	// attributed to the On-Behalf-Of user.
	h.f.RevokeScope("harvest:custom_fields:create")
	w2 := w
	w2.ResultLinkID = resultlinks.NewID()
	w2.Input.Details = &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Time", Value: "1:10h"}}}
	r2, err := c.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r2.Channels)
	notes := h.f.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Contains(t, notes[0].Body, "Acme: Time: 1:10h")
	require.Contains(t, notes[0].Body, connector.Marker(w2.ResultLinkID))
	require.Equal(t, fake.RecruiterUserID, *notes[0].UserID)
	require.Equal(t, app.ID, *notes[0].ApplicationID)
	found2, err := c.FindResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, found2.Channels)
}

func TestCredentialsAndTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	for _, tc := range []struct{ raw, msg string }{
		{`{"api_version":"v1"}`, "api_key is required"},
		{`{"api_version":"v1","client_id":"a","client_secret":"b"}`, "are for api_version v3"},
		{`{"api_version":"v2","client_id":"a","client_secret":"b"}`, "not supported"},
		{`{"client_id":"a","client_secret":"b","api_key":"k"}`, "are for api_version v1"},
		{`{"api_version":"v1","api_key":"k","on_behalf_of":"bob"}`, "on_behalf_of"},
		{`{"client_secret":"b"}`, "client_id is required"},
		{`{"client_id":"a"}`, "client_secret is required"},
		{`{"client_id":"a","client_secret":"b","user_id":"bob"}`, "user_id"},
	} {
		_, err := greenhouse.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg)
	}
	// A wrong secret: the token endpoint refuses, the message never carries it.
	var creds map[string]string
	require.NoError(t, json.Unmarshal(h.Credentials(), &creds))
	creds["client_secret"] = "wrong-secret-value"
	bad, _ := json.Marshal(creds)
	err := newConn(t, h, bad).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.NotContains(t, err.Error(), "wrong-secret-value")

	// One token serves many calls; a revoked token is re-minted once.
	c := newConn(t, h, h.Credentials())
	for i := 0; i < 3; i++ {
		_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelJobs})
		require.NoError(t, err)
	}
	h.f.RevokeTokens()
	_, err = c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelJobs})
	require.NoError(t, err)
	mints := 0
	for _, r := range h.f.Requests() {
		if r.API == "token" {
			mints++
		}
	}
	require.Equal(t, 3, mints, "the bad-secret try, the first token, and one re-mint after revocation")
}

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 4)
	c := newConn(t, h, h.Credentials())
	p, err := c.ListPage(context.Background(), connector.PageRequest{Model: resultlinks.ModelApplications})
	require.NoError(t, err)
	byID := map[string]*resultlinks.Application{}
	for _, a := range p.Batch.Applications {
		byID[a.RemoteID] = a
	}
	for _, cand := range h.f.Candidates() {
		for _, a := range h.f.Applications(cand.ID) {
			got := byID[strconv.FormatInt(a.ID, 10)]
			require.NotNil(t, got)
			require.Equal(t, strconv.FormatInt(cand.ID, 10), got.CandidateRemoteID)
			want := map[string]resultlinks.Outcome{"hired": resultlinks.OutcomeHired, "rejected": resultlinks.OutcomeDeclined}[a.Status]
			if want == "" {
				want = resultlinks.OutcomePending
			}
			require.Equal(t, want, *got.Outcome, a.Status)
			if a.JobID != nil {
				require.Equal(t, strconv.FormatInt(*a.JobID, 10), got.JobRemoteID)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// v1Fake adapts the fake's Harvest v1 side to the conformance suite.
type v1Fake struct{ *harnessFake }

func (v *v1Fake) Credentials() json.RawMessage {
	b, _ := json.Marshal(map[string]string{"api_version": "v1", "api_key": v.f.APIKey(), "base_url": v.url,
		"on_behalf_of": strconv.FormatInt(fake.AdminUserID, 10)})
	return b
}

func (v *v1Fake) FailNext(n, status int, retryAfter time.Duration) {
	kind := fake.FaultStatus
	if status == 429 {
		kind = fake.FaultRateLimit
	}
	v.f.InjectFault(fake.Fault{Kind: kind, Status: status, RetryAfter: retryAfter, Path: "/v1/*", Times: n})
}

func (v *v1Fake) Writes() int {
	n := 0
	for _, r := range v.f.Requests() {
		if r.Method != "GET" && r.API == "v1" {
			n++
		}
	}
	return n
}

func TestConformanceV1(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     greenhouse.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return &v1Fake{start(t, n)} },
	})
}
