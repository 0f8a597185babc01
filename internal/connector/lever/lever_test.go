package lever_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/lever"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/lever"
	"github.com/stretchr/testify/require"
)

// The archive reasons the fake seeds (internal/atsfake/lever/seed.go). The
// fake does not serve GET /v1/archive_reasons; withReasons adds it.
const (
	hiredReason    = "9b2e7d10-5c3a-4f61-8d2e-7a0000000001"
	rejectedReason = "9b2e7d10-5c3a-4f61-8d2e-7a0000000002"
)

// harnessFake adapts the Lever fake to the conformance suite.
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

// startWith serves the fake behind a middleware.
func startWith(t *testing.T, candidates int, wrap func(http.Handler) http.Handler) *harnessFake {
	t.Helper()
	f := fake.New(fake.Options{Candidates: candidates, Seed: 7})
	srv := httptest.NewServer(wrap(f))
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

func (h *harnessFake) TouchCandidate(remoteID string) { h.f.TouchOpportunity(remoteID) }

// Holds: a note on the opportunity carries the URL. Candidates and
// applications are both opportunities.
func (h *harnessFake) Holds(_ resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	for _, n := range h.f.Notes(remoteID) {
		if strings.Contains(n.Value(), in.URL) {
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

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     lever.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

func newConn(t *testing.T, creds json.RawMessage, pageSize int) connector.Connector {
	t.Helper()
	c, err := lever.New(creds, connector.Deps{IntegrationID: "lever:" + resultlinks.NewID(), Now: time.Now, PageSize: pageSize})
	require.NoError(t, err)
	return c
}

// credsWith returns the fake's credentials with extra fields.
func (h *harnessFake) credsWith(extra map[string]any) json.RawMessage {
	m := map[string]any{}
	_ = json.Unmarshal(h.Credentials(), &m)
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

// roundTrip answers every request with a 401 and keeps its URL.
type roundTrip struct {
	mu   sync.Mutex
	urls []string
}

func (rt *roundTrip) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, req.URL.String())
	rt.mu.Unlock()
	return &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{}, Request: req,
		Body: io.NopCloser(strings.NewReader(`{"code":"UnauthorizedError","message":"Invalid API key"}`))}, nil
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "api_key is required"},
		{`{"api_key":"  "}`, "api_key is required"},
		{`{"api_key":5}`, `field "api_key" must be a string`},
		{`{"api_key":"k","perform_as":"bob"}`, "perform_as must be a Lever user ID"},
		{`{"api_key":"k","base_url":"ftp://api.lever.co"}`, "base_url must be an http(s) URL"},
		{`{"api_key":"k","base_url":"api.lever.co"}`, "base_url must be an http(s) URL"},
		{`{"api_key":"k","include_confidential":"yes"}`, `field "include_confidential" must be a bool`},
		{`{"api_key":"k","access_token":"t"}`, `unknown field "access_token"`},
		{`["k"]`, "not a JSON object"},
	} {
		_, err := lever.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}

	// Without base_url the connector calls Lever's global host; a base_url
	// ending in /v1 is not doubled. A 401 is INTEGRATION.AUTHENTICATION_INVALID
	// and never shows the key.
	for raw, want := range map[string]string{
		`{"api_key":"secret-key-1"}`:                                          "https://api.lever.co/v1/opportunities?limit=1",
		`{"api_key":"secret-key-1","base_url":"https://api.eu.lever.co/v1/"}`: "https://api.eu.lever.co/v1/opportunities?limit=1",
	} {
		rt := &roundTrip{}
		c, err := lever.New(json.RawMessage(raw), connector.Deps{IntegrationID: "lever:x", HTTPClient: &http.Client{Transport: rt}})
		require.NoError(t, err)
		err = c.CheckCredentials(context.Background())
		require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
		require.Contains(t, resultlinks.ErrorMessage(err), "Invalid API key (UnauthorizedError)")
		require.NotContains(t, err.Error(), "secret-key-1")
		require.Equal(t, want, rt.urls[0])
	}

	ctx := context.Background()
	h := start(t, 2)
	require.NoError(t, newConn(t, h.credsWith(map[string]any{"perform_as": fake.RecruiterUserID}), 0).CheckCredentials(ctx))
	for user, msg := range map[string]string{
		fake.DeactivatedUserID:                 "is deactivated",
		"00000000-0000-4000-8000-000000000000": "Lever has no user",
	} {
		err := newConn(t, h.credsWith(map[string]any{"perform_as": user}), 0).CheckCredentials(ctx)
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), user)
		require.Contains(t, resultlinks.ErrorMessage(err), msg)
	}
	// A key that may not read opportunities is refused as credentials.
	h.f.RevokePermission(fake.PermOpportunitiesRead)
	err := newConn(t, h.Credentials(), 0).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "ForbiddenError")
}

