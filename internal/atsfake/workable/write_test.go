package workable_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func TestCommentAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 3})
	cand := b.fake.Candidates()[1]
	before := len(b.fake.Activities(cand.ID))
	b.clock.Advance(time.Hour)
	text := "Acme Result: https://vendor.example/r/1\nScore: 100%\nTime: 2:30h\n[rl:abc123]"

	res := b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments", map[string]any{
		"member_id": workable.RecruiterMemberID,
		"comment": map[string]any{
			"body":       text,
			"policy":     []string{"admin", "recruiter"},
			"attachment": map[string]any{"name": "report.pdf", "data": base64.StdEncoding.EncodeToString([]byte("%PDF"))},
		},
	})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var created struct {
		ID string `json:"id"`
	}
	res.decode(t, &created)
	require.NotEmpty(t, created.ID)
	require.JSONEq(t, `{"id":"`+created.ID+`"}`, string(res.body))

	// Through the timeline.
	var timeline struct {
		Activities []workable.Activity `json:"activities"`
	}
	b.call(t, http.MethodGet, "/candidates/"+cand.ID+"/activities", nil).decode(t, &timeline)
	require.Len(t, timeline.Activities, before+1)
	got := timeline.Activities[len(timeline.Activities)-1]
	require.Equal(t, created.ID, got.ID)
	require.Equal(t, "comment", got.Action)
	require.NotNil(t, got.Body)
	require.Equal(t, text, *got.Body)
	require.Equal(t, &workable.MemberRef{ID: workable.RecruiterMemberID, Name: "Riley Recruiter", Type: "Member"}, got.Member)
	require.Equal(t, cand.Stage, got.StageName)
	require.True(t, got.CreatedAt.Equal(b.clock.Now()))

	// Through the state accessor.
	comments := b.fake.Comments(cand.ID)
	require.Len(t, comments, 1)
	require.Equal(t, []string{"admin", "recruiter"}, comments[0].Policy)
	require.Equal(t, "report.pdf", comments[0].AttachmentName)
	require.Equal(t, got, comments[0].Activity)
	logged := b.fake.Requests()
	require.Equal(t, workable.RecruiterMemberID, logged[len(logged)-2].MemberID)

	// The candidate moved, so a delta sync sees it.
	pages, _ := b.listAll(t, "/candidates?updated_after="+b.clock.Now().Add(-time.Second).Format(time.RFC3339))
	require.Equal(t, []string{cand.ID}, ids(pages))
}

func TestCommentValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 1})
	cand := b.fake.Candidates()[0]
	path := "/candidates/" + cand.ID + "/comments"
	ok := map[string]any{"body": "x"}
	tests := []struct {
		name       string
		body       any
		wantStatus int
		want       string
	}{
		{"no member_id", map[string]any{"comment": ok}, 422, "member_id is required"},
		{"unknown member", map[string]any{"member_id": "ffffff", "comment": ok}, 422, "member_id does not match a member of this account"},
		{"inactive member", map[string]any{"member_id": workable.InactiveMemberID, "comment": ok}, 422, "member " + workable.InactiveMemberID + " is not active"},
		{"no comment", map[string]any{"member_id": workable.AdminMemberID}, 422, "comment is required"},
		{"flat body instead of comment object", map[string]any{"member_id": workable.AdminMemberID, "body": "x"}, 422, "comment is required"},
		{"blank body", map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": " "}}, 422, "comment body can't be blank"},
		{"policy not a list", map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "x", "policy": "admin"}}, 422, "comment policy must be an array of roles"},
		{"attachment without data", map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "x", "attachment": map[string]any{"name": "a.pdf"}}}, 422, "comment attachment needs a name and base64 data"},
		{"attachment not base64", map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "x", "attachment": map[string]any{"name": "a.pdf", "data": "!!"}}}, 422, "comment attachment data is not valid base64"},
		{"malformed json", "{", 400, "The request body must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPost, path, tt.body)
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			require.Equal(t, tt.want, errorOf(t, res))
		})
	}
	res := b.call(t, http.MethodPost, "/candidates/ffffffff/comments", map[string]any{"member_id": workable.AdminMemberID, "comment": ok})
	require.Equal(t, http.StatusNotFound, res.status)
	require.JSONEq(t, `{"error":"Not found"}`, string(res.body))
	require.Empty(t, b.fake.Comments(cand.ID), "no failed write left a comment")
}

