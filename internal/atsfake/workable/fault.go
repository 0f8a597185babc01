package workable

import "github.com/resultlinks/resultlinks/internal/atsfake/fakekit"

// FaultKind selects what an injected fault does to a request.
type FaultKind = fakekit.FaultKind

// The kinds of fault InjectFault understands. FaultStatus answers with
// Fault.Status (default 503) and a Workable {"error"} body; FaultRateLimit
// answers 429 whatever the window has left, with the X-Rate-Limit-*
// headers, and with Retry-After (Fault.RetryAfter rounded up to whole
// seconds) only when Fault.RetryAfter is positive, because Workable
// documents no such header.
const (
	FaultStatus    = fakekit.FaultStatus
	FaultLatency   = fakekit.FaultLatency
	FaultDrop      = fakekit.FaultDrop
	FaultRateLimit = fakekit.FaultRateLimit
)

// Fault describes a failure to inject into upcoming requests; Path patterns
// look like "/spi/v3/candidates" or "/spi/v3/candidates/*/comments". See
// [fakekit.Fault].
type Fault = fakekit.Fault

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) { f.faults.Inject(ft) }

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() { f.faults.Clear() }
