package workable_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a := workable.New(workable.Options{Seed: 4, Candidates: 10})
	b := workable.New(workable.Options{Seed: 4, Candidates: 10})
	c := workable.New(workable.Options{Seed: 5, Candidates: 10})
	require.Equal(t, a.Candidates(), b.Candidates())
	require.NotEqual(t, a.Candidates(), c.Candidates())

	perPerson := map[string][]string{}
	for _, cand := range a.Candidates() {
		perPerson[cand.Email] = append(perPerson[cand.Email], cand.Job.Shortcode)
		require.Equal(t, "atsfake", cand.Account.Subdomain)
		require.NotEmpty(t, cand.Stage)
		require.False(t, cand.UpdatedAt.Before(cand.CreatedAt.Time))
		require.NotEmpty(t, a.Activities(cand.ID), "every record starts with an activity")
	}
	require.Len(t, perPerson, 10)
	for email, jobs := range perPerson {
		require.True(t, len(jobs) >= 1 && len(jobs) <= 3, "%s has %d records", email, len(jobs))
		slices.Sort(jobs)
		require.Len(t, slices.Compact(jobs), len(jobs), "one record per job")
	}
}

func TestPagingFollowsAbsoluteNext(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Seed: 2, Candidates: 12})
	want := b.fake.Candidates()
	require.Greater(t, len(want), 14)

	pages, nexts := b.listAll(t, "/candidates?limit=5")
	require.GreaterOrEqual(t, len(pages), 3)
	for _, p := range pages[:len(pages)-1] {
		require.Len(t, p, 5)
	}
	var wantIDs []string
	for _, c := range want {
		wantIDs = append(wantIDs, c.ID)
	}
	require.Equal(t, wantIDs, ids(pages), "every record once, in id order")

	for i, next := range nexts {
		require.True(t, strings.HasPrefix(next, b.srv.URL+"/spi/v3/candidates?"), "absolute: %s", next)
		u, err := url.Parse(next)
		require.NoError(t, err)
		require.Equal(t, "5", u.Query().Get("limit"))
		require.Equal(t, pages[i+1][0].ID, u.Query().Get("since_id"), "since_id names the first record of the next page")
	}
}

func TestDefaultAndInvalidLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Seed: 1, Candidates: 40})
	var p candidatePage
	b.call(t, http.MethodGet, "/candidates", nil).decode(t, &p)
	require.Len(t, p.Candidates, 50, "limit defaults to 50")
	require.NotNil(t, p.Paging)
	b.call(t, http.MethodGet, "/candidates?limit=100", nil).decode(t, &p)
	require.Len(t, p.Candidates, min(100, len(b.fake.Candidates())))

	tests := []struct{ query, want string }{
		{"limit=0", "limit must be an integer between 1 and 100"},
		{"limit=101", "limit must be an integer between 1 and 100"},
		{"limit=x", "limit must be an integer between 1 and 100"},
		{"since_id=zz", "since_id is not a valid id"},
		{"max_id=", "max_id is not a valid id"},
		{"updated_after=yesterday", "updated_after must be an ISO 8601 timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodGet, "/candidates?"+tt.query, nil)
			require.Equal(t, http.StatusUnprocessableEntity, res.status)
			require.Equal(t, tt.want, errorOf(t, res))
		})
	}
}

func TestShortcodeNextPointsAtJobCandidates(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Seed: 6, Candidates: 25})
	job := b.fake.Jobs()[0]
	var want []string
	for _, c := range b.fake.Candidates() {
		if c.Job.Shortcode == job.Shortcode {
			want = append(want, c.ID)
		}
	}
	require.Greater(t, len(want), 4)
	pages, nexts := b.listAll(t, "/candidates?shortcode="+job.Shortcode+"&limit=2")
	require.Equal(t, want, ids(pages))
	require.NotEmpty(t, nexts)
	for _, n := range nexts {
		require.True(t, strings.HasPrefix(n, b.srv.URL+"/spi/v3/jobs/"+job.Shortcode+"/candidates?"), n)
		require.NotContains(t, n, "shortcode=")
	}
	// The job-scoped route serves the same records.
	pages, _ = b.listAll(t, "/jobs/"+job.Shortcode+"/candidates?limit=3")
	require.Equal(t, want, ids(pages))
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/jobs/NOPE/candidates", nil).status)
}

