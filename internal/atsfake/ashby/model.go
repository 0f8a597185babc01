package ashby

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is the wire format of Ashby timestamps: ISO-8601 in UTC with
// milliseconds, as in the examples of Ashby's OpenAPI document.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Time is an Ashby timestamp. It marshals as ISO-8601 UTC with milliseconds;
// the zero Time marshals as JSON null (for example an application's
// archivedAt while it is active).
type Time struct{ time.Time }

// MarshalJSON renders the timestamp in Ashby's wire format, or null.
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
		return fmt.Errorf("ashby: timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("ashby: timestamp: %w", err)
	}
	t.Time = v
	return nil
}

// ContactInfo is an e-mail address or phone number of a candidate
// ({value, type, isPrimary}); type is Personal, Work or Other.
type ContactInfo struct {
	Value     string `json:"value"`
	Type      string `json:"type"`
	IsPrimary bool   `json:"isPrimary"`
}

// SocialLink is a candidate's profile link ({type, url}).
type SocialLink struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Tag is a candidate tag.
type Tag struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	IsArchived bool   `json:"isArchived"`
}

// FileHandle names a file attached to a candidate.
type FileHandle struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Handle string `json:"handle"`
}

// Source is where a candidate or application came from.
type Source struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	IsArchived bool   `json:"isArchived"`
}

// CustomFieldValue is one entry of a record's customFields array:
// {id, title, value}, the same shape customField.setValue returns. id is the
// field definition's id; value's JSON type follows the field type (string,
// number, boolean, ISO date string, or an array of strings for
// MultiValueSelect).
type CustomFieldValue struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Value any    `json:"value"`
}

// User is an Ashby user (user.list, and the author of notes).
type User struct {
	ID         string `json:"id"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Email      string `json:"email"`
	GlobalRole string `json:"globalRole"`
	IsEnabled  bool   `json:"isEnabled"`
	UpdatedAt  Time   `json:"updatedAt"`
}

// Candidate is the candidate object of candidate.list and candidate.info.
// Ashby's schema carries createdAt but no updatedAt: changes are found with
// a syncToken, not by timestamp.
type Candidate struct {
	ID                  string             `json:"id"`
	CreatedAt           Time               `json:"createdAt"`
	Name                string             `json:"name"`
	PrimaryEmailAddress *ContactInfo       `json:"primaryEmailAddress,omitempty"`
	EmailAddresses      []ContactInfo      `json:"emailAddresses"`
	PrimaryPhoneNumber  *ContactInfo       `json:"primaryPhoneNumber,omitempty"`
	PhoneNumbers        []ContactInfo      `json:"phoneNumbers"`
	SocialLinks         []SocialLink       `json:"socialLinks"`
	Tags                []Tag              `json:"tags"`
	Position            string             `json:"position,omitempty"`
	Company             string             `json:"company,omitempty"`
	School              string             `json:"school,omitempty"`
	ApplicationIDs      []string           `json:"applicationIds"`
	FileHandles         []FileHandle       `json:"fileHandles"`
	CustomFields        []CustomFieldValue `json:"customFields"`
	ProfileURL          string             `json:"profileUrl"`
	Source              *Source            `json:"source,omitempty"`
	CreditedToUser      *User              `json:"creditedToUser,omitempty"`
	Timezone            string             `json:"timezone,omitempty"`
}

// ApplicationCandidate is the candidate summary embedded in an application.
type ApplicationCandidate struct {
	ID                  string       `json:"id"`
	Name                string       `json:"name"`
	PrimaryEmailAddress *ContactInfo `json:"primaryEmailAddress,omitempty"`
	PrimaryPhoneNumber  *ContactInfo `json:"primaryPhoneNumber,omitempty"`
}

// ApplicationJob is the job summary embedded in an application.
type ApplicationJob struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	LocationID   string `json:"locationId"`
	DepartmentID string `json:"departmentId"`
}

// ArchiveReason says why an application was archived.
type ArchiveReason struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	ReasonType string `json:"reasonType"`
	IsArchived bool   `json:"isArchived"`
}

// HiringTeamMember is one member of a job's or application's hiring team.
type HiringTeamMember struct {
	UserID    string `json:"userId"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Role      string `json:"role"`
}

// Application is a candidate's consideration for one job (application.list,
// application.info). status is Active, Archived, Hired or Lead.
type Application struct {
	ID                     string               `json:"id"`
	CreatedAt              Time                 `json:"createdAt"`
	UpdatedAt              Time                 `json:"updatedAt"`
	Status                 string               `json:"status"`
	CustomFields           []CustomFieldValue   `json:"customFields"`
	Candidate              ApplicationCandidate `json:"candidate"`
	CurrentInterviewStage  *InterviewStage      `json:"currentInterviewStage"`
	Source                 *Source              `json:"source"`
	ArchiveReason          *ArchiveReason       `json:"archiveReason"`
	ArchivedAt             Time                 `json:"archivedAt"`
	Job                    ApplicationJob       `json:"job"`
	CreditedToUser         *User                `json:"creditedToUser"`
	HiringTeam             []HiringTeamMember   `json:"hiringTeam"`
	AppliedViaJobPostingID *string              `json:"appliedViaJobPostingId"`
}

