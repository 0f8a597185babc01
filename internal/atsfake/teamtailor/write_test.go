package teamtailor_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
)

func noteDoc(text string, candID, userID int64) map[string]any {
	return map[string]any{"data": map[string]any{
		"type": "notes", "attributes": map[string]any{"note": text},
		"relationships": map[string]any{"candidate": rel("candidates", candID), "user": rel("users", userID)},
	}}
}

func TestNoteWriteAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 4, Candidates: 5})
	cand := b.fake.Candidates()[2]
	b.clock.Advance(400 * 24 * time.Hour)

	res := b.call(t, http.MethodPost, "/v1/notes", noteDoc("Acme Result: https://vendor.test/r/9\nScore: 100%\n[rl:n9]", cand.ID, teamtailor.RecruiterUserID))
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var created oneDoc
	res.decode(t, &created)
	require.Equal(t, "notes", created.Data.Type)
	require.Contains(t, created.Data.Attributes["note"], "[rl:n9]")
	require.Equal(t, created.Data.Links["self"], res.header.Get("Location"))

	// Through the related endpoint, the notes filter and the state.
	doc := b.list(t, "/v1/candidates/"+itoa(cand.ID)+"/notes")
	require.Len(t, doc.Data, 1)
	require.Equal(t, created.Data.ID, doc.Data[0].ID)
	doc = b.list(t, "/v1/notes?filter[candidate]="+itoa(cand.ID)+"&include=user")
	require.Len(t, doc.Data, 1)
	require.JSONEq(t, `{"type":"users","id":"`+itoa(teamtailor.RecruiterUserID)+`"}`, string(doc.Data[0].Relationships["user"].Data))
	notes := b.fake.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Equal(t, teamtailor.RecruiterUserID, notes[0].UserID)

	// The write is visible to a delta sync and the log names the author.
	got, _ := b.fake.Candidate(cand.ID)
	require.Equal(t, b.clock.Now(), got.UpdatedAt)
	doc = b.list(t, "/v1/candidates?"+url.Values{"filter[updated-at][from]": {b.clock.Now().Format(time.RFC3339)}}.Encode())
	require.Len(t, doc.Data, 1)
	require.Equal(t, itoa(cand.ID), doc.Data[0].ID)
	require.Equal(t, teamtailor.RecruiterUserID, b.fake.Requests()[0].ActingUserID)
}

func TestNoteValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Candidates: 1})
	cand := b.fake.Candidates()[0]
	tests := []struct {
		name         string
		body         any
		edit         func(*http.Request)
		wantStatus   int
		wantPointers []string
	}{
		{name: "blank note", body: noteDoc(" ", cand.ID, teamtailor.AdminUserID),
			wantStatus: http.StatusUnprocessableEntity, wantPointers: []string{"/data/attributes/note"}},
		{name: "unknown candidate and no user", body: map[string]any{"data": map[string]any{"type": "notes",
			"attributes":    map[string]any{"note": "x"},
			"relationships": map[string]any{"candidate": rel("candidates", 1)}}},
			wantStatus:   http.StatusUnprocessableEntity,
			wantPointers: []string{"/data/relationships/candidate", "/data/relationships/user"}},
		{name: "user of the wrong type", body: map[string]any{"data": map[string]any{"type": "notes",
			"attributes":    map[string]any{"note": "x"},
			"relationships": map[string]any{"candidate": rel("candidates", cand.ID), "user": rel("candidates", cand.ID)}}},
			wantStatus: http.StatusUnprocessableEntity, wantPointers: []string{"/data/relationships/user"}},
		{name: "type mismatch", body: map[string]any{"data": map[string]any{"type": "comments"}},
			wantStatus: http.StatusConflict, wantPointers: []string{"/data/type"}},
		{name: "not a document", body: `{"note":"x"}`, wantStatus: http.StatusBadRequest},
		{name: "plain JSON content type", body: noteDoc("x", cand.ID, teamtailor.AdminUserID),
			edit:       func(r *http.Request) { r.Header.Set("Content-Type", "application/json") },
			wantStatus: http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, http.DefaultClient, b.request(t, http.MethodPost, "/v1/notes", tt.body, tt.edit))
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			errs := errorsOf(t, res)
			var pointers []string
			for _, e := range errs {
				require.Equal(t, itoa(int64(tt.wantStatus)), e.Status)
				if e.Source != nil && e.Source.Pointer != "" {
					pointers = append(pointers, e.Source.Pointer)
				}
			}
			require.Equal(t, tt.wantPointers, pointers)
		})
	}
	t.Cleanup(func() { require.Empty(t, b.fake.CandidateNotes(cand.ID)) })
}