func TestUpdatedAfter(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 6})
	now := b.clock.Now().UTC()
	stamp := now.Format(time.RFC3339)
	pages, _ := b.listAll(t, "/candidates?updated_after="+stamp)
	require.Empty(t, ids(pages), "seeded history is older than now")

	target := b.fake.Candidates()[3]
	b.clock.Advance(2 * time.Second)
	require.True(t, b.fake.TouchCandidate(target.ID))
	pages, _ = b.listAll(t, "/candidates?updated_after="+stamp)
	require.Equal(t, []string{target.ID}, ids(pages))

	touched := now.Add(2 * time.Second)
	pages, _ = b.listAll(t, "/candidates?updated_after="+touched.Format(time.RFC3339))
	require.Empty(t, ids(pages), "updated_after is strict")
	pages, _ = b.listAll(t, "/candidates?updated_after="+itoa(touched.Unix()-1))
	require.Equal(t, []string{target.ID}, ids(pages), "Unix seconds work too")

	got, ok := b.fake.Candidate(target.ID)
	require.True(t, ok)
	require.True(t, got.UpdatedAt.Equal(touched))
}

func TestFiltersAndDelete(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Seed: 3, Candidates: 8})
	all := b.fake.Candidates()
	target := all[2]

	pages, _ := b.listAll(t, "/candidates?email="+url.QueryEscape(strings.ToUpper(target.Email)))
	for _, c := range pages[0] {
		require.Equal(t, target.Email, c.Email)
	}
	require.Contains(t, ids(pages), target.ID)

	pages, _ = b.listAll(t, "/candidates?created_after="+url.QueryEscape(target.CreatedAt.Format(time.RFC3339)))
	for _, c := range pages[0] {
		require.True(t, c.CreatedAt.After(target.CreatedAt.Time))
	}

	pages, _ = b.listAll(t, "/candidates?since_id="+all[1].ID+"&max_id="+all[3].ID)
	require.Equal(t, []string{all[1].ID, all[2].ID, all[3].ID}, ids(pages), "since_id and max_id are inclusive")

	require.True(t, b.fake.DeleteCandidate(target.ID))
	pages, _ = b.listAll(t, "/candidates")
	require.NotContains(t, ids(pages), target.ID)
	res := b.call(t, http.MethodGet, "/candidates/"+target.ID, nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "Not found", errorOf(t, res))
}

func TestCandidateDetailAndReferenceLists(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 3})
	cand := b.fake.Candidates()[0]

	var detail struct {
		Candidate workable.CandidateDetail `json:"candidate"`
	}
	b.call(t, http.MethodGet, "/candidates/"+cand.ID, nil).decode(t, &detail)
	require.Equal(t, cand, detail.Candidate)

	var jobs struct {
		Jobs []workable.Job `json:"jobs"`
	}
	b.call(t, http.MethodGet, "/jobs", nil).decode(t, &jobs)
	require.Equal(t, b.fake.Jobs(), jobs.Jobs)
	b.call(t, http.MethodGet, "/jobs?state=published", nil).decode(t, &jobs)
	for _, j := range jobs.Jobs {
		require.Equal(t, "published", j.State)
	}

	var stages struct {
		Stages []workable.Stage `json:"stages"`
	}
	b.call(t, http.MethodGet, "/stages", nil).decode(t, &stages)
	require.Equal(t, b.fake.Stages(), stages.Stages)
	b.call(t, http.MethodGet, "/jobs/"+cand.Job.Shortcode+"/stages", nil).decode(t, &stages)
	require.NotEmpty(t, stages.Stages)

	var members struct {
		Members []workable.Member `json:"members"`
	}
	b.call(t, http.MethodGet, "/members?status=active", nil).decode(t, &members)
	var memberIDs []string
	for _, m := range members.Members {
		memberIDs = append(memberIDs, m.ID)
	}
	require.Equal(t, []string{workable.AdminMemberID, workable.RecruiterMemberID, workable.HiringManagerMemberID}, memberIDs)
	b.call(t, http.MethodGet, "/members", nil).decode(t, &members)
	require.Len(t, members.Members, 4)

	var attrs struct {
		CustomAttributes []workable.CustomAttribute `json:"custom_attributes"`
	}
	b.call(t, http.MethodGet, "/custom_attributes", nil).decode(t, &attrs)
	require.Equal(t, b.fake.CustomAttributes(), attrs.CustomAttributes)
}