// Job is the job object of job.list and job.info. status is Draft, Open,
// Closed or Archived.
type Job struct {
	ID                     string             `json:"id"`
	Title                  string             `json:"title"`
	Confidential           bool               `json:"confidential"`
	Status                 string             `json:"status"`
	EmploymentType         string             `json:"employmentType"`
	LocationID             string             `json:"locationId"`
	DepartmentID           string             `json:"departmentId"`
	DefaultInterviewPlanID string             `json:"defaultInterviewPlanId"`
	InterviewPlanIDs       []string           `json:"interviewPlanIds"`
	CustomFields           []CustomFieldValue `json:"customFields"`
	JobPostingIDs          []string           `json:"jobPostingIds"`
	CustomRequisitionID    string             `json:"customRequisitionId"`
	HiringTeam             []HiringTeamMember `json:"hiringTeam"`
	CreatedAt              Time               `json:"createdAt"`
	UpdatedAt              Time               `json:"updatedAt"`
	OpenedAt               Time               `json:"openedAt"`
	ClosedAt               Time               `json:"closedAt"`
}

// InterviewPlan is a pipeline that jobs use (interviewPlan.list).
type InterviewPlan struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	IsArchived bool   `json:"isArchived"`
}

// InterviewStage is one stage of an interview plan (interviewStage.list,
// and an application's currentInterviewStage). type is one of Lead,
// PreInterviewScreen, Active, Offer, Hired or Archived.
type InterviewStage struct {
	ID                    string `json:"id"`
	Title                 string `json:"title"`
	Type                  string `json:"type"`
	OrderInInterviewPlan  int    `json:"orderInInterviewPlan"`
	InterviewStageGroupID string `json:"interviewStageGroupId,omitempty"`
	InterviewPlanID       string `json:"interviewPlanId"`
}

// SelectableValue is one option of a ValueSelect or MultiValueSelect field.
type SelectableValue struct {
	Label      string `json:"label"`
	Value      string `json:"value"`
	IsArchived bool   `json:"isArchived"`
}

// CustomField is a custom field definition (customField.list,
// customField.create). fieldType is one of Boolean, Date, MultiValueSelect,
// Number, String or ValueSelect; objectType says which records it belongs
// to (Application, Candidate, Job, ...).
type CustomField struct {
	ID               string            `json:"id"`
	Title            string            `json:"title"`
	ObjectType       string            `json:"objectType"`
	IsArchived       bool              `json:"isArchived"`
	FieldType        string            `json:"fieldType"`
	IsPrivate        bool              `json:"isPrivate"`
	Description      string            `json:"description,omitempty"`
	SelectableValues []SelectableValue `json:"selectableValues,omitempty"`
}

// NoteAuthor is the user who wrote a note.
type NoteAuthor struct {
	ID        string `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

// Note is a note on a candidate (candidate.createNote,
// candidate.listNotes). content is the note body as stored: sanitized HTML
// for a text/html note, the text itself for a plain note.
type Note struct {
	ID        string     `json:"id"`
	CreatedAt Time       `json:"createdAt"`
	Content   string     `json:"content"`
	Author    NoteAuthor `json:"author"`
	IsPrivate bool       `json:"isPrivate"`
}

// APIKeyInfo is what apiKey.info returns about the key in use.
type APIKeyInfo struct {
	Title     string `json:"title"`
	CreatedAt Time   `json:"createdAt"`
}

// ErrorInfo is the errorInfo object of a failure.
type ErrorInfo struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

// ErrorBody is Ashby's failure envelope: {"success": false, "errors":
// [code], "errorInfo": {code, message, requestId}}.
type ErrorBody struct {
	Success   bool       `json:"success"`
	Errors    []string   `json:"errors"`
	ErrorInfo *ErrorInfo `json:"errorInfo,omitempty"`
}

// Credentials is the connector's credentials JSON for Ashby: the API key
// (Ashby's own term) and the base URL the connector should call instead of
// https://api.ashbyhq.com.
type Credentials struct {
	APIKey  string `json:"api_key"`
	BaseURL string `json:"base_url"`
}

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method and Path are the request's method and URL path (the RPC
	// endpoint, such as "/candidate.list"); Query is the raw query string,
	// normally empty.
	Method, Path, Query string
	// Body is the raw JSON request body.
	Body string
	// ActingUserID is the user the API key acts as, or "" when the request
	// was not authenticated.
	ActingUserID string
	// Status is the HTTP status sent, or 0 when the connection was dropped.
	// Logical failures are 200, as on the wire.
	Status int
	// ErrorCode is the failure code sent (such as "invalid_input" or
	// "missing_endpoint_permission"), or "" for a success.
	ErrorCode string
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}