// exchange is one list request and the token its answer carried.
type exchange struct {
	query   string
	hasNext bool
	next    string
}

// recordLists keeps the offset/next exchange of every opportunities list.
func recordLists(mu *sync.Mutex, log *[]exchange) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/opportunities" {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body struct {
				HasNext bool   `json:"hasNext"`
				Next    string `json:"next"`
			}
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			mu.Lock()
			*log = append(*log, exchange{query: r.URL.RawQuery, hasNext: body.HasNext, next: body.Next})
			mu.Unlock()
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	}
}

func TestPagingFollowsOffsetTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var log []exchange
	h := startWith(t, 8, recordLists(&mu, &log))
	c := newConn(t, h.Credentials(), 4)
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		p, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates, Cursor: cursor})
		require.NoError(t, err)
		pages++
		require.LessOrEqual(t, len(p.Batch.Candidates), 4)
		for _, cd := range p.Batch.Candidates {
			require.False(t, seen[cd.RemoteID])
			seen[cd.RemoteID] = true
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	opps := h.f.Opportunities()
	require.Len(t, seen, len(opps))
	require.Equal(t, (len(opps)+3)/4, pages)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, log, pages)
	require.NotContains(t, log[0].query, "offset=")
	for i, e := range log {
		require.Contains(t, e.query, "limit=4")
		if i > 0 {
			// Lever's next token goes back verbatim as offset.
			require.True(t, log[i-1].hasNext)
			require.Contains(t, e.query, "offset="+log[i-1].next)
		}
	}
	require.False(t, log[len(log)-1].hasNext, "the walk ends where Lever says hasNext=false")

	_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates, Cursor: "not-a-cursor"})
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
}

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

func TestDeltaReportsDeletions(t *testing.T) {
	t.Parallel()
	h := start(t, 6)
	c := newConn(t, h.Credentials(), 3)
	opps := h.f.Opportunities()
	since := time.Now().Add(-time.Second)
	require.True(t, h.f.TouchOpportunity(opps[0].ID))
	require.True(t, h.f.DeleteOpportunity(opps[1].ID))

	apps := walk(t, c, resultlinks.ModelApplications, &since)
	require.Len(t, apps.Applications, 2)
	byID := map[string]*resultlinks.Application{}
	for _, a := range apps.Applications {
		byID[a.RemoteID] = a
	}
	require.Nil(t, byID[opps[0].ID].RemoteDeletedAt)
	require.NotNil(t, byID[opps[1].ID].RemoteDeletedAt, "a deleted opportunity comes with its deletion time")
	require.WithinDuration(t, time.Now(), *byID[opps[1].ID].RemoteDeletedAt, time.Minute)

	cands := walk(t, c, resultlinks.ModelCandidates, &since)
	require.Len(t, cands.Candidates, 2)

	// The delta asked Lever to filter, in milliseconds.
	var filtered, deleted bool
	for _, r := range h.f.Requests() {
		filtered = filtered || (r.Path == "/v1/opportunities" && strings.Contains(r.Query, "updated_at_start="))
		deleted = deleted || (r.Path == "/v1/opportunities/deleted" && strings.Contains(r.Query, "deleted_at_start="))
	}
	require.True(t, filtered)
	require.True(t, deleted)

	// A full walk neither lists the deleted one nor asks for deletions.
	full := walk(t, newConn(t, h.Credentials(), 3), resultlinks.ModelApplications, nil)
	require.Len(t, full.Applications, len(opps)-1)
}

// withReasons serves GET /v1/archive_reasons, which the fake lacks, as
// Lever documents it.
func withReasons(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/archive_reasons" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, bytes.NewBufferString(`{"data":[`+
			`{"id":"`+hiredReason+`","text":"Hired","status":"active","type":"hired"},`+
			`{"id":"`+rejectedReason+`","text":"Underqualified","status":"active","type":"non-hired"}],"hasNext":false}`))
	})
}

