package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrorCode is the machine-readable code of an error answer, such as
// PLATFORM.INPUT_INVALID. Branch on it, not on the message: messages are
// written for people and change.
type ErrorCode string

// The error codes of the wire format. Platform codes come from the API itself,
// integration codes from the state or settings of one integration, remote
// codes from the customer's ATS, and the ATS and HRIS codes from checks of a
// single data model.
const (
	// CodePlatformRateLimitExceeded means the caller sent too many requests in
	// a time window (HTTP 429).
	CodePlatformRateLimitExceeded ErrorCode = "PLATFORM.RATE_LIMIT_EXCEEDED"
	// CodePlatformConcurrencyLimitExceeded means the integration already has
	// as many writes in flight as it may (HTTP 429).
	CodePlatformConcurrencyLimitExceeded ErrorCode = "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"
	// CodePlatformIntegrationNotFound means the integration does not exist,
	// was deleted, or belongs to another environment (HTTP 404).
	CodePlatformIntegrationNotFound ErrorCode = "PLATFORM.INTEGRATION_NOT_FOUND"
	// CodePlatformInputInvalid means the request failed validation; the
	// message names the field (HTTP 400, or 422 for an Idempotency-Key reused
	// with another body).
	CodePlatformInputInvalid ErrorCode = "PLATFORM.INPUT_INVALID"
	// CodePlatformUnknownError means the server failed unexpectedly (HTTP 500).
	CodePlatformUnknownError ErrorCode = "PLATFORM.UNKNOWN_ERROR"
	// CodePlatformIPNotWhitelisted means the caller's IP address is not on the
	// environment's allow list (HTTP 403).
	CodePlatformIPNotWhitelisted ErrorCode = "PLATFORM.IP_NOT_WHITELISTED"
	// CodePlatformAuthenticationInvalid means the API key is missing or not
	// valid (HTTP 401).
	CodePlatformAuthenticationInvalid ErrorCode = "PLATFORM.AUTHENTICATION_INVALID"
	// CodePlatformTaskTimedOut means a write did not finish in time (HTTP
	// 504). On resultlinks the result link stays queued and is still
	// delivered once.
	CodePlatformTaskTimedOut ErrorCode = "PLATFORM.TASK_TIMED_OUT"

	// CodeIntegrationPermissionMissing means the customer's ATS credentials
	// lack a permission the call needs.
	CodeIntegrationPermissionMissing ErrorCode = "INTEGRATION.PERMISSION_MISSING"
	// CodeIntegrationAuthenticationInvalid means the ATS rejected the
	// integration's stored credentials; the integration is marked INVALID.
	CodeIntegrationAuthenticationInvalid ErrorCode = "INTEGRATION.AUTHENTICATION_INVALID"
	// CodeIntegrationQAFailed means the integration's first data did not pass
	// quality checks (HTTP 409).
	CodeIntegrationQAFailed ErrorCode = "INTEGRATION.QA_FAILED"
	// CodeIntegrationSetupSyncPending means the first sync after connecting
	// has not finished yet, which can take hours (HTTP 409).
	CodeIntegrationSetupSyncPending ErrorCode = "INTEGRATION.SETUP_SYNC_PENDING"
	// CodeIntegrationSetupIncomplete means setup steps of the integration are
	// still open (HTTP 409).
	CodeIntegrationSetupIncomplete ErrorCode = "INTEGRATION.SETUP_INCOMPLETE"
	// CodeIntegrationInactive means the integration is switched off.
	CodeIntegrationInactive ErrorCode = "INTEGRATION.INACTIVE"
	// CodeIntegrationModelNotAvailable means the ATS has no such data model.
	CodeIntegrationModelNotAvailable ErrorCode = "INTEGRATION.MODEL_NOT_AVAILABLE"
	// CodeIntegrationModelDisabled means the data model is turned off in the
	// integration's scope config.
	CodeIntegrationModelDisabled ErrorCode = "INTEGRATION.MODEL_DISABLED"
	// CodeIntegrationActionNotAvailable means the ATS offers no way to do
	// this, for example to take a result link; nothing was sent to it.
	CodeIntegrationActionNotAvailable ErrorCode = "INTEGRATION.ACTION_NOT_AVAILABLE"
	// CodeIntegrationActionDisabled means the action (such as "Add result
	// links") is turned off for the integration (HTTP 403).
	CodeIntegrationActionDisabled ErrorCode = "INTEGRATION.ACTION_DISABLED"

	// CodeRemoteServiceUnavailable means the ATS was down, failed or timed
	// out, and retries ran out (HTTP 503).
	CodeRemoteServiceUnavailable ErrorCode = "REMOTE.SERVICE_UNAVAILABLE"
	// CodeRemoteRateLimitExceeded means the ATS kept throttling and retries
	// ran out (HTTP 429).
	CodeRemoteRateLimitExceeded ErrorCode = "REMOTE.RATE_LIMIT_EXCEEDED"
	// CodeRemoteInputInvalid means the ATS refused the input; the message
	// carries its own explanation (HTTP 400).
	CodeRemoteInputInvalid ErrorCode = "REMOTE.INPUT_INVALID"
	// CodeRemoteUnknownHTTPError means the ATS answered with an error that
	// fits no other code.
	CodeRemoteUnknownHTTPError ErrorCode = "REMOTE.UNKNOWN_HTTP_ERROR"

	// CodeATSJobClosed means an application was to be created on a closed job.
	CodeATSJobClosed ErrorCode = "ATS.JOB_CLOSED"
	// CodeATSApplicationAlreadyExists means the candidate has already applied
	// to the job.
	CodeATSApplicationAlreadyExists ErrorCode = "ATS.APPLICATION_ALREADY_EXISTS"
	// CodeHRISEmployeeAlreadyExists is an HRIS code for an employee that
	// exists already; ATS calls do not return it.
	CodeHRISEmployeeAlreadyExists ErrorCode = "HRIS.EMPLOYEE_ALREADY_EXISTS"
	// CodeHRISStaffingEntityClosed is an HRIS code for a closed staffing
	// entity; ATS calls do not return it.
	CodeHRISStaffingEntityClosed ErrorCode = "HRIS.STAFFING_ENTITY_CLOSED"
)

