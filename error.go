package resultlinks

import (
	"errors"
	"fmt"
	"time"
)

// Code is a machine-readable error code. Every code except CodeNotFound is
// one of the dotted codes of the wire format; clients branch on it.
type Code string

// The error codes resultlinks answers with. Their HTTP statuses live in one
// table in internal/httpapi.
const (
	// CodeAuthenticationInvalid: the API key is missing or unknown.
	CodeAuthenticationInvalid Code = "PLATFORM.AUTHENTICATION_INVALID"
	// CodeInputInvalid: the request failed validation; nothing was stored.
	CodeInputInvalid Code = "PLATFORM.INPUT_INVALID"
	// CodeIntegrationNotFound: the integration is unknown, deleted, or
	// belongs to another environment.
	CodeIntegrationNotFound Code = "PLATFORM.INTEGRATION_NOT_FOUND"
	// CodeRateLimitExceeded: too many requests to resultlinks itself.
	CodeRateLimitExceeded Code = "PLATFORM.RATE_LIMIT_EXCEEDED"
	// CodeConcurrencyLimitExceeded: too many writes in flight for one integration.
	CodeConcurrencyLimitExceeded Code = "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"
	// CodeTaskTimedOut: a write did not finish within the sync deadline; it
	// stays queued and is still delivered once.
	CodeTaskTimedOut Code = "PLATFORM.TASK_TIMED_OUT"
	// CodeUnknown: anything unexpected; details are only in the server log.
	CodeUnknown Code = "PLATFORM.UNKNOWN_ERROR"

	// CodeSetupSyncPending: the integration's first sync has not finished.
	CodeSetupSyncPending Code = "INTEGRATION.SETUP_SYNC_PENDING"
	// CodeActionDisabled: the action is switched off for this integration.
	CodeActionDisabled Code = "INTEGRATION.ACTION_DISABLED"
	// CodeActionNotAvailable: the ATS has no way to take this action.
	CodeActionNotAvailable Code = "INTEGRATION.ACTION_NOT_AVAILABLE"
	// CodeIntegrationAuthInvalid: the ATS rejected the integration's credentials.
	CodeIntegrationAuthInvalid Code = "INTEGRATION.AUTHENTICATION_INVALID"
	// CodePermissionMissing: the credentials lack a permission in the ATS.
	CodePermissionMissing Code = "INTEGRATION.PERMISSION_MISSING"
	// CodeIntegrationInactive: the integration is paused.
	CodeIntegrationInactive Code = "INTEGRATION.INACTIVE"

	// CodeRemoteRateLimited: the ATS answered 429 and retries ran out.
	CodeRemoteRateLimited Code = "REMOTE.RATE_LIMIT_EXCEEDED"
	// CodeRemoteUnavailable: the ATS failed (5xx, timeout, refused) and retries ran out.
	CodeRemoteUnavailable Code = "REMOTE.SERVICE_UNAVAILABLE"
	// CodeRemoteInputInvalid: the ATS rejected the input.
	CodeRemoteInputInvalid Code = "REMOTE.INPUT_INVALID"
	// CodeRemoteUnknown: the ATS answered with an error nothing else describes.
	CodeRemoteUnknown Code = "REMOTE.UNKNOWN_HTTP_ERROR"

	// CodeNotFound is not a wire code: a record (candidate, application,
	// result link) is unknown. It is answered with HTTP 404 and a null code.
	CodeNotFound Code = "NOT_FOUND"
)

// Error is the one error type of resultlinks. Its Code says what went wrong
// in terms a client can branch on; its Message is safe to show to the caller
// and never carries secrets.
type Error struct {
	// Code is the machine-readable code.
	Code Code
	// Message says what went wrong, naming the field or ID involved.
	Message string
	// RetryAfter, when positive, tells the caller when a retry may succeed.
	RetryAfter time.Duration
	// Err is the underlying cause, kept for logs only.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: its own when err is or wraps an *Error,
// CodeUnknown otherwise, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeUnknown
}

// ErrorMessage returns the caller-safe message of err. Errors that are not an
// *Error are internal and get a generic message.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An unexpected error occurred. The server log has the details under this request's ID."
}

// IsNotFound reports whether err is a not-found error of any kind.
func IsNotFound(err error) bool {
	switch ErrorCode(err) {
	case CodeNotFound, CodeIntegrationNotFound:
		return true
	}
	return false
}
