package recruitee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is the wire format of Recruitee timestamps: UTC with
// microseconds.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Time is a Recruitee timestamp. The zero Time marshals as null.
type Time struct{ time.Time }

// MarshalJSON renders the timestamp in the wire format, or null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(timeLayout) + `"`), nil
}

// UnmarshalJSON accepts null or any RFC 3339 timestamp.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("recruitee: timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("recruitee: timestamp: %w", err)
	}
	t.Time = v
	return nil
}

// stamp is the fake's timestamp: UTC at the wire's microsecond precision, so
// a value read back compares exactly.
func stamp(t time.Time) Time { return Time{t.UTC().Truncate(time.Microsecond)} }

// Candidate is a candidate (a person) as GET /candidates lists it. Its
// applications are its placements, one per offer it is on.
type Candidate struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Emails     []string    `json:"emails"`
	Phones     []string    `json:"phones"`
	Source     string      `json:"source"`
	AdminID    *int64      `json:"admin_id"`
	Tags       []string    `json:"tags"`
	Placements []Placement `json:"placements"`
	CreatedAt  Time        `json:"created_at"`
	UpdatedAt  Time        `json:"updated_at"`
}

// CandidateDetail is the single-candidate read (GET /candidates/{id}): the
// list shape plus the profile fields.
type CandidateDetail struct {
	Candidate
	Fields []Field `json:"fields"`
}

// Placement is a candidate on an offer (Recruitee's application), with the
// pipeline stage it is in. StageID is null for a disqualified placement
// that never entered the pipeline.
type Placement struct {
	ID               int64   `json:"id"`
	CandidateID      int64   `json:"candidate_id"`
	OfferID          int64   `json:"offer_id"`
	StageID          *int64  `json:"stage_id"`
	DisqualifyReason *string `json:"disqualify_reason"`
	DisqualifiedAt   Time    `json:"disqualified_at"`
	HiredAt          Time    `json:"hired_at"`
	CreatedAt        Time    `json:"created_at"`
	UpdatedAt        Time    `json:"updated_at"`
}

// Offer is a job (kind "job"). Its stages come embedded in its pipeline
// template.
type Offer struct {
	ID               int64            `json:"id"`
	Title            string           `json:"title"`
	Slug             string           `json:"slug"`
	Kind             string           `json:"kind"`
	Status           string           `json:"status"`
	PipelineTemplate PipelineTemplate `json:"pipeline_template"`
	CreatedAt        Time             `json:"created_at"`
	UpdatedAt        Time             `json:"updated_at"`
}

// PipelineTemplate is the ordered list of stages of an offer.
type PipelineTemplate struct {
	ID     int64   `json:"id"`
	Stages []Stage `json:"stages"`
}

// Stage is one pipeline stage; Category groups stages the way Recruitee's
// UI does (apply, evaluation, interview, offer, hire).
type Stage struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Position int    `json:"position"`
}

// Field is a candidate profile field: a named, typed, ad-hoc field with a
// list of values whose member depends on Kind.
type Field struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Kind      string       `json:"kind"`
	Values    []FieldValue `json:"values"`
	CreatedAt Time         `json:"created_at"`
	UpdatedAt Time         `json:"updated_at"`
}

// FieldValue is one value of a profile field. Exactly one member is set:
// Text for single_line and multi_line, Flag for boolean, Number (a decimal
// string) for number, Date (YYYY-MM-DD) for date, Value for dropdown.
type FieldValue struct {
	Text   *string `json:"text,omitempty"`
	Flag   *bool   `json:"flag,omitempty"`
	Number *string `json:"number,omitempty"`
	Date   *string `json:"date,omitempty"`
	Value  *string `json:"value,omitempty"`
}

// String returns the value's single member as text.
func (v FieldValue) String() string {
	switch {
	case v.Text != nil:
		return *v.Text
	case v.Flag != nil:
		return fmt.Sprint(*v.Flag)
	case v.Number != nil:
		return *v.Number
	case v.Date != nil:
		return *v.Date
	case v.Value != nil:
		return *v.Value
	}
	return ""
}

// Note is a note on a candidate's profile. AdminID is its author, the owner
// of the token that wrote it.
type Note struct {
	ID          int64           `json:"id"`
	CandidateID int64           `json:"candidate_id"`
	AdminID     int64           `json:"admin_id"`
	Body        string          `json:"body"`
	BodyJSON    json.RawMessage `json:"body_json"`
	Visibility  NoteVisibility  `json:"visibility"`
	CreatedAt   Time            `json:"created_at"`
	UpdatedAt   Time            `json:"updated_at"`
}

// NoteVisibility says who can read a note: level "public" (the whole hiring
// team) or "private" (the author only).
type NoteVisibility struct {
	Level string `json:"level"`
}

// Admin is a member of the company's team.
type Admin struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
}

func ptr[T any](v T) *T { return &v }

func cloneField(f *Field) Field {
	out := *f
	out.Values = append([]FieldValue(nil), f.Values...)
	return out
}

func cloneCandidate(c Candidate) Candidate {
	c.Emails = append([]string{}, c.Emails...)
	c.Phones = append([]string{}, c.Phones...)
	c.Tags = append([]string{}, c.Tags...)
	c.Placements = append([]Placement{}, c.Placements...)
	return c
}
