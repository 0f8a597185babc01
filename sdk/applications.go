package sdk

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// Application is a candidate's application to a job, as mirrored by the
// server, with the candidate, the job, the current stage, interviews and
// offers. Its ID is what AddApplicationResultLink takes.
type Application struct {
	// ID is the application's Kombo ID.
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
	// CurrentStageID is the Kombo ID of the stage the application is in.
	CurrentStageID *string `json:"current_stage_id"`
	// JobID is the Kombo ID of the job applied for.
	JobID *string `json:"job_id"`
	// CandidateID is the Kombo ID of the candidate who applied.
	CandidateID *string `json:"candidate_id"`
	// ScreeningQuestionAnswers are the candidate's answers to the job's
	// screening questions, where the ATS has them.
	ScreeningQuestionAnswers []ScreeningQuestionAnswer `json:"screening_question_answers,omitempty"`
	// CustomFields holds the custom fields mapped for the integration, by
	// key, decoded from JSON as they came.
	CustomFields map[string]any `json:"custom_fields"`
	// IntegrationFields are raw ATS fields passed along by the integration;
	// nil when the server sends none.
	IntegrationFields []IntegrationField `json:"integration_fields,omitempty"`
	// RemoteURL opens the application in the ATS.
	RemoteURL *string `json:"remote_url"`
	// ChangedAt is when the server last saw the application's own fields
	// change.
	ChangedAt time.Time `json:"changed_at"`
	// RemoteDeletedAt is when the application disappeared from the ATS; nil
	// while it exists there.
	RemoteDeletedAt *time.Time `json:"remote_deleted_at"`
	// RemoteCreatedAt is when the application was created in the ATS.
	RemoteCreatedAt *time.Time `json:"remote_created_at"`
	// RemoteUpdatedAt is when the ATS last changed the application.
	RemoteUpdatedAt *time.Time `json:"remote_updated_at"`
	// RemoteData holds the application as the ATS's own API returned it,
	// keyed by the remote endpoint; nil when the server sends none.
	RemoteData map[string]any `json:"remote_data,omitempty"`
	// Candidate is the candidate who applied.
	Candidate *ApplicationCandidate `json:"candidate"`
	// CurrentStage is the stage of the hiring process the application is in.
	CurrentStage *ApplicationStage `json:"current_stage"`
	// Job is the job applied for.
	Job *ApplicationJob `json:"job"`
	// Interviews are the interviews held or planned for the application.
	Interviews []Interview `json:"interviews"`
	// Offers are the job offers made on the application.
	Offers []Offer `json:"offers"`
}

// ApplicationCandidate is the candidate of an Application, with the fields an
// application carries.
type ApplicationCandidate struct {
	// ID is the candidate's Kombo ID.
	ID string `json:"id"`
	// RemoteID is the candidate's ID in the ATS.
	RemoteID string `json:"remote_id"`
	// FirstName is the candidate's first name.
	FirstName *string `json:"first_name"`
	// LastName is the candidate's last name.
	LastName *string `json:"last_name"`
	// Source is where the candidate came from, for attribution.
	Source *string `json:"source"`
	// RemoteURL opens the candidate in the ATS.
	RemoteURL *string `json:"remote_url"`
	// Tags are the tags on the candidate.
	Tags []Tag `json:"tags"`
	// EmailAddresses are the candidate's email addresses.
	EmailAddresses []EmailAddress `json:"email_addresses,omitempty"`
	// PhoneNumbers are the candidate's phone numbers.
	PhoneNumbers []PhoneNumber `json:"phone_numbers,omitempty"`
	// SocialMedia are the candidate's profiles on other sites.
	SocialMedia []SocialMediaProfile `json:"social_media,omitempty"`
}

// StageStatus says whether a stage is still in use in the ATS.
type StageStatus string

// The statuses of a stage.
const (
	// StageActive is a stage in use.
	StageActive StageStatus = "ACTIVE"
	// StageInactive is a stage no longer in use.
	StageInactive StageStatus = "INACTIVE"
)

// ApplicationStage is the stage of the hiring process an Application is in.
type ApplicationStage struct {
	// ID is the stage's Kombo ID.
	ID string `json:"id"`
	// RemoteID is the stage's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Name is the stage's name in the ATS.
	Name *string `json:"name"`
	// Index is the stage's position in the hiring process, from the start.
	Index *int `json:"index"`
	// Status says whether the stage is still in use.
	Status *StageStatus `json:"status"`
	// CustomFields holds the stage's custom fields, by key.
	CustomFields map[string]any `json:"custom_fields"`
}

