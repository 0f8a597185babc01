package workable_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	fake "github.com/resultlinks/resultlinks/internal/atsfake/workable"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/workable"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// harnessFake adapts the Workable fake to the conformance suite.
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

// Credentials are what the fake prints plus the member comments are posted
// as, which Workable requires and the suite's result link does not name.
func (h *harnessFake) Credentials() json.RawMessage {
	return h.creds(map[string]any{"member_id": fake.AdminMemberID})
}

// creds returns the fake's printed credentials with changes (nil deletes).
func (h *harnessFake) creds(change map[string]any) json.RawMessage {
	b, _ := json.Marshal(h.f.Credentials(h.url))
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	for k, v := range change {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ = json.Marshal(m)
	return b
}

// partner returns credentials of the fake's partner token, whose budget
// (50 per 10 seconds) keeps the tool-specific tests quick.
func (h *harnessFake) partner(change map[string]any) json.RawMessage {
	all := map[string]any{"access_token": fake.DefaultPartnerToken, "client_id": fake.DefaultPartnerClientID}
	for k, v := range change {
		all[k] = v
	}
	return h.creds(all)
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

// Holds: a comment on the candidate record carries the URL, or its custom
// attributes hold the link and every attribute.
func (h *harnessFake) Holds(_ resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	for _, c := range h.f.Comments(remoteID) {
		if c.Body != nil && strings.Contains(*c.Body, in.URL) {
			return true
		}
	}
	values := h.f.CustomAttributeValues(remoteID)
	all := fmt.Sprint(values[in.Label].Value) == in.URL
	for _, a := range in.Details.Attributes {
		all = all && fmt.Sprint(values[in.Details.FieldName(a.Key)].Value) == a.Value
	}
	return all
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

// TestConformance runs the suite with the account token the fake prints,
// paced at Workable's 10 requests per 10 seconds.
func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info:     workable.Info(),
		PageSize: 10,
		Start:    func(t *testing.T, n int) connectortest.Fake { return start(t, n) },
	})
}

func newConn(t *testing.T, creds json.RawMessage, deps connector.Deps) connector.Connector {
	t.Helper()
	deps.IntegrationID = "workable:" + resultlinks.NewID()
	deps.Now = time.Now
	c, err := workable.New(creds, deps)
	require.NoError(t, err)
	return c
}

// stub answers every request with one status and body, and keeps the URLs.
type stub struct {
	status int
	body   string
	mu     sync.Mutex
	urls   []string
}

func (s *stub) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.urls = append(s.urls, req.URL.String())
	s.mu.Unlock()
	return &http.Response{StatusCode: s.status, Header: http.Header{}, Request: req, Body: io.NopCloser(strings.NewReader(s.body))}, nil
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, msg string }{
		{`{}`, "subdomain is required"},
		{`{"subdomain":"acme.workable.com","access_token":"t"}`, "subdomain must be the account's subdomain alone"},
		{`{"subdomain":"https://acme","access_token":"t"}`, "subdomain must be"},
		{`{"subdomain":"acme"}`, "access_token is required"},
		{`{"subdomain":"acme","access_token":"t","member_id":"Avery Admin"}`, "member_id must be a Workable member ID"},
		{`{"subdomain":"acme","access_token":"t","base_url":"acme.workable.com"}`, "base_url must be an http(s) URL"},
		{`{"subdomain":"acme","access_token":"t","token":"t"}`, `unknown field "token"`},
		{`{"subdomain":"acme","access_token":1}`, `field "access_token" must be a string`},
	} {
		_, err := workable.New(json.RawMessage(tc.raw), connector.Deps{})
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg, tc.raw)
	}

	// The account's own host by default; /spi/v3 in a base_url is not
	// doubled. A 401 is INTEGRATION.AUTHENTICATION_INVALID, a 404 (no such
	// account) too, and neither shows the token.
	for _, tc := range []struct {
		raw, want, msg string
		status         int
	}{
		{`{"subdomain":"Acme","access_token":"secret-token-1"}`, "https://acme.workable.com/spi/v3/candidates?limit=1", "Not authorized", 401},
		{`{"subdomain":"acme","access_token":"secret-token-1","base_url":"https://acme.workable.com/spi/v3/"}`, "https://acme.workable.com/spi/v3/candidates?limit=1", "no account at https://acme.workable.com", 404},
	} {
		rt := &stub{status: tc.status, body: `{"error":"Not authorized"}`}
		c, err := workable.New(json.RawMessage(tc.raw), connector.Deps{IntegrationID: "workable:x", HTTPClient: &http.Client{Transport: rt}})
		require.NoError(t, err)
		err = c.CheckCredentials(context.Background())
		require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg)
		require.NotContains(t, err.Error(), "secret-token-1")
		require.Equal(t, tc.want, rt.urls[0])
	}

	ctx := context.Background()
	h := start(t, 2)
	// The JSON the fake prints is accepted as it is.
	_, err := workable.New(h.creds(nil), connector.Deps{})
	require.NoError(t, err)
	require.NoError(t, newConn(t, h.partner(map[string]any{"member_id": fake.RecruiterMemberID}), connector.Deps{}).CheckCredentials(ctx))
	require.Equal(t, "partner", h.f.Requests()[0].Token, "a partner token goes with X-WORKABLE-CLIENT-ID")
	for member, msg := range map[string]string{fake.InactiveMemberID: "is not active", "abcdef": "has no member abcdef"} {
		err := newConn(t, h.partner(map[string]any{"member_id": member}), connector.Deps{}).CheckCredentials(ctx)
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), member)
		require.Contains(t, resultlinks.ErrorMessage(err), msg)
	}
	err = newConn(t, h.partner(map[string]any{"client_id": nil}), connector.Deps{}).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err), "a partner token without its client ID")
	h.f.RevokeScope(fake.ScopeReadCandidates)
	err = newConn(t, h.partner(nil), connector.Deps{}).CheckCredentials(ctx)
	require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "r_candidates")
}

