package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/stretchr/testify/require"
)

func results(t *testing.T, a answer) []map[string]any {
	t.Helper()
	require.Equal(t, 200, a.status, a.raw)
	data := a.body["data"].(map[string]any)
	require.Contains(t, data, "next")
	var out []map[string]any
	for _, r := range data["results"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	ctx := context.Background()
	h := b.auth(b.sandbox.ID)
	all, err := b.store.ListCandidates(ctx, b.sandbox.ID, resultlinks.CandidateFilter{IncludeDeleted: true})
	require.NoError(t, err)
	require.Len(t, all, sandbox.NumCandidates)
	live := sandbox.NumCandidates - sandbox.DeletedCandidates
	var liveCands []*resultlinks.Candidate
	for _, c := range all {
		if c.RemoteDeletedAt == nil {
			liveCands = append(liveCands, c)
		}
	}
	c0 := liveCands[0]
	email := *c0.EmailAddresses[0].EmailAddress
	job := c0.Applications[0].Job.ID
	var hired, declined, apps, liveApps, jobApps int
	jobCands := map[string]bool{}
	for _, c := range all {
		for _, a := range c.Applications {
			apps++
			if c.RemoteDeletedAt == nil {
				liveApps++
				if *a.Outcome == resultlinks.OutcomeHired {
					hired++
				}
				if *a.Outcome == resultlinks.OutcomeDeclined {
					declined++
				}
				if a.Job.ID == job {
					jobApps++
					jobCands[c.ID] = true
				}
			}
		}
	}
	require.Positive(t, hired)
	require.Positive(t, declined)

	candCases := []struct {
		name  string
		query url.Values
		want  int
	}{
		{"default page", url.Values{}, live},
		{"page size", url.Values{"page_size": {"7"}}, 7},
		{"include deleted", url.Values{"include_deleted": {"true"}, "page_size": {"250"}}, sandbox.NumCandidates},
		{"exclude deleted", url.Values{"include_deleted": {"false"}}, live},
		{"ids comma list", url.Values{"ids": {liveCands[0].ID + "," + liveCands[1].ID}}, 2},
		{"ids repeated", url.Values{"ids": {liveCands[0].ID, liveCands[1].ID}}, 2},
		{"remote ids", url.Values{"remote_ids": {c0.RemoteID + ",nope"}}, 1},
		{"email any case", url.Values{"email": {email}}, 1},
		{"first name", url.Values{"first_name": {*c0.FirstName}}, countFirst(all, *c0.FirstName)},
		{"last name and first name", url.Values{"first_name": {*c0.FirstName}, "last_name": {*c0.LastName}}, 1},
		{"job ids", url.Values{"job_ids": {job}}, len(jobCands)},
		{"updated after the past", url.Values{"updated_after": {"2020-01-01"}}, live},
		{"updated after the future", url.Values{"updated_after": {time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05")}}, 0},
		{"ignore unsupported filters", url.Values{"ignore_unsupported_filters": {"true"}}, live},
	}
	for _, tc := range candCases {
		t.Run("candidates "+tc.name, func(t *testing.T) {
			got := results(t, b.do(t, http.MethodGet, "/v1/ats/candidates?"+tc.query.Encode(), h, ""))
			require.Len(t, got, tc.want)
		})
	}
	appCases := []struct {
		name  string
		query url.Values
		want  int
	}{
		{"all", url.Values{"page_size": {"250"}}, liveApps},
		{"include deleted", url.Values{"page_size": {"250"}, "include_deleted": {"true"}}, apps},
		{"outcomes", url.Values{"page_size": {"250"}, "outcomes": {"HIRED"}}, hired},
		{"outcomes list", url.Values{"page_size": {"250"}, "outcomes": {"HIRED,DECLINED"}}, hired + declined},
		{"deprecated outcome", url.Values{"page_size": {"250"}, "outcome": {"DECLINED"}}, declined},
		{"job ids", url.Values{"page_size": {"250"}, "job_ids": {job}}, jobApps},
		{"ids", url.Values{"ids": {c0.Applications[0].ID}}, 1},
		{"remote ids", url.Values{"remote_ids": {c0.Applications[0].RemoteID}}, 1},
		{"updated after", url.Values{"updated_after": {"2020-01-01T00:00:00.000Z"}, "page_size": {"250"}}, liveApps},
	}
	for _, tc := range appCases {
		t.Run("applications "+tc.name, func(t *testing.T) {
			got := results(t, b.do(t, http.MethodGet, "/v1/ats/applications?"+tc.query.Encode(), h, ""))
			require.Len(t, got, tc.want)
		})
	}

	bad := []struct {
		path, msg string
	}{
		{"/v1/ats/candidates?page_size=0", "page_size"},
		{"/v1/ats/candidates?page_size=251", "page_size"},
		{"/v1/ats/candidates?page_size=ten", "page_size"},
		{"/v1/ats/candidates?cursor=garbage", "cursor"},
		{"/v1/ats/candidates?ids=short", "ids"},
		{"/v1/ats/candidates?job_ids=0OIl0OIl0OIl0OIl0OIl0OIl", "job_ids"},
		{"/v1/ats/candidates?email=not-an-email", "email"},
		{"/v1/ats/candidates?updated_after=yesterday", "updated_after"},
		{"/v1/ats/candidates?include_deleted=yes", "include_deleted"},
		{"/v1/ats/candidates?ignore_unsupported_filters=1", "ignore_unsupported_filters"},
		{"/v1/ats/applications?outcomes=LOST", "outcomes"},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.path, func(t *testing.T) {
			requireError(t, b.do(t, http.MethodGet, tc.path, h, ""), 400, "PLATFORM.INPUT_INVALID", tc.msg)
		})
	}
}

func countFirst(all []*resultlinks.Candidate, first string) int {
	n := 0
	for _, c := range all {
		if *c.FirstName == first && c.RemoteDeletedAt == nil {
			n++
		}
	}
	return n
}

func TestListPaging(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	h := b.auth(b.sandbox.ID)
	for _, p := range []string{"/v1/ats/candidates", "/v1/ats/applications"} {
		seen := map[string]bool{}
		next := ""
		pages := 0
		for {
			q := url.Values{"page_size": {"9"}, "include_deleted": {"true"}}
			if next != "" {
				q.Set("cursor", next)
			}
			a := b.do(t, http.MethodGet, p+"?"+q.Encode(), h, "")
			for _, r := range results(t, a) {
				id := r["id"].(string)
				require.False(t, seen[id], "no record twice")
				seen[id] = true
			}
			pages++
			n, _ := a.body["data"].(map[string]any)["next"].(string)
			if n == "" {
				require.Nil(t, a.body["data"].(map[string]any)["next"], "last page answers next: null")
				break
			}
			next = n
		}
		require.Greater(t, pages, 3, p)
		if p == "/v1/ats/candidates" {
			require.Len(t, seen, sandbox.NumCandidates)
		}
	}
}

func TestListShapes(t *testing.T) {
	t.Parallel()
	b := setup(t, httpapi.DefaultConfig())
	h := b.auth(b.sandbox.ID)
	c := results(t, b.do(t, http.MethodGet, "/v1/ats/candidates?page_size=1", h, ""))[0]
	for _, k := range []string{"id", "remote_id", "first_name", "last_name", "company", "title", "confidential", "source",
		"phone_numbers", "email_addresses", "social_media", "location", "custom_fields", "integration_fields", "remote_url",
		"remote_created_at", "remote_updated_at", "remote_data", "changed_at", "remote_deleted_at", "applications", "tags"} {
		require.Contains(t, c, k, "candidate key %s is present (null rather than missing)", k)
	}
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, c["changed_at"])
	ca := c["applications"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "remote_id", "outcome", "rejection_reason_name", "rejected_at", "remote_url", "changed_at",
		"remote_created_at", "remote_updated_at", "current_stage", "job"} {
		require.Contains(t, ca, k)
	}
	for _, k := range []string{"id", "name", "remote_id", "index"} {
		require.Contains(t, ca["current_stage"].(map[string]any), k)
	}
	a := results(t, b.do(t, http.MethodGet, "/v1/ats/applications?page_size=1", h, ""))[0]
	for _, k := range []string{"id", "remote_id", "outcome", "rejection_reason_name", "rejected_at", "current_stage_id", "job_id",
		"candidate_id", "custom_fields", "integration_fields", "remote_url", "changed_at", "remote_deleted_at", "remote_created_at",
		"remote_updated_at", "remote_data", "candidate", "current_stage", "job", "interviews", "offers"} {
		require.Contains(t, a, k, "application key %s", k)
	}
	st := a["current_stage"].(map[string]any)
	require.Contains(t, st, "status")
	require.Contains(t, st, "custom_fields")
	require.Equal(t, a["current_stage_id"], st["id"])
	require.Equal(t, a["candidate_id"], a["candidate"].(map[string]any)["id"])
	require.Equal(t, a["job_id"], a["job"].(map[string]any)["id"])
	require.Contains(t, []any{"PENDING", "HIRED", "DECLINED"}, a["outcome"])
}