func TestCustomFieldValues(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 6, Candidates: 3})
	cand := b.fake.Candidates()[1] // no seeded value
	b.clock.Advance(400 * 24 * time.Hour)

	// Create a URL field, then a value on the candidate.
	res := b.call(t, http.MethodPost, "/v1/custom-fields", map[string]any{"data": map[string]any{
		"type": "custom-fields", "attributes": map[string]any{"name": "Acme Result", "field-type": "CustomField::Url",
			"owner-type": "Candidate"}}})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var field oneDoc
	res.decode(t, &field)
	require.Equal(t, "acme-result", field.Data.Attributes["api-name"])
	res = b.call(t, http.MethodPost, "/v1/custom-fields", map[string]any{"data": map[string]any{
		"type": "custom-fields", "attributes": map[string]any{"name": "Acme Result", "field-type": "CustomField::Url"}}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Equal(t, "/data/attributes/api-name", errorsOf(t, res)[0].Source.Pointer)

	valueDoc := func(value any) map[string]any {
		return map[string]any{"data": map[string]any{
			"type": "custom-field-values", "attributes": map[string]any{"value": value},
			"relationships": map[string]any{
				"custom-field": map[string]any{"data": map[string]any{"type": "custom-fields", "id": field.Data.ID}},
				"owner":        rel("candidates", cand.ID),
			}}}
	}
	res = b.call(t, http.MethodPost, "/v1/custom-field-values", valueDoc("not a url"))
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Equal(t, "value - is not a valid URL", errorsOf(t, res)[0].Detail)

	res = b.call(t, http.MethodPost, "/v1/custom-field-values", valueDoc("https://vendor.test/r/1"))
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var value oneDoc
	res.decode(t, &value)
	require.Equal(t, "https://vendor.test/r/1", value.Data.Attributes["value"])

	res = b.call(t, http.MethodPost, "/v1/custom-field-values", valueDoc("https://vendor.test/r/2"))
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "one value per field and owner")
	require.Equal(t, "custom-field - has already been taken", errorsOf(t, res)[0].Detail)

	// Read back through HTTP (with the field included) and through state.
	doc := b.list(t, "/v1/candidates/"+itoa(cand.ID)+"/custom-field-values?include=custom-field")
	require.Len(t, doc.Data, 1)
	require.Equal(t, "acme-result", doc.Included[0].Attributes["api-name"])
	require.Equal(t, "https://vendor.test/r/1", b.fake.CandidateCustomFieldValues(cand.ID)["acme-result"].Value)
	got, _ := b.fake.Candidate(cand.ID)
	require.Equal(t, b.clock.Now(), got.UpdatedAt)

	// Update with PATCH.
	b.clock.Advance(time.Minute)
	patch := map[string]any{"data": map[string]any{"type": "custom-field-values", "id": value.Data.ID,
		"attributes": map[string]any{"value": "https://vendor.test/r/1b"}}}
	res = b.call(t, http.MethodPatch, "/v1/custom-field-values/"+value.Data.ID, patch)
	require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
	require.Equal(t, "https://vendor.test/r/1b", b.fake.CandidateCustomFieldValues(cand.ID)["acme-result"].Value)
	got, _ = b.fake.Candidate(cand.ID)
	require.Equal(t, b.clock.Now(), got.UpdatedAt)

	patch["data"].(map[string]any)["id"] = "1"
	res = b.call(t, http.MethodPatch, "/v1/custom-field-values/"+value.Data.ID, patch)
	require.Equal(t, http.StatusConflict, res.status)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodPatch, "/v1/custom-field-values/1", patch).status)

	// Typed fields convert and validate their values.
	num, ok := b.fake.AddCustomField(teamtailor.NewCustomField{Name: "Acme Score", FieldType: "CustomField::Number"})
	require.True(t, ok)
	box, ok := b.fake.AddCustomField(teamtailor.NewCustomField{Name: "Acme Passed", FieldType: "CustomField::Checkbox"})
	require.True(t, ok)
	_, ok = b.fake.AddCustomField(teamtailor.NewCustomField{Name: "Acme Passed", FieldType: "CustomField::Text"})
	require.False(t, ok, "api-name taken")
	post := func(fieldID int64, v any) result {
		return b.call(t, http.MethodPost, "/v1/custom-field-values", map[string]any{"data": map[string]any{
			"type": "custom-field-values", "attributes": map[string]any{"value": v},
			"relationships": map[string]any{"custom-field": rel("custom-fields", fieldID), "owner": rel("candidates", cand.ID)}}})
	}
	require.Equal(t, http.StatusUnprocessableEntity, post(num.ID, "100%").status)
	require.Equal(t, http.StatusCreated, post(num.ID, "87.5").status)
	require.Equal(t, http.StatusCreated, post(box.ID, true).status)
	values := b.fake.CandidateCustomFieldValues(cand.ID)
	require.Equal(t, 87.5, values["acme-score"].Value)
	require.Equal(t, true, values["acme-passed"].Value)

	// Delete.
	require.Equal(t, http.StatusNoContent, b.call(t, http.MethodDelete, "/v1/custom-field-values/"+value.Data.ID, nil).status)
	require.NotContains(t, b.fake.CandidateCustomFieldValues(cand.ID), "acme-result")
}

