package greenhouse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is the wire format of every Harvest v3 timestamp: ISO-8601 in
// UTC with millisecond precision, as in the examples of Greenhouse's OpenAPI
// document [OAS].
const timeLayout = "2006-01-02T15:04:05.000Z"

// Time is a Harvest timestamp. It marshals as ISO-8601 UTC with milliseconds
// ("2024-01-01T00:00:00.000Z"); the zero Time marshals as JSON null, which is
// how Greenhouse renders an unset timestamp such as rejected_at.
type Time struct{ time.Time }

// MarshalJSON renders the timestamp in Greenhouse's wire format, or null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(timeLayout) + `"`), nil
}

// UnmarshalJSON accepts null or any RFC 3339 timestamp, so tests can decode
// the fake's responses into the exported types.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("greenhouse: timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("greenhouse: timestamp: %w", err)
	}
	t.Time = v
	return nil
}

// TypedValue is a contact entry with a type, used for phone numbers,
// addresses, e-mail addresses and website addresses of a candidate
// (`{value,type}` in [OAS] components.schemas.candidate).
type TypedValue struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

// SocialMediaAddress is a candidate's social media entry, which carries no
// type (`{value}` in [OAS]).
type SocialMediaAddress struct {
	Value string `json:"value"`
}

// CustomFieldValue is one entry of a record's custom_fields object. Harvest v3
// keys the object by the field's name_key and renders each entry as
// {name, type, value}, where type is the field's value_type and select values
// read back as option names [OAS][ML].
type CustomFieldValue struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// Candidate is the v3 candidate object (components.schemas.candidate in
// [OAS]). It has no application ids and no embedded children: applications are
// listed through GET /v3/applications?candidate_ids=.
type Candidate struct {
	ID                   int64                       `json:"id"`
	CreatedAt            Time                        `json:"created_at"`
	UpdatedAt            Time                        `json:"updated_at"`
	LastActivityAt       Time                        `json:"last_activity_at"`
	FirstName            *string                     `json:"first_name"`
	LastName             *string                     `json:"last_name"`
	PreferredName        *string                     `json:"preferred_name"`
	Company              *string                     `json:"company"`
	Title                *string                     `json:"title"`
	TimeZone             *string                     `json:"time_zone"`
	Private              *bool                       `json:"private"`
	CanEmail             bool                        `json:"can_email"`
	Tags                 []string                    `json:"tags"`
	LinkedUserIDs        []int64                     `json:"linked_user_ids"`
	PhoneNumbers         []TypedValue                `json:"phone_numbers"`
	Addresses            []TypedValue                `json:"addresses"`
	EmailAddresses       []TypedValue                `json:"email_addresses"`
	WebsiteAddresses     []TypedValue                `json:"website_addresses"`
	SocialMediaAddresses []SocialMediaAddress        `json:"social_media_addresses"`
	CustomFields         map[string]CustomFieldValue `json:"custom_fields"`
}

