package smartrecruiters_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

func TestJobScopedPropertiesChannel(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Seed: 3, Candidates: 6})
	cand := b.fake.Candidates()[2]
	jobID := cand.PrimaryAssignment.Job.ID
	path := "/candidates/" + cand.ID + "/jobs/" + jobID + "/properties"

	// The admin created the result properties; the connector finds them by label.
	var defs page[smartrecruiters.CandidatePropertyDefinition]
	b.get(t, "/configuration/candidate-properties", &defs)
	for _, d := range defs.Content {
		require.NotEqual(t, "Acme Result", d.Label)
	}
	result, err := b.fake.AddCandidateProperty(smartrecruiters.NewCandidateProperty{Label: "Acme Result", Type: smartrecruiters.PropertyText})
	require.NoError(t, err)
	require.Equal(t, "acmeResult", result.Key)
	score, err := b.fake.AddCandidateProperty(smartrecruiters.NewCandidateProperty{Label: "Acme Score", Type: smartrecruiters.PropertyPercent})
	require.NoError(t, err)
	b.get(t, "/configuration/candidate-properties", &defs)
	require.Contains(t, defs.Content, result)

	b.clock.Advance(time.Minute)
	since := b.clock.Now().Add(-time.Second)
	url1 := "https://acme.example/r/1 [rl:55aa]"
	res := b.call(t, http.MethodPut, path, []map[string]any{
		{"id": result.ID, "value": url1},
		{"id": "acmeScore", "value": 100}, // by key
	})
	require.Equal(t, http.StatusNoContent, res.status, "body: %s", res.body)
	require.Empty(t, res.body)
	require.NotEmpty(t, res.header.Get("X-RateLimit-Remaining"))

	// Read back through the per-candidate, job-scoped call...
	var got page[smartrecruiters.CandidatePropertyValue]
	b.get(t, path, &got)
	require.Equal(t, []smartrecruiters.CandidatePropertyValue{
		{ID: result.ID, Label: "Acme Result", Type: "TEXT", Value: url1},
		{ID: score.ID, Label: "Acme Score", Type: "PERCENT", Value: 100.0},
	}, got.Content[len(got.Content)-2:])
	// ...through the state accessor...
	require.Contains(t, b.fake.JobPropertyValues(cand.ID, jobID),
		smartrecruiters.CandidatePropertyValue{ID: result.ID, Label: "Acme Result", Type: "TEXT", Value: url1})
	// ...and the write is visible to a delta sync.
	delta := contentOf(listAll[smartrecruiters.Candidate](t, b, "/candidates?updatedAfter="+url.QueryEscape(since.Format(time.RFC3339))))
	require.Equal(t, []string{cand.ID}, candIDs(delta))
	var app smartrecruiters.Application
	b.get(t, "/candidates/"+cand.ID+"/jobs/"+jobID, &app)
	require.Equal(t, b.clock.Now(), app.UpdatedOn.Time)

	// An entry without a value resets.
	require.Equal(t, http.StatusNoContent, b.call(t, http.MethodPut, path, []map[string]any{{"id": result.ID}}).status)
	for _, v := range b.fake.JobPropertyValues(cand.ID, jobID) {
		require.NotEqual(t, result.ID, v.ID)
	}
	// Other jobs of the candidate are untouched.
	if len(cand.SecondaryAssignments) > 0 {
		for _, v := range b.fake.JobPropertyValues(cand.ID, cand.SecondaryAssignments[0].Job.ID) {
			require.NotEqual(t, score.ID, v.ID)
		}
	}
}

func TestPropertyTypes(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2})
	cand := b.fake.Candidates()[0]
	path := "/candidates/" + cand.ID + "/jobs/" + cand.PrimaryAssignment.Job.ID + "/properties"
	seniority := propertyByLabel(t, b.fake, "Seniority")
	senior := b.fake.PropertyOptions(seniority.ID)[2]
	res := b.call(t, http.MethodPut, path, []map[string]any{
		{"id": seniority.ID, "value": senior.ID},
		{"id": propertyByLabel(t, b.fake, "Desired Salary").ID, "value": map[string]any{"code": "EUR", "value": 65000}},
		{"id": propertyByLabel(t, b.fake, "Willing to Relocate").ID, "value": true},
		{"id": propertyByLabel(t, b.fake, "Available From").ID, "value": "2026-05-01T00:00:00Z"},
	})
	require.Equal(t, http.StatusNoContent, res.status, "body: %s", res.body)
	var got page[map[string]any]
	b.get(t, path, &got)
	values := map[string]any{}
	for _, v := range got.Content {
		values[v["label"].(string)] = v["value"]
	}
	require.Equal(t, map[string]any{"id": senior.ID, "label": "Senior"}, values["Seniority"])
	require.Equal(t, map[string]any{"code": "EUR", "value": 65000.0}, values["Desired Salary"])
	require.Equal(t, true, values["Willing to Relocate"])
	require.Equal(t, "2026-05-01T00:00:00.000Z", values["Available From"])
}

func TestPropertyWriteValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 3})
	cand := b.fake.Candidates()[0]
	jobID := cand.PrimaryAssignment.Job.ID
	path := "/candidates/" + cand.ID + "/jobs/" + jobID + "/properties"
	portfolio := propertyByLabel(t, b.fake, "Portfolio")
	years := propertyByLabel(t, b.fake, "Years of Experience")
	before := b.fake.JobPropertyValues(cand.ID, jobID)
	var otherJob string
	for _, j := range b.fake.Jobs() {
		applied := false
		for _, a := range b.fake.Applications(cand.ID) {
			applied = applied || a.Job.ID == j.ID
		}
		if !applied {
			otherJob = j.ID
		}
	}
	require.NotEmpty(t, otherJob)

	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"unknown property", path, []map[string]any{{"id": "nope", "value": "x"}}, 400, "PROPERTY_NOT_FOUND"},
		{"string into NUMBER", path, []map[string]any{{"id": years.ID, "value": "7"}}, 400, "INVALID_PROPERTY_VALUE"},
		{"number into TEXT", path, []map[string]any{{"id": portfolio.ID, "value": 7}}, 400, "INVALID_PROPERTY_VALUE"},
		{"label instead of option id", path, []map[string]any{{"id": propertyByLabel(t, b.fake, "Seniority").ID, "value": "Senior"}}, 400, "INVALID_PROPERTY_VALUE"},
		{"bad currency", path, []map[string]any{{"id": propertyByLabel(t, b.fake, "Desired Salary").ID, "value": 100}}, 400, "INVALID_PROPERTY_VALUE"},
		{"bad date", path, []map[string]any{{"id": propertyByLabel(t, b.fake, "Available From").ID, "value": "May 1st"}}, 400, "INVALID_PROPERTY_VALUE"},
		{"one bad entry spoils the batch", path, []map[string]any{{"id": portfolio.ID, "value": "ok"}, {"id": years.ID, "value": true}}, 400, "INVALID_PROPERTY_VALUE"},
		{"object instead of array", path, map[string]any{"id": portfolio.ID, "value": "x"}, 400, "INVALID_REQUEST_BODY"},
		{"empty array", path, []map[string]any{}, 400, "INVALID_REQUEST_BODY"},
		{"entry without id", path, []map[string]any{{"value": "x"}}, 400, "INVALID_REQUEST_BODY"},
		{"job not applied to", "/candidates/" + cand.ID + "/jobs/" + otherJob + "/properties", []map[string]any{{"id": portfolio.ID, "value": "x"}}, 404, "APPLICATION_NOT_FOUND"},
		{"unknown candidate", "/candidates/nope/jobs/" + jobID + "/properties", []map[string]any{{"id": portfolio.ID, "value": "x"}}, 404, "CANDIDATE_NOT_FOUND"},
		{"single write with a bad body", path + "/" + portfolio.ID, "[1]", 400, "INVALID_REQUEST_BODY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.call(t, http.MethodPut, tt.path, tt.body)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			require.Equal(t, tt.wantCode, res.errorCode(t))
		})
	}
	require.Equal(t, before, b.fake.JobPropertyValues(cand.ID, jobID), "failed writes change nothing")
}

func TestDeprecatedSinglePropertyWrites(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 2})
	cand := b.fake.Candidates()[1]
	jobID := cand.PrimaryAssignment.Job.ID
	portfolio := propertyByLabel(t, b.fake, "Portfolio")

	res := b.call(t, http.MethodPut, "/candidates/"+cand.ID+"/jobs/"+jobID+"/properties/"+portfolio.ID, map[string]any{"value": "https://p.example"})
	require.Equal(t, http.StatusNoContent, res.status, "body: %s", res.body)
	require.Equal(t, []smartrecruiters.CandidatePropertyValue{{ID: portfolio.ID, Label: "Portfolio", Type: "TEXT", Value: "https://p.example"}},
		b.fake.JobPropertyValues(cand.ID, jobID)[len(b.fake.JobPropertyValues(cand.ID, jobID))-1:])

	res = b.call(t, http.MethodPut, "/candidates/"+cand.ID+"/properties/portfolio", map[string]any{"value": "https://c.example"})
	require.Equal(t, http.StatusNoContent, res.status, "body: %s", res.body)
	var got page[smartrecruiters.CandidatePropertyValue]
	b.get(t, "/candidates/"+cand.ID+"/properties", &got)
	require.Contains(t, got.Content, smartrecruiters.CandidatePropertyValue{ID: portfolio.ID, Label: "Portfolio", Type: "TEXT", Value: "https://c.example"})
	require.Contains(t, b.fake.CandidatePropertyValues(cand.ID),
		smartrecruiters.CandidatePropertyValue{ID: portfolio.ID, Label: "Portfolio", Type: "TEXT", Value: "https://c.example"})
	require.Len(t, b.fake.CandidatePropertyValues(cand.ID), len(got.Content))

	res = b.call(t, http.MethodPut, "/candidates/"+cand.ID+"/properties/"+portfolio.ID, map[string]any{"value": false})
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "INVALID_PROPERTY_VALUE", res.errorCode(t))
}

