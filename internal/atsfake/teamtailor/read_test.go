package teamtailor_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
)

func TestAuthAndHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Candidates: 3})
	b.fake.AddAPIKey("public-key", teamtailor.ScopePublic, false)
	b.fake.AddAPIKey("admin-read", teamtailor.ScopeAdmin, false)
	cand := b.fake.Candidates()[0]
	note := map[string]any{"data": map[string]any{"type": "notes", "attributes": map[string]any{"note": "x"},
		"relationships": map[string]any{"candidate": rel("candidates", cand.ID), "user": rel("users", teamtailor.AdminUserID)}}}
	key := func(k string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Token token="+k) }
	}
	tests := []struct {
		name       string
		method     string
		path       string
		body       any
		edit       func(*http.Request)
		wantStatus int
		wantTitle  string
	}{
		{name: "good key", method: http.MethodGet, path: "/v1/candidates", wantStatus: http.StatusOK},
		{name: "quoted key", method: http.MethodGet, path: "/v1/candidates",
			edit: key(`"` + teamtailor.DefaultAPIKey + `"`), wantStatus: http.StatusOK},
		{name: "no key", method: http.MethodGet, path: "/v1/candidates",
			edit: func(r *http.Request) { r.Header.Del("Authorization") }, wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "wrong key", method: http.MethodGet, path: "/v1/candidates", edit: key("nope"),
			wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "bearer scheme", method: http.MethodGet, path: "/v1/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+teamtailor.DefaultAPIKey) },
			wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "no API version", method: http.MethodGet, path: "/v1/candidates",
			edit:       func(r *http.Request) { r.Header.Del("X-Api-Version") },
			wantStatus: http.StatusNotAcceptable, wantTitle: "Missing API version"},
		{name: "malformed API version", method: http.MethodGet, path: "/v1/candidates",
			edit:       func(r *http.Request) { r.Header.Set("X-Api-Version", "v1") },
			wantStatus: http.StatusNotAcceptable, wantTitle: "Unsupported API version"},
		{name: "public key cannot read candidates", method: http.MethodGet, path: "/v1/candidates", edit: key("public-key"),
			wantStatus: http.StatusForbidden, wantTitle: "Forbidden"},
		{name: "public key reads jobs", method: http.MethodGet, path: "/v1/jobs", edit: key("public-key"),
			wantStatus: http.StatusOK},
		{name: "read-only key cannot write", method: http.MethodPost, path: "/v1/notes", body: note, edit: key("admin-read"),
			wantStatus: http.StatusForbidden, wantTitle: "Forbidden"},
		{name: "unknown route", method: http.MethodGet, path: "/v1/bogus", wantStatus: http.StatusNotFound, wantTitle: "Not Found"},
		{name: "unsupported method", method: http.MethodDelete, path: "/v1/candidates/" + itoa(cand.ID),
			wantStatus: http.StatusNotFound, wantTitle: "Not Found"},
		{name: "unknown record", method: http.MethodGet, path: "/v1/candidates/1",
			wantStatus: http.StatusNotFound, wantTitle: "Record not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, http.DefaultClient, b.request(t, tt.method, tt.path, tt.body, tt.edit))
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			require.Equal(t, teamtailor.MediaType, res.header.Get("Content-Type"))
			if tt.wantTitle != "" {
				errs := errorsOf(t, res)
				require.Equal(t, tt.wantTitle, errs[0].Title)
				require.Equal(t, itoa(int64(tt.wantStatus)), errs[0].Status)
				require.NotEmpty(t, errs[0].Detail)
			}
			if tt.wantStatus == http.StatusOK {
				require.Equal(t, "50", res.header.Get("X-Rate-Limit-Limit"))
				require.NotEmpty(t, res.header.Get("X-Rate-Limit-Remaining"))
				require.NotEmpty(t, res.header.Get("X-Rate-Limit-Reset"))
			}
		})
	}
}