func TestDeleteAndTouch(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Seed: 3, Candidates: 6})
	cand := b.fake.Candidates()[0] // has a seeded custom field value
	require.NotEmpty(t, b.fake.CandidateCustomFieldValues(cand.ID))
	apps := b.fake.JobApplications(cand.ID)
	require.True(t, b.fake.DeleteCandidate(cand.ID))
	require.False(t, b.fake.DeleteCandidate(cand.ID))
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/v1/candidates/"+itoa(cand.ID), nil).status)
	require.Equal(t, http.StatusNotFound, b.call(t, http.MethodGet, "/v1/job-applications/"+itoa(apps[0].ID), nil).status)
	require.Empty(t, b.fake.CandidateCustomFieldValues(cand.ID))
	doc := b.list(t, "/v1/candidates?page[size]=30")
	require.Equal(t, float64(5), doc.Meta["record-count"])

	app := b.fake.JobApplications(0)[0]
	b.clock.Advance(time.Hour)
	require.True(t, b.fake.TouchJobApplication(app.ID))
	doc = b.list(t, "/v1/job-applications?"+url.Values{"filter[updated-at][from]": {b.clock.Now().Format(time.RFC3339)}}.Encode())
	require.Len(t, doc.Data, 1)
	require.Equal(t, itoa(app.ID), doc.Data[0].ID)
}

func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	b := setup(t, teamtailor.Options{Candidates: 2, RateLimit: teamtailor.RateLimit{Limit: -1}})
	cand := b.fake.Candidates()[0]
	var wg sync.WaitGroup
	statuses := make(chan int, 80)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				statuses <- b.call(t, http.MethodPost, "/v1/notes", noteDoc("x", cand.ID, teamtailor.AdminUserID)).status
				statuses <- b.call(t, http.MethodGet, "/v1/candidates?include=job-applications", nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, s)
	}
	require.Len(t, b.fake.CandidateNotes(cand.ID), 40)
	res := b.call(t, http.MethodGet, "/v1/jobs", nil)
	require.Empty(t, res.header.Get("X-Rate-Limit-Limit"), "a disabled limit sends no headers")
	require.True(t, strings.HasPrefix(res.header.Get("Content-Type"), teamtailor.MediaType))
}
