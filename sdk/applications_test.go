package sdk

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// applicationJSON is an application as the wire carries it.
const applicationJSON = `{
  "id": "8Xi6iZrwusZqJmDGXs49GBmJ", "remote_id": "a-1", "outcome": "DECLINED",
  "rejection_reason_name": "Skills", "rejected_at": "2024-05-01T10:00:00.000Z",
  "current_stage_id": "s1", "job_id": "j1", "candidate_id": "26vafvWSRmbhNcxJYqjCzuJg",
  "screening_question_answers": [
    {"question": {"remote_id": "q1", "title": "Years of Go?", "type": "NUMBER"}, "answer": {"number": 7}},
    {"question": {"remote_id": null, "title": "Languages", "type": "MULTI_SELECT"}, "answer": {"choices": ["Go", "SQL"]}}
  ],
  "custom_fields": null,
  "remote_url": null, "changed_at": "2024-05-01T10:00:00.123Z", "remote_deleted_at": null,
  "remote_created_at": null, "remote_updated_at": null,
  "candidate": {"id": "26vafvWSRmbhNcxJYqjCzuJg", "remote_id": "32", "first_name": "Ada", "last_name": "Lovelace",
    "source": null, "remote_url": null, "tags": [{"id": "t1", "remote_id": "x", "name": null}],
    "email_addresses": [{"email_address": "ada@example.com", "type": null}]},
  "current_stage": {"id": "s1", "remote_id": null, "name": "Offer", "index": null, "status": "ACTIVE", "custom_fields": null},
  "job": {"id": "j1", "remote_id": "job-1", "name": null},
  "interviews": [{"id": "i1", "remote_id": null, "title": "Tech", "starting_at": "2024-04-01T09:00:00.000Z",
    "ending_at": null, "canceled": false, "location": {"type": "VIRTUAL"}}],
  "offers": [{"id": "o1", "remote_id": null, "status": "DECLINED"}]
}`

func TestApplicationDecoding(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"status":"success","data":{"next":null,"results":[`+applicationJSON+`]}}`)
	})
	page, err := b.client.ListApplicationsPage(context.Background(), ListApplicationsParams{})
	if err != nil {
		t.Fatalf("ListApplicationsPage: %v", err)
	}
	if page.Next != "" || len(page.Results) != 1 {
		t.Fatalf("page = next %q, %d results; want no cursor and 1 result", page.Next, len(page.Results))
	}
	declined, active, offerDeclined := OutcomeDeclined, StageActive, OfferDeclined
	rejected := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	start := time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)
	want := Application{
		ID: "8Xi6iZrwusZqJmDGXs49GBmJ", RemoteID: ptr("a-1"), Outcome: &declined,
		RejectionReasonName: ptr("Skills"), RejectedAt: &rejected,
		CurrentStageID: ptr("s1"), JobID: ptr("j1"), CandidateID: ptr("26vafvWSRmbhNcxJYqjCzuJg"),
		ScreeningQuestionAnswers: []ScreeningQuestionAnswer{
			{Question: ScreeningQuestion{RemoteID: ptr("q1"), Title: "Years of Go?", Type: ScreeningQuestionNumber}, Answer: ScreeningAnswer{Number: ptr(7.0)}},
			{Question: ScreeningQuestion{Title: "Languages", Type: ScreeningQuestionMultiSelect}, Answer: ScreeningAnswer{Choices: []string{"Go", "SQL"}}},
		},
		ChangedAt: time.Date(2024, 5, 1, 10, 0, 0, 123_000_000, time.UTC),
		Candidate: &ApplicationCandidate{
			ID: "26vafvWSRmbhNcxJYqjCzuJg", RemoteID: "32", FirstName: ptr("Ada"), LastName: ptr("Lovelace"),
			Tags:           []Tag{{ID: "t1", RemoteID: ptr("x")}},
			EmailAddresses: []EmailAddress{{EmailAddress: ptr("ada@example.com")}},
		},
		CurrentStage: &ApplicationStage{ID: "s1", Name: ptr("Offer"), Status: &active},
		Job:          &ApplicationJob{ID: "j1", RemoteID: "job-1"},
		Interviews: []Interview{{ID: "i1", Title: ptr("Tech"), StartingAt: &start, Canceled: ptr(false),
			Location: map[string]any{"type": "VIRTUAL"}}},
		Offers: []Offer{{ID: "o1", Status: &offerDeclined}},
	}
	if got := page.Results[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("decoded:\n got %+v\nwant %+v", got, want)
	}
}

func TestListApplicationsQuery(t *testing.T) {
	t.Parallel()

	p := ListApplicationsParams{
		Cursor:                   "abc=",
		PageSize:                 250,
		UpdatedAfter:             time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		IncludeDeleted:           true,
		IgnoreUnsupportedFilters: true,
		IDs:                      []string{"a1"},
		RemoteIDs:                []string{"r1", "r2"},
		Outcomes:                 []Outcome{OutcomePending, OutcomeHired},
		JobIDs:                   []string{"j1"},
		JobRemoteIDs:             []string{"jr1"},
		CurrentStageIDs:          []string{"s1", "s2"},
		RemoteCreatedAfter:       time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	want := "current_stage_ids=s1%2Cs2&cursor=abc%3D&ids=a1&ignore_unsupported_filters=true&include_deleted=true" +
		"&job_ids=j1&job_remote_ids=jr1&outcomes=PENDING%2CHIRED&page_size=250" +
		"&remote_created_after=2023-06-01T00%3A00%3A00.000Z&remote_ids=r1%2Cr2&updated_after=2024-01-01T00%3A00%3A00.000Z"
	if got := p.query().Encode(); got != want {
		t.Errorf("query:\n got %s\nwant %s", got, want)
	}
}

func TestListApplicationsWalksAllPages(t *testing.T) {
	t.Parallel()

	b := setup(t, pagedServer([][]string{{"a"}, {"b", "c"}, {"d"}}))
	params := ListApplicationsParams{Outcomes: []Outcome{OutcomePending}, IncludeDeleted: true}
	var ids []string
	for app, err := range b.client.ListApplications(context.Background(), params) {
		if err != nil {
			t.Fatalf("ListApplications: %v", err)
		}
		ids = append(ids, app.ID)
	}
	if want := []string{"a", "b", "c", "d"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("IDs = %v, want %v", ids, want)
	}
	wantURIs := []string{
		"/v1/ats/applications?include_deleted=true&outcomes=PENDING",
		"/v1/ats/applications?cursor=c1&include_deleted=true&outcomes=PENDING",
		"/v1/ats/applications?cursor=c2&include_deleted=true&outcomes=PENDING",
	}
	var got []string
	for _, r := range b.server.requests() {
		got = append(got, r.uri)
	}
	if !reflect.DeepEqual(got, wantURIs) {
		t.Errorf("requests:\n got %q\nwant %q", got, wantURIs)
	}
}
