package greenhouse_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func TestListPagingFollowsLink(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 3, Candidates: 25})
	tok := b.adminToken(t)

	pages := b.listAll(t, "/v3/candidates?per_page=10", tok)
	require.Equal(t, []int{10, 10, 5}, []int{len(pages[0]), len(pages[1]), len(pages[2])})
	got := flatten(pages)
	require.True(t, slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }), "ids descending: %v", got)

	var want []int64
	for _, c := range b.fake.Candidates() {
		want = append(want, c.ID)
	}
	slices.Reverse(want)
	require.Equal(t, want, got)

	// The next link carries only the opaque cursor.
	res := b.call(t, http.MethodGet, "/v3/candidates?per_page=10", tok, nil)
	u, err := url.Parse(nextLink(t, res.header))
	require.NoError(t, err)
	require.Equal(t, "/v3/candidates", u.Path)
	require.Equal(t, []string{"cursor"}, slices.Collect(maps.Keys(u.Query())))

	// Applications page the same way.
	apps := flatten(b.listAll(t, "/v3/applications?per_page=7", tok))
	require.Len(t, apps, len(b.fake.Applications(0)))
	require.Greater(t, len(apps), 25, "every candidate has at least one application")
}

func TestCursorMustBeAlone(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 5})
	tok := b.adminToken(t)
	res := b.call(t, http.MethodGet, "/v3/candidates?per_page=2", tok, nil)
	next := nextLink(t, res.header)
	require.NotEmpty(t, next)

	res = b.call(t, http.MethodGet, next+"&per_page=2", tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.JSONEq(t, `{"message":"Unprocessable Content","errors":["When passing a cursor, do not include other query params."]}`,
		string(res.body))

	res = b.call(t, http.MethodGet, "/v3/candidates?cursor=garbage", tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)

	// A cursor is bound to the list that issued it.
	cursor := strings.TrimPrefix(next[strings.Index(next, "?"):], "?")
	res = b.call(t, http.MethodGet, "/v3/applications?"+cursor, tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
}

func TestPerPage(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 120})
	tok := b.adminToken(t)
	tests := []struct {
		query      string
		wantStatus int
		wantBody   string
		wantLen    int
		wantNext   bool
	}{
		{query: "", wantStatus: http.StatusOK, wantLen: 100, wantNext: true},
		{query: "?per_page=500", wantStatus: http.StatusOK, wantLen: 120},
		{query: "?per_page=1", wantStatus: http.StatusOK, wantLen: 1, wantNext: true},
		{query: "?per_page=600", wantStatus: http.StatusUnprocessableEntity,
			wantBody: `{"message":"Unprocessable Content","errors":[{"per_page":"` + "`600`" + ` number is greater than: 500"}]}`},
		{query: "?per_page=0", wantStatus: http.StatusUnprocessableEntity},
		{query: "?per_page=ten", wantStatus: http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run("per_page"+tt.query, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodGet, "/v3/candidates"+tt.query, tok, nil)
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			if tt.wantBody != "" {
				require.JSONEq(t, tt.wantBody, string(res.body))
			}
			if tt.wantStatus != http.StatusOK {
				require.Equal(t, "Unprocessable Content", res.errorBody(t).Message)
				return
			}
			var items []greenhouse.Candidate
			res.decode(t, &items)
			require.Len(t, items, tt.wantLen)
			require.Equal(t, tt.wantNext, nextLink(t, res.header) != "")
		})
	}
}

func TestUpdatedSinceFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 11, Candidates: 30})
	tok := b.adminToken(t)
	cands := b.fake.Candidates()
	c1, c2, c3 := cands[4].ID, cands[17].ID, cands[9].ID

	b.clock.Advance(time.Minute)
	t1 := b.clock.Now()
	require.True(t, b.fake.TouchCandidate(c1))
	b.clock.Advance(time.Minute)
	t2 := b.clock.Now()
	require.True(t, b.fake.TouchCandidate(c2))
	b.clock.Advance(time.Minute)
	t3 := b.clock.Now()
	require.True(t, b.fake.TouchCandidate(c3))
	require.False(t, b.fake.TouchCandidate(1), "unknown id")

	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	desc := func(ids ...int64) []int64 {
		sort.Slice(ids, func(i, j int) bool { return ids[i] > ids[j] })
		return ids
	}
	tests := []struct {
		name  string
		query string
		want  []int64
	}{
		{"since t1, paged by 2", "updated_at=" + url.QueryEscape("gte|"+ts(t1)) + "&per_page=2", desc(c1, c2, c3)},
		{"two-sided window", "updated_at=" + url.QueryEscape("gte|"+ts(t1)+"|lte|"+ts(t2)), desc(c1, c2)},
		{"strictly after t1", "updated_at=" + url.QueryEscape("gt|"+ts(t1)), desc(c2, c3)},
		{"last activity since t3", "last_activity_at=" + url.QueryEscape("gte|"+ts(t3)), []int64{c3}},
		{"unescaped plus offset", "updated_at=gte|" + t3.Format("2006-01-02T15:04:05+00:00"), []int64{c3}},
		{"nothing changed since", "updated_at=" + url.QueryEscape("gt|"+ts(t3)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, flatten(b.listAll(t, "/v3/candidates?"+tt.query, tok)))
		})
	}

	res := b.call(t, http.MethodGet, "/v3/candidates?updated_at=after|yesterday", tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
}

func TestApplicationFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 5, Candidates: 40})
	tok := b.adminToken(t)
	decode := func(query string) []greenhouse.Application {
		res := b.call(t, http.MethodGet, "/v3/applications?per_page=500&"+query, tok, nil)
		require.Equal(t, http.StatusOK, res.status, "%s", res.body)
		require.Empty(t, res.header.Get("Link"))
		var apps []greenhouse.Application
		res.decode(t, &apps)
		return apps
	}

	cand := b.fake.Candidates()[7]
	apps := decode("candidate_ids=" + strconv.FormatInt(cand.ID, 10))
	want := b.fake.Applications(cand.ID)
	require.Len(t, apps, len(want))
	require.NotEmpty(t, apps)
	for _, a := range apps {
		require.Equal(t, cand.ID, a.CandidateID)
	}

	active := decode("status=active")
	require.NotEmpty(t, active)
	for _, a := range active {
		require.Equal(t, "in_process", a.Status)
	}
	rejected := decode("status=rejected")
	for _, a := range rejected {
		require.Equal(t, "rejected", a.Status)
		require.False(t, a.RejectedAt.IsZero())
	}

	res := b.call(t, http.MethodGet, "/v3/applications?status=in_process", tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.JSONEq(t, `{"message":"Unprocessable Content","errors":[{"status":"`+
		"`in_process`"+` is not one of: active, rejected, hired, converted"}]}`, string(res.body))

	// Current stage is one of the job's interview stages.
	job := b.fake.Jobs()[0]
	res = b.call(t, http.MethodGet, "/v3/job_interview_stages?job_ids="+strconv.FormatInt(job.ID, 10), tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	var stages []greenhouse.JobInterviewStage
	res.decode(t, &stages)
	require.Len(t, stages, 5)
	stageNames := map[int64]string{}
	for _, s := range stages {
		stageNames[s.ID] = s.Name
	}
	onJob := decode("job_ids=" + strconv.FormatInt(job.ID, 10))
	require.NotEmpty(t, onJob)
	for _, a := range onJob {
		require.Equal(t, job.ID, *a.JobID)
		require.Equal(t, stageNames[*a.StageID], *a.StageName)
	}

	ids := make([]string, 51)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	res = b.call(t, http.MethodGet, "/v3/applications?candidate_ids="+strings.Join(ids, ","), tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "more than 50 ids")
}

func TestCandidateShapeAndSparseFields(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 9, Candidates: 3})
	tok := b.adminToken(t)

	res := b.call(t, http.MethodGet, "/v3/candidates", tok, nil)
	var raw []map[string]any
	res.decode(t, &raw)
	require.Len(t, raw, 3)
	keys := slices.Sorted(maps.Keys(raw[0]))
	require.Equal(t, []string{"addresses", "can_email", "company", "created_at", "custom_fields", "email_addresses",
		"first_name", "id", "last_activity_at", "last_name", "linked_user_ids", "phone_numbers", "preferred_name",
		"private", "social_media_addresses", "tags", "time_zone", "title", "updated_at", "website_addresses"}, keys)
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, raw[0]["created_at"])
	cf := raw[0]["custom_fields"].(map[string]any)
	require.Contains(t, cf, "portfolio")
	require.Equal(t, map[string]any{"name": "Portfolio", "type": "url", "value": nil}, cf["portfolio"])
	require.NotContains(t, cf, "legacy_score", "inactive fields without a value are not rendered")

	res = b.call(t, http.MethodGet, "/v3/candidates?fields=id,first_name", tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	raw = nil
	res.decode(t, &raw)
	for _, item := range raw {
		require.Len(t, item, 2)
		require.Contains(t, item, "id")
		require.Contains(t, item, "first_name")
	}

	res = b.call(t, http.MethodGet, "/v3/candidates?fields=id,application_ids", tok, nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a := greenhouse.New(greenhouse.Options{Seed: 7, Candidates: 40})
	b := greenhouse.New(greenhouse.Options{Seed: 7, Candidates: 40})
	c := greenhouse.New(greenhouse.Options{Seed: 8, Candidates: 40})
	require.Equal(t, a.Candidates(), b.Candidates())
	require.Equal(t, a.Applications(0), b.Applications(0))
	require.NotEqual(t, a.Candidates(), c.Candidates())

	require.Len(t, a.Candidates(), 40)
	jobs := map[int64]bool{}
	for _, j := range a.Jobs() {
		jobs[j.ID] = true
	}
	emails := map[string]bool{}
	for _, cand := range a.Candidates() {
		apps := a.Applications(cand.ID)
		require.GreaterOrEqual(t, len(apps), 1)
		require.LessOrEqual(t, len(apps), 3)
		for _, app := range apps {
			if app.JobID != nil {
				require.True(t, jobs[*app.JobID])
			} else {
				require.True(t, app.Prospect)
			}
		}
		require.Len(t, cand.EmailAddresses, 1)
		require.False(t, emails[cand.EmailAddresses[0].Value], "emails are unique")
		emails[cand.EmailAddresses[0].Value] = true
	}
}

func TestDeletedCandidateVanishes(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 3})
	tok := b.adminToken(t)
	id := b.fake.Candidates()[1].ID
	q := strconv.FormatInt(id, 10)
	require.Len(t, flatten(b.listAll(t, "/v3/candidates?ids="+q, tok)), 1)

	require.True(t, b.fake.DeleteCandidate(id))
	res := b.call(t, http.MethodGet, "/v3/candidates?ids="+q, tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.JSONEq(t, `[]`, string(res.body))
	require.Empty(t, flatten(b.listAll(t, "/v3/applications?candidate_ids="+q, tok)))
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodPatch, "/v3/candidates/"+q, tok, map[string]any{}).status)
}

