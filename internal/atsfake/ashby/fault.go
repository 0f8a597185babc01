package ashby

import (
	"net/http"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// FaultKind selects what an injected fault does to a request.
type FaultKind = fakekit.FaultKind

// The kinds of fault InjectFault understands. FaultStatus answers with
// Fault.Status (default 503) and an Ashby failure envelope; FaultRateLimit
// answers 429 with Retry-After (Fault.RetryAfter, default one second)
// whatever the remaining budget is. With Fault.Scope set it also sends
// X-RateLimit-Scope, as Ashby's partner-wide throttle does.
const (
	FaultStatus    = fakekit.FaultStatus
	FaultLatency   = fakekit.FaultLatency
	FaultDrop      = fakekit.FaultDrop
	FaultRateLimit = fakekit.FaultRateLimit
)

// ScopeIntegrationPartner is the X-RateLimit-Scope value of Ashby's
// partner-wide throttle (changelog 2026-10-14), as opposed to the per-key
// limit whose 429s carry no scope header.
const ScopeIntegrationPartner = "integration-partner"

// Fault describes a failure to inject into upcoming requests. Faults are
// checked in the order they were injected and the first one that matches a
// request applies to it. It is [fakekit.Fault] with Ashby's Scope.
type Fault struct {
	// Kind is what happens to a matching request.
	Kind FaultKind
	// Status is the HTTP status of a FaultStatus; zero means 503.
	Status int
	// Delay is waited before the request is handled. It is the whole point
	// of FaultLatency and is also honoured before the other kinds.
	Delay time.Duration
	// RetryAfter is the Retry-After of a FaultRateLimit; zero means one
	// second.
	RetryAfter time.Duration
	// Scope is the X-RateLimit-Scope header of a FaultRateLimit, for
	// example ScopeIntegrationPartner; empty sends none.
	Scope string
	// Method restricts the fault to one HTTP method; empty matches any.
	Method string
	// Path restricts the fault to request paths matching this path.Match
	// pattern (for example "/candidate.list" or "/customField.*"); empty
	// matches any.
	Path string
	// Times is how many matching requests the fault affects; zero or less
	// means every matching request until ClearFaults.
	Times int
}

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) {
	kit := fakekit.Fault{
		Kind:       ft.Kind,
		Status:     ft.Status,
		Delay:      ft.Delay,
		RetryAfter: ft.RetryAfter,
		Method:     ft.Method,
		Path:       ft.Path,
		Times:      ft.Times,
	}
	if ft.Kind == FaultRateLimit && ft.Scope != "" {
		kit.Header = http.Header{}
		kit.Header.Set("X-RateLimit-Scope", ft.Scope)
	}
	f.faults.Inject(kit)
}

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() { f.faults.Clear() }