// Answer is one application question and its answer.
type Answer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Application is the v3 application object (components.schemas.application
// in [OAS]). It has a single job_id (null for a prospect without a job) and
// its current stage as stage_id/stage_name; status is one of in_process,
// rejected, hired or converted.
type Application struct {
	ID                  int64                       `json:"id"`
	CreatedAt           Time                        `json:"created_at"`
	UpdatedAt           Time                        `json:"updated_at"`
	LastActivityAt      Time                        `json:"last_activity_at"`
	RejectedAt          Time                        `json:"rejected_at"`
	CandidateID         int64                       `json:"candidate_id"`
	JobID               *int64                      `json:"job_id"`
	JobPostID           *int64                      `json:"job_post_id"`
	StageID             *int64                      `json:"stage_id"`
	StageName           *string                     `json:"stage_name"`
	JobInterviewStageID *int64                      `json:"job_interview_stage_id"`
	Status              string                      `json:"status"`
	Prospect            bool                        `json:"prospect"`
	NeedsDecision       bool                        `json:"needs_decision"`
	RecruiterID         *int64                      `json:"recruiter_id"`
	CoordinatorID       *int64                      `json:"coordinator_id"`
	ReferrerID          *int64                      `json:"referrer_id"`
	SourceID            *int64                      `json:"source_id"`
	AgencyNoteID        *int64                      `json:"agency_note_id"`
	LocationAddress     *string                     `json:"location_address"`
	Answers             []Answer                    `json:"answers"`
	ProspectiveJobIDs   []int64                     `json:"prospective_job_ids"`
	CustomFields        map[string]CustomFieldValue `json:"custom_fields"`
}

// Job is the v3 job object (the jobs schema of [OAS] as extracted by
// amp-labs schemas.json).
type Job struct {
	ID            int64                       `json:"id"`
	Name          string                      `json:"name"`
	RequisitionID *string                     `json:"requisition_id"`
	Notes         *string                     `json:"notes"`
	Confidential  bool                        `json:"confidential"`
	IsTemplate    bool                        `json:"is_template"`
	CopiedFromID  *int64                      `json:"copied_from_id"`
	Status        string                      `json:"status"`
	DepartmentID  *int64                      `json:"department_id"`
	OfficeIDs     []int64                     `json:"office_ids"`
	OpenedAt      Time                        `json:"opened_at"`
	ClosedAt      Time                        `json:"closed_at"`
	CreatedAt     Time                        `json:"created_at"`
	UpdatedAt     Time                        `json:"updated_at"`
	CustomFields  map[string]CustomFieldValue `json:"custom_fields"`
}

// JobInterviewStage is one stage of a job's hiring plan
// (GET /v3/job_interview_stages in [OAS]). An application's stage_id refers
// to one of these.
type JobInterviewStage struct {
	ID        int64  `json:"id"`
	JobID     int64  `json:"job_id"`
	Name      string `json:"name"`
	SortOrder int    `json:"sort_order"`
	Active    bool   `json:"active"`
	CreatedAt Time   `json:"created_at"`
	UpdatedAt Time   `json:"updated_at"`
}

// User is the v3 user object ([OAS] user schema). A token minted with
// sub=<id> acts as this user; site_admin decides whether it may read lists.
type User struct {
	ID                 int64                       `json:"id"`
	Name               string                      `json:"name"`
	FirstName          string                      `json:"first_name"`
	LastName           string                      `json:"last_name"`
	PrimaryEmail       string                      `json:"primary_email"`
	Emails             []string                    `json:"emails"`
	EmployeeID         *string                     `json:"employee_id"`
	JobTitle           *string                     `json:"job_title"`
	SiteAdmin          bool                        `json:"site_admin"`
	Deactivated        bool                        `json:"deactivated"`
	AgencyID           *int64                      `json:"agency_id"`
	DepartmentIDs      []int64                     `json:"department_ids"`
	OfficeIDs          []int64                     `json:"office_ids"`
	LinkedCandidateIDs []int64                     `json:"linked_candidate_ids"`
	InterviewerTags    []string                    `json:"interviewer_tags"`
	CustomFields       map[string]CustomFieldValue `json:"custom_fields"`
	CreatedAt          Time                        `json:"created_at"`
	UpdatedAt          Time                        `json:"updated_at"`
}

// CustomField is a custom field definition (GET /v3/custom_fields, [OAS][ML]).
// Values are written and read by NameKey, which Greenhouse derives from the
// name at creation and never changes.
type CustomField struct {
	ID                   int64   `json:"id"`
	CreatedAt            Time    `json:"created_at"`
	UpdatedAt            Time    `json:"updated_at"`
	Name                 string  `json:"name"`
	NameKey              string  `json:"name_key"`
	FieldType            string  `json:"field_type"`
	ValueType            string  `json:"value_type"`
	Private              bool    `json:"private"`
	Required             bool    `json:"required"`
	Active               bool    `json:"active"`
	SortOrder            int     `json:"sort_order"`
	RequireApproval      bool    `json:"require_approval"`
	TriggerNewVersion    bool    `json:"trigger_new_version"`
	InternalType         *string `json:"internal_type"`
	ExposeInJobBoardAPI  bool    `json:"expose_in_job_board_api"`
	Placeholder          *string `json:"placeholder"`
	Description          *string `json:"description"`
	ApplicationType      *string `json:"application_type"`
	APIOnly              bool    `json:"api_only"`
	UseForJobApprovals   bool    `json:"use_for_job_approvals"`
	UseForOfferApprovals bool    `json:"use_for_offer_approvals"`
	TemplateTokenString  *string `json:"template_token_string"`
	DefaultValue         any     `json:"default_value"`
	UpdatedByID          *int64  `json:"updated_by_id"`
}

// CustomFieldOption is one option of a single_select or multi_select field
// (GET /v3/custom_field_options, [OAS]).
type CustomFieldOption struct {
	ID            int64   `json:"id"`
	CustomFieldID int64   `json:"custom_field_id"`
	Name          string  `json:"name"`
	ExternalID    *string `json:"external_id"`
	SortOrder     int     `json:"sort_order"`
	Active        bool    `json:"active"`
}

// Note is the v3 note object (GET/POST /v3/notes, [OAS] notes schema). The
// read side spells the kind as type and the visibility with a _visible
// suffix, whatever spelling the write used.
type Note struct {
	ID                       int64    `json:"id"`
	CreatedAt                Time     `json:"created_at"`
	UpdatedAt                Time     `json:"updated_at"`
	CandidateID              int64    `json:"candidate_id"`
	ApplicationID            *int64   `json:"application_id"`
	UserID                   *int64   `json:"user_id"`
	Body                     string   `json:"body"`
	BodyWithTags             string   `json:"body_with_tags"`
	Subject                  *string  `json:"subject"`
	Type                     string   `json:"type"`
	Visibility               *string  `json:"visibility"`
	EmailFrom                *string  `json:"email_from"`
	EmailTo                  *string  `json:"email_to"`
	EmailCC                  []string `json:"email_cc"`
	ImportHash               *string  `json:"import_hash"`
	EmailAttachmentFileNames *string  `json:"email_attachment_file_names"`
}

// ErrorBody is the JSON error envelope the fake writes. Harvest v3 errors are
// {"message": "...", "errors": [...]} where each entry is a string or a
// single-key object {"<field>": "<msg>"} [W6][AB]; the token host answers
// some errors with an errorId or with an RFC 6749 "error" member instead.
type ErrorBody struct {
	Message string `json:"message,omitempty"`
	Errors  []any  `json:"errors,omitempty"`
	ErrorID string `json:"errorId,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Credentials is the connector's credentials JSON for a Harvest v3 custom
// integration: api_version "v3", the OAuth client id and secret, base_url
// (where /v3/... lives) and auth_url (where /token lives).
type Credentials struct {
	APIVersion   string `json:"api_version"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	BaseURL      string `json:"base_url"`
	AuthURL      string `json:"auth_url"`
}

func ptr[T any](v T) *T { return &v }