func TestUsersAndCustomFieldDefinitions(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 1})
	tok := b.adminToken(t)

	var users []greenhouse.User
	b.call(t, http.MethodGet, "/v3/users", tok, nil).decode(t, &users)
	for _, u := range users {
		require.NotEqual(t, greenhouse.ServiceUserID, u.ID, "service user is hidden by default")
	}
	users = nil
	b.call(t, http.MethodGet, "/v3/users?show_service_accounts=true", tok, nil).decode(t, &users)
	require.Equal(t, greenhouse.ServiceUserID, users[len(users)-1].ID)
	users = nil
	b.call(t, http.MethodGet, "/v3/users?primary_email=AVERY.ADMIN@fake-greenhouse.test", tok, nil).decode(t, &users)
	require.Len(t, users, 1)
	require.True(t, users[0].SiteAdmin)

	var fields []greenhouse.CustomField
	b.call(t, http.MethodGet, "/v3/custom_fields?field_type=candidate&active=true", tok, nil).decode(t, &fields)
	var seniority int64
	for _, f := range fields {
		require.Equal(t, "candidate", f.FieldType)
		require.True(t, f.Active)
		if f.NameKey == "seniority" {
			seniority = f.ID
		}
	}
	require.NotZero(t, seniority)
	fields = nil
	b.call(t, http.MethodGet, "/v3/custom_fields?field_type=candidate", tok, nil).decode(t, &fields)
	require.True(t, slices.ContainsFunc(fields, func(f greenhouse.CustomField) bool { return f.NameKey == "legacy_score" }),
		"archived fields are listed unless active=true")

	var options []greenhouse.CustomFieldOption
	b.call(t, http.MethodGet, "/v3/custom_field_options?custom_field_ids="+strconv.FormatInt(seniority, 10), tok, nil).
		decode(t, &options)
	require.Len(t, options, 3)
}

func TestMergeCandidates(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 6, Candidates: 4})
	tok := b.adminToken(t)
	cands := b.fake.Candidates()
	loser, winner := cands[0].ID, cands[2].ID
	moved := len(b.fake.Applications(loser)) + len(b.fake.Applications(winner))

	require.True(t, b.fake.MergeCandidates(loser, winner))
	require.False(t, b.fake.MergeCandidates(loser, winner), "the loser is gone")
	res := b.call(t, http.MethodGet, "/v3/candidates?ids="+itoa(loser)+","+itoa(winner), tok, nil)
	var got []greenhouse.Candidate
	res.decode(t, &got)
	require.Len(t, got, 1)
	require.Equal(t, winner, got[0].ID)
	require.Len(t, flatten(b.listAll(t, "/v3/applications?candidate_ids="+itoa(winner), tok)), moved)
}
