package lever

import (
	"net/http"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// FaultKind selects what an injected fault does to a request.
type FaultKind = fakekit.FaultKind

// The kinds of fault InjectFault understands. FaultStatus answers with
// Fault.Status (default 503) and a Lever {"code","message"} body;
// FaultRateLimit answers 429 TooManyRequests whatever the bucket holds, with
// Retry-After (Fault.RetryAfter rounded up to whole seconds) only when
// Fault.RetryAfter is positive, because Lever documents no such header.
const (
	FaultStatus    = fakekit.FaultStatus
	FaultLatency   = fakekit.FaultLatency
	FaultDrop      = fakekit.FaultDrop
	FaultRateLimit = fakekit.FaultRateLimit
)

// Fault describes a failure to inject into upcoming requests; Path patterns
// look like "/v1/opportunities" or "/v1/opportunities/*/notes". See
// [fakekit.Fault].
type Fault = fakekit.Fault

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) { f.faults.Inject(ft) }

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() { f.faults.Clear() }

// faultCode maps an injected status to the restify-style code Lever uses in
// its error bodies.
func faultCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequestError"
	case http.StatusUnauthorized:
		return "UnauthorizedError"
	case http.StatusForbidden:
		return "ForbiddenError"
	case http.StatusNotFound:
		return "ResourceNotFound"
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailableError"
	case http.StatusBadGateway:
		return "BadGatewayError"
	case http.StatusGatewayTimeout:
		return "GatewayTimeoutError"
	}
	return "InternalServerError"
}