// Interview is an interview on an application.
type Interview struct {
	// ID is the interview's Kombo ID.
	ID string `json:"id"`
	// RemoteID is the interview's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Title is the interview's title.
	Title *string `json:"title"`
	// StartingAt is when the interview starts.
	StartingAt *time.Time `json:"starting_at"`
	// EndingAt is when the interview ends.
	EndingAt *time.Time `json:"ending_at"`
	// Canceled reports whether the interview was called off.
	Canceled *bool `json:"canceled"`
	// Location is where the interview takes place, decoded from JSON as it
	// came, since the wire format does not fix its shape; nil when absent.
	Location map[string]any `json:"location,omitempty"`
}

// OfferStatus is how far a job offer got.
type OfferStatus string

// The statuses of an offer.
const (
	// OfferDraft is an offer being written.
	OfferDraft OfferStatus = "DRAFT"
	// OfferApproved is an offer approved inside the company.
	OfferApproved OfferStatus = "APPROVED"
	// OfferSent is an offer sent to the candidate.
	OfferSent OfferStatus = "SENT"
	// OfferAccepted is an offer the candidate accepted.
	OfferAccepted OfferStatus = "ACCEPTED"
	// OfferDeclined is an offer the candidate declined.
	OfferDeclined OfferStatus = "DECLINED"
	// OfferAbandoned is an offer given up before an answer.
	OfferAbandoned OfferStatus = "ABANDONED"
)

// Offer is a job offer on an application.
type Offer struct {
	// ID is the offer's Kombo ID.
	ID string `json:"id"`
	// RemoteID is the offer's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Status is how far the offer got.
	Status *OfferStatus `json:"status"`
}

// ScreeningQuestionType is the kind of answer a screening question takes,
// which decides the field of ScreeningAnswer that is set.
type ScreeningQuestionType string

// The kinds of screening question.
const (
	// ScreeningQuestionText takes free text (ScreeningAnswer.Content).
	ScreeningQuestionText ScreeningQuestionType = "TEXT"
	// ScreeningQuestionSingleSelect takes one choice (ScreeningAnswer.Choice).
	ScreeningQuestionSingleSelect ScreeningQuestionType = "SINGLE_SELECT"
	// ScreeningQuestionMultiSelect takes several choices
	// (ScreeningAnswer.Choices).
	ScreeningQuestionMultiSelect ScreeningQuestionType = "MULTI_SELECT"
	// ScreeningQuestionBoolean takes yes or no (ScreeningAnswer.Checked).
	ScreeningQuestionBoolean ScreeningQuestionType = "BOOLEAN"
	// ScreeningQuestionNumber takes a number (ScreeningAnswer.Number).
	ScreeningQuestionNumber ScreeningQuestionType = "NUMBER"
	// ScreeningQuestionDate takes a date (ScreeningAnswer.Date).
	ScreeningQuestionDate ScreeningQuestionType = "DATE"
	// ScreeningQuestionUnknown is a kind the server cannot map; the answer
	// is kept as it came (ScreeningAnswer.Raw).
	ScreeningQuestionUnknown ScreeningQuestionType = "UNKNOWN"
)

// ScreeningQuestionAnswer pairs a screening question with the candidate's
// answer.
type ScreeningQuestionAnswer struct {
	// Question is the question asked.
	Question ScreeningQuestion `json:"question"`
	// Answer is the candidate's answer.
	Answer ScreeningAnswer `json:"answer"`
}

// ScreeningQuestion is a question a job asks applicants.
type ScreeningQuestion struct {
	// RemoteID is the question's ID in the ATS.
	RemoteID *string `json:"remote_id"`
	// Title is the question's text.
	Title string `json:"title"`
	// Type is the kind of answer the question takes.
	Type ScreeningQuestionType `json:"type"`
}

// ScreeningAnswer is an answer to a screening question. The field that is
// set depends on the question's Type; the others are nil.
type ScreeningAnswer struct {
	// Content is the answer to a TEXT question.
	Content *string `json:"content,omitempty"`
	// Choice is the answer to a SINGLE_SELECT question.
	Choice *string `json:"choice,omitempty"`
	// Choices are the answers to a MULTI_SELECT question.
	Choices []string `json:"choices,omitempty"`
	// Checked is the answer to a BOOLEAN question.
	Checked *bool `json:"checked,omitempty"`
	// Number is the answer to a NUMBER question.
	Number *float64 `json:"number,omitempty"`
	// Date is the answer to a DATE question, as the text the server sent.
	Date *string `json:"date,omitempty"`
	// Raw is the answer to an UNKNOWN question, decoded from JSON as it came.
	Raw any `json:"raw,omitempty"`
}

