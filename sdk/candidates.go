package sdk

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// Candidate is a person in the ATS, as mirrored by the server, with the
// applications they made and the tags on them. Its Applications give the IDs
// AddApplicationResultLink needs.
type Candidate struct {
	// ID is the candidate's Kombo ID, the one AddCandidateResultLink takes.
	ID string `json:"id"`
	// RemoteID is the candidate's ID in the ATS.
	RemoteID string `json:"remote_id"`
	// FirstName is the candidate's first name.
	FirstName *string `json:"first_name"`
	// LastName is the candidate's last name.
	LastName *string `json:"last_name"`
	// Company is where the candidate works now.
	Company *string `json:"company"`
	// Title is the candidate's current job title.
	Title *string `json:"title"`
	// Confidential reports whether the ATS marks the candidate as
	// confidential.
	Confidential *bool `json:"confidential"`
	// Source is where the candidate came from, for attribution.
	Source *string `json:"source"`
	// PhoneNumbers are the candidate's phone numbers.
	PhoneNumbers []PhoneNumber `json:"phone_numbers,omitempty"`
	// EmailAddresses are the candidate's email addresses.
	EmailAddresses []EmailAddress `json:"email_addresses,omitempty"`
	// SocialMedia are the candidate's profiles on other sites.
	SocialMedia []SocialMediaProfile `json:"social_media,omitempty"`
	// Location is where the candidate lives.
	Location *Location `json:"location,omitempty"`
	// CustomFields holds the custom fields mapped for the integration, by
	// key, decoded from JSON as they came.
	CustomFields map[string]any `json:"custom_fields"`
	// IntegrationFields are raw ATS fields passed along by the integration;
	// nil when the server sends none.
	IntegrationFields []IntegrationField `json:"integration_fields,omitempty"`
	// RemoteURL opens the candidate in the ATS.
	RemoteURL *string `json:"remote_url"`
	// RemoteCreatedAt is when the candidate was created in the ATS.
	RemoteCreatedAt *time.Time `json:"remote_created_at"`
	// RemoteUpdatedAt is when the ATS last changed the candidate.
	RemoteUpdatedAt *time.Time `json:"remote_updated_at"`
	// RemoteData holds the candidate as the ATS's own API returned it, keyed
	// by the remote endpoint; nil when the server sends none.
	RemoteData map[string]any `json:"remote_data,omitempty"`
	// ChangedAt is when the server last saw the candidate's own fields
	// change.
	ChangedAt time.Time `json:"changed_at"`
	// RemoteDeletedAt is when the candidate disappeared from the ATS; nil
	// while it exists there. Deleted candidates are listed only with
	// IncludeDeleted.
	RemoteDeletedAt *time.Time `json:"remote_deleted_at"`
	// Applications are the candidate's applications.
	Applications []CandidateApplication `json:"applications"`
	// Tags are the tags on the candidate.
	Tags []Tag `json:"tags"`
}

// CandidateApplication is one application of a candidate, as listed inside
// the Candidate.
type CandidateApplication struct {
	// ID is the application's Kombo ID, the one AddApplicationResultLink
	// takes.
	ID string `json:"id"`
	// RemoteID is the application's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Outcome is where the application ended up; nil when the ATS does not
	// say.
	Outcome *Outcome `json:"outcome"`
	// RejectionReasonName is why the application was rejected.
	RejectionReasonName *string `json:"rejection_reason_name"`
	// RejectedAt is when the application was rejected.
	RejectedAt *time.Time `json:"rejected_at"`
	// RemoteURL opens the application in the ATS.
	RemoteURL *string `json:"remote_url"`
	// ChangedAt is when the server last saw the application change.
	ChangedAt time.Time `json:"changed_at"`
	// RemoteCreatedAt is when the application was created in the ATS.
	RemoteCreatedAt *time.Time `json:"remote_created_at"`
	// RemoteUpdatedAt is when the ATS last changed the application.
	RemoteUpdatedAt *time.Time `json:"remote_updated_at"`
	// CurrentStage is the stage of the hiring process the application is in.
	CurrentStage *CandidateApplicationStage `json:"current_stage"`
	// Job is the job applied for.
	Job *ApplicationJob `json:"job"`
}

