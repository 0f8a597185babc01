package teamtailor

import "github.com/resultlinks/resultlinks/internal/atsfake/fakekit"

// FaultKind selects what an injected fault does to a request.
type FaultKind = fakekit.FaultKind

// The kinds of fault InjectFault understands. FaultStatus answers with
// Fault.Status (default 503) and a JSON:API errors body; FaultRateLimit
// answers 429 with Retry-After (Fault.RetryAfter, default one second) and
// the X-Rate-Limit-* headers whatever the budget says.
const (
	FaultStatus    = fakekit.FaultStatus
	FaultLatency   = fakekit.FaultLatency
	FaultDrop      = fakekit.FaultDrop
	FaultRateLimit = fakekit.FaultRateLimit
)

// Fault describes a failure to inject into upcoming requests; Path patterns
// look like "/v1/candidates". See [fakekit.Fault].
type Fault = fakekit.Fault

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) { f.faults.Inject(ft) }

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() { f.faults.Clear() }