// ListApplicationsParams selects the applications ListApplications and
// ListApplicationsPage return. Zero fields are not sent. Different filters
// must all hold; a list filter matches any of its values.
type ListApplicationsParams struct {
	// XIntegrationID is the integration to read from, sent as the
	// X-Integration-Id header. Empty means the client's WithIntegrationID.
	XIntegrationID string
	// Cursor continues a listing from a page's Next. ListApplications sets
	// it itself.
	Cursor string
	// PageSize is the number of applications per page, up to 250; 0 leaves
	// the server's default (100).
	PageSize int
	// UpdatedAfter keeps applications changed after this time, counting
	// changes to their candidate, current stage, interviews and offers too.
	UpdatedAfter time.Time
	// IncludeDeleted also returns applications removed from the ATS (see
	// Application.RemoteDeletedAt).
	IncludeDeleted bool
	// IgnoreUnsupportedFilters makes the server ignore filters the ATS cannot
	// apply, instead of returning no applications.
	IgnoreUnsupportedFilters bool
	// IDs keeps applications with these Kombo IDs.
	IDs []string
	// RemoteIDs keeps applications with these ATS IDs.
	RemoteIDs []string
	// Outcomes keeps applications with any of these outcomes.
	Outcomes []Outcome
	// JobIDs keeps applications to any of these jobs (Kombo IDs).
	JobIDs []string
	// JobRemoteIDs keeps applications to any of these jobs (ATS IDs).
	JobRemoteIDs []string
	// CurrentStageIDs keeps applications in any of these stages.
	CurrentStageIDs []string
	// RemoteCreatedAfter keeps applications created in the ATS on or after
	// the day of this time.
	RemoteCreatedAfter time.Time
}

// query encodes p as the query string of GET /ats/applications.
func (p ListApplicationsParams) query() url.Values {
	q := listQuery{}
	q.str("cursor", p.Cursor)
	q.integer("page_size", p.PageSize)
	q.timestamp("updated_after", p.UpdatedAfter)
	q.boolean("include_deleted", p.IncludeDeleted)
	q.boolean("ignore_unsupported_filters", p.IgnoreUnsupportedFilters)
	q.list("ids", p.IDs)
	q.list("remote_ids", p.RemoteIDs)
	q.list("outcomes", stringList(p.Outcomes))
	q.list("job_ids", p.JobIDs)
	q.list("job_remote_ids", p.JobRemoteIDs)
	q.list("current_stage_ids", p.CurrentStageIDs)
	q.timestamp("remote_created_after", p.RemoteCreatedAfter)
	return url.Values(q)
}

// ApplicationPage is one page of applications.
type ApplicationPage struct {
	// Results are the applications on this page.
	Results []Application `json:"results"`
	// Next is the cursor of the following page, empty on the last page.
	// Pass it as ListApplicationsParams.Cursor with the same filters.
	Next string `json:"next"`
}

// ListApplicationsPage returns one page of applications (GET
// /ats/applications). To walk all pages, use ListApplications.
func (c *Client) ListApplicationsPage(ctx context.Context, params ListApplicationsParams) (*ApplicationPage, error) {
	integrationID, err := c.integrationFor("ListApplicationsPage", params.XIntegrationID)
	if err != nil {
		return nil, err
	}
	var page ApplicationPage
	_, _, err = c.do(ctx, &apiRequest{
		method:        http.MethodGet,
		path:          "/ats/applications",
		query:         params.query(),
		integrationID: integrationID,
	}, &page)
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// ListApplications returns an iterator over every application params
// selects, fetching page after page as the loop goes on and sending the same
// filters with each page's cursor. An error ends the loop as the second
// value; leaving the loop early stops fetching. See ListCandidates for the
// loop's shape.
func (c *Client) ListApplications(ctx context.Context, params ListApplicationsParams) iter.Seq2[Application, error] {
	return paginate(ctx, params,
		func(p *ListApplicationsParams, cursor string) { p.Cursor = cursor },
		func(ctx context.Context, p ListApplicationsParams) ([]Application, string, error) {
			page, err := c.ListApplicationsPage(ctx, p)
			if err != nil {
				return nil, "", err
			}
			return page.Results, page.Next, nil
		})
}
