package workable

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Time is a Workable record timestamp: ISO 8601 in UTC with whole seconds
// ("2026-07-23T20:02:42Z"), as candidates carry them in recorded responses
// (Nango fixtures list-candidates, get-candidate). The zero Time marshals
// as null.
type Time struct{ time.Time }

// MarshalJSON renders the timestamp in Workable's wire format, or null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

// UnmarshalJSON accepts null or any RFC 3339 timestamp.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("workable: timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("workable: timestamp: %w", err)
	}
	t.Time = v
	return nil
}

// MilliTime is an activity timestamp, which Workable renders with
// milliseconds ("2026-07-23T19:21:46.175Z", Nango fixture
// list-candidate-activities).
type MilliTime struct{ time.Time }

// MarshalJSON renders the timestamp with milliseconds, or null.
func (t MilliTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// UnmarshalJSON accepts null or any RFC 3339 timestamp.
func (t *MilliTime) UnmarshalJSON(b []byte) error {
	var v Time
	if err := v.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Time = v.Time
	return nil
}

// ErrorBody is Workable's error envelope, {"error": "..."} (recorded 404
// {"error":"Not found"} in the Nango fixture
// update-candidate-custom-attribute).
type ErrorBody struct {
	Error string `json:"error"`
}

// Paging is the paging object of a list: next is an absolute URL to follow
// verbatim, absent on the last page.
type Paging struct {
	Next string `json:"next,omitempty"`
}

// Account names the Workable account a candidate belongs to.
type Account struct {
	Subdomain string `json:"subdomain"`
	Name      string `json:"name"`
}

// JobRef is the job a candidate record belongs to.
type JobRef struct {
	Shortcode string `json:"shortcode"`
	Title     string `json:"title"`
}

// Candidate is a candidate as GET /candidates lists it. In Workable a
// candidate record is per job: the same person on two jobs is two records
// with two ids, so a candidate is what other ATSs call an application
// (vendors.md §3.5).
type Candidate struct {
	ID                     string  `json:"id"`
	Name                   string  `json:"name"`
	Firstname              string  `json:"firstname"`
	Lastname               string  `json:"lastname"`
	Headline               *string `json:"headline"`
	Account                Account `json:"account"`
	Job                    JobRef  `json:"job"`
	Stage                  string  `json:"stage"`
	StageKind              string  `json:"stage_kind"`
	Disqualified           bool    `json:"disqualified"`
	DisqualificationReason *string `json:"disqualification_reason"`
	HiredAt                Time    `json:"hired_at"`
	Sourced                bool    `json:"sourced"`
	ProfileURL             string  `json:"profile_url"`
	Address                *string `json:"address"`
	Phone                  *string `json:"phone"`
	Email                  string  `json:"email"`
	Domain                 *string `json:"domain"`
	CreatedAt              Time    `json:"created_at"`
	UpdatedAt              Time    `json:"updated_at"`
}

// Location is a candidate's or job's structured location.
type Location struct {
	LocationStr *string `json:"location_str"`
	Country     *string `json:"country"`
	CountryCode *string `json:"country_code"`
	Region      *string `json:"region"`
	RegionCode  *string `json:"region_code"`
	City        *string `json:"city"`
	ZipCode     *string `json:"zip_code"`
}

// AttributeValue is one custom attribute value of a candidate, as the fake
// renders it in GET /candidates/{id}: the attribute's key (id), label and
// type, and the value as written (a string, number, boolean, date string,
// list of choice ids, or {"name"} / {"url"} for a file). Workable's
// documentation does not show how values are read back; this shape is the
// fake's own.
type AttributeValue struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// CandidateDetail is GET /candidates/{id}: the list fields plus the profile
// (Nango fixture get-candidate), and custom_attributes, the fake's
// rendering of the values written through update_custom_attribute_value.
type CandidateDetail struct {
	Candidate
	ImageURL               *string          `json:"image_url"`
	DisqualifiedAt         Time             `json:"disqualified_at"`
	Withdrew               bool             `json:"withdrew"`
	Anonymized             bool             `json:"anonymized"`
	MovedToOfferAt         Time             `json:"moved_to_offer_at"`
	OutboundMailbox        string           `json:"outbound_mailbox"`
	Outlet                 string           `json:"outlet"`
	CommonSource           string           `json:"common_source"`
	CommonSourceCategory   string           `json:"common_source_category"`
	UploaderID             *string          `json:"uploader_id"`
	CoverLetter            *string          `json:"cover_letter"`
	Summary                *string          `json:"summary"`
	EducationEntries       []any            `json:"education_entries"`
	ExperienceEntries      []any            `json:"experience_entries"`
	Skills                 []any            `json:"skills"`
	Answers                []any            `json:"answers"`
	ResumeURL              *string          `json:"resume_url"`
	Tags                   []string         `json:"tags"`
	Location               Location         `json:"location"`
	OriginatingCandidateID *string          `json:"originating_candidate_id"`
	CustomAttributes       []AttributeValue `json:"custom_attributes"`
}

// JobLocation is a job's location.
type JobLocation struct {
	LocationStr   string `json:"location_str"`
	Country       string `json:"country"`
	CountryCode   string `json:"country_code"`
	Region        string `json:"region"`
	RegionCode    string `json:"region_code"`
	City          string `json:"city"`
	ZipCode       string `json:"zip_code"`
	Telecommuting bool   `json:"telecommuting"`
	WorkplaceType string `json:"workplace_type"`
}

// Job is a job as GET /jobs lists it. State is draft, published, closed or
// archived.
type Job struct {
	ID             string      `json:"id"`
	Title          string      `json:"title"`
	FullTitle      string      `json:"full_title"`
	Shortcode      string      `json:"shortcode"`
	Code           string      `json:"code"`
	State          string      `json:"state"`
	Sample         bool        `json:"sample"`
	Confidential   bool        `json:"confidential"`
	Department     string      `json:"department"`
	URL            string      `json:"url"`
	ApplicationURL string      `json:"application_url"`
	Shortlink      string      `json:"shortlink"`
	Location       JobLocation `json:"location"`
	CreatedAt      Time        `json:"created_at"`
}

// Stage is a pipeline stage of the account (GET /stages, Nango fixture
// list-stages). Candidates name their stage by Name; kind is the stage's
// built-in category.
type Stage struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Position   int    `json:"position"`
}

