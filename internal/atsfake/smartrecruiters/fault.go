package smartrecruiters

import "github.com/resultlinks/resultlinks/internal/atsfake/fakekit"

// FaultKind selects what an injected fault does to a request.
type FaultKind = fakekit.FaultKind

// The kinds of fault InjectFault understands. FaultStatus answers with
// Fault.Status (default 503) and the JSON error envelope; FaultRateLimit
// answers 429 with the rate-limit headers whatever the remaining budget is,
// and, because SmartRecruiters documents no Retry-After, with one (whole
// seconds) only when Fault.RetryAfter is positive. FaultLatency waits after
// admission, so a slow request holds its concurrency slot.
const (
	FaultStatus    = fakekit.FaultStatus
	FaultLatency   = fakekit.FaultLatency
	FaultDrop      = fakekit.FaultDrop
	FaultRateLimit = fakekit.FaultRateLimit
)

// Fault describes a failure to inject into upcoming requests; Path patterns
// look like "/candidates" or "/candidates/*/jobs/*/properties". See
// [fakekit.Fault].
type Fault = fakekit.Fault

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) { f.faults.Inject(ft) }

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() { f.faults.Clear() }
