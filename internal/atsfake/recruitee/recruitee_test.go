package recruitee_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 3})
	tests := []struct {
		name       string
		path       string
		edit       func(*http.Request)
		wantStatus int
		wantError  string
	}{
		{name: "good token", path: b.base + "/candidates", wantStatus: http.StatusOK},
		{name: "subdomain in place of the id", path: b.srv.URL + "/c/" + recruitee.DefaultSubdomain + "/candidates",
			wantStatus: http.StatusOK},
		{name: "no token", path: b.base + "/candidates",
			edit: func(r *http.Request) { r.Header.Del("Authorization") }, wantStatus: http.StatusUnauthorized, wantError: "Unauthorized"},
		{name: "wrong token", path: b.base + "/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") },
			wantStatus: http.StatusUnauthorized, wantError: "Unauthorized"},
		{name: "token without Bearer", path: b.base + "/candidates",
			edit:       func(r *http.Request) { r.Header.Set("Authorization", recruitee.DefaultAPIToken) },
			wantStatus: http.StatusUnauthorized, wantError: "Unauthorized"},
		{name: "another company", path: b.srv.URL + "/c/42/candidates", wantStatus: http.StatusForbidden, wantError: "Forbidden"},
		{name: "unknown path", path: b.base + "/bogus", wantStatus: http.StatusNotFound, wantError: "Not found"},
		{name: "unknown candidate", path: b.base + "/candidates/1", wantStatus: http.StatusNotFound, wantError: "Not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodGet, tt.path, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+recruitee.DefaultAPIToken)
			if tt.edit != nil {
				tt.edit(req)
			}
			res := do(t, http.DefaultClient, req)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			require.Equal(t, "application/json; charset=utf-8", res.header.Get("Content-Type"))
			if tt.wantError != "" {
				require.Equal(t, []string{tt.wantError}, errorBody(t, res))
			}
		})
	}
}

func TestRevokeCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 1})
	b.fake.RevokeCredentials()
	require.Equal(t, http.StatusUnauthorized, b.call(t, http.MethodGet, "/candidates", "", nil).status)
	b.fake.RestoreCredentials()
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/candidates", "", nil).status)
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	f := recruitee.New(recruitee.Options{CompanyID: 777, APIToken: "tok"})
	require.Equal(t, recruitee.Credentials{CompanyID: "777", APIToken: "tok", BaseURL: "http://h:1"},
		f.Credentials("http://h:1/"))
}

func TestDeterministicSeed(t *testing.T) {
	t.Parallel()
	a := recruitee.New(recruitee.Options{Seed: 9, Candidates: 20})
	b := recruitee.New(recruitee.Options{Seed: 9, Candidates: 20})
	c := recruitee.New(recruitee.Options{Seed: 10, Candidates: 20})
	require.Equal(t, a.Candidates(), b.Candidates())
	require.NotEqual(t, a.Candidates(), c.Candidates())
	for _, cand := range a.Candidates() {
		require.NotEmpty(t, cand.Name)
		require.NotEmpty(t, cand.Emails)
		require.NotEmpty(t, cand.Placements)
		require.LessOrEqual(t, len(cand.Placements), 3)
		require.False(t, cand.UpdatedAt.Before(cand.CreatedAt.Time))
	}
}

func TestOffsetPaging(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Seed: 4, Candidates: 23})
	var got []int64
	var sizes []int
	for offset := 0; ; offset += 10 {
		res := b.call(t, http.MethodGet, "/candidates?limit=10&offset="+itoa(int64(offset)), "", nil)
		require.Equal(t, http.StatusOK, res.status)
		var page struct {
			Candidates []recruitee.Candidate `json:"candidates"`
		}
		res.decode(t, &page)
		sizes = append(sizes, len(page.Candidates))
		for _, c := range page.Candidates {
			got = append(got, c.ID)
		}
		if len(page.Candidates) < 10 {
			break
		}
	}
	require.Equal(t, []int{10, 10, 3}, sizes)
	want := make([]int64, 0, 23)
	for _, c := range b.fake.Candidates() {
		want = append(want, c.ID)
	}
	slices.Reverse(want) // newest first; seeded creation order follows the ids
	require.Equal(t, want, got)

	// No limit returns everything.
	var all struct {
		Candidates []recruitee.Candidate `json:"candidates"`
	}
	b.call(t, http.MethodGet, "/candidates", "", nil).decode(t, &all)
	require.Len(t, all.Candidates, 23)

	for _, q := range []string{"limit=0", "limit=x", "offset=-1", "created_after=yesterday"} {
		res := b.call(t, http.MethodGet, "/candidates?"+q, "", nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		errorBody(t, res)
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Seed: 2, Candidates: 12})
	cands := b.fake.Candidates()
	list := func(q string) []int64 {
		t.Helper()
		var page struct {
			Candidates []recruitee.Candidate `json:"candidates"`
		}
		res := b.call(t, http.MethodGet, "/candidates?"+q, "", nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", q, res.body)
		res.decode(t, &page)
		var ids []int64
		for _, c := range page.Candidates {
			ids = append(ids, c.ID)
		}
		return ids
	}

	cut := cands[7].CreatedAt.Time
	var want []int64
	for _, c := range cands {
		if c.CreatedAt.After(cut) {
			want = append(want, c.ID)
		}
	}
	slices.Reverse(want)
	require.Equal(t, want, list("created_after="+cut.Format(time.RFC3339Nano)))
	require.Len(t, want, 4)

	require.Equal(t, []int64{cands[3].ID, cands[1].ID}, list("ids="+itoa(cands[1].ID)+","+itoa(cands[3].ID)))

	offer := cands[0].Placements[0].OfferID
	for _, id := range list("offer_id=" + itoa(offer)) {
		c, ok := b.fake.Candidate(id)
		require.True(t, ok)
		require.True(t, slices.ContainsFunc(c.Placements, func(p recruitee.Placement) bool { return p.OfferID == offer }))
	}
	require.Contains(t, list("query="+strings.ToUpper(strings.Split(cands[5].Emails[0], "@")[0])), cands[5].ID)
}

func TestOffersAndStages(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 2})
	var body struct {
		Offers []recruitee.Offer `json:"offers"`
	}
	res := b.call(t, http.MethodGet, "/offers", "", nil)
	require.Equal(t, http.StatusOK, res.status)
	res.decode(t, &body)
	require.Equal(t, b.fake.Offers(), body.Offers)
	require.Len(t, body.Offers, 5)
	stageIDs := map[int64]bool{}
	for _, o := range body.Offers {
		require.NotEmpty(t, o.PipelineTemplate.Stages)
		for _, s := range o.PipelineTemplate.Stages {
			stageIDs[s.ID] = true
		}
	}
	for _, p := range b.fake.Placements(0) {
		require.True(t, stageIDs[*p.StageID], "placement stage %d belongs to an offer", *p.StageID)
	}
	var one struct {
		Offer recruitee.Offer `json:"offer"`
	}
	b.call(t, http.MethodGet, "/offers/"+itoa(body.Offers[2].ID), "", nil).decode(t, &one)
	require.Equal(t, body.Offers[2], one.Offer)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/offers/1", "", nil).status)
}
