package ashby

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// failure is the cause under the error of a {"success": false} answer: the
// method and Ashby's code, for the connector to branch on.
type failure struct {
	method, code string
}

func (f *failure) Error() string { return "ashby " + f.method + ": " + f.code }

// codeOf returns Ashby's code of a {"success": false} answer, or "".
func codeOf(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.code
	}
	return ""
}

// tokenExpired reports whether Ashby refused a listing's syncToken, which
// means listing everything again.
func tokenExpired(err error) bool {
	c := codeOf(err)
	return c == "sync_token_expired" || c == "invalid_sync_token"
}

// permissionCode is Ashby's code for a key that lacks an endpoint's permission.
const permissionCode = "missing_endpoint_permission"

// failureCode returns the code and message of a failure envelope: errorInfo
// when present (the newer shape), else the first of errors.
func failureCode(env *envelope) (code, message string) {
	if env.ErrorInfo != nil {
		code, message = env.ErrorInfo.Code, env.ErrorInfo.Message
	}
	if code == "" && len(env.Errors) > 0 {
		code = env.Errors[0]
	}
	if message == "" && len(env.Errors) > 0 {
		message = strings.Join(env.Errors, "; ")
	}
	if message == code {
		message = ""
	}
	return code, message
}

// errorMessage reads Ashby's failure envelope of an HTTP error (401, 403,
// 429, 5xx) as "code: message".
func errorMessage(_ int, body []byte) string {
	var env envelope
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	code, msg := failureCode(&env)
	switch {
	case code != "" && msg != "":
		return code + ": " + msg
	case code != "":
		return code
	}
	return msg
}

// httpError refines the shared client's mapping of an HTTP failure: Ashby
// answers a wrong or deactivated key with 403, which is a rejected
// credential unless the code says a permission is missing.
func httpError(err error) error {
	var e *resultlinks.Error
	if outbound.Status(err) == http.StatusForbidden && errors.As(err, &e) && !strings.Contains(e.Message, permissionCode) {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Ashby refused the API key (it may be wrong or deactivated): " + e.Message, Err: err}
	}
	return err
}

// logicalError maps a {"success": false} answer, which Ashby sends with
// HTTP 200 for what other APIs answer 4xx.
func logicalError(method string, env *envelope) error {
	code, msg := failureCode(env)
	text := fmt.Sprintf("Ashby refused %s: %s", method, code)
	if code == "" {
		text = fmt.Sprintf("Ashby refused %s without saying why", method)
	}
	if msg != "" {
		text += ": " + msg
	}
	e := &resultlinks.Error{Code: resultlinks.CodeRemoteInputInvalid, Message: text, Err: &failure{method: method, code: code}}
	switch c := strings.ToLower(code); {
	case c == "unauthenticated" || c == "unauthorized" || c == "invalid_api_key" || c == "api_key_invalid" ||
		c == "api_key_deactivated" || c == "invalid_credentials" || c == "authentication_failed":
		e.Code = resultlinks.CodeIntegrationAuthInvalid
	case c == permissionCode || c == "insufficient_permissions" || c == "permission_denied" || c == "forbidden":
		e.Code = resultlinks.CodePermissionMissing
	case c == "rate_limit_exceeded" || c == "too_many_requests" || c == "rate_limited":
		e.Code = resultlinks.CodeRemoteRateLimited
	case c == "internal_error" || c == "internal_server_error" || c == "service_unavailable":
		e.Code = resultlinks.CodeRemoteUnavailable
	case c == "":
		e.Code = resultlinks.CodeRemoteUnknown
	}
	// Everything else (invalid_input, *_not_found, invalid_cursor,
	// invalid_author, ...) is Ashby refusing what was sent.
	return e
}
