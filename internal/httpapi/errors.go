package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// codeInfo is how one error code is answered.
type codeInfo struct {
	status     int
	title      string
	retryAfter time.Duration // default Retry-After, for retryable codes
}

// codes is the one table from error code to HTTP answer (the decisions
// table of the wire contract).
var codes = map[resultlinks.Code]codeInfo{
	resultlinks.CodeAuthenticationInvalid:    {http.StatusUnauthorized, "Authentication invalid", 0},
	resultlinks.CodeInputInvalid:             {http.StatusBadRequest, "Input invalid", 0},
	resultlinks.CodeIntegrationNotFound:      {http.StatusNotFound, "Integration not found", 0},
	resultlinks.CodeRateLimitExceeded:        {http.StatusTooManyRequests, "Rate limit exceeded", time.Second},
	resultlinks.CodeConcurrencyLimitExceeded: {http.StatusTooManyRequests, "Concurrency limit exceeded", time.Second},
	resultlinks.CodeTaskTimedOut:             {http.StatusGatewayTimeout, "Task timed out", 0},
	resultlinks.CodeUnknown:                  {http.StatusInternalServerError, "Unknown error", 0},
	resultlinks.CodeSetupSyncPending:         {http.StatusConflict, "Setup sync pending", 30 * time.Second},
	resultlinks.CodeActionDisabled:           {http.StatusForbidden, "Action disabled", 0},
	resultlinks.CodeActionNotAvailable:       {http.StatusBadRequest, "Action not available", 0},
	resultlinks.CodeIntegrationAuthInvalid:   {http.StatusForbidden, "Integration authentication invalid", 0},
	resultlinks.CodePermissionMissing:        {http.StatusForbidden, "Permission missing", 0},
	resultlinks.CodeIntegrationInactive:      {http.StatusForbidden, "Integration inactive", 0},
	resultlinks.CodeRemoteRateLimited:        {http.StatusTooManyRequests, "Remote rate limit exceeded", 30 * time.Second},
	resultlinks.CodeRemoteUnavailable:        {http.StatusServiceUnavailable, "Remote service unavailable", 30 * time.Second},
	resultlinks.CodeRemoteInputInvalid:       {http.StatusBadRequest, "Remote input invalid", 0},
	resultlinks.CodeRemoteUnknown:            {http.StatusBadGateway, "Remote unknown HTTP error", 0},
	resultlinks.CodeNotFound:                 {http.StatusNotFound, "Not found", 0},
	resultlinks.CodeConnectLinkExpired:       {http.StatusGone, "Connect link expired", 0},
	resultlinks.CodeConnectLinkUsed:          {http.StatusGone, "Connect link used", 0},
	resultlinks.CodeConnectLinkLocked:        {http.StatusGone, "Connect link locked", 0},
}

// statusError overrides the HTTP status of an error whose code is answered
// with another status elsewhere (an idempotency key reused with another
// body is PLATFORM.INPUT_INVALID, but 422).
type statusError struct {
	status int
	err    *resultlinks.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// writeError answers err in the wire's error envelope. Errors that are not
// *resultlinks.Error are internal: logged in full under the request ID and
// answered with a generic message.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := resultlinks.ErrorCode(err)
	info, ok := codes[code]
	if !ok {
		code, info = resultlinks.CodeUnknown, codes[resultlinks.CodeUnknown]
	}
	if code == resultlinks.CodeUnknown {
		a.logger.Error("internal error", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "error", err)
	}
	status := info.status
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	// Retry-After goes only with codes a retry can cure.
	retry := info.retryAfter
	var re *resultlinks.Error
	if retry > 0 && errors.As(err, &re) && re.RetryAfter > 0 {
		retry = re.RetryAfter
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
	}
	detail := wire.ErrorDetail{Title: &info.title, Message: resultlinks.ErrorMessage(err)}
	if c := callOf(r.Context()); c.environmentID != "" {
		// The call is logged (middleware): point at its log.
		c.errCode, c.errMessage = code, detail.Message
		detail.LogURL = ptr(a.publicBase(r) + "/interactions/" + requestID(r.Context()))
	}
	if code != resultlinks.CodeNotFound {
		c := string(code)
		detail.Code = &c
	}
	writeJSON(w, status, wire.ErrorEnvelope{Status: wire.StatusError, Error: detail})
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"status":"error","error":{"code":"PLATFORM.UNKNOWN_ERROR","title":"Unknown error","message":"The answer could not be encoded.","log_url":null}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// writeData answers a read or general endpoint's success.
func writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, wire.Envelope{Status: wire.StatusSuccess, Data: data})
}