func TestMapping(t *testing.T) {
	t.Parallel()
	for _, reasons := range []bool{true, false} {
		wrap := func(h http.Handler) http.Handler { return h }
		if reasons {
			wrap = withReasons
		}
		h := startWith(t, 40, wrap)
		c := newConn(t, h.Credentials(), 0)
		apps := walk(t, c, resultlinks.ModelApplications, nil)
		cands := walk(t, c, resultlinks.ModelCandidates, nil)
		byApp := map[string]*resultlinks.Application{}
		for _, a := range apps.Applications {
			byApp[a.RemoteID] = a
		}
		byCand := map[string]*resultlinks.Candidate{}
		for _, cd := range cands.Candidates {
			byCand[cd.RemoteID] = cd
		}
		counts := map[resultlinks.Outcome]int{}
		for _, o := range h.f.Opportunities() {
			a, cd := byApp[o.ID], byCand[o.ID]
			require.NotNil(t, a)
			require.NotNil(t, cd)
			fa, ok := h.f.Application(o.ID)
			require.True(t, ok)
			require.Equal(t, o.ID, a.CandidateRemoteID)
			require.Equal(t, fa.Posting, a.JobRemoteID)
			require.Equal(t, o.Stage, a.CurrentStageRemoteID)
			require.Equal(t, o.URLs.Show, *a.RemoteURL)
			require.Equal(t, o.CreatedAt, a.RemoteCreatedAt.UnixMilli())
			require.Equal(t, o.UpdatedAt, a.RemoteUpdatedAt.UnixMilli())

			want := resultlinks.OutcomePending
			switch {
			case o.Archived == nil:
			case reasons && o.Archived.Reason == hiredReason, !reasons && o.Stage == "offer":
				want = resultlinks.OutcomeHired
			default:
				want = resultlinks.OutcomeDeclined
				require.Equal(t, o.Archived.ArchivedAt, a.RejectedAt.UnixMilli())
				if reasons {
					require.Equal(t, "Underqualified", *a.RejectionReasonName)
				}
			}
			require.Equal(t, want, *a.Outcome, o.ID)
			counts[want]++

			first, last, _ := strings.Cut(o.Name, " ")
			require.Equal(t, first, *cd.FirstName)
			require.Equal(t, last, *cd.LastName)
			require.Len(t, cd.EmailAddresses, len(o.Emails))
			require.Equal(t, o.Emails[0], *cd.EmailAddresses[0].EmailAddress)
			require.Equal(t, o.Phones[0].Value, cd.PhoneNumbers[0].PhoneNumber)
			require.Equal(t, "MOBILE", *cd.PhoneNumbers[0].Type)
			require.Equal(t, o.Location, *cd.Location.Raw)
			require.Equal(t, o.Sources[0], *cd.Source)
			require.Len(t, cd.Tags, len(o.Tags))
			require.Len(t, cd.SocialMedia, len(o.Links))
			require.False(t, *cd.Confidential)
		}
		require.Positive(t, counts[resultlinks.OutcomePending])
		require.Positive(t, counts[resultlinks.OutcomeDeclined])
		require.Positive(t, counts[resultlinks.OutcomeHired], "the seed holds a hire")

		jobs := walk(t, c, resultlinks.ModelJobs, nil)
		require.Len(t, jobs.Jobs, len(h.f.Postings()))
		stages := walk(t, newConn(t, h.Credentials(), 2), resultlinks.ModelStages, nil)
		require.Len(t, stages.Stages, len(h.f.Stages()))
		for i, s := range h.f.Stages() {
			require.Equal(t, s.ID, stages.Stages[i].RemoteID)
			require.Equal(t, s.Text, *stages.Stages[i].Name)
			require.Equal(t, i, *stages.Stages[i].Index, "the index counts across pages")
		}
	}
}

func input() resultlinks.ResultLinkInput {
	return resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/1",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "87%"}}},
	}
}

func TestWriteNoteAndLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	opp := h.f.Opportunities()[0]
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: input(),
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: opp.ID, CandidateRemoteID: opp.ID}}
	w.Input.RemoteFields.GreenhouseOnBehalfOf = new(string)

	// Without perform_as the key's owner is the author.
	c := newConn(t, h.Credentials(), 0)
	before := len(h.f.Notes(opp.ID))
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels)
	notes := h.f.Notes(opp.ID)
	require.Len(t, notes, before+1)
	n := notes[len(notes)-1]
	require.Equal(t, []string{"note:" + n.ID, "links:" + opp.ID}, r.RemoteIDs)
	require.Contains(t, n.Value(), "Coding Test: https://acme.example/r/1\nAcme: Score: 87%")
	require.Contains(t, n.Value(), connector.Marker(w.ResultLinkID))
	require.Equal(t, fake.AdminUserID, n.User)
	require.False(t, n.Secret)
	require.Contains(t, h.f.Links(opp.ID), w.Input.URL)
	require.Contains(t, r.Warnings[0], "note "+n.ID)
	require.Contains(t, strings.Join(r.Warnings, " "), "remote_fields.greenhouse applies to another ATS")
	require.Nil(t, r.CustomFields)

	writes := h.Writes()
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []string{"note:" + n.ID, "links:" + opp.ID}, found.RemoteIDs)
	require.Equal(t, writes, h.Writes())
	other := w
	other.ResultLinkID = resultlinks.NewID()
	none, err := c.FindResultLink(ctx, other)
	require.NoError(t, err)
	require.Nil(t, none, "another result link's marker is not found")

	// perform_as in the credentials names the author of both writes.
	c = newConn(t, h.credsWith(map[string]any{"perform_as": fake.RecruiterUserID}), 0)
	_, err = c.WriteResultLink(ctx, other)
	require.NoError(t, err)
	notes = h.f.Notes(opp.ID)
	require.Equal(t, fake.RecruiterUserID, notes[len(notes)-1].User)
	var acted []string
	for _, r := range h.f.Requests() {
		if r.Method == http.MethodPost {
			acted = append(acted, r.Path+" "+r.PerformAs)
		}
	}
	require.Equal(t, []string{
		"/v1/opportunities/" + opp.ID + "/notes ", "/v1/opportunities/" + opp.ID + "/addLinks ",
		"/v1/opportunities/" + opp.ID + "/notes " + fake.RecruiterUserID, "/v1/opportunities/" + opp.ID + "/addLinks " + fake.RecruiterUserID,
	}, acted)

	// A deactivated perform_as user is Lever's refusal, named as such.
	c = newConn(t, h.credsWith(map[string]any{"perform_as": fake.DeactivatedUserID}), 0)
	_, err = c.WriteResultLink(ctx, other)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "perform_as user "+fake.DeactivatedUserID)

	// An unknown opportunity is the ATS refusing the input.
	gone := w
	gone.Target.RemoteID = "00000000-0000-4000-8000-000000000000"
	_, err = newConn(t, h.Credentials(), 0).WriteResultLink(ctx, gone)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "does not exist or was deleted")
}

func TestWriteFallsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	opp := h.f.Opportunities()[0]
	c := newConn(t, h.Credentials(), 0)
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: input(),
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: opp.ID}}

	// Without the opportunities write permission the note still lands.
	h.f.RevokePermission(fake.PermOpportunitiesWrite)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels)
	require.Len(t, r.RemoteIDs, 1)
	require.NotContains(t, h.f.Links(opp.ID), w.Input.URL)
	require.Contains(t, strings.Join(r.Warnings, " "), "not added to the opportunity's links (the API key lacks the opportunities write permission")
	require.True(t, slices.ContainsFunc(h.f.Notes(opp.ID), func(n fake.Note) bool {
		return strings.Contains(n.Value(), connector.Marker(w.ResultLinkID))
	}))
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Contains(t, strings.Join(found.Warnings, " "), "not among the opportunity's links")

	// Without the notes write permission nothing can carry the result.
	h.f.RevokePermission(fake.PermNotesWrite)
	w.ResultLinkID = resultlinks.NewID()
	notes := len(h.f.Notes(opp.ID))
	_, err = c.WriteResultLink(ctx, w)
	require.Equal(t, resultlinks.CodePermissionMissing, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "notes:write:admin")
	require.Len(t, h.f.Notes(opp.ID), notes)
}