func TestMessageChannel(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Seed: 6, Candidates: 4})
	cand := b.fake.Candidates()[1]
	jobID := cand.PrimaryAssignment.Job.ID
	since := b.clock.Now()
	b.clock.Advance(time.Minute)

	content := "#[CANDIDATE:" + cand.ID + "] Acme Result: https://acme.example/r/9\nScore: 100% [rl:19ce]"
	res := b.call(t, http.MethodPost, "/messages/shares", map[string]any{
		"content":       content,
		"shareWith":     map[string]any{"users": []string{}, "hiringTeamOf": []string{jobID}, "everyone": false, "openNote": true},
		"correlationId": "rl-19ce",
	})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)
	var msg smartrecruiters.Message
	res.decode(t, &msg)
	require.NotEmpty(t, msg.ID)
	require.Equal(t, content, msg.Content)
	require.Equal(t, "rl-19ce", msg.CorrelationID)
	require.Equal(t, smartrecruiters.AdminUserID, msg.Author.ID)
	require.Equal(t, b.clock.Now(), msg.CreatedOn.Time)

	// A second message, shared with a user only.
	b.clock.Advance(time.Second)
	res = b.call(t, http.MethodPost, "/messages/shares", map[string]any{
		"content":   "#[CANDIDATE:" + cand.ID + "] @[USER:" + smartrecruiters.RecruiterUserID + "] please look",
		"shareWith": map[string]any{"users": []string{smartrecruiters.RecruiterUserID}},
	})
	require.Equal(t, http.StatusCreated, res.status, "body: %s", res.body)

	// Read back through the API (paged), filtered by job, and the accessor.
	msgs := contentOf(listAll[smartrecruiters.Message](t, b, "/messages?limit=1&candidateId="+cand.ID))
	require.Len(t, msgs, 2)
	require.Equal(t, msg, msgs[0])
	var byJob page[smartrecruiters.Message]
	b.get(t, "/messages?candidateId="+cand.ID+"&jobId="+jobID, &byJob)
	require.Equal(t, []smartrecruiters.Message{msg}, byJob.Content)
	require.Equal(t, msgs, b.fake.CandidateMessages(cand.ID))
	require.Len(t, b.fake.Messages(), 2)

	// The candidate shows up in a delta sync.
	delta := contentOf(listAll[smartrecruiters.Candidate](t, b, "/candidates?updatedAfter="+url.QueryEscape(since.Format(time.RFC3339))))
	require.Equal(t, []string{cand.ID}, candIDs(delta))

	tests := []struct {
		name     string
		body     any
		wantCode string
	}{
		{"no content", map[string]any{"shareWith": map[string]any{"openNote": true}}, "INVALID_CONTENT"},
		{"content too long", map[string]any{"content": strings.Repeat("x", 10001), "shareWith": map[string]any{"openNote": true}}, "INVALID_CONTENT"},
		{"shared with nobody", map[string]any{"content": "#[CANDIDATE:" + cand.ID + "] hi"}, "INVALID_SHARE"},
		{"unknown candidate", map[string]any{"content": "#[CANDIDATE:nope] hi", "shareWith": map[string]any{"openNote": true}}, "INVALID_MENTION"},
		{"unknown mentioned user", map[string]any{"content": "@[USER:nope] hi", "shareWith": map[string]any{"openNote": true}}, "INVALID_MENTION"},
		{"unknown user", map[string]any{"content": "hi", "shareWith": map[string]any{"users": []string{"nope"}}}, "INVALID_USER"},
		{"unknown job", map[string]any{"content": "hi", "shareWith": map[string]any{"hiringTeamOf": []string{"nope"}}}, "INVALID_JOB"},
		{"not JSON", "content=hi", "INVALID_REQUEST_BODY"},
	}
	for _, tt := range tests {
		res := b.call(t, http.MethodPost, "/messages/shares", tt.body)
		require.Equal(t, http.StatusBadRequest, res.status, tt.name)
		require.Equal(t, tt.wantCode, res.errorCode(t), tt.name)
	}
	require.Len(t, b.fake.Messages(), 2)
}

func TestMessagesActingUser(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 1, KeyUserID: smartrecruiters.RecruiterUserID})
	cand := b.fake.Candidates()[0]
	res := b.call(t, http.MethodPost, "/messages/shares", map[string]any{
		"content": "#[CANDIDATE:" + cand.ID + "] note", "shareWith": map[string]any{"openNote": true},
	})
	require.Equal(t, http.StatusCreated, res.status)
	var msg smartrecruiters.Message
	res.decode(t, &msg)
	require.Equal(t, smartrecruiters.Author{ID: smartrecruiters.RecruiterUserID, FirstName: "Riley", LastName: "Recruiter"}, msg.Author)
	require.Equal(t, smartrecruiters.RecruiterUserID, b.fake.Requests()[0].ActingUserID)

	res = b.call(t, http.MethodGet, "/messages?candidateId="+cand.ID, nil)
	require.Equal(t, http.StatusForbidden, res.status, "reading messages needs ADMINISTRATOR")
	require.Equal(t, "FORBIDDEN", res.errorCode(t))
	require.Len(t, b.fake.CandidateMessages(cand.ID), 1)
}
