package greenhouse_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func fieldID(t *testing.T, f *greenhouse.Fake, fieldType, nameKey string) int64 {
	t.Helper()
	for _, d := range f.CustomFields() {
		if d.FieldType == fieldType && d.NameKey == nameKey {
			return d.ID
		}
	}
	t.Fatalf("no %s field %q", fieldType, nameKey)
	return 0
}

func TestPatchCandidateCustomFields(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 2, Candidates: 10})
	tok := b.adminToken(t)
	cand := b.fake.Candidates()[3]
	path := "/v3/candidates/" + strconv.FormatInt(cand.ID, 10)
	languages := fieldID(t, b.fake, "candidate", "languages")

	b.clock.Advance(30 * time.Minute)
	since := b.clock.Now()
	res := b.call(t, http.MethodPatch, path, tok, map[string]any{
		"custom_fields": []any{
			map[string]any{"name_key": "portfolio", "value": "https://acme.example/results/5BtP1WC1"},
			map[string]any{"custom_field_id": languages, "value": []string{"German", "English"}},
			map[string]any{"name_key": "willing_to_relocate", "value": true},
			map[string]any{"name_key": "years_of_experience", "value": 7.5},
			map[string]any{"name_key": "seniority", "value": "Senior"},
		},
		"is_private": true,
	})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var updated greenhouse.Candidate
	res.decode(t, &updated)
	require.Equal(t, cand.ID, updated.ID)
	require.Equal(t, since, updated.UpdatedAt.Time)
	require.True(t, *updated.Private, "is_private in, private out")
	require.Equal(t, greenhouse.CustomFieldValue{Name: "Portfolio", Type: "url", Value: "https://acme.example/results/5BtP1WC1"},
		updated.CustomFields["portfolio"])

	// Read back through the API: one record via ?ids=.
	res = b.call(t, http.MethodGet, "/v3/candidates?ids="+strconv.FormatInt(cand.ID, 10), tok, nil)
	var got []greenhouse.Candidate
	res.decode(t, &got)
	require.Len(t, got, 1)
	cf := got[0].CustomFields
	require.Equal(t, "https://acme.example/results/5BtP1WC1", cf["portfolio"].Value)
	require.Equal(t, []any{"German", "English"}, cf["languages"].Value, "select values read back as names")
	require.Equal(t, true, cf["willing_to_relocate"].Value)
	require.Equal(t, 7.5, cf["years_of_experience"].Value)
	require.Equal(t, "Senior", cf["seniority"].Value)

	// And through the state accessor.
	state := b.fake.CandidateCustomFields(cand.ID)
	require.Equal(t, "https://acme.example/results/5BtP1WC1", state["portfolio"].Value)
	require.Equal(t, []string{"German", "English"}, state["languages"].Value)

	// Delta sync sees the write.
	changed := flatten(b.listAll(t, "/v3/candidates?updated_at="+url.QueryEscape("gte|"+since.Format(time.RFC3339)), tok))
	require.Equal(t, []int64{cand.ID}, changed)

	// null clears; other values stay (merge).
	res = b.call(t, http.MethodPatch, path, tok, map[string]any{
		"custom_fields": []any{map[string]any{"name_key": "portfolio", "value": nil}},
	})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	state = b.fake.CandidateCustomFields(cand.ID)
	require.NotContains(t, state, "portfolio")
	require.Contains(t, state, "languages")

	// The request log records who acted.
	logged := b.fake.Requests()
	last := logged[len(logged)-1]
	require.Equal(t, http.MethodPatch, last.Method)
	require.Equal(t, path, last.Path)
	require.Equal(t, greenhouse.AdminUserID, last.ActingUserID)
	require.Equal(t, "v3", last.API)
	require.Equal(t, http.StatusOK, last.Status)
}

func TestPatchApplicationCustomFields(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	tok := b.adminToken(t)
	app := b.fake.Applications(0)[0]
	res := b.call(t, http.MethodPatch, "/v3/applications/"+strconv.FormatInt(app.ID, 10), tok, map[string]any{
		"custom_fields": []any{map[string]any{"name_key": "referral_bonus_eligible", "value": true}},
	})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	require.Equal(t, true, b.fake.ApplicationCustomFields(app.ID)["referral_bonus_eligible"].Value)

	res = b.call(t, http.MethodPatch, "/v3/applications/"+strconv.FormatInt(app.ID, 10), tok, map[string]any{
		"custom_fields": []any{map[string]any{"name_key": "portfolio", "value": "https://x.example"}},
	})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "candidate fields are not application fields")
}

func TestCustomFieldValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2})
	tok := b.adminToken(t)
	cand := b.fake.Candidates()[0]
	path := "/v3/candidates/" + strconv.FormatInt(cand.ID, 10)
	before := b.fake.CandidateCustomFields(cand.ID)

	item := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name      string
		items     []any
		wantError map[string]string
	}{
		{"unknown name_key", []any{item("name_key", "no_such_field", "value", "x")},
			map[string]string{"custom_fields[0].name_key": "`no_such_field` is not an active candidate custom field"}},
		{"unknown id", []any{item("custom_field_id", 1, "value", "x")},
			map[string]string{"custom_fields[0].custom_field_id": "`1` is not an active candidate custom field"}},
		{"inactive field", []any{item("name_key", "legacy_score", "value", 3)},
			map[string]string{"custom_fields[0].name_key": "`legacy_score` is not an active candidate custom field"}},
		{"both keys", []any{item("name_key", "portfolio", "custom_field_id", 700007, "value", "https://x.example")},
			map[string]string{"custom_fields[0]": "must include exactly one of name_key or custom_field_id"}},
		{"no value", []any{item("name_key", "portfolio")},
			map[string]string{"custom_fields[0].value": "is required (send null to clear)"}},
		{"number for url", []any{item("name_key", "portfolio", "value", 42)},
			map[string]string{"custom_fields[0].value": "must be a string for value_type url"}},
		{"bad date", []any{item("name_key", "start_date", "value", "03/01/2026")},
			map[string]string{"custom_fields[0].value": "must be a date formatted YYYY-MM-DD"}},
		{"unknown option", []any{item("name_key", "seniority", "value", "Principal")},
			map[string]string{"custom_fields[0].value": `must be the name or id of an active option of "Seniority"`}},
		{"string for yes_no, after a valid item", []any{
			item("name_key", "desired_salary", "value", "90k"),
			item("name_key", "willing_to_relocate", "value", "yes"),
		}, map[string]string{"custom_fields[1].value": "must be a boolean for value_type yes_no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPatch, path, tok, map[string]any{"custom_fields": tt.items})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			var body struct {
				Message string              `json:"message"`
				Errors  []map[string]string `json:"errors"`
			}
			res.decode(t, &body)
			require.Equal(t, "Unprocessable Content", body.Message)
			require.Equal(t, []map[string]string{tt.wantError}, body.Errors)
		})
	}
	t.Cleanup(func() {
		require.Equal(t, before, b.fake.CandidateCustomFields(cand.ID), "a rejected PATCH changes nothing")
	})
}

func TestCreateCustomField(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 1})
	tok := b.adminToken(t)
	res := b.call(t, http.MethodPost, "/v3/custom_fields", tok, map[string]any{
		"name": "Acme: Assessment Result", "field_type": "candidate", "value_type": "url", "private": false,
	})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var def greenhouse.CustomField
	res.decode(t, &def)
	require.Equal(t, "acme_assessment_result", def.NameKey)
	require.Equal(t, "url", def.ValueType)
	require.True(t, def.Active)
	require.Equal(t, greenhouse.AdminUserID, *def.UpdatedByID)

	cand := b.fake.Candidates()[0]
	res = b.call(t, http.MethodPatch, "/v3/candidates/"+strconv.FormatInt(cand.ID, 10), tok, map[string]any{
		"custom_fields": []any{map[string]any{"custom_field_id": def.ID, "value": "https://acme.example/r/1"}},
	})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	require.Equal(t, "https://acme.example/r/1", b.fake.CandidateCustomFields(cand.ID)["acme_assessment_result"].Value)

	res = b.call(t, http.MethodPost, "/v3/custom_fields", tok, map[string]any{
		"name": "ACME assessment result", "field_type": "candidate", "value_type": "url",
	})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "same name_key twice")
	res = b.call(t, http.MethodPost, "/v3/custom_fields", tok, map[string]any{"name": "X", "field_type": "candidate", "value_type": "blob"})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)

	b.fake.RevokeScope("harvest:custom_fields:create")
	res = b.call(t, http.MethodPost, "/v3/custom_fields", tok, map[string]any{
		"name": "Other", "field_type": "candidate", "value_type": "url",
	})
	require.Equal(t, http.StatusForbidden, res.status)
}