func TestPinnedAPIVersion(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{APIVersion: "20210218"})
	require.Equal(t, http.StatusNotAcceptable, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
	res := send(t, http.DefaultClient, b.request(t, http.MethodGet, "/v1/jobs", nil, func(r *http.Request) {
		r.Header.Set("X-Api-Version", "20210218")
	}))
	require.Equal(t, http.StatusOK, res.status)
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{})
	b.fake.RevokeCredentials()
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/jobs", nil).status)
}

func TestPagingFollowsLinksNext(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 5, Candidates: 25})
	pages := b.walk(t, "/v1/candidates?page[size]=10")
	require.Equal(t, []int{10, 10, 5}, []int{len(pages[0]), len(pages[1]), len(pages[2])})
	var want []string
	for _, c := range b.fake.Candidates() {
		want = append(want, itoa(c.ID))
	}
	require.Equal(t, want, slices.Concat(pages...), "ascending ids, nothing lost or repeated")

	res := b.call(t, http.MethodGet, "/v1/candidates?page[size]=10&page[number]=2", nil)
	var doc listDoc
	res.decode(t, &doc)
	require.Equal(t, float64(25), doc.Meta["record-count"])
	require.Equal(t, float64(3), doc.Meta["page-count"])
	next, err := url.Parse(doc.Links["next"])
	require.NoError(t, err)
	require.Equal(t, b.srv.URL, next.Scheme+"://"+next.Host, "links are absolute")
	require.Equal(t, "3", next.Query().Get("page[number]"))
	require.Contains(t, doc.Links, "prev")
	require.Contains(t, doc.Links, "first")
	require.Contains(t, doc.Links, "last")
	require.Equal(t, "/v1/candidates/"+doc.Data[0].ID, strings.TrimPrefix(doc.Data[0].Links["self"], b.srv.URL))

	// The default page size is 10; the maximum is 30.
	doc = b.list(t, "/v1/candidates")
	require.Len(t, doc.Data, 10)
	doc = b.list(t, "/v1/candidates?page[size]=30")
	require.Len(t, doc.Data, 25)
	require.NotContains(t, doc.Links, "next")
	for _, q := range []string{"page[size]=31", "page[size]=0", "page[number]=x", "sort=name"} {
		res := b.call(t, http.MethodGet, "/v1/candidates?"+q, nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		errs := errorsOf(t, res)
		require.Equal(t, "400", errs[0].Status)
		require.NotNil(t, errs[0].Source)
	}

	// Applications page the same way.
	apps := slices.Concat(b.walk(t, "/v1/job-applications?page[size]=30")...)
	require.Len(t, apps, len(b.fake.JobApplications(0)))
	require.Greater(t, len(apps), 30)
}

func TestUpdatedAtFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 2, Candidates: 40})
	cands := b.fake.Candidates()
	b.clock.Advance(400 * 24 * time.Hour)
	since := b.clock.Now()
	touched := []int64{cands[3].ID, cands[17].ID, cands[38].ID}
	for _, id := range touched {
		require.True(t, b.fake.TouchCandidate(id))
	}
	q := url.Values{"filter[updated-at][from]": {since.Format(time.RFC3339)}, "page[size]": {"2"}}
	pages := b.walk(t, "/v1/candidates?"+q.Encode())
	require.Len(t, pages, 2, "the filter is kept in links.next")
	require.Equal(t, []string{itoa(touched[0]), itoa(touched[1]), itoa(touched[2])}, slices.Concat(pages...))

	var doc listDoc
	q = url.Values{"filter[updated-at][to]": {since.Add(-time.Second).Format(time.RFC3339)}, "page[size]": {"30"}}
	doc = b.list(t, "/v1/candidates?"+q.Encode())
	require.Equal(t, float64(37), doc.Meta["record-count"])

	// Applications by candidate, and a filter the collection does not have.
	doc = b.list(t, "/v1/job-applications?filter[candidate]="+itoa(cands[0].ID))
	require.Len(t, doc.Data, len(b.fake.JobApplications(cands[0].ID)))
	for _, bad := range []string{"filter[name]=x", "filter[updated-at][since]=2026-01-01", "filter[updated-at][from]=soon"} {
		res := b.call(t, http.MethodGet, "/v1/candidates?"+bad, nil)
		require.Equal(t, http.StatusBadRequest, res.status, bad)
		errorsOf(t, res)
	}
}

