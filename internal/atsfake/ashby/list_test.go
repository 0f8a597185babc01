package ashby_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a := ashby.New(ashby.Options{Seed: 7, Candidates: 12})
	b := ashby.New(ashby.Options{Seed: 7, Candidates: 12})
	c := ashby.New(ashby.Options{Seed: 8, Candidates: 12})
	require.Equal(t, a.Candidates(), b.Candidates())
	require.Equal(t, a.Applications(""), b.Applications(""))
	require.NotEqual(t, a.Candidates()[0].ID, c.Candidates()[0].ID)

	cands := a.Candidates()
	require.Len(t, cands, 12)
	jobs := map[string]bool{}
	for _, cand := range cands {
		require.NotEmpty(t, cand.Name)
		require.NotNil(t, cand.PrimaryEmailAddress)
		require.Contains(t, cand.PrimaryEmailAddress.Value, "@")
		require.NotZero(t, cand.CreatedAt)
		apps := a.Applications(cand.ID)
		require.GreaterOrEqual(t, len(apps), 1)
		require.LessOrEqual(t, len(apps), 3)
		require.Len(t, cand.ApplicationIDs, len(apps))
		for _, app := range apps {
			jobs[app.Job.ID] = true
			require.NotNil(t, app.CurrentInterviewStage)
			require.False(t, app.UpdatedAt.Before(app.CreatedAt.Time))
		}
	}
	require.Greater(t, len(jobs), 1)
	require.Len(t, a.Jobs(), 5)
	require.NotEmpty(t, a.Users())
}

func TestCandidateListPagingAndSync(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Seed: 3, Candidates: 11})
	all := b.fake.Candidates()

	pages, syncToken := listAll[ashby.Candidate](t, b, "candidate.list", map[string]any{"limit": 4})
	require.Len(t, pages, 3)
	require.Equal(t, []int{4, 4, 3}, []int{len(pages[0]), len(pages[1]), len(pages[2])})
	got := ids(pages, candID)
	want := ids([][]ashby.Candidate{all}, candID)
	require.ElementsMatch(t, want, got)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(got))), len(want), "no duplicates")
	require.NotEmpty(t, syncToken)

	// Nothing changed: the incremental sync is empty but yields a new token.
	b.clock.Advance(time.Minute)
	pages, next := listAll[ashby.Candidate](t, b, "candidate.list", map[string]any{"syncToken": syncToken})
	require.Empty(t, ids(pages, candID))
	require.NotEmpty(t, next)

	// Two changes: a UI edit and a note written through the API.
	b.clock.Advance(time.Minute)
	require.True(t, b.fake.TouchCandidate(all[5].ID))
	b.clock.Advance(time.Second)
	b.ok(t, "candidate.createNote", map[string]any{"candidateId": all[2].ID, "note": "changed"}, nil)
	pages, next2 := listAll[ashby.Candidate](t, b, "candidate.list", map[string]any{"syncToken": next, "limit": 1})
	require.Equal(t, []string{all[5].ID, all[2].ID}, ids(pages, candID), "ordered by change time")
	require.Len(t, pages, 2, "incremental syncs page too")

	// A deleted candidate disappears from full syncs.
	require.True(t, b.fake.DeleteCandidate(all[0].ID))
	pages, _ = listAll[ashby.Candidate](t, b, "candidate.list", nil)
	require.NotContains(t, ids(pages, candID), all[0].ID)
	require.Len(t, ids(pages, candID), len(all)-1)
	res := b.call(t, "candidate.info", map[string]any{"id": all[0].ID})
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "candidate_not_found", res.failure(t).ErrorInfo.Code)

	// Expired tokens force a full resync.
	b.fake.ExpireSyncTokens()
	res = b.call(t, "candidate.list", map[string]any{"syncToken": next2})
	require.Equal(t, http.StatusOK, res.status, "a logical failure, not a 4xx")
	require.Equal(t, "sync_token_expired", res.failure(t).ErrorInfo.Code)
}

func TestSyncTokenTTL(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 2, SyncTokenTTL: time.Hour})
	_, tok := listAll[ashby.Candidate](t, b, "candidate.list", nil)
	b.clock.Advance(59 * time.Minute)
	b.ok(t, "candidate.list", map[string]any{"syncToken": tok}, nil)
	b.clock.Advance(2 * time.Minute)
	res := b.call(t, "candidate.list", map[string]any{"syncToken": tok})
	require.Equal(t, "sync_token_expired", res.failure(t).ErrorInfo.Code)
	// A token of another endpoint is refused.
	_, appTok := listAll[ashby.Application](t, b, "application.list", nil)
	res = b.call(t, "candidate.list", map[string]any{"syncToken": appTok})
	require.Equal(t, "invalid_sync_token", res.failure(t).ErrorInfo.Code)
}

func TestListParameterValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 105})
	tests := []struct {
		name     string
		endpoint string
		body     map[string]any
		wantCode string
		wantLen  int
	}{
		{name: "default page size is 100", endpoint: "candidate.list", body: map[string]any{}, wantLen: 100},
		{name: "limit above 100 is capped", endpoint: "candidate.list", body: map[string]any{"limit": 500}, wantLen: 100},
		{name: "limit zero", endpoint: "candidate.list", body: map[string]any{"limit": 0}, wantCode: "invalid_input"},
		{name: "limit as string", endpoint: "candidate.list", body: map[string]any{"limit": "10"}, wantCode: "invalid_input"},
		{name: "fractional limit", endpoint: "candidate.list", body: map[string]any{"limit": 2.5}, wantCode: "invalid_input"},
		{name: "garbage cursor", endpoint: "candidate.list", body: map[string]any{"cursor": "???"}, wantCode: "invalid_cursor"},
		{name: "garbage sync token", endpoint: "application.list", body: map[string]any{"syncToken": "x"}, wantCode: "invalid_sync_token"},
		{name: "bad status", endpoint: "application.list", body: map[string]any{"status": "Open"}, wantCode: "invalid_input"},
		{name: "bad createdAfter", endpoint: "application.list", body: map[string]any{"createdAfter": "yesterday"}, wantCode: "invalid_input"},
		{name: "job status not an array", endpoint: "job.list", body: map[string]any{"status": "Open"}, wantCode: "invalid_input"},
		{name: "stage list needs a plan", endpoint: "interviewStage.list", body: map[string]any{}, wantCode: "invalid_input"},
		{name: "notes need a candidate", endpoint: "candidate.listNotes", body: map[string]any{}, wantCode: "invalid_input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, tt.endpoint, tt.body)
			require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, res.failure(t).ErrorInfo.Code)
				return
			}
			var p page[ashby.Candidate]
			res.decode(t, &p)
			require.Len(t, p.Results, tt.wantLen)
			require.True(t, p.MoreDataAvailable)
		})
	}
}

func TestApplicationListFiltersAndSync(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Seed: 5, Candidates: 20})
	all := b.fake.Applications("")

	pages, tok := listAll[ashby.Application](t, b, "application.list", map[string]any{"limit": 7})
	require.GreaterOrEqual(t, len(pages), 3)
	require.ElementsMatch(t, ids([][]ashby.Application{all}, appID), ids(pages, appID))

	job := b.fake.Jobs()[0]
	pages, _ = listAll[ashby.Application](t, b, "application.list", map[string]any{"jobId": job.ID, "status": "Active"})
	var want []string
	for _, a := range all {
		if a.Job.ID == job.ID && a.Status == "Active" {
			want = append(want, a.ID)
		}
	}
	require.NotEmpty(t, want)
	require.ElementsMatch(t, want, ids(pages, appID))

	cut := all[10].CreatedAt
	pages, _ = listAll[ashby.Application](t, b, "application.list", map[string]any{"createdAfter": cut.UnixMilli()})
	for _, a := range pages[0] {
		require.False(t, a.CreatedAt.Before(cut.Time))
	}

	b.clock.Advance(time.Hour)
	require.True(t, b.fake.TouchApplication(all[4].ID))
	pages, _ = listAll[ashby.Application](t, b, "application.list", map[string]any{"syncToken": tok})
	require.Equal(t, []string{all[4].ID}, ids(pages, appID))
	require.Equal(t, b.clock.Now(), pages[0][0].UpdatedAt.Time)

	var info ashby.Application
	b.ok(t, "application.info", map[string]any{"applicationId": all[4].ID}, &info)
	require.Equal(t, all[4].Candidate.ID, info.Candidate.ID)
	res := b.call(t, "application.info", map[string]any{"applicationId": "00000000-0000-4000-8000-000000000000"})
	require.Equal(t, "application_not_found", res.failure(t).ErrorInfo.Code)
}

func TestJobsStagesUsersAndFields(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 1})

	pages, tok := listAll[ashby.Job](t, b, "job.list", map[string]any{"limit": 2})
	require.Len(t, pages, 3)
	require.NotEmpty(t, tok)
	pages, _ = listAll[ashby.Job](t, b, "job.list", map[string]any{"status": []string{"Closed"}})
	require.Len(t, pages[0], 1)
	require.Equal(t, "Closed", pages[0][0].Status)
	require.NotEmpty(t, pages[0][0].CustomFields, "the seeded Cost Center value")

	var plans []ashby.InterviewPlan
	b.ok(t, "interviewPlan.list", nil, &plans)
	require.Len(t, plans, 2)
	var stages []ashby.InterviewStage
	b.ok(t, "interviewStage.list", map[string]any{"interviewPlanId": plans[0].ID}, &stages)
	require.NotEmpty(t, stages)
	for i, st := range stages {
		require.Equal(t, i, st.OrderInInterviewPlan)
		require.Equal(t, plans[0].ID, st.InterviewPlanID)
	}
	res := b.call(t, "interviewStage.list", map[string]any{"interviewPlanId": "nope"})
	require.Equal(t, "interview_plan_not_found", res.failure(t).ErrorInfo.Code)

	users, _ := listAll[ashby.User](t, b, "user.list", nil)
	require.Len(t, users[0], 3)
	users, _ = listAll[ashby.User](t, b, "user.list", map[string]any{"includeDeactivated": true})
	require.Len(t, users[0], 4)

	fields, _ := listAll[ashby.CustomField](t, b, "customField.list", map[string]any{"limit": 3})
	active := ids(fields, fieldIDOf)
	fields, _ = listAll[ashby.CustomField](t, b, "customField.list", map[string]any{"includeArchived": true})
	require.Len(t, ids(fields, fieldIDOf), len(active)+1, "one seeded field is archived")
	require.Len(t, b.fake.CustomFields(), len(active)+1)
}