// Sentinel errors to test an *Error against with errors.Is. An error code
// decides the match when the answer has one; the HTTP status decides only
// when the answer has no code (as for an unknown candidate ID, or a proxy's
// page). So a 503 carrying INTEGRATION.SETUP_SYNC_PENDING is not
// ErrRemoteUnavailable, and a 401 carrying INTEGRATION.AUTHENTICATION_INVALID
// (the ATS refused the integration's credentials) is not ErrUnauthorized.
var (
	// ErrRateLimited matches HTTP 429 and the codes
	// PLATFORM.RATE_LIMIT_EXCEEDED, PLATFORM.CONCURRENCY_LIMIT_EXCEEDED and
	// REMOTE.RATE_LIMIT_EXCEEDED. Error.RetryAfter tells how long to wait.
	ErrRateLimited = errors.New("sdk: rate limited")
	// ErrNotFound matches HTTP 404 and PLATFORM.INTEGRATION_NOT_FOUND.
	ErrNotFound = errors.New("sdk: not found")
	// ErrUnauthorized matches HTTP 401 and PLATFORM.AUTHENTICATION_INVALID:
	// the API key is missing or wrong.
	ErrUnauthorized = errors.New("sdk: unauthorized")
	// ErrInvalidInput matches HTTP 400 and 422 and the codes
	// PLATFORM.INPUT_INVALID and REMOTE.INPUT_INVALID: sending the same
	// request again will fail again.
	ErrInvalidInput = errors.New("sdk: invalid input")
	// ErrRemoteUnavailable matches HTTP 503 and REMOTE.SERVICE_UNAVAILABLE:
	// the ATS (or a proxy in front of the server) was not reachable.
	ErrRemoteUnavailable = errors.New("sdk: remote service unavailable")
)

