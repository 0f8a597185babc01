package lever_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

func TestCreateNoteAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 3})
	opp := b.fake.Opportunities()[0]
	seeded := len(b.fake.Notes(opp.ID))
	b.clock.Advance(time.Hour)
	now := b.clock.Now().UnixMilli()
	text := "Acme Result: https://vendor.example/r/1\nScore: 100%\nTime: 2:30h\n[rl:abc123]"

	res := b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/notes?perform_as="+lever.RecruiterUserID,
		map[string]any{"value": text, "secret": false, "score": nil, "notifyFollowers": true})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var raw map[string]map[string]any
	res.decode(t, &raw)
	require.Equal(t, raw["data"]["id"], raw["data"]["noteId"], "the create response repeats the id as noteId")
	require.Contains(t, raw["data"], "deletedAt")

	var created lever.Item[lever.Note]
	res.decode(t, &created)
	n := created.Data
	require.Equal(t, "Note", n.Text)
	require.Equal(t, lever.RecruiterUserID, n.User)
	require.Equal(t, now, n.CreatedAt)
	require.Equal(t, now, n.CompletedAt)
	require.Nil(t, n.DeletedAt)
	require.Len(t, n.Fields, 1)
	require.Equal(t, lever.NoteField{Type: "note", Text: "Comment", Value: text, User: lever.RecruiterUserID,
		CreatedAt: now, Stage: opp.Stage}, n.Fields[0])

	// Through the read endpoints.
	var one lever.Item[lever.Note]
	b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID+"/notes/"+n.ID, nil).decode(t, &one)
	require.Equal(t, n, one.Data)
	var list lever.Page[lever.Note]
	b.call(t, http.MethodGet, "/v1/opportunities/"+opp.ID+"/notes", nil).decode(t, &list)
	require.Len(t, list.Data, seeded+1)
	require.Equal(t, n, list.Data[len(list.Data)-1], "notes list oldest first")
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/v1/opportunities/"+b.fake.Opportunities()[1].ID+"/notes/"+n.ID, nil).status,
		"a note is only found under its own opportunity")

	// Through the state accessors.
	notes := b.fake.Notes(opp.ID)
	require.Equal(t, n, notes[len(notes)-1])
	require.Equal(t, text, notes[len(notes)-1].Value())
	require.True(t, b.fake.NotifiedFollowers(n.ID))

	// The opportunity moved, so a delta sync sees it.
	got, _ := b.fake.Opportunity(opp.ID)
	require.Equal(t, now, got.UpdatedAt)
	require.Equal(t, []string{opp.ID}, flatten(b.listAll(t, "/v1/opportunities?updated_at_start="+ms(b.clock.Now()))))
}

func TestNoteOptionsAndUpdate(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	path := "/v1/opportunities/" + opp.ID + "/notes"
	seeded := len(b.fake.Notes(opp.ID))
	past := b.clock.Now().Add(-48 * time.Hour).UnixMilli()

	res := b.call(t, http.MethodPost, path, map[string]any{"value": "v1", "secret": true, "score": 3, "createdAt": past})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var created lever.Item[lever.Note]
	res.decode(t, &created)
	require.True(t, created.Data.Secret)
	require.Equal(t, past, created.Data.CreatedAt, "createdAt backdates the note")
	require.NotNil(t, created.Data.Fields[0].Score)
	require.InDelta(t, 3.0, *created.Data.Fields[0].Score, 0)
	require.Equal(t, lever.AdminUserID, created.Data.User)

	res = b.call(t, http.MethodPost, path+"?note_id="+created.Data.ID, map[string]any{"value": "v2"})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	notes := b.fake.Notes(opp.ID)
	require.Equal(t, "v2", notes[len(notes)-1].Value())
	require.Equal(t, created.Data.ID, notes[len(notes)-1].ID)
	require.Len(t, notes, seeded+1, "rewriting does not add a note")

	res = b.call(t, http.MethodPost, path+"?note_id=no-such-note", map[string]any{"value": "v3"})
	require.Equal(t, http.StatusNotFound, res.status)
}

func TestNoteValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	path := "/v1/opportunities/" + opp.ID + "/notes"
	future := b.clock.Now().Add(time.Hour).UnixMilli()
	tests := []struct {
		name    string
		body    any
		wantMsg string
	}{
		{"no body", nil, "value is required and must be a non-empty string"},
		{"empty value", map[string]any{"value": "  "}, "value is required and must be a non-empty string"},
		{"value not text", map[string]any{"value": 5}, "value is required and must be a non-empty string"},
		{"secret not bool", map[string]any{"value": "x", "secret": "yes"}, "secret must be a boolean"},
		{"score not number", map[string]any{"value": "x", "score": "high"}, "score must be a number or null"},
		{"createdAt in the future", map[string]any{"value": "x", "createdAt": future}, "createdAt cannot be in the future"},
		{"createdAt not ms", map[string]any{"value": "x", "createdAt": "yesterday"}, "createdAt must be a timestamp in milliseconds since the epoch"},
		{"not json", "value=x", "the request body must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPost, path, tt.body)
			require.Equal(t, http.StatusBadRequest, res.status, "%s", res.body)
			require.Equal(t, lever.ErrorBody{Code: "BadRequestError", Message: tt.wantMsg}, res.errorBody(t))
		})
	}
	res := b.call(t, http.MethodPost, "/v1/opportunities/no-such-opp/notes", map[string]any{"value": "x"})
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "ResourceNotFound", res.errorBody(t).Code)
}

func TestAddLinks(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Seed: 2, Candidates: 12})
	// Pick a contact with two opportunities: links are contact-level.
	byContact := map[string][]lever.Opportunity{}
	for _, o := range b.fake.Opportunities() {
		byContact[o.Contact] = append(byContact[o.Contact], o)
	}
	var pair []lever.Opportunity
	for _, os := range byContact {
		if len(os) >= 2 {
			pair = os
			break
		}
	}
	require.NotNil(t, pair, "seed 2 has a contact with two opportunities")
	before := len(pair[0].Links)
	b.clock.Advance(time.Minute)
	link := "https://vendor.example/r/42"

	path := "/v1/opportunities/" + pair[0].ID + "/addLinks?perform_as=" + lever.RecruiterUserID
	for range 2 {
		res := b.call(t, http.MethodPost, path, map[string]any{"links": []string{link}})
		require.Equal(t, http.StatusOK, res.status, "%s", res.body)
		var got lever.Item[lever.Opportunity]
		res.decode(t, &got)
		require.Equal(t, pair[0].ID, got.Data.ID)
		require.Contains(t, got.Data.Links, link)
		require.Len(t, got.Data.Links, before+1, "adding the same link twice keeps one")
	}
	var sibling lever.Item[lever.Opportunity]
	b.call(t, http.MethodGet, "/v1/opportunities/"+pair[1].ID, nil).decode(t, &sibling)
	require.Contains(t, sibling.Data.Links, link)
	require.Equal(t, b.clock.Now().UnixMilli(), sibling.Data.UpdatedAt)
	require.Contains(t, b.fake.Links(pair[0].ID), link)
	require.Equal(t, lever.RecruiterUserID, b.fake.Requests()[len(b.fake.Requests())-2].ActingUserID)

	res := b.call(t, http.MethodPost, "/v1/opportunities/"+pair[0].ID+"/removeLinks", map[string]any{"links": []string{link}})
	require.Equal(t, http.StatusOK, res.status)
	require.NotContains(t, b.fake.Links(pair[1].ID), link)

	for _, body := range []any{map[string]any{}, map[string]any{"links": []string{}}, map[string]any{"links": "x"}, map[string]any{"links": []any{1}}} {
		res := b.call(t, http.MethodPost, path, body)
		require.Equal(t, http.StatusBadRequest, res.status, "%v", body)
		require.Equal(t, "BadRequestError", res.errorBody(t).Code)
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	res := b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/addTags", map[string]any{"tags": []string{"Acme: completed"}})
	require.Equal(t, http.StatusOK, res.status)
	got, _ := b.fake.Opportunity(opp.ID)
	require.Contains(t, got.Tags, "Acme: completed")
	require.Len(t, flatten(b.listAll(t, "/v1/opportunities?tag=Acme:%20completed")), 1)
	res = b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/removeTags", map[string]any{"tags": []string{"Acme: completed"}})
	require.Equal(t, http.StatusOK, res.status)
	got, _ = b.fake.Opportunity(opp.ID)
	require.NotContains(t, got.Tags, "Acme: completed")
}

func TestNotesPaging(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 1})
	opp := b.fake.Opportunities()[0]
	for i := range 7 {
		b.clock.Advance(time.Second)
		res := b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/notes", map[string]any{"value": "n" + string(rune('0'+i))})
		require.Equal(t, http.StatusCreated, res.status)
	}
	pages := b.listAll(t, "/v1/opportunities/"+opp.ID+"/notes?limit=3")
	require.GreaterOrEqual(t, len(pages), 3)
	var want []string
	for _, n := range b.fake.Notes(opp.ID) {
		want = append(want, n.ID)
	}
	require.Equal(t, want, flatten(pages))
}
