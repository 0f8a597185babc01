package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// candidateJSON is a candidate as the wire carries it, with nulls, nested
// applications and tags.
const candidateJSON = `{
  "id": "26vafvWSRmbhNcxJYqjCzuJg", "remote_id": "32",
  "first_name": "Ada", "last_name": null, "company": "Acme", "title": null,
  "confidential": false, "source": "LinkedIn",
  "phone_numbers": [{"phone_number": "+49 30 1234", "type": null}],
  "email_addresses": [{"email_address": "ada@example.com", "type": "PERSONAL"}],
  "social_media": null,
  "location": {"city": "Berlin", "country": "DE", "raw": null, "state": null, "street_1": null, "street_2": null, "zip_code": "10115"},
  "custom_fields": {"shirt_size": "M", "years": 7},
  "integration_fields": [{"id": "f1", "key": "salary", "type": "CUSTOM", "value": 100, "label": null}],
  "remote_url": "https://ats.example/c/32",
  "remote_created_at": "2022-08-07T14:01:29.196Z", "remote_updated_at": null,
  "remote_data": null,
  "changed_at": "2022-08-08T09:00:00.000Z", "remote_deleted_at": null,
  "applications": [{
    "id": "8Xi6iZrwusZqJmDGXs49GBmJ", "remote_id": "a-1", "outcome": "PENDING",
    "rejection_reason_name": null, "rejected_at": null, "remote_url": null,
    "changed_at": "2022-08-08T09:00:00.000Z", "remote_created_at": null, "remote_updated_at": null,
    "current_stage": {"id": "s1", "name": "Assessment", "remote_id": "st-1", "index": 2},
    "job": {"id": "j1", "name": "Engineer", "remote_id": "job-1"}
  }],
  "tags": [{"id": "t1", "name": "Top", "remote_id": null}]
}`

func TestCandidateDecoding(t *testing.T) {
	t.Parallel()

	var c Candidate
	if err := json.Unmarshal([]byte(candidateJSON), &c); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	created := time.Date(2022, 8, 7, 14, 1, 29, 196_000_000, time.UTC)
	changed := time.Date(2022, 8, 8, 9, 0, 0, 0, time.UTC)
	pending := OutcomePending
	want := Candidate{
		ID: "26vafvWSRmbhNcxJYqjCzuJg", RemoteID: "32",
		FirstName: ptr("Ada"), Company: ptr("Acme"), Confidential: ptr(false), Source: ptr("LinkedIn"),
		PhoneNumbers:   []PhoneNumber{{PhoneNumber: "+49 30 1234"}},
		EmailAddresses: []EmailAddress{{EmailAddress: ptr("ada@example.com"), Type: ptr("PERSONAL")}},
		Location:       &Location{City: ptr("Berlin"), Country: ptr("DE"), ZipCode: ptr("10115")},
		CustomFields:   map[string]any{"shirt_size": "M", "years": float64(7)},
		IntegrationFields: []IntegrationField{
			{ID: "f1", Key: "salary", Type: IntegrationFieldCustom, Value: float64(100)},
		},
		RemoteURL:       ptr("https://ats.example/c/32"),
		RemoteCreatedAt: &created,
		ChangedAt:       changed,
		Applications: []CandidateApplication{{
			ID: "8Xi6iZrwusZqJmDGXs49GBmJ", RemoteID: ptr("a-1"), Outcome: &pending, ChangedAt: changed,
			CurrentStage: &CandidateApplicationStage{ID: "s1", Name: ptr("Assessment"), RemoteID: ptr("st-1"), Index: ptr(2)},
			Job:          &ApplicationJob{ID: "j1", Name: ptr("Engineer"), RemoteID: "job-1"},
		}},
		Tags: []Tag{{ID: "t1", Name: ptr("Top")}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("decoded:\n got %+v\nwant %+v", c, want)
	}
}

func TestListCandidatesQuery(t *testing.T) {
	t.Parallel()

	berlin := time.FixedZone("CET", 3600)
	p := ListCandidatesParams{
		PageSize:                 2,
		UpdatedAfter:             time.Date(2024, 1, 2, 4, 4, 5, 678_900_000, berlin),
		IncludeDeleted:           true,
		IgnoreUnsupportedFilters: true,
		IDs:                      []string{"id1", "id2"},
		RemoteIDs:                []string{"r1"},
		Email:                    "a+b@example.com",
		FirstName:                "Ada",
		LastName:                 "Lovelace",
		JobIDs:                   []string{"j1", "j2"},
	}
	want := "email=a%2Bb%40example.com&first_name=Ada&ids=id1%2Cid2&ignore_unsupported_filters=true&include_deleted=true" +
		"&job_ids=j1%2Cj2&last_name=Lovelace&page_size=2&remote_ids=r1&updated_after=2024-01-02T03%3A04%3A05.678Z"
	if got := p.query().Encode(); got != want {
		t.Errorf("query:\n got %s\nwant %s", got, want)
	}
	if got := (ListCandidatesParams{}).query().Encode(); got != "" {
		t.Errorf("zero params: query = %q, want empty", got)
	}
}

// pagedServer answers list calls with pages of records whose IDs are given,
// linking page i to page i+1 with cursor "c<i+1>".
func pagedServer(pages [][]string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		i := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			i = int(c[1] - '0')
		}
		var recs []string
		for _, id := range pages[i] {
			recs = append(recs, `{"id":"`+id+`","changed_at":"2024-01-01T00:00:00.000Z"}`)
		}
		next := "null"
		if i+1 < len(pages) {
			next = `"c` + string(rune('0'+i+1)) + `"`
		}
		reply(w, 200, `{"status":"success","data":{"next":`+next+`,"results":[`+strings.Join(recs, ",")+`]}}`)
	}
}

