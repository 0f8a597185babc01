package ashby_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestApplicationCustomFieldChannel(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Seed: 9, Candidates: 6})
	app := b.fake.Applications("")[2]
	_, appTok := listAll[ashby.Application](t, b, "application.list", nil)

	// Find-or-create: the field does not exist yet, so create it.
	fields, _ := listAll[ashby.CustomField](t, b, "customField.list", nil)
	for _, d := range fields[0] {
		require.NotEqual(t, "Acme Result", d.Title)
	}
	var def ashby.CustomField
	b.ok(t, "customField.create", map[string]any{
		"title": "Acme Result", "fieldType": "String", "objectType": "Application", "description": "result link",
	}, &def)
	require.NotEmpty(t, def.ID)
	require.Equal(t, ashby.CustomField{ID: def.ID, Title: "Acme Result", ObjectType: "Application",
		FieldType: "String", Description: "result link"}, def)
	fields, _ = listAll[ashby.CustomField](t, b, "customField.list", nil)
	require.Contains(t, ids(fields, fieldIDOf), def.ID)

	b.clock.Advance(time.Minute)
	url := "https://acme.example/r/1 [rl:0f9a]"
	var set ashby.CustomFieldValue
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": app.ID, "objectType": "Application", "fieldId": def.ID, "fieldValue": url,
	}, &set)
	require.Equal(t, ashby.CustomFieldValue{ID: def.ID, Title: "Acme Result", Value: url}, set)
	score := fieldByTitle(t, b.fake, "Application", "Interview Score")
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": app.ID, "objectType": "Application", "fieldId": score.ID, "fieldValue": 87.5,
	}, nil)

	// Read back through the API...
	var info ashby.Application
	b.ok(t, "application.info", map[string]any{"applicationId": app.ID}, &info)
	require.Contains(t, info.CustomFields, ashby.CustomFieldValue{ID: def.ID, Title: "Acme Result", Value: url})
	require.Contains(t, info.CustomFields, ashby.CustomFieldValue{ID: score.ID, Title: "Interview Score", Value: 87.5})
	require.Equal(t, b.clock.Now(), info.UpdatedAt.Time)
	// ...through a delta sync...
	pages, _ := listAll[ashby.Application](t, b, "application.list", map[string]any{"syncToken": appTok})
	require.Equal(t, []string{app.ID}, ids(pages, appID))
	// ...and through the state accessor.
	require.Contains(t, b.fake.ApplicationCustomFields(app.ID), ashby.CustomFieldValue{ID: def.ID, Title: "Acme Result", Value: url})

	// null clears.
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": app.ID, "objectType": "Application", "fieldId": def.ID, "fieldValue": nil,
	}, nil)
	require.NotContains(t, b.fake.ApplicationCustomFields(app.ID), ashby.CustomFieldValue{ID: def.ID, Title: "Acme Result", Value: url})
}

func TestCandidateCustomFieldTypes(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 2})
	cand := b.fake.Candidates()[1]
	langs := fieldByTitle(t, b.fake, "Candidate", "Languages")
	seniority := fieldByTitle(t, b.fake, "Candidate", "Seniority")
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": cand.ID, "objectType": "Candidate", "fieldId": langs.ID, "fieldValue": []string{"German", "English"},
	}, nil)
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": cand.ID, "objectType": "Candidate", "fieldId": seniority.ID, "fieldValue": "Senior",
	}, nil)
	var got ashby.Candidate
	b.ok(t, "candidate.info", map[string]any{"id": cand.ID}, &got)
	require.Contains(t, got.CustomFields, ashby.CustomFieldValue{ID: langs.ID, Title: "Languages", Value: []any{"German", "English"}})
	require.Contains(t, got.CustomFields, ashby.CustomFieldValue{ID: seniority.ID, Title: "Seniority", Value: "Senior"})
	require.Contains(t, b.fake.CandidateCustomFields(cand.ID),
		ashby.CustomFieldValue{ID: langs.ID, Title: "Languages", Value: []string{"German", "English"}})

	start := fieldByTitle(t, b.fake, "Application", "Start Date")
	app := b.fake.Applications(cand.ID)[0]
	var set ashby.CustomFieldValue
	b.ok(t, "customField.setValue", map[string]any{
		"objectId": app.ID, "objectType": "Application", "fieldId": start.ID, "fieldValue": "2026-04-01",
	}, &set)
	require.Equal(t, "2026-04-01T00:00:00.000Z", set.Value)
}

func TestSetValueValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 2})
	app := b.fake.Applications("")[0]
	cand := b.fake.Candidates()[0]
	score := fieldByTitle(t, b.fake, "Application", "Interview Score")
	legacy := fieldByTitle(t, b.fake, "Application", "Legacy Result")
	bonus := fieldByTitle(t, b.fake, "Application", "Referral Bonus Eligible")
	seniority := fieldByTitle(t, b.fake, "Candidate", "Seniority")
	before := b.fake.ApplicationCustomFields(app.ID)
	tests := []struct {
		name     string
		body     map[string]any
		wantCode string
	}{
		{"string into a number field", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": score.ID, "fieldValue": "87"}, "invalid_input"},
		{"number into a boolean field", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": bonus.ID, "fieldValue": 1}, "invalid_input"},
		{"unknown option", map[string]any{"objectId": cand.ID, "objectType": "Candidate", "fieldId": seniority.ID, "fieldValue": "Principal"}, "invalid_input"},
		{"field of another object type", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": seniority.ID, "fieldValue": "Senior"}, "invalid_input"},
		{"archived field", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": legacy.ID, "fieldValue": "x"}, "invalid_input"},
		{"unknown field", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": "nope", "fieldValue": 1}, "custom_field_not_found"},
		{"unknown application", map[string]any{"objectId": "nope", "objectType": "Application", "fieldId": score.ID, "fieldValue": 1}, "application_not_found"},
		{"objectType is case-sensitive", map[string]any{"objectId": app.ID, "objectType": "application", "fieldId": score.ID, "fieldValue": 1}, "invalid_input"},
		{"missing fieldValue", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": score.ID}, "invalid_input"},
		{"missing objectId", map[string]any{"objectType": "Application", "fieldId": score.ID, "fieldValue": 1}, "invalid_input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.call(t, "customField.setValue", tt.body)
			require.Equal(t, http.StatusOK, res.status, "logical failures are HTTP 200")
			require.Equal(t, tt.wantCode, res.failure(t).ErrorInfo.Code)
		})
	}
	require.Equal(t, before, b.fake.ApplicationCustomFields(app.ID), "failed writes change nothing")
}

func TestCustomFieldCreateValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{})
	before := len(b.fake.CustomFields())
	tests := []struct {
		name string
		body map[string]any
	}{
		{"no title", map[string]any{"fieldType": "String", "objectType": "Application"}},
		{"fieldType is case-sensitive", map[string]any{"title": "x", "fieldType": "string", "objectType": "Application"}},
		{"URL is not an API field type", map[string]any{"title": "x", "fieldType": "Url", "objectType": "Application"}},
		{"unknown object type", map[string]any{"title": "x", "fieldType": "String", "objectType": "Applicant"}},
		{"select without values", map[string]any{"title": "x", "fieldType": "ValueSelect", "objectType": "Application"}},
		{"description not a string", map[string]any{"title": "x", "fieldType": "String", "objectType": "Application", "description": 3}},
	}
	for _, tt := range tests {
		res := b.call(t, "customField.create", tt.body)
		require.Equal(t, http.StatusOK, res.status, tt.name)
		require.Equal(t, "invalid_input", res.failure(t).ErrorInfo.Code, tt.name)
	}
	require.Len(t, b.fake.CustomFields(), before)

	var sel ashby.CustomField
	b.ok(t, "customField.create", map[string]any{
		"title": "Grade", "fieldType": "ValueSelect", "objectType": "Candidate",
		"selectableValues": []map[string]string{{"label": "A", "value": "a"}, {"label": "B", "value": "b"}},
	}, &sel)
	require.Equal(t, []ashby.SelectableValue{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}}, sel.SelectableValues)

	added, err := b.fake.AddCustomField(ashby.NewCustomField{Title: "Portfolio", ObjectType: "Candidate", FieldType: "String"})
	require.NoError(t, err)
	require.Equal(t, "Portfolio", added.Title)
	_, err = b.fake.AddCustomField(ashby.NewCustomField{Title: "Bad", ObjectType: "Candidate", FieldType: "Url"})
	require.Error(t, err)
}

func TestCreateNoteChannel(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Seed: 4, Candidates: 5})
	cand := b.fake.Candidates()[3]
	_, tok := listAll[ashby.Candidate](t, b, "candidate.list", nil)

	b.clock.Advance(time.Minute)
	html := `<p><b>Acme Result</b>: <a href="https://acme.example/r/1">report</a></p>` +
		`<ul><li>Score: 100%</li></ul><script>x()</script><span>rl:7c1e</span><!-- hidden -->`
	var note ashby.Note
	b.ok(t, "candidate.createNote", map[string]any{
		"candidateId": cand.ID, "note": map[string]any{"type": "text/html", "value": html}, "sendNotifications": false,
	}, &note)
	wantContent := `<p><b>Acme Result</b>: <a href="https://acme.example/r/1">report</a></p>` +
		`<ul><li>Score: 100%</li></ul>x()rl:7c1e`
	require.Equal(t, wantContent, note.Content)
	require.Equal(t, ashby.AdminUserID, note.Author.ID)
	require.Equal(t, b.clock.Now(), note.CreatedAt.Time)
	require.False(t, note.IsPrivate)

	b.ok(t, "candidate.createNote", map[string]any{"candidateId": cand.ID, "note": "plain rl:8d2f", "isPrivate": true}, nil)

	// Read back through the API, paged, and through the state accessor.
	pages, _ := listAll[ashby.Note](t, b, "candidate.listNotes", map[string]any{"candidateId": cand.ID, "limit": 1})
	require.Len(t, pages, 2)
	require.Equal(t, note, pages[0][0])
	require.Equal(t, "plain rl:8d2f", pages[1][0].Content)
	require.True(t, pages[1][0].IsPrivate)
	stored := b.fake.CandidateNotes(cand.ID)
	require.Len(t, stored, 2)
	require.Contains(t, stored[0].Content, "rl:7c1e")

	// The write shows up in the candidate's delta sync.
	got, _ := listAll[ashby.Candidate](t, b, "candidate.list", map[string]any{"syncToken": tok})
	require.Equal(t, []string{cand.ID}, ids(got, candID))

	tests := []struct {
		name     string
		body     map[string]any
		wantCode string
	}{
		{"no note", map[string]any{"candidateId": cand.ID}, "invalid_input"},
		{"empty note", map[string]any{"candidateId": cand.ID, "note": "  "}, "invalid_input"},
		{"unknown note type", map[string]any{"candidateId": cand.ID, "note": map[string]any{"type": "text/markdown", "value": "x"}}, "invalid_input"},
		{"note value missing", map[string]any{"candidateId": cand.ID, "note": map[string]any{"type": "text/html"}}, "invalid_input"},
		{"isPrivate not a bool", map[string]any{"candidateId": cand.ID, "note": "x", "isPrivate": "yes"}, "invalid_input"},
		{"unknown candidate", map[string]any{"candidateId": "nope", "note": "x"}, "candidate_not_found"},
	}
	for _, tt := range tests {
		res := b.call(t, "candidate.createNote", tt.body)
		require.Equal(t, http.StatusOK, res.status, tt.name)
		require.Equal(t, tt.wantCode, res.failure(t).ErrorInfo.Code, tt.name)
	}
	require.Len(t, b.fake.CandidateNotes(cand.ID), 2)
}

func TestNoteAuthorIsTheKeyUser(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 1, KeyUserID: ashby.RecruiterUserID})
	cand := b.fake.Candidates()[0]
	var note ashby.Note
	b.ok(t, "candidate.createNote", map[string]any{"candidateId": cand.ID, "note": "hi"}, &note)
	require.Equal(t, ashby.RecruiterUserID, note.Author.ID)
	require.Equal(t, "Riley", note.Author.FirstName)
	require.Equal(t, ashby.RecruiterUserID, b.fake.Requests()[0].ActingUserID)

	d := setup(t, ashby.Options{Candidates: 1, KeyUserID: ashby.DeactivatedUserID})
	res := d.call(t, "candidate.createNote", map[string]any{"candidateId": d.fake.Candidates()[0].ID, "note": "hi"})
	require.Equal(t, "invalid_author", res.failure(t).ErrorInfo.Code)
}