// StageRef is a stage as activities reference it.
type StageRef struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
	Slug       string `json:"slug"`
}

// Member is a member of the account (GET /members, Nango fixture
// list-members): the people comments can be posted as.
type Member struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Headline           *string  `json:"headline"`
	Email              string   `json:"email"`
	Role               string   `json:"role"`
	Type               string   `json:"type"`
	Roles              []string `json:"roles"`
	Active             bool     `json:"active"`
	CollaborationRules []any    `json:"collaboration_rules"`
}

// MemberRef is the author of an activity.
type MemberRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Activity is one entry of a candidate's timeline
// (GET /candidates/{id}/activities, Nango fixture
// list-candidate-activities). A comment is an activity with action
// "comment" whose body is the comment's text.
type Activity struct {
	ID          string     `json:"id"`
	Action      string     `json:"action"`
	StageName   string     `json:"stage_name"`
	ActionStage StageRef   `json:"action_stage"`
	TargetStage *StageRef  `json:"target_stage"`
	CreatedAt   MilliTime  `json:"created_at"`
	UpdatedAt   MilliTime  `json:"updated_at"`
	Member      *MemberRef `json:"member,omitempty"`
	Body        *string    `json:"body"`
}

// Choice is one option of a dropdown or multiple_choice custom attribute.
type Choice struct {
	ID   string `json:"id"`
	Body string `json:"body"`
}

// CustomAttribute is a custom attribute definition (GET /custom_attributes,
// vendors.md §3.3). Its id is the custom_attribute_key writes use. Type is
// one of boolean, short_text, free_text, numeric, file, date, dropdown or
// multiple_choice; single_answer and choices appear only on the choice
// types.
type CustomAttribute struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Enabled      bool     `json:"enabled"`
	Label        string   `json:"label"`
	Hint         *string  `json:"hint"`
	SingleAnswer *bool    `json:"single_answer,omitempty"`
	Choices      []Choice `json:"choices,omitempty"`
}

// Comment is a comment as the fake stores it: the timeline activity plus
// what the write carried that the timeline does not show.
type Comment struct {
	Activity
	// CandidateID is the candidate record commented on.
	CandidateID string
	// Policy is the comment's visibility roles as written.
	Policy []string
	// AttachmentName is the attached file's name, "" without one.
	AttachmentName string
}
