package smartrecruiters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is the wire format of SmartRecruiters timestamps: ISO-8601 in
// UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Time is a SmartRecruiters timestamp. It marshals as ISO-8601 UTC with
// milliseconds; the zero Time marshals as JSON null.
type Time struct{ time.Time }

// MarshalJSON renders the timestamp in the wire format, or null.
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
		return fmt.Errorf("smartrecruiters: timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("smartrecruiters: timestamp: %w", err)
	}
	t.Time = v
	return nil
}

// Link is an entry of an actions object: a URL the client may follow.
type Link struct {
	URL string `json:"url"`
}

// Location is a candidate's or job's location.
type Location struct {
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	City        string `json:"city,omitempty"`
	Remote      bool   `json:"remote,omitempty"`
}

// AssignmentJob is the job reference inside an assignment.
type AssignmentJob struct {
	ID      string          `json:"id"`
	Title   string          `json:"title"`
	Actions map[string]Link `json:"actions,omitempty"`
}

// Assignment is one of a candidate's job applications as embedded in the
// candidate (primaryAssignment, secondaryAssignments): the job, the status
// (LEAD, NEW, IN_REVIEW, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN,
// TRANSFERRED) and the hiring-process sub-status.
type Assignment struct {
	Job       AssignmentJob `json:"job"`
	Status    string        `json:"status"`
	SubStatus string        `json:"subStatus,omitempty"`
}

// Candidate is the candidate object of GET /candidates (one list item) and
// GET /candidates/{id}. The first application is the primary assignment.
type Candidate struct {
	ID                   string          `json:"id"`
	Internal             bool            `json:"internal"`
	FirstName            string          `json:"firstName"`
	LastName             string          `json:"lastName"`
	Email                string          `json:"email,omitempty"`
	PhoneNumber          string          `json:"phoneNumber,omitempty"`
	Location             *Location       `json:"location,omitempty"`
	AverageRating        float64         `json:"averageRating"`
	Tags                 []string        `json:"tags"`
	CreatedOn            Time            `json:"createdOn"`
	UpdatedOn            Time            `json:"updatedOn"`
	PrimaryAssignment    *Assignment     `json:"primaryAssignment,omitempty"`
	SecondaryAssignments []Assignment    `json:"secondaryAssignments"`
	Actions              map[string]Link `json:"actions,omitempty"`
}

// Application is one candidate's application to one job
// (GET /candidates/{id}/jobs/{jobId}).
type Application struct {
	CandidateID string          `json:"candidateId"`
	Job         AssignmentJob   `json:"job"`
	Status      string          `json:"status"`
	SubStatus   string          `json:"subStatus,omitempty"`
	CreatedOn   Time            `json:"createdOn"`
	UpdatedOn   Time            `json:"updatedOn"`
	Actions     map[string]Link `json:"actions,omitempty"`
}

// Labeled is an {id, label} reference such as a department.
type Labeled struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Job is the job object of GET /jobs and GET /jobs/{id}. status is one of
// CREATED, SOURCING, INTERVIEW, OFFER, FILLED, CANCELLED or ON_HOLD.
type Job struct {
	ID             string          `json:"id"`
	Title          string          `json:"title"`
	RefNumber      string          `json:"refNumber"`
	Status         string          `json:"status"`
	PostingStatus  string          `json:"postingStatus"`
	Department     *Labeled        `json:"department,omitempty"`
	Location       *Location       `json:"location,omitempty"`
	HiringProcess  *Labeled        `json:"hiringProcess,omitempty"`
	CreatedOn      Time            `json:"createdOn"`
	UpdatedOn      Time            `json:"updatedOn"`
	LastActivityOn Time            `json:"lastActivityOn"`
	Actions        map[string]Link `json:"actions,omitempty"`
}

// SubStatuses are the sub-statuses a hiring process defines for the
// statuses that have them.
type SubStatuses struct {
	InReview  []string `json:"inReview"`
	Interview []string `json:"interview"`
	Offered   []string `json:"offered"`
}