// pager is a Workable stand-in whose first candidates page links to next.
type pager struct {
	next string
	mu   sync.Mutex
	seen []string
}

func (p *pager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.seen = append(p.seen, r.URL.RequestURI())
	n := len(p.seen)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n == 1 {
		fmt.Fprintf(w, `{"candidates":[{"id":"a1","job":{"shortcode":"J1"}},{"id":"a2","job":{"shortcode":"J1"}}],"paging":{"next":%q}}`, p.next)
		return
	}
	fmt.Fprint(w, `{"candidates":[{"id":"a3","job":{"shortcode":"J1"}}]}`)
}

func TestPagingNextURLs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	creds := func(url string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"subdomain":"acme","access_token":"t","client_id":"c","base_url":%q}`, url))
	}

	// paging.next is followed verbatim, even to another list path.
	p := &pager{}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.next = srv.URL + "/spi/v3/jobs/J1/candidates?limit=2&since_id=a3&z=1"
	c := newConn(t, creds(srv.URL), connector.Deps{PageSize: 2})
	first, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
	require.NoError(t, err)
	require.Len(t, first.Batch.Candidates, 2)
	require.NotEmpty(t, first.Next)
	second, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates, Cursor: first.Next})
	require.NoError(t, err)
	require.Len(t, second.Batch.Candidates, 1)
	require.Empty(t, second.Next)
	require.Equal(t, []string{"/spi/v3/candidates?limit=2", "/spi/v3/jobs/J1/candidates?limit=2&since_id=a3&z=1"}, p.seen)

	// A next URL off the account's API is refused, not followed.
	// (SELF is the stand-in's own host.)
	for _, next := range []string{
		"http://evil.example/spi/v3/candidates?since_id=a3",
		"http://SELF/admin/export?since_id=a3",
		"https://SELF/spi/v3/candidates?since_id=a3",
	} {
		p := &pager{}
		srv := httptest.NewServer(p)
		t.Cleanup(srv.Close)
		p.next = strings.ReplaceAll(next, "SELF", strings.TrimPrefix(srv.URL, "http://"))
		_, err := newConn(t, creds(srv.URL), connector.Deps{}).ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
		require.Equal(t, resultlinks.CodeRemoteUnknown, resultlinks.ErrorCode(err), next)
		require.Contains(t, resultlinks.ErrorMessage(err), "refusing to follow paging.next")
		require.Len(t, p.seen, 1, "the next page is not asked for")
	}
	// So is a forged cursor naming another host.
	forged := base64.RawURLEncoding.EncodeToString([]byte("http://evil.example/spi/v3/candidates"))
	_, err = c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates, Cursor: forged})
	require.Equal(t, resultlinks.CodeRemoteUnknown, resultlinks.ErrorCode(err))
	_, err = c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates, Cursor: "%%%"})
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))

	// Against the fake: every record once, each page asked by the previous
	// page's since_id.
	h := start(t, 6)
	c = newConn(t, h.partner(nil), connector.Deps{PageSize: 3})
	seen := map[string]bool{}
	cursor := ""
	for {
		pg, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelApplications, Cursor: cursor})
		require.NoError(t, err)
		for _, a := range pg.Batch.Applications {
			require.False(t, seen[a.RemoteID])
			seen[a.RemoteID] = true
		}
		if pg.Next == "" {
			break
		}
		cursor = pg.Next
	}
	require.Len(t, seen, len(h.f.Candidates()))
	var lists []string
	for _, r := range h.f.Requests() {
		if r.Path == "/spi/v3/candidates" {
			lists = append(lists, r.Query)
		}
	}
	require.Equal(t, (len(seen)+2)/3, len(lists))
	require.Equal(t, "limit=3", lists[0])
	for _, q := range lists[1:] {
		require.Contains(t, q, "since_id=")
		require.Contains(t, q, "limit=3")
	}
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

func TestMapping(t *testing.T) {
	t.Parallel()
	h := start(t, 20)
	c := newConn(t, h.partner(nil), connector.Deps{})
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
	slugs := map[string]string{}
	for _, s := range h.f.Stages() {
		slugs[s.Name] = s.Slug
	}
	counts := map[resultlinks.Outcome]int{}
	for _, d := range h.f.Candidates() {
		a, cd := byApp[d.ID], byCand[d.ID]
		require.NotNil(t, a)
		require.NotNil(t, cd)
		require.Equal(t, d.ID, a.CandidateRemoteID, "a Workable candidate record is its own application")
		require.Equal(t, d.Job.Shortcode, a.JobRemoteID)
		require.Equal(t, slugs[d.Stage], a.CurrentStageRemoteID)
		require.NotEmpty(t, a.CurrentStageRemoteID)
		require.Equal(t, d.ProfileURL, *a.RemoteURL)
		require.True(t, d.CreatedAt.Equal(*a.RemoteCreatedAt))
		require.True(t, d.UpdatedAt.Equal(*cd.RemoteUpdatedAt))
		want := resultlinks.OutcomePending
		switch {
		case !d.HiredAt.IsZero():
			want = resultlinks.OutcomeHired
		case d.Disqualified:
			want = resultlinks.OutcomeDeclined
			require.Equal(t, *d.DisqualificationReason, *a.RejectionReasonName)
		}
		require.Equal(t, want, *a.Outcome, d.ID)
		counts[want]++

		require.Equal(t, d.Firstname, *cd.FirstName)
		require.Equal(t, d.Lastname, *cd.LastName)
		require.Equal(t, *d.Headline, *cd.Title)
		require.Equal(t, d.Email, *cd.EmailAddresses[0].EmailAddress)
		require.Equal(t, *d.Phone, cd.PhoneNumbers[0].PhoneNumber)
		require.Equal(t, *d.Address, *cd.Location.Raw)
		require.Equal(t, *d.Domain, *cd.Source)
	}
	require.Positive(t, counts[resultlinks.OutcomePending])
	require.Positive(t, counts[resultlinks.OutcomeHired])
	require.Positive(t, counts[resultlinks.OutcomeDeclined])

	jobs := walk(t, c, resultlinks.ModelJobs, nil)
	var codes []string
	for _, j := range h.f.Jobs() {
		codes = append(codes, j.Shortcode)
	}
	var got []string
	for _, j := range jobs.Jobs {
		got = append(got, j.RemoteID)
	}
	require.ElementsMatch(t, codes, got, "jobs are mirrored by shortcode")
	for _, j := range apps.Jobs {
		require.Contains(t, codes, j.RemoteID, "applications pages carry the jobs they name")
	}
	stages := walk(t, c, resultlinks.ModelStages, nil)
	require.Len(t, stages.Stages, len(h.f.Stages()))
	for i, s := range h.f.Stages() {
		require.Equal(t, s.Slug, stages.Stages[i].RemoteID)
		require.Equal(t, s.Position, *stages.Stages[i].Index)
	}

	// A delta asks Workable for records updated after the bound.
	since := time.Now().Add(-time.Second)
	target := h.f.Candidates()[3].ID
	require.True(t, h.f.TouchCandidate(target))
	delta := walk(t, c, resultlinks.ModelApplications, &since)
	require.Len(t, delta.Applications, 1)
	require.Equal(t, target, delta.Applications[0].RemoteID)
	last := h.f.Requests()[len(h.f.Requests())-1]
	require.Contains(t, last.Query, "updated_after=")
}

// result is the result link of the write tests.
func result(extra ...resultlinks.Attribute) resultlinks.ResultLinkInput {
	return resultlinks.ResultLinkInput{
		Label: "Coding Test", URL: "https://acme.example/r/1",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: append([]resultlinks.Attribute{
			{Key: "Score", Value: "87%"}, {Key: "Level", Value: "senior"},
		}, extra...)},
	}
}

func addAttributes(t *testing.T, f *fake.Fake) {
	t.Helper()
	for _, a := range []fake.NewAttribute{
		{Label: "Coding Test", Type: "short_text"},
		{Label: "Acme: Score", Type: "numeric"},
		{Label: "acme:  level", Type: "dropdown", Choices: []string{"Junior", "Senior"}, SingleAnswer: true},
	} {
		_, err := f.AddCustomAttribute(a)
		require.NoError(t, err)
	}
}

func openState(t *testing.T) resultlinks.StateStore {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	return store
}

func TestWriteCustomAttributes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	addAttributes(t, h.f)
	cand := h.f.Candidates()[0]
	c := newConn(t, h.partner(nil), connector.Deps{State: openState(t)})
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: result(),
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: cand.ID, CandidateRemoteID: cand.ID}}

	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Nil(t, found)

	// Every value finds an attribute: no member is needed, no comment written.
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1", "Acme: Score": 87.0, "Acme: Level": "Senior"}, r.CustomFields)
	require.Empty(t, r.FieldsOn, "the fields are on the target record itself")
	require.Len(t, r.RemoteIDs, 3)
	require.Contains(t, r.Warnings[0], `wrote "Coding Test", "Acme: Score", "Acme: Level" to the custom attributes of candidate `+cand.ID)
	values := h.f.CustomAttributeValues(cand.ID)
	require.Equal(t, "https://acme.example/r/1", values["Coding Test"].Value)
	require.Equal(t, 87.0, values["Acme: Score"].Value)
	level, _ := h.f.CustomAttributeByLabel("acme:  level")
	require.Equal(t, []string{level.Choices[1].ID}, values["acme:  level"].Value)
	require.Empty(t, h.f.Comments(cand.ID))

	// Found again by its values, writing nothing.
	writes := h.Writes()
	again, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, again.Channels)
	require.Equal(t, r.CustomFields, again.CustomFields)
	require.Equal(t, writes, h.Writes())

	// The candidate list has no attribute values; the sync shows the
	// written ones all the same.
	apps := walk(t, c, resultlinks.ModelApplications, nil)
	cands := walk(t, c, resultlinks.ModelCandidates, nil)
	for i, a := range apps.Applications {
		want := map[string]any(nil)
		if a.RemoteID == cand.ID {
			want = r.CustomFields
		}
		require.Equal(t, want, a.CustomFields, a.RemoteID)
		require.Equal(t, want, cands.Candidates[i].CustomFields, a.RemoteID)
	}
}

func TestWriteFallsBackToComment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 3)
	addAttributes(t, h.f)
	cand := h.f.Candidates()[1]
	target := connector.Target{Model: resultlinks.ModelCandidates, RemoteID: cand.ID}
	c := newConn(t, h.partner(nil), connector.Deps{})

	// "Acme: Time" has no attribute and "fast" is no number: a comment
	// carries the whole result, and a member must be named for it.
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: target,
		Input: result(resultlinks.Attribute{Key: "Time", Value: "2:30h"})}
	w.Input.Details.Attributes[0].Value = "fast"
	_, err := c.WriteResultLink(ctx, w)
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "remote_fields.workable.on_behalf_of_user_remote_id")
	require.Contains(t, resultlinks.ErrorMessage(err), "member_id in the integration's credentials")
	require.Zero(t, h.Writes(), "nothing is written before the member is known")

	w.Input.RemoteFields.WorkableOnBehalfOf = ptr(fake.RecruiterMemberID)
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote}, r.Channels)
	require.Equal(t, map[string]any{"Coding Test": "https://acme.example/r/1", "Acme: Level": "Senior"}, r.CustomFields)
	comments := h.f.Comments(cand.ID)
	require.Len(t, comments, 1)
	require.Equal(t, fake.RecruiterMemberID, comments[0].Member.ID)
	require.Contains(t, *comments[0].Body, "Coding Test: https://acme.example/r/1\nAcme: Score: fast\nAcme: Level: senior\nAcme: Time: 2:30h")
	require.Contains(t, *comments[0].Body, connector.Marker(w.ResultLinkID))
	require.Equal(t, "comment:"+comments[0].ID, r.RemoteIDs[len(r.RemoteIDs)-1])
	msg := r.Warnings[1]
	require.Contains(t, msg, "posted as member "+fake.RecruiterMemberID+" (from remote_fields.workable.on_behalf_of_user_remote_id)")
	require.Contains(t, msg, `"Acme: Score" (its attribute is numeric and the value is not a number)`)
	require.Contains(t, msg, `"Acme: Time" (no enabled custom attribute has that label)`)
	found, err := c.FindResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, r.Channels, found.Channels)
	require.Equal(t, r.CustomFields, found.CustomFields)

	// Without the scope for attributes everything goes into the comment,
	// posted as the credentials' member.
	h.f.RevokeScope(fake.ScopeReadJobs)
	c = newConn(t, h.partner(map[string]any{"member_id": fake.HiringManagerMemberID}), connector.Deps{})
	w2 := connector.Write{ResultLinkID: resultlinks.NewID(), Target: target, Input: result()}
	r, err = c.WriteResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels)
	require.Nil(t, r.CustomFields)
	require.Contains(t, r.Warnings[0], "the token may not read custom attributes (it needs the r_jobs scope)")
	require.Contains(t, r.Warnings[0], "(from the credentials' member_id)")
	comments = h.f.Comments(cand.ID)
	require.Len(t, comments, 2)
	require.Equal(t, fake.HiringManagerMemberID, comments[1].Member.ID)
	found, err = c.FindResultLink(ctx, w2)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, found.Channels)

	// An inactive member is Workable's refusal, named as such.
	w3 := w2
	w3.ResultLinkID = resultlinks.NewID()
	w3.Input.RemoteFields.WorkableOnBehalfOf = ptr(fake.InactiveMemberID)
	_, err = c.WriteResultLink(ctx, w3)
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "member "+fake.InactiveMemberID+" (from remote_fields.workable.on_behalf_of_user_remote_id)")

	// Without a scope for comments nothing can carry the result.
	h.f.RevokeScope(fake.ScopeWriteComments)
	h.f.RevokeScope(fake.ScopeWriteCandidates)
	_, err = c.WriteResultLink(ctx, w2)
	require.Equal(t, resultlinks.CodePermissionMissing, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), "w_comments")
	require.Len(t, h.f.Comments(cand.ID), 2)
}

func TestAttributeWriteRefusedFallsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, 2)
	_, err := h.f.AddCustomAttribute(fake.NewAttribute{Label: "Coding Test", Type: "short_text"})
	require.NoError(t, err)
	cand := h.f.Candidates()[0]
	c := newConn(t, h.partner(map[string]any{"member_id": fake.AdminMemberID}), connector.Deps{})
	// A URL longer than a short_text attribute holds goes to the comment.
	long := "https://acme.example/r/" + strings.Repeat("x", 120)
	w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: cand.ID},
		Input: resultlinks.ResultLinkInput{Label: "Coding Test", URL: long}}
	r, err := c.WriteResultLink(ctx, w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelNote}, r.Channels)
	require.Contains(t, r.Warnings[0], "longer than the 128 characters")
	require.Empty(t, h.f.CustomAttributeValues(cand.ID))
	require.True(t, slices.ContainsFunc(h.f.Comments(cand.ID), func(c fake.Comment) bool { return strings.Contains(*c.Body, long) }))
}

func ptr[T any](v T) *T { return &v }
