package recruitee_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

func TestNoteWriteAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Seed: 1, Candidates: 3})
	cand := b.fake.Candidates()[1]
	b.clock.Advance(time.Hour)

	res := b.call(t, http.MethodPost, "/candidates/"+itoa(cand.ID)+"/notes", "", map[string]any{
		"note": map[string]any{"body": "Acme Result: https://vendor.test/r/1\nScore: 100%\n[rl:abc]",
			"visibility": map[string]any{"level": "public"}},
	})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var created struct {
		Note recruitee.Note `json:"note"`
	}
	res.decode(t, &created)
	require.NotZero(t, created.Note.ID)
	require.Equal(t, recruitee.OwnerAdminID, created.Note.AdminID, "author is the token owner")
	require.Equal(t, "public", created.Note.Visibility.Level)
	require.Equal(t, b.clock.Now(), created.Note.CreatedAt.Time)

	// Through HTTP.
	var listed struct {
		Notes []recruitee.Note `json:"notes"`
	}
	b.call(t, http.MethodGet, "/candidates/"+itoa(cand.ID)+"/notes", "", nil).decode(t, &listed)
	require.Len(t, listed.Notes, 1)
	require.Contains(t, listed.Notes[0].Body, "[rl:abc]")
	// Through state.
	notes := b.fake.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Equal(t, created.Note.ID, notes[0].ID)
	// The write moved updated_at.
	got, ok := b.fake.Candidate(cand.ID)
	require.True(t, ok)
	require.Equal(t, b.clock.Now(), got.UpdatedAt.Time)
	require.Equal(t, recruitee.OwnerAdminID, b.fake.Requests()[0].ActingAdminID)
}

func TestNoteAuthorAndPrivacy(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 1})
	cand := b.fake.Candidates()[0]
	rik, ok := b.fake.IssueToken(recruitee.RecruiterAdminID)
	require.True(t, ok)
	_, ok = b.fake.IssueToken(999)
	require.False(t, ok)

	res := b.call(t, http.MethodPost, "/candidates/"+itoa(cand.ID)+"/notes", rik, map[string]any{
		"note": map[string]any{"body": "only for me", "visibility": map[string]any{"level": "private"}},
	})
	require.Equal(t, http.StatusCreated, res.status)
	var n struct {
		Note recruitee.Note `json:"note"`
	}
	res.decode(t, &n)
	require.Equal(t, recruitee.RecruiterAdminID, n.Note.AdminID)

	count := func(token string) int {
		var listed struct {
			Notes []recruitee.Note `json:"notes"`
		}
		b.call(t, http.MethodGet, "/candidates/"+itoa(cand.ID)+"/notes", token, nil).decode(t, &listed)
		return len(listed.Notes)
	}
	require.Equal(t, 1, count(rik))
	require.Equal(t, 0, count(""), "a private note is hidden from other admins")
	logged := b.fake.Requests()
	require.Equal(t, recruitee.RecruiterAdminID, logged[0].ActingAdminID)
}

func TestNoteRichBody(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 1})
	cand := b.fake.Candidates()[0]
	doc := map[string]any{"type": "doc", "content": []any{
		map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": "Acme: "},
			map[string]any{"type": "text", "text": "https://vendor.test/r/2"}}},
		map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": "Score: 90%"}}},
	}}
	res := b.call(t, http.MethodPost, "/candidates/"+itoa(cand.ID)+"/notes", "", map[string]any{
		"note": map[string]any{"body_json": doc},
	})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	n := b.fake.CandidateNotes(cand.ID)[0]
	require.Equal(t, "Acme: https://vendor.test/r/2\nScore: 90%", n.Body)
	require.JSONEq(t, string(mustJSON(t, doc)), string(n.BodyJSON))
	require.Equal(t, "public", n.Visibility.Level, "visibility defaults to public")
}

func TestFieldWriteUpdateDeleteAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Seed: 3, Candidates: 2})
	cand := b.fake.Candidates()[1] // has no seeded field
	path := "/custom_fields/candidates/" + itoa(cand.ID) + "/fields"
	b.clock.Advance(2 * time.Hour)

	res := b.call(t, http.MethodPost, path, "", map[string]any{"field": map[string]any{
		"name": "Acme Result", "kind": "single_line", "values": []any{map[string]any{"text": "https://vendor.test/r/1"}},
	}})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var created struct {
		Field recruitee.Field `json:"field"`
	}
	res.decode(t, &created)
	require.Equal(t, "Acme Result", created.Field.Name)
	require.Equal(t, "https://vendor.test/r/1", created.Field.Values[0].String())

	res = b.call(t, http.MethodPost, path, "", map[string]any{"field": map[string]any{
		"name": "Acme Score", "kind": "number", "values": []any{map[string]any{"number": 87.5}},
	}})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)

	// Read back through the candidate.
	var got struct {
		Candidate recruitee.CandidateDetail `json:"candidate"`
	}
	b.call(t, http.MethodGet, "/candidates/"+itoa(cand.ID), "", nil).decode(t, &got)
	require.Len(t, got.Candidate.Fields, 2)
	require.Equal(t, "87.5", got.Candidate.Fields[1].Values[0].String())
	require.Equal(t, b.clock.Now(), got.Candidate.UpdatedAt.Time)

	// Update in place.
	b.clock.Advance(time.Minute)
	res = b.call(t, http.MethodPatch, path+"/"+itoa(created.Field.ID), "", map[string]any{"field": map[string]any{
		"values": []any{map[string]any{"text": "https://vendor.test/r/1b"}},
	}})
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	fields := b.fake.CandidateFields(cand.ID)
	require.Equal(t, "https://vendor.test/r/1b", fields[0].Values[0].String())
	require.Equal(t, b.clock.Now(), fields[0].UpdatedAt.Time)
	detail, _ := b.fake.Candidate(cand.ID)
	require.Equal(t, b.clock.Now(), detail.UpdatedAt.Time)

	// Kind cannot change; unknown field is 404.
	res = b.call(t, http.MethodPatch, path+"/"+itoa(created.Field.ID), "", map[string]any{"field": map[string]any{"kind": "boolean"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodPatch, path+"/1", "", map[string]any{"field": map[string]any{}}).status)

	// Delete.
	res = b.call(t, http.MethodDelete, path+"/"+itoa(created.Field.ID), "", nil)
	require.Equal(t, http.StatusNoContent, res.status)
	require.Len(t, b.fake.CandidateFields(cand.ID), 1)
}

func TestWriteValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 2})
	cand := b.fake.Candidates()[1] // no seeded field
	notes := "/candidates/" + itoa(cand.ID) + "/notes"
	fields := "/custom_fields/candidates/" + itoa(cand.ID) + "/fields"
	field := func(m map[string]any) map[string]any { return map[string]any{"field": m} }
	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantError  []string
	}{
		{name: "not JSON", path: notes, body: "{", wantStatus: http.StatusBadRequest,
			wantError: []string{"Request body must be a JSON object"}},
		{name: "note missing", path: notes, body: map[string]any{"body": "x"}, wantStatus: http.StatusUnprocessableEntity,
			wantError: []string{"note is missing or not an object"}},
		{name: "blank note", path: notes, body: map[string]any{"note": map[string]any{"body": "  "}},
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"body can't be blank"}},
		{name: "bad visibility", path: notes, body: map[string]any{"note": map[string]any{"body": "x",
			"visibility": map[string]any{"level": "everyone"}}},
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"visibility level must be public or private"}},
		{name: "field without name and kind", path: fields, body: field(map[string]any{}),
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  []string{"name can't be blank", "kind is not one of single_line, multi_line, boolean, number, date, dropdown"}},
		{name: "value member of another kind", path: fields,
			body:       field(map[string]any{"name": "A", "kind": "boolean", "values": []any{map[string]any{"text": "yes"}}}),
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"values[0].flag can't be blank"}},
		{name: "number not numeric", path: fields,
			body:       field(map[string]any{"name": "A", "kind": "number", "values": []any{map[string]any{"number": "100%"}}}),
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"values[0].number must be a number"}},
		{name: "single line with a newline", path: fields,
			body:       field(map[string]any{"name": "A", "kind": "single_line", "values": []any{map[string]any{"text": "a\nb"}}}),
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"values[0].text must be a single line"}},
		{name: "bad date", path: fields,
			body:       field(map[string]any{"name": "A", "kind": "date", "values": []any{map[string]any{"date": "01/02/2026"}}}),
			wantStatus: http.StatusUnprocessableEntity, wantError: []string{"values[0].date must be a date (YYYY-MM-DD)"}},
		{name: "unknown candidate", path: "/candidates/5/notes", body: map[string]any{"note": map[string]any{"body": "x"}},
			wantStatus: http.StatusNotFound, wantError: []string{"Not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPost, tt.path, "", tt.body)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			require.Equal(t, tt.wantError, errorBody(t, res))
		})
	}
	t.Cleanup(func() {
		require.Empty(t, b.fake.CandidateNotes(cand.ID), "failed writes store nothing")
		require.Empty(t, b.fake.CandidateFields(cand.ID))
	})
}

func TestTouchAndDelete(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 3})
	cand := b.fake.Candidates()[0]
	b.clock.Advance(24 * time.Hour)
	require.True(t, b.fake.TouchCandidate(cand.ID))
	got, _ := b.fake.Candidate(cand.ID)
	require.Equal(t, b.clock.Now(), got.UpdatedAt.Time)

	require.True(t, b.fake.DeleteCandidate(cand.ID))
	require.False(t, b.fake.DeleteCandidate(cand.ID))
	require.False(t, b.fake.TouchCandidate(cand.ID))
	require.Len(t, b.fake.Candidates(), 2)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/candidates/"+itoa(cand.ID), "", nil).status)
	var page struct {
		Candidates []recruitee.Candidate `json:"candidates"`
	}
	b.call(t, http.MethodGet, "/candidates", "", nil).decode(t, &page)
	require.Len(t, page.Candidates, 2)
}

func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	b := setup(t, recruitee.Options{Candidates: 2, RateLimit: recruitee.RateLimit{Limit: -1}})
	cand := b.fake.Candidates()[0]
	var wg sync.WaitGroup
	statuses := make(chan int, 60)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				statuses <- b.call(t, http.MethodPost, "/candidates/"+itoa(cand.ID)+"/notes", "",
					map[string]any{"note": map[string]any{"body": "x"}}).status
				statuses <- b.call(t, http.MethodGet, "/candidates?limit=1", "", nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, s)
	}
	require.Len(t, b.fake.CandidateNotes(cand.ID), 30)
}