// CandidateApplicationStage is the stage an application listed inside a
// Candidate is in.
type CandidateApplicationStage struct {
	// ID is the stage's Kombo ID.
	ID string `json:"id"`
	// Name is the stage's name in the ATS.
	Name *string `json:"name"`
	// RemoteID is the stage's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Index is the stage's position in the hiring process, from the start.
	Index *int `json:"index"`
}

// ListCandidatesParams selects the candidates ListCandidates and
// ListCandidatesPage return. Zero fields are not sent. Different filters must
// all hold; a list filter matches any of its values.
type ListCandidatesParams struct {
	// XIntegrationID is the integration to read from, sent as the
	// X-Integration-Id header. Empty means the client's WithIntegrationID.
	XIntegrationID string
	// Cursor continues a listing from a page's Next. ListCandidates sets it
	// itself.
	Cursor string
	// PageSize is the number of candidates per page, up to 250; 0 leaves the
	// server's default (100).
	PageSize int
	// UpdatedAfter keeps candidates changed after this time, counting changes
	// to their applications and tags too. Store the time you started the
	// previous fetch and pass it here.
	UpdatedAfter time.Time
	// IncludeDeleted also returns candidates removed from the ATS (see
	// Candidate.RemoteDeletedAt).
	IncludeDeleted bool
	// IgnoreUnsupportedFilters makes the server ignore filters the ATS cannot
	// apply, instead of returning no candidates.
	IgnoreUnsupportedFilters bool
	// IDs keeps candidates with these Kombo IDs.
	IDs []string
	// RemoteIDs keeps candidates with these ATS IDs.
	RemoteIDs []string
	// Email keeps candidates with this email address, ignoring case.
	Email string
	// FirstName keeps candidates with exactly this first name, ignoring case.
	FirstName string
	// LastName keeps candidates with exactly this last name, ignoring case.
	LastName string
	// JobIDs keeps candidates who applied to any of these jobs.
	JobIDs []string
}

// query encodes p as the query string of GET /ats/candidates.
func (p ListCandidatesParams) query() url.Values {
	q := listQuery{}
	q.str("cursor", p.Cursor)
	q.integer("page_size", p.PageSize)
	q.timestamp("updated_after", p.UpdatedAfter)
	q.boolean("include_deleted", p.IncludeDeleted)
	q.boolean("ignore_unsupported_filters", p.IgnoreUnsupportedFilters)
	q.list("ids", p.IDs)
	q.list("remote_ids", p.RemoteIDs)
	q.str("email", p.Email)
	q.str("first_name", p.FirstName)
	q.str("last_name", p.LastName)
	q.list("job_ids", p.JobIDs)
	return url.Values(q)
}

// CandidatePage is one page of candidates.
type CandidatePage struct {
	// Results are the candidates on this page.
	Results []Candidate `json:"results"`
	// Next is the cursor of the following page, empty on the last page.
	// Pass it as ListCandidatesParams.Cursor with the same filters.
	Next string `json:"next"`
}

// ListCandidatesPage returns one page of candidates (GET /ats/candidates).
// To walk all pages, use ListCandidates.
func (c *Client) ListCandidatesPage(ctx context.Context, params ListCandidatesParams) (*CandidatePage, error) {
	integrationID, err := c.integrationFor("ListCandidatesPage", params.XIntegrationID)
	if err != nil {
		return nil, err
	}
	var page CandidatePage
	_, _, err = c.do(ctx, &apiRequest{
		method:        http.MethodGet,
		path:          "/ats/candidates",
		query:         params.query(),
		integrationID: integrationID,
	}, &page)
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// ListCandidates returns an iterator over every candidate params selects,
// fetching page after page as the loop goes on and sending the same filters
// with each page's cursor. An error ends the loop as the second value:
//
//	for cand, err := range client.ListCandidates(ctx, params) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// Leaving the loop early stops fetching.
func (c *Client) ListCandidates(ctx context.Context, params ListCandidatesParams) iter.Seq2[Candidate, error] {
	return paginate(ctx, params,
		func(p *ListCandidatesParams, cursor string) { p.Cursor = cursor },
		func(ctx context.Context, p ListCandidatesParams) ([]Candidate, string, error) {
			page, err := c.ListCandidatesPage(ctx, p)
			if err != nil {
				return nil, "", err
			}
			return page.Results, page.Next, nil
		})
}