func TestCreateNote(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 3})
	tok := b.adminToken(t)
	cand := b.fake.Candidates()[2]
	app := b.fake.Applications(cand.ID)[0]

	b.clock.Advance(30 * time.Minute)
	body := map[string]any{
		"candidate_id": cand.ID, "application_id": app.ID, "body": "Acme result: https://acme.example/r/1\nScore: 100%",
		"note_type": "NOTE", "visibility": "admin_only",
	}
	res := b.call(t, http.MethodPost, "/v3/notes", tok, body)
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var raw map[string]any
	res.decode(t, &raw)
	require.Equal(t, "NOTE", raw["type"])
	require.NotContains(t, raw, "note_type")
	require.Equal(t, "admin_only_visible", raw["visibility"])
	require.EqualValues(t, greenhouse.AdminUserID, raw["user_id"], "author defaults to the token's acting user")
	require.EqualValues(t, app.ID, raw["application_id"])

	// No idempotency: a retry adds a second note.
	require.Equal(t, http.StatusCreated, b.call(t, http.MethodPost, "/v3/notes", tok, body).status)
	notes := b.fake.CandidateNotes(cand.ID)
	require.Len(t, notes, 2)
	require.Equal(t, "Acme result: https://acme.example/r/1\nScore: 100%", notes[0].Body)

	updated, ok := b.fake.Candidate(cand.ID)
	require.True(t, ok)
	require.Equal(t, b.clock.Now(), updated.UpdatedAt.Time, "a note bumps the candidate for delta sync")
	require.Equal(t, b.clock.Now(), updated.LastActivityAt.Time)

	var listed []greenhouse.Note
	b.call(t, http.MethodGet, "/v3/notes?candidate_ids="+strconv.FormatInt(cand.ID, 10), tok, nil).decode(t, &listed)
	require.Len(t, listed, 2)
	require.Greater(t, listed[0].ID, listed[1].ID)

	// An explicit author, and an EMAIL note.
	res = b.call(t, http.MethodPost, "/v3/notes", tok, map[string]any{
		"candidate_id": cand.ID, "body": "Sent the results", "note_type": "EMAIL", "visibility": "public",
		"user_id": greenhouse.RecruiterUserID, "subject": "Your results",
		"email_from": []string{"recruiter@example.com"}, "email_to": []string{"cand@example.com"}, "email_cc": []string{},
	})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var email greenhouse.Note
	res.decode(t, &email)
	require.Equal(t, "EMAIL", email.Type)
	require.Equal(t, "publicly_visible", *email.Visibility)
	require.Equal(t, greenhouse.RecruiterUserID, *email.UserID)
	require.Equal(t, "cand@example.com", *email.EmailTo)
}

func TestNoteValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 4, Candidates: 3})
	tok := b.adminToken(t)
	cands := b.fake.Candidates()
	cand, other := cands[0], cands[1]
	otherApp := b.fake.Applications(other.ID)[0]
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"candidate_id": cand.ID, "body": "hello", "note_type": "NOTE", "visibility": "private"}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
				continue
			}
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name      string
		body      map[string]any
		wantField string
	}{
		{"missing candidate", base(map[string]any{"candidate_id": nil}), "candidate_id"},
		{"unknown candidate", base(map[string]any{"candidate_id": 1}), "candidate_id"},
		{"missing body", base(map[string]any{"body": nil}), "body"},
		{"missing note_type", base(map[string]any{"note_type": nil}), "note_type"},
		{"note_type not creatable", base(map[string]any{"note_type": "INTERVIEW"}), "note_type"},
		{"read spelling of visibility", base(map[string]any{"visibility": "privately_visible"}), "visibility"},
		{"missing visibility", base(map[string]any{"visibility": nil}), "visibility"},
		{"application of another candidate", base(map[string]any{"application_id": otherApp.ID}), "application_id"},
		{"email fields on a NOTE", base(map[string]any{"email_to": []string{"a@example.com"}}), "email_to"},
		{"EMAIL without subject", base(map[string]any{"note_type": "EMAIL", "email_from": []string{"a@x.test"},
			"email_to": []string{"b@x.test"}, "email_cc": []string{}}), "subject"},
		{"unknown author", base(map[string]any{"user_id": 1}), "user_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPost, "/v3/notes", tok, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			var body struct {
				Message string            `json:"message"`
				Errors  []json.RawMessage `json:"errors"`
			}
			res.decode(t, &body)
			require.Equal(t, "Unprocessable Content", body.Message)
			require.Len(t, body.Errors, 1, "%s", res.body)
			var entry map[string]string
			require.NoError(t, json.Unmarshal(body.Errors[0], &entry))
			require.Contains(t, entry, tt.wantField)
		})
	}
	t.Cleanup(func() { require.Empty(t, b.fake.CandidateNotes(cand.ID)) })
}

func TestMalformedBody(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 1})
	tok := b.adminToken(t)
	res := b.call(t, http.MethodPost, "/v3/notes", tok, "{not json")
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "Bad Request", res.errorBody(t).Message)
}
