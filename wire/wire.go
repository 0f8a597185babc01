// Package wire holds the JSON shapes of the wire format resultlinks serves,
// which is Kombo's unified ATS API: envelopes, errors, list pages and the
// records of the read endpoints. It imports only the standard library.
//
// Every nullable key is emitted as null rather than left out, and every
// timestamp is UTC with milliseconds and a Z, as the format requires.
package wire

import (
	"time"
)

// TimeLayout is the wire form of a timestamp.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Time is a timestamp in its wire form.
type Time time.Time

// MarshalJSON renders the time in UTC with milliseconds and Z.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(TimeLayout) + `"`), nil
}

// UnmarshalJSON parses any RFC 3339 timestamp.
func (t *Time) UnmarshalJSON(b []byte) error {
	v, err := time.Parse(`"`+time.RFC3339Nano+`"`, string(b))
	if err != nil {
		return err
	}
	*t = Time(v)
	return nil
}

// TimePtr converts a nullable time.
func TimePtr(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	w := Time(*t)
	return &w
}

// StatusSuccess and StatusError are the values of an envelope's status.
const (
	StatusSuccess = "success"
	StatusError   = "error"
)

// Envelope is the answer of a read or general endpoint.
type Envelope struct {
	Status string `json:"status"`
	Data   any    `json:"data"`
}

// ActionEnvelope is the answer of an action endpoint such as adding a result link.
type ActionEnvelope struct {
	Status   string    `json:"status"`
	Data     any       `json:"data"`
	Warnings []Warning `json:"warnings"`
}

// Warning is a hint about an action's outcome, for people and logs.
type Warning struct {
	Message string `json:"message"`
}

// ErrorEnvelope is the answer of every failed call.
type ErrorEnvelope struct {
	Status string      `json:"status"`
	Error  ErrorDetail `json:"error"`
}

// ErrorDetail describes a failure. All four keys are always present.
type ErrorDetail struct {
	// Code is the machine-readable code, or null for a plain not-found.
	Code *string `json:"code"`
	// Title is the code's static label.
	Title *string `json:"title"`
	// Message says what went wrong in this instance.
	Message string `json:"message"`
	// LogURL points at the log of the call, where there is one.
	LogURL *string `json:"log_url"`
}

// Page is one page of a list endpoint.
type Page[T any] struct {
	// Next is the cursor of the next page, null on the last.
	Next *string `json:"next"`
	// Results are the page's records.
	Results []T `json:"results"`
}

// CheckAPIKey is the data of GET /check-api-key.
type CheckAPIKey struct {
	EnvironmentID string `json:"environment_id"`
	// CustomerID is the deprecated alias of EnvironmentID.
	CustomerID string `json:"customer_id"`
}

// ResultLinkReceipt is the data of a result-link answer: Kombo answers {},
// resultlinks adds what it did, which Kombo's SDKs ignore.
type ResultLinkReceipt struct {
	ResultLinkID string   `json:"result_link_id"`
	Status       string   `json:"status"`
	Channels     []string `json:"channels"`
}
