package lever_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a := lever.New(lever.Options{Seed: 7, Candidates: 10})
	b := lever.New(lever.Options{Seed: 7, Candidates: 10})
	c := lever.New(lever.Options{Seed: 8, Candidates: 10})
	require.Equal(t, a.Opportunities(), b.Opportunities())
	require.NotEqual(t, a.Opportunities()[0].ID, c.Opportunities()[0].ID)
	require.Len(t, a.Contacts(), 10)

	perContact := map[string]int{}
	for _, o := range a.Opportunities() {
		perContact[o.Contact]++
		app, ok := a.Application(o.ID)
		require.True(t, ok)
		require.Equal(t, []string{app.ID}, o.Applications)
		require.NotEmpty(t, app.Posting)
		require.NotEmpty(t, o.Emails)
		require.NotEmpty(t, o.Stage)
		require.GreaterOrEqual(t, o.UpdatedAt, o.CreatedAt)
	}
	for _, n := range perContact {
		require.True(t, n >= 1 && n <= 3, "each contact has 1-3 opportunities, got %d", n)
	}
}

func TestPagingFollowsNextToTheEnd(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Seed: 3, Candidates: 12})
	want := b.fake.Opportunities()
	require.Greater(t, len(want), 14)

	pages := b.listAll(t, "/v1/opportunities?limit=5")
	require.GreaterOrEqual(t, len(pages), 3)
	for _, p := range pages[:len(pages)-1] {
		require.Len(t, p, 5)
	}
	got := flatten(pages)
	require.Len(t, got, len(want), "no record repeats or goes missing")
	var wantIDs []string
	for _, o := range want {
		wantIDs = append(wantIDs, o.ID)
	}
	require.ElementsMatch(t, wantIDs, got)

	// Newest first.
	created := map[string]int64{}
	for _, o := range want {
		created[o.ID] = o.CreatedAt
	}
	require.True(t, slices.IsSortedFunc(got, func(a, b string) int {
		switch {
		case created[a] > created[b]:
			return -1
		case created[a] < created[b]:
			return 1
		}
		return 0
	}))
}

func TestPagingIsStableUnderDeletes(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 10})
	full := flatten(b.listAll(t, "/v1/opportunities"))
	var first struct {
		Data    []lever.Opportunity `json:"data"`
		HasNext bool                `json:"hasNext"`
		Next    string              `json:"next"`
	}
	b.call(t, http.MethodGet, "/v1/opportunities?limit=3", nil).decode(t, &first)
	require.True(t, first.HasNext)
	require.True(t, b.fake.DeleteOpportunity(first.Data[0].ID))
	var second lever.Page[lever.Opportunity]
	b.call(t, http.MethodGet, "/v1/opportunities?limit=3&offset="+first.Next, nil).decode(t, &second)
	var ids []string
	for _, o := range second.Data {
		ids = append(ids, o.ID)
	}
	require.Equal(t, full[3:6], ids, "the page after the cursor is unaffected by the delete")
}

func TestListValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 2})
	tests := []struct {
		query, wantMsg string
	}{
		{"limit=0", "limit must be an integer between 1 and 100"},
		{"limit=101", "limit must be an integer between 1 and 100"},
		{"limit=ten", "limit must be an integer between 1 and 100"},
		{"offset=not-a-token", "offset is not a valid pagination token"},
		{"updated_at_start=2026-01-01", "updated_at_start must be a timestamp in milliseconds since the epoch"},
		{"archived=maybe", "archived must be true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodGet, "/v1/opportunities?"+tt.query, nil)
			require.Equal(t, http.StatusBadRequest, res.status)
			require.Equal(t, lever.ErrorBody{Code: "BadRequestError", Message: tt.wantMsg}, res.errorBody(t))
		})
	}
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities?limit=100", nil).status)
	require.Equal(t, http.StatusOK, b.call(t, http.MethodGet, "/v1/opportunities?limit=1", nil).status)
}

func TestUpdatedSinceFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 8})
	since := b.clock.Now().Add(time.Minute)
	path := "/v1/opportunities?updated_at_start=" + ms(since)
	require.Empty(t, flatten(b.listAll(t, path)), "seeded history is older than now")

	opps := b.fake.Opportunities()
	b.clock.Advance(time.Minute)
	require.True(t, b.fake.TouchOpportunity(opps[2].ID))
	require.Equal(t, []string{opps[2].ID}, flatten(b.listAll(t, path)))

	// The end bound is exclusive.
	require.Empty(t, flatten(b.listAll(t, path+"&updated_at_end="+ms(since))))
	require.Len(t, flatten(b.listAll(t, path+"&updated_at_end="+ms(since.Add(time.Millisecond)))), 1)

	got, ok := b.fake.Opportunity(opps[2].ID)
	require.True(t, ok)
	require.Equal(t, since.UnixMilli(), got.UpdatedAt)
	require.Equal(t, since.UnixMilli(), got.LastInteractionAt)
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Seed: 5, Candidates: 10})
	opps := b.fake.Opportunities()
	target := opps[4]
	app, _ := b.fake.Application(target.ID)

	count := func(pred func(lever.Opportunity) bool) int {
		n := 0
		for _, o := range opps {
			if pred(o) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name  string
		query string
		want  int
	}{
		{"contact", "contact_id=" + target.Contact, count(func(o lever.Opportunity) bool { return o.Contact == target.Contact })},
		{"email is case-insensitive", "email=" + target.Emails[0], count(func(o lever.Opportunity) bool { return o.Contact == target.Contact })},
		{"stage", "stage_id=" + target.Stage, count(func(o lever.Opportunity) bool { return o.Stage == target.Stage })},
		{"two stages", "stage_id=" + target.Stage + "&stage_id=offer",
			count(func(o lever.Opportunity) bool { return o.Stage == target.Stage || o.Stage == "offer" })},
		{"archived", "archived=true", count(func(o lever.Opportunity) bool { return o.Archived != nil })},
		{"active", "archived=false", count(func(o lever.Opportunity) bool { return o.Archived == nil })},
		{"created since", "created_at_start=" + itoa64(target.CreatedAt),
			count(func(o lever.Opportunity) bool { return o.CreatedAt >= target.CreatedAt })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Len(t, flatten(b.listAll(t, "/v1/opportunities?"+tt.query)), tt.want)
		})
	}
	got := flatten(b.listAll(t, "/v1/opportunities?posting_id="+app.Posting))
	require.Contains(t, got, target.ID)
	for _, id := range got {
		a, _ := b.fake.Application(id)
		require.Equal(t, app.Posting, a.Posting)
	}
}

func itoa64(n int64) string { return ms(time.UnixMilli(n)) }

func TestExpandApplications(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 2})
	opp := b.fake.Opportunities()[0]
	var got lever.Item[struct {
		ID           string              `json:"id"`
		Applications []lever.Application `json:"applications"`
		Stage        lever.Stage         `json:"stage"`
	}]
	b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID+"?expand=applications&expand=stage", nil).decode(t, &got)
	require.Len(t, got.Data.Applications, 1)
	require.Equal(t, opp.ID, got.Data.Applications[0].OpportunityID)
	require.Equal(t, opp.Stage, got.Data.Stage.ID)
	require.NotEmpty(t, got.Data.Stage.Text)
}

func TestDeletedOpportunities(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 4})
	opp := b.fake.Opportunities()[1]
	before := b.clock.Now()
	b.clock.Advance(time.Second)
	require.True(t, b.fake.DeleteOpportunity(opp.ID))
	require.False(t, b.fake.DeleteOpportunity(opp.ID))

	require.NotContains(t, flatten(b.listAll(t, "/v1/opportunities")), opp.ID)
	res := b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID, nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "ResourceNotFound", res.errorBody(t).Code)

	var page lever.Page[lever.Opportunity]
	b.call(t, http.MethodGet, "/v1/opportunities/deleted?deleted_at_start="+ms(before), nil).decode(t, &page)
	require.Len(t, page.Data, 1)
	require.Equal(t, opp.ID, page.Data[0].ID)
	require.Equal(t, b.clock.Now().UnixMilli(), page.Data[0].DeletedAt)
	require.Equal(t, lever.AdminUserID, page.Data[0].DeletedBy)
	b.call(t, http.MethodGet, "/v1/opportunities/deleted?deleted_at_start="+ms(b.clock.Now().Add(time.Second)), nil).decode(t, &page)
	require.Empty(t, page.Data)
}

func TestReferenceLists(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 3})

	var stages lever.Page[lever.Stage]
	b.call(t, http.MethodGet, "/v1/stages", nil).decode(t, &stages)
	require.Equal(t, b.fake.Stages(), stages.Data)
	require.False(t, stages.HasNext)

	require.Len(t, flatten(b.listAll(t, "/v1/postings?limit=2")), len(b.fake.Postings()))
	require.Len(t, flatten(b.listAll(t, "/v1/postings?state=closed")), 1)

	users := flatten(b.listAll(t, "/v1/users?limit=1"))
	require.NotContains(t, users, lever.DeactivatedUserID)
	require.Contains(t, users, lever.AdminUserID)
	require.Contains(t, flatten(b.listAll(t, "/v1/users?includeDeactivated=true")), lever.DeactivatedUserID)

	opp := b.fake.Opportunities()[0]
	var contact lever.Item[lever.Contact]
	b.call(t, http.MethodGet, "/v1/contacts/"+opp.Contact, nil).decode(t, &contact)
	require.Equal(t, opp.Name, contact.Data.Name)
	require.Equal(t, opp.Emails, contact.Data.Emails)

	var apps lever.Page[lever.Application]
	b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID+"/applications", nil).decode(t, &apps)
	require.Len(t, apps.Data, 1)
	var posting lever.Item[lever.Posting]
	b.call(t, http.MethodGet, "/v1/postings/"+apps.Data[0].Posting, nil).decode(t, &posting)
	require.NotEmpty(t, posting.Data.Text)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/v1/postings/nope", nil).status)
}