func TestIncludeAndRelated(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 8, Candidates: 4})
	app := b.fake.JobApplications(0)[0]

	var doc listDoc
	res := b.call(t, http.MethodGet, "/v1/job-applications?include=candidate,job,stage&page[size]=1", nil)
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	res.decode(t, &doc)
	require.Equal(t, itoa(app.ID), doc.Data[0].ID)
	require.JSONEq(t, `{"type":"candidates","id":"`+itoa(app.CandidateID)+`"}`, string(doc.Data[0].Relationships["candidate"].Data))
	require.JSONEq(t, `{"type":"stages","id":"`+itoa(app.StageID)+`"}`, string(doc.Data[0].Relationships["stage"].Data))
	var types []string
	for _, r := range doc.Included {
		types = append(types, r.Type)
	}
	require.ElementsMatch(t, []string{"candidates", "jobs", "stages"}, types)

	// Without include, relationships carry links but no linkage.
	doc = b.list(t, "/v1/job-applications?page[size]=1")
	require.Empty(t, doc.Data[0].Relationships["candidate"].Data)
	require.NotEmpty(t, doc.Data[0].Relationships["candidate"].Links["related"])
	require.Empty(t, doc.Included)

	// Related endpoints.
	doc = b.list(t, "/v1/candidates/"+itoa(app.CandidateID)+"/job-applications")
	require.Len(t, doc.Data, len(b.fake.JobApplications(app.CandidateID)))
	var one struct {
		Data teamtailor.Resource `json:"data"`
	}
	b.call(t, http.MethodGet, "/v1/job-applications/"+itoa(app.ID)+"/job", nil).decode(t, &one)
	require.Equal(t, itoa(app.JobID), one.Data.ID)
	doc = b.list(t, "/v1/jobs/"+itoa(app.JobID)+"/stages")
	require.Len(t, doc.Data, 6)
	require.Equal(t, "inbox", doc.Data[0].Attributes["stage-type"])

	res = b.call(t, http.MethodGet, "/v1/candidates?include=bogus", nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "include", errorsOf(t, res)[0].Source.Parameter)
}

func TestReadShapes(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 1, Candidates: 1})
	cand := b.fake.Candidates()[0]
	var one oneDoc
	b.call(t, http.MethodGet, "/v1/candidates/"+itoa(cand.ID), nil).decode(t, &one)
	require.Equal(t, "candidates", one.Data.Type)
	require.Equal(t, cand.Email, one.Data.Attributes["email"])
	require.Equal(t, cand.FirstName, one.Data.Attributes["first-name"])
	updated, err := time.Parse(time.RFC3339, one.Data.Attributes["updated-at"].(string))
	require.NoError(t, err)
	require.True(t, updated.Equal(cand.UpdatedAt))
	require.Contains(t, one.Data.Relationships, "custom-field-values")

	var doc listDoc
	doc = b.list(t, "/v1/users")
	require.Len(t, doc.Data, 3)
	require.Equal(t, "admin", doc.Data[0].Attributes["role"])
	doc = b.list(t, "/v1/custom-fields")
	require.Len(t, doc.Data, 4)
	require.Equal(t, "salary-expectation", doc.Data[0].Attributes["api-name"])

	a := teamtailor.New(teamtailor.Options{Seed: 3, Candidates: 10})
	c := teamtailor.New(teamtailor.Options{Seed: 3, Candidates: 10})
	require.Equal(t, a.Candidates(), c.Candidates())
	require.Equal(t, a.JobApplications(0), c.JobApplications(0))
}
