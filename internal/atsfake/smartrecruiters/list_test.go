package smartrecruiters_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a := smartrecruiters.New(smartrecruiters.Options{Seed: 7, Candidates: 12})
	b := smartrecruiters.New(smartrecruiters.Options{Seed: 7, Candidates: 12})
	c := smartrecruiters.New(smartrecruiters.Options{Seed: 8, Candidates: 12})
	require.Equal(t, a.Candidates(), b.Candidates())
	require.NotEqual(t, a.Candidates()[0].ID, c.Candidates()[0].ID)
	for _, cand := range a.Candidates() {
		require.NotEmpty(t, cand.FirstName)
		require.Contains(t, cand.Email, "@")
		require.NotNil(t, cand.PrimaryAssignment)
		n := 1 + len(cand.SecondaryAssignments)
		require.GreaterOrEqual(t, n, 1)
		require.LessOrEqual(t, n, 3)
		require.Len(t, a.Applications(cand.ID), n)
		require.False(t, cand.UpdatedOn.Before(cand.CreatedOn.Time))
		require.Contains(t, smartrecruiters.Statuses, cand.PrimaryAssignment.Status)
	}
	require.Len(t, a.Jobs(), 5)
	require.Len(t, a.Users(), 3)
}

func TestCandidatePaging(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Seed: 2, Candidates: 11})
	all := b.fake.Candidates()

	pages := listAll[smartrecruiters.Candidate](t, b, "/candidates?limit=4")
	require.Len(t, pages, 3)
	require.Equal(t, []int{4, 4, 3}, []int{len(pages[0].Content), len(pages[1].Content), len(pages[2].Content)})
	for _, p := range pages {
		require.Equal(t, 11, p.TotalFound)
	}
	require.Equal(t, candIDs(all), candIDs(contentOf(pages)), "creation order, no gaps or repeats")

	// Following nextPageId by hand gives the same second page.
	var second page[smartrecruiters.Candidate]
	b.get(t, "/candidates?limit=4&pageId="+url.QueryEscape(pages[0].NextPageID), &second)
	require.Equal(t, candIDs(pages[1].Content), candIDs(second.Content))

	// Default page size and the legacy offset.
	var p page[smartrecruiters.Candidate]
	b.get(t, "/candidates", &p)
	require.Len(t, p.Content, 10)
	b.get(t, "/candidates?offset=9&limit=5", &p)
	require.Equal(t, candIDs(all[9:]), candIDs(p.Content))

	// A candidate deleted mid-way disappears without shifting later pages.
	require.True(t, b.fake.DeleteCandidate(all[5].ID))
	var rest page[smartrecruiters.Candidate]
	b.get(t, "/candidates?limit=4&pageId="+url.QueryEscape(pages[0].NextPageID), &rest)
	require.Equal(t, candIDs([]smartrecruiters.Candidate{all[4], all[6], all[7], all[8]}), candIDs(rest.Content))
	res := b.call(t, http.MethodGet, "/candidates/"+all[5].ID, nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "CANDIDATE_NOT_FOUND", res.errorCode(t))
}

func TestListParameterErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 3})
	for _, target := range []string{
		"/candidates?limit=0", "/candidates?limit=101", "/candidates?limit=ten", "/candidates?pageId=not-a-page",
		"/candidates?updatedAfter=yesterday", "/candidates?offset=-1", "/jobs?limit=500", "/users?limit=-3",
		"/messages",
	} {
		res := b.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusBadRequest, res.status, target)
		require.Equal(t, "INVALID_PARAMETER", res.errorCode(t), target)
	}
}