// sentinelRules lists, for each sentinel, the codes and the HTTP statuses it
// matches.
var sentinelRules = map[error]struct {
	codes    []ErrorCode
	statuses []int
}{
	ErrRateLimited: {
		codes:    []ErrorCode{CodePlatformRateLimitExceeded, CodePlatformConcurrencyLimitExceeded, CodeRemoteRateLimitExceeded},
		statuses: []int{http.StatusTooManyRequests},
	},
	ErrNotFound: {
		codes:    []ErrorCode{CodePlatformIntegrationNotFound},
		statuses: []int{http.StatusNotFound},
	},
	ErrUnauthorized: {
		codes:    []ErrorCode{CodePlatformAuthenticationInvalid},
		statuses: []int{http.StatusUnauthorized},
	},
	ErrInvalidInput: {
		codes:    []ErrorCode{CodePlatformInputInvalid, CodeRemoteInputInvalid},
		statuses: []int{http.StatusBadRequest, http.StatusUnprocessableEntity},
	},
	ErrRemoteUnavailable: {
		codes:    []ErrorCode{CodeRemoteServiceUnavailable},
		statuses: []int{http.StatusServiceUnavailable},
	},
}

// Error is the error every call returns when the server answers with an HTTP
// status other than 200. Test it with errors.Is against the sentinels
// (ErrNotFound, ErrRateLimited, ...) or take it apart with errors.As.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the machine-readable error code; empty when the answer had
	// none (the wire sends null, for example for an unknown candidate ID, and
	// a proxy's error page has no code at all).
	Code ErrorCode
	// Title is a short fixed label for the kind of error; may be empty.
	Title string
	// Message explains this error for a person. When the body was not the
	// JSON error envelope it describes the answer instead: status, content
	// type and the start of the body.
	Message string
	// LogURL links to the logged interaction on the server's dashboard; may
	// be empty.
	LogURL string
	// RequestID is the answer's X-Request-Id header, which finds the request
	// in the server's log; empty if the header was missing.
	RequestID string
	// RetryAfter is the wait the server asked for in Retry-After or
	// retry-after-ms, zero if it asked for none. It is set on rate limits and
	// unavailable remotes once the SDK's own retries are spent.
	RetryAfter time.Duration
}

// Error describes the error on one line: status, code, message and request ID.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sdk: HTTP %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Title != "" {
		fmt.Fprintf(&b, ": %s", e.Title)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request ID %s)", e.RequestID)
	}
	return b.String()
}

// Is reports whether e belongs to the family of target, one of ErrRateLimited,
// ErrNotFound, ErrUnauthorized, ErrInvalidInput or ErrRemoteUnavailable. A code
// on e decides; without one, the HTTP status decides.
func (e *Error) Is(target error) bool {
	rule, ok := sentinelRules[target]
	if !ok {
		return false
	}
	if e.Code != "" {
		for _, c := range rule.codes {
			if e.Code == c {
				return true
			}
		}
		return false
	}
	for _, s := range rule.statuses {
		if e.StatusCode == s {
			return true
		}
	}
	return false
}

// errorEnvelope is the JSON body of an error answer.
type errorEnvelope struct {
	Status string `json:"status"`
	Error  *struct {
		Code    *string `json:"code"`
		Title   *string `json:"title"`
		Message *string `json:"message"`
		LogURL  *string `json:"log_url"`
	} `json:"error"`
}

// newError builds the *Error for a non-200 answer whose body has been read.
func newError(resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
	}
	if d, ok := retryAfter(resp.Header, now); ok {
		e.RetryAfter = d
	}
	var env errorEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Status != "error" || env.Error == nil || env.Error.Message == nil {
		e.Message = describeUnexpected(resp, body)
		return e
	}
	e.Code = ErrorCode(deref(env.Error.Code))
	e.Title = deref(env.Error.Title)
	e.Message = *env.Error.Message
	e.LogURL = deref(env.Error.LogURL)
	return e
}

// maxBodyExcerpt is how many bytes of an unexpected body an error message
// quotes.
const maxBodyExcerpt = 256

// describeUnexpected says what came back when the body is not the JSON the
// SDK expected (a proxy's HTML page, an empty body, a truncated answer), with
// the start of the body on one line.
func describeUnexpected(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "none"
	}
	msg := fmt.Sprintf("unexpected response: status %d %s, content type %s", resp.StatusCode, http.StatusText(resp.StatusCode), ct)
	if len(body) == 0 {
		return msg + ", empty body"
	}
	excerpt, truncated := body, false
	if len(excerpt) > maxBodyExcerpt {
		excerpt, truncated = excerpt[:maxBodyExcerpt], true
	}
	// Invalid UTF-8 (such as a rune cut in half by the truncation) is dropped.
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(excerpt), "")), " ")
	if truncated {
		text += " …(truncated)"
	}
	return msg + ", body: " + text
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