func TestCustomAttributesMatchedByLabel(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 2})
	cand := b.fake.Candidates()[0]
	path := "/candidates/" + cand.ID + "/update_custom_attribute_value"

	// A connector lists the definitions and picks them by label.
	var defs struct {
		CustomAttributes []workable.CustomAttribute `json:"custom_attributes"`
	}
	b.call(t, http.MethodGet, "/custom_attributes", nil).decode(t, &defs)
	byLabel := map[string]workable.CustomAttribute{}
	for _, a := range defs.CustomAttributes {
		byLabel[a.Label] = a
	}
	grade := byLabel["Assessment Grade"]
	skills := byLabel["Skills Tested"]
	require.Len(t, grade.Choices, 3)

	tests := []struct {
		label string
		body  map[string]any
		want  any
	}{
		{"Assessment Link", map[string]any{"value": "https://vendor.example/r/1"}, "https://vendor.example/r/1"},
		{"Assessment Report", map[string]any{"value": strings.Repeat("long ", 100)}, strings.Repeat("long ", 100)},
		{"Assessment Score", map[string]any{"value": 97.5}, 97.5},
		{"Assessment Passed", map[string]any{"checked": "true"}, true},
		{"Assessment Date", map[string]any{"date": "2026-01-01"}, "2026-01-01"},
		{"Assessment Grade", map[string]any{"choices": []string{grade.Choices[2].ID}}, []any{grade.Choices[2].ID}},
		{"Skills Tested", map[string]any{"choices": []string{skills.Choices[0].ID, skills.Choices[1].ID}}, []any{skills.Choices[0].ID, skills.Choices[1].ID}},
		{"Signed NDA", map[string]any{"file_url": "https://vendor.example/nda.pdf"}, map[string]any{"url": "https://vendor.example/nda.pdf"}},
	}
	for _, tt := range tests {
		b.clock.Advance(time.Second)
		body := tt.body
		body["custom_attribute_key"] = byLabel[tt.label].ID
		res := b.call(t, http.MethodPatch, path, body)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", tt.label, res.body)
		require.JSONEq(t, `{}`, string(res.body))
	}

	// Read back through GET /candidates/{id}.
	var detail struct {
		Candidate struct {
			UpdatedAt        string `json:"updated_at"`
			CustomAttributes []struct {
				Key, Label, Type string
				Value            any
			} `json:"custom_attributes"`
		} `json:"candidate"`
	}
	b.call(t, http.MethodGet, "/candidates/"+cand.ID, nil).decode(t, &detail)
	require.Equal(t, b.clock.Now().UTC().Format("2006-01-02T15:04:05Z"), detail.Candidate.UpdatedAt)
	got := map[string]any{}
	for _, v := range detail.Candidate.CustomAttributes {
		require.Equal(t, byLabel[v.Label].ID, v.Key)
		require.Equal(t, byLabel[v.Label].Type, v.Type)
		got[v.Label] = v.Value
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, got[tt.label], tt.label)
	}

	// And through the state accessor.
	values := b.fake.CustomAttributeValues(cand.ID)
	require.Equal(t, "https://vendor.example/r/1", values["Assessment Link"].Value)
	require.Equal(t, true, values["Assessment Passed"].Value)
	require.Empty(t, b.fake.CustomAttributeValues(b.fake.Candidates()[1].ID), "values are per candidate record")

	// Overwriting replaces the value.
	res := b.call(t, http.MethodPatch, path, map[string]any{"custom_attribute_key": byLabel["Assessment Link"].ID, "value": "https://vendor.example/r/2"})
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "https://vendor.example/r/2", b.fake.CustomAttributeValues(cand.ID)["Assessment Link"].Value)
}

func TestCustomAttributeValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 1})
	cand := b.fake.Candidates()[0]
	path := "/candidates/" + cand.ID + "/update_custom_attribute_value"
	key := func(label string) string {
		a, ok := b.fake.CustomAttributeByLabel(label)
		require.True(t, ok, label)
		return a.ID
	}
	grade, _ := b.fake.CustomAttributeByLabel("Assessment Grade")
	tests := []struct {
		name       string
		body       map[string]any
		wantStatus int
		want       string
	}{
		{"no key", map[string]any{"value": "x"}, 422, "custom_attribute_key is required"},
		{"unknown key", map[string]any{"custom_attribute_key": "deadbeef", "value": "x"}, 404, "Not found"},
		{"disabled", map[string]any{"custom_attribute_key": key("Legacy Score"), "value": 1}, 422, "custom attribute " + key("Legacy Score") + " is disabled"},
		{"short text too long", map[string]any{"custom_attribute_key": key("Assessment Link"), "value": strings.Repeat("x", 129)}, 422, "value is too long (maximum is 128 characters)"},
		{"short text missing", map[string]any{"custom_attribute_key": key("Assessment Link")}, 422, "value is required and must be text"},
		{"numeric as text", map[string]any{"custom_attribute_key": key("Assessment Score"), "value": "100%"}, 422, "value is required and must be a number"},
		{"boolean as value", map[string]any{"custom_attribute_key": key("Assessment Passed"), "value": true}, 422, "checked is required and must be true or false"},
		{"bad date", map[string]any{"custom_attribute_key": key("Assessment Date"), "date": "01/02/2026"}, 422, "date is required in the format YYYY-MM-DD"},
		{"impossible date", map[string]any{"custom_attribute_key": key("Assessment Date"), "date": "2026-02-30"}, 422, "date is required in the format YYYY-MM-DD"},
		{"two choices on single answer", map[string]any{"custom_attribute_key": grade.ID, "choices": []string{grade.Choices[0].ID, grade.Choices[1].ID}}, 422, "only one choice is allowed"},
		{"foreign choice", map[string]any{"custom_attribute_key": grade.ID, "choices": []string{"abc"}}, 422, "choice abc does not belong to this custom attribute"},
		{"choice by text", map[string]any{"custom_attribute_key": grade.ID, "value": "Passed"}, 422, "choices is required and must list choice ids"},
		{"file without data", map[string]any{"custom_attribute_key": key("Signed NDA"), "file": map[string]any{"name": "a.pdf"}}, 422, "file {name, data} or file_url is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.call(t, http.MethodPatch, path, tt.body)
			require.Equal(t, tt.wantStatus, res.status, "%s", res.body)
			require.Equal(t, tt.want, errorOf(t, res))
		})
	}
	res := b.call(t, http.MethodPatch, "/candidates/ffffffff/update_custom_attribute_value",
		map[string]any{"custom_attribute_key": key("Assessment Link"), "value": "x"})
	require.Equal(t, http.StatusNotFound, res.status)
	require.Empty(t, b.fake.CustomAttributeValues(cand.ID))
}

func TestAddCustomAttribute(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 1})
	a, err := b.fake.AddCustomAttribute(workable.NewAttribute{Label: "Result link", Type: "short_text"})
	require.NoError(t, err)
	require.True(t, a.Enabled)
	var defs struct {
		CustomAttributes []workable.CustomAttribute `json:"custom_attributes"`
	}
	b.call(t, http.MethodGet, "/custom_attributes", nil).decode(t, &defs)
	require.Contains(t, defs.CustomAttributes, a)

	_, err = b.fake.AddCustomAttribute(workable.NewAttribute{Label: "X", Type: "url"})
	require.Error(t, err)
	_, err = b.fake.AddCustomAttribute(workable.NewAttribute{Label: "X", Type: "dropdown"})
	require.Error(t, err)
}