// HiringProcess is a pipeline configuration
// (GET /configuration/hiring-processes[/{id}]). The statuses themselves are
// fixed; a process only names their sub-statuses.
type HiringProcess struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Active      bool         `json:"active"`
	SubStatuses *SubStatuses `json:"subStatuses,omitempty"`
}

// SystemRole is a user's role; id is ADMINISTRATOR, EXTENDED, STANDARD,
// LIMITED or RESTRICTED.
type SystemRole struct {
	ID string `json:"id"`
}

// User is a SmartRecruiters user (GET /users). An API key belongs to one.
type User struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	FirstName  string     `json:"firstName"`
	LastName   string     `json:"lastName"`
	SystemRole SystemRole `json:"systemRole"`
	Active     bool       `json:"active"`
	UpdatedOn  Time       `json:"updatedOn"`
}

// Property types of candidate properties.
const (
	PropertyText         = "TEXT"
	PropertyNumber       = "NUMBER"
	PropertyPercent      = "PERCENT"
	PropertyBoolean      = "BOOLEAN"
	PropertyDate         = "DATE"
	PropertySingleSelect = "SINGLE_SELECT"
	PropertyCurrency     = "CURRENCY"
)

// PropertyOption is one value of a SINGLE_SELECT property
// (GET /configuration/candidate-properties/{id}/values); writes name it by
// id.
type PropertyOption struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// CandidatePropertyDefinition is a candidate property as configured by an
// admin (GET /configuration/candidate-properties). Writes may name it by id
// or by key.
type CandidatePropertyDefinition struct {
	ID    string `json:"id"`
	Key   string `json:"key"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

// Currency is the value of a CURRENCY property.
type Currency struct {
	Code  string  `json:"code"`
	Value float64 `json:"value"`
}

// CandidatePropertyValue is one entry of GET .../properties: the property
// and its current value. value is a string (TEXT; DATE as an ISO
// timestamp), a number (NUMBER, PERCENT), a boolean, a PropertyOption
// (SINGLE_SELECT) or a Currency.
type CandidatePropertyValue struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// ShareWith says who sees a message (POST /messages/shares).
type ShareWith struct {
	Users        []string `json:"users"`
	HiringTeamOf []string `json:"hiringTeamOf"`
	Everyone     bool     `json:"everyone"`
	OpenNote     bool     `json:"openNote"`
}

// Author is the user who wrote a message.
type Author struct {
	ID        string `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// Message is a message or note shared about a candidate. content keeps the
// #[CANDIDATE:id] and @[USER:id] mention tokens as written.
type Message struct {
	ID            string    `json:"id"`
	Content       string    `json:"content"`
	CorrelationID string    `json:"correlationId,omitempty"`
	ShareWith     ShareWith `json:"shareWith"`
	Author        Author    `json:"author"`
	CreatedOn     Time      `json:"createdOn"`
}

// ErrorItem is one entry of an error body.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody is the JSON error envelope: {"message": "...", "errors":
// [{"code", "message"}]}.
type ErrorBody struct {
	Message string      `json:"message"`
	Errors  []ErrorItem `json:"errors"`
}

// Credentials is the connector's credentials JSON for SmartRecruiters: the
// API key sent as X-SmartToken, and the base URL the connector should call
// instead of https://api.smartrecruiters.com.
type Credentials struct {
	APIKey  string `json:"api_key"`
	BaseURL string `json:"base_url"`
}

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method and Path are the request's method and URL path; Query is the
	// raw query string.
	Method, Path, Query string
	// Auth is "key" (X-SmartToken), "bearer" (an OAuth access token) or ""
	// when the request was not authenticated.
	Auth string
	// ActingUserID is the user the credential belongs to, or "" when the
	// request was not authenticated.
	ActingUserID string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}