func TestListCandidatesWalksAllPages(t *testing.T) {
	t.Parallel()

	b := setup(t, pagedServer([][]string{{"a", "b"}, {"c", "d"}, {"e"}}))
	params := ListCandidatesParams{
		XIntegrationID: "greenhouse:x",
		PageSize:       2,
		Email:          "ada@example.com",
		JobIDs:         []string{"j1", "j2"},
		UpdatedAfter:   time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var ids []string
	for cand, err := range b.client.ListCandidates(context.Background(), params) {
		if err != nil {
			t.Fatalf("ListCandidates: %v", err)
		}
		ids = append(ids, cand.ID)
	}
	if want := []string{"a", "b", "c", "d", "e"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("IDs = %v, want %v", ids, want)
	}

	filters := "email=ada%40example.com&job_ids=j1%2Cj2&page_size=2&updated_after=2024-01-01T00%3A00%3A00.000Z"
	wantURIs := []string{
		"/v1/ats/candidates?" + filters,
		"/v1/ats/candidates?cursor=c1&" + filters,
		"/v1/ats/candidates?cursor=c2&" + filters,
	}
	reqs := b.server.requests()
	if len(reqs) != len(wantURIs) {
		t.Fatalf("requests = %d, want %d", len(reqs), len(wantURIs))
	}
	for i, r := range reqs {
		if r.uri != wantURIs[i] {
			t.Errorf("request %d = %s, want %s", i, r.uri, wantURIs[i])
		}
		if got := r.header.Get("X-Integration-Id"); got != "greenhouse:x" {
			t.Errorf("request %d: X-Integration-Id = %q", i, got)
		}
	}
}

func TestListCandidatesStopsEarly(t *testing.T) {
	t.Parallel()

	b := setup(t, pagedServer([][]string{{"a", "b"}, {"c"}}))
	for cand, err := range b.client.ListCandidates(context.Background(), ListCandidatesParams{}) {
		if err != nil || cand.ID != "a" {
			t.Fatalf("first = %q, %v", cand.ID, err)
		}
		break
	}
	if n := len(b.server.requests()); n != 1 {
		t.Errorf("requests = %d, want 1 after leaving the loop on the first page", n)
	}
}

func TestListCandidatesErrorEndsWalk(t *testing.T) {
	t.Parallel()

	pages := pagedServer([][]string{{"a"}, {"b"}})
	b := setup(t, func(w http.ResponseWriter, r *http.Request, attempt int) {
		if attempt == 2 {
			reply(w, 409, errorBody("INTEGRATION.SETUP_SYNC_PENDING", "null", "first sync running", "null"))
			return
		}
		pages(w, r, attempt)
	})
	var ids []string
	var errs []error
	for cand, err := range b.client.ListCandidates(context.Background(), ListCandidatesParams{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, cand.ID)
	}
	if !reflect.DeepEqual(ids, []string{"a"}) {
		t.Errorf("IDs = %v, want [a]", ids)
	}
	var apiErr *Error
	if len(errs) != 1 || !errors.As(errs[0], &apiErr) || apiErr.Code != CodeIntegrationSetupSyncPending {
		t.Errorf("errors = %v, want one SETUP_SYNC_PENDING error", errs)
	}
	if n := len(b.server.requests()); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestListCandidatesRepeatedCursor(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"status":"success","data":{"next":"same","results":[{"id":"a"}]}}`)
	})
	var err error
	n := 0
	for _, e := range b.client.ListCandidates(context.Background(), ListCandidatesParams{}) {
		if e != nil {
			err = e
			break
		}
		if n++; n > 10 {
			t.Fatal("the walk did not stop on a repeated cursor")
		}
	}
	if err == nil || !strings.Contains(err.Error(), `cursor "same" twice`) {
		t.Errorf("err = %v, want a repeated-cursor error", err)
	}
	if reqs := len(b.server.requests()); reqs != 2 || n != 2 {
		t.Errorf("requests = %d, records = %d; want 2 and 2", reqs, n)
	}
}

func TestListCandidatesPage(t *testing.T) {
	t.Parallel()

	b := setup(t, pagedServer([][]string{{"a", "b"}, {"c"}}))
	ctx := context.Background()
	first, err := b.client.ListCandidatesPage(ctx, ListCandidatesParams{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Results) != 2 || first.Next != "c1" {
		t.Fatalf("first page = %d results, next %q; want 2 and c1", len(first.Results), first.Next)
	}
	last, err := b.client.ListCandidatesPage(ctx, ListCandidatesParams{PageSize: 2, Cursor: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if len(last.Results) != 1 || last.Results[0].ID != "c" || last.Next != "" {
		t.Errorf("last page = %+v, want [c] and no next cursor", last)
	}
}