func TestCandidateFiltersAndUpdatedAfter(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Seed: 4, Candidates: 15})
	all := b.fake.Candidates()
	job := b.fake.Jobs()[1]

	got := contentOf(listAll[smartrecruiters.Candidate](t, b, "/candidates?limit=100&jobId="+job.ID))
	var want []string
	for _, c := range all {
		for _, a := range b.fake.Applications(c.ID) {
			if a.Job.ID == job.ID {
				want = append(want, c.ID)
				break
			}
		}
	}
	require.NotEmpty(t, want)
	require.Equal(t, want, candIDs(got))

	status := all[0].PrimaryAssignment.Status
	got = contentOf(listAll[smartrecruiters.Candidate](t, b, "/candidates?limit=100&status="+status))
	require.Contains(t, candIDs(got), all[0].ID)

	var byName page[smartrecruiters.Candidate]
	b.get(t, "/candidates?q="+url.QueryEscape(all[3].Email), &byName)
	require.Equal(t, []string{all[3].ID}, candIDs(byName.Content))

	// Delta: nothing changed after now; then a UI edit shows up.
	since := b.clock.Now()
	q := "/candidates?limit=2&updatedAfter=" + url.QueryEscape(since.Format(time.RFC3339Nano))
	require.Empty(t, contentOf(listAll[smartrecruiters.Candidate](t, b, q)))
	b.clock.Advance(time.Minute)
	require.True(t, b.fake.TouchCandidate(all[7].ID))
	require.True(t, b.fake.TouchCandidate(all[2].ID))
	b.clock.Advance(time.Minute)
	got = contentOf(listAll[smartrecruiters.Candidate](t, b, q))
	require.ElementsMatch(t, []string{all[7].ID, all[2].ID}, candIDs(got))
	require.Equal(t, since.Add(time.Minute), got[0].UpdatedOn.Time)
}

func TestJobsUsersAndConfiguration(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 1})

	jobs := listAll[smartrecruiters.Job](t, b, "/jobs?limit=2")
	require.Len(t, jobs, 3)
	require.Len(t, contentOf(jobs), 5)
	var filled page[smartrecruiters.Job]
	b.get(t, "/jobs?status=FILLED", &filled)
	require.Len(t, filled.Content, 1)
	var one smartrecruiters.Job
	b.get(t, "/jobs/"+filled.Content[0].ID, &one)
	require.Equal(t, filled.Content[0], one)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/jobs/nope", nil).status)

	users := contentOf(listAll[smartrecruiters.User](t, b, "/users?limit=1"))
	require.Len(t, users, 3)

	var procs page[smartrecruiters.HiringProcess]
	b.get(t, "/configuration/hiring-processes", &procs)
	require.Len(t, procs.Content, 2)
	require.Nil(t, procs.Content[0].SubStatuses)
	var proc smartrecruiters.HiringProcess
	b.get(t, "/configuration/hiring-processes/"+procs.Content[0].ID, &proc)
	require.Equal(t, []string{"Phone Interview", "Onsite Interview"}, proc.SubStatuses.Interview)

	var defs page[smartrecruiters.CandidatePropertyDefinition]
	b.get(t, "/configuration/candidate-properties", &defs)
	require.Equal(t, b.fake.CandidateProperties(), defs.Content)
	seniority := propertyByLabel(t, b.fake, "Seniority")
	require.Equal(t, "seniority", seniority.Key)
	var opts page[smartrecruiters.PropertyOption]
	b.get(t, "/configuration/candidate-properties/"+seniority.ID+"/values", &opts)
	require.Len(t, opts.Content, 3)
	res := b.call(t, http.MethodGet, "/configuration/candidate-properties/"+propertyByLabel(t, b.fake, "Portfolio").ID+"/values", nil)
	require.Equal(t, http.StatusBadRequest, res.status)

	cand := b.fake.Candidates()[0]
	var app smartrecruiters.Application
	b.get(t, "/candidates/"+cand.ID+"/jobs/"+cand.PrimaryAssignment.Job.ID, &app)
	require.Equal(t, cand.PrimaryAssignment.Status, app.Status)
	other := slices.IndexFunc(b.fake.Jobs(), func(j smartrecruiters.Job) bool {
		return !slices.ContainsFunc(b.fake.Applications(cand.ID), func(a smartrecruiters.Application) bool { return a.Job.ID == j.ID })
	})
	require.GreaterOrEqual(t, other, 0)
	res = b.call(t, http.MethodGet, "/candidates/"+cand.ID+"/jobs/"+b.fake.Jobs()[other].ID, nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "APPLICATION_NOT_FOUND", res.errorCode(t))
}
