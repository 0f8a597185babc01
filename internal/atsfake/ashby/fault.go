package ashby

import (
	"net/http"
	"path"
	"time"
)

// FaultKind selects what an injected fault does to a request.
type FaultKind int

// The kinds of fault InjectFault understands.
const (
	// FaultStatus answers with Fault.Status (default 503) and an Ashby
	// failure envelope instead of serving the request.
	FaultStatus FaultKind = iota + 1
	// FaultLatency waits Fault.Delay (real time) and then serves the request
	// normally.
	FaultLatency
	// FaultDrop hijacks the connection and closes it without answering, so
	// the client sees an unexpected EOF or a connection reset.
	FaultDrop
	// FaultRateLimit answers 429 with Retry-After (Fault.RetryAfter, default
	// one second) whatever the remaining budget is. With Fault.Scope set it
	// also sends X-RateLimit-Scope, as Ashby's partner-wide throttle does.
	FaultRateLimit
)

// String names the kind for logs and test output.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultLatency:
		return "latency"
	case FaultDrop:
		return "drop"
	case FaultRateLimit:
		return "rate_limit"
	}
	return "none"
}

// ScopeIntegrationPartner is the X-RateLimit-Scope value of Ashby's
// partner-wide throttle (changelog 2026-10-14), as opposed to the per-key
// limit whose 429s carry no scope header.
const ScopeIntegrationPartner = "integration-partner"

// Fault describes a failure to inject into upcoming requests. Faults are
// checked in the order they were injected and the first one that matches a
// request applies to it.
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

type faultRec struct {
	Fault
	left int
}

// InjectFault arms ft for upcoming requests.
func (f *Fake) InjectFault(ft Fault) {
	if ft.Kind == FaultStatus && ft.Status == 0 {
		ft.Status = http.StatusServiceUnavailable
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &faultRec{Fault: ft, left: ft.Times})
}

// ClearFaults disarms every injected fault.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// takeFault returns the fault that applies to r, consuming one of its uses.
// Called with f.mu held.
func (f *Fake) takeFault(r *http.Request) *Fault {
	for i, fr := range f.faults {
		if fr.Method != "" && fr.Method != r.Method {
			continue
		}
		if fr.Path != "" {
			if ok, err := path.Match(fr.Path, r.URL.Path); err != nil || !ok {
				continue
			}
		}
		ft := fr.Fault
		if fr.Times > 0 {
			fr.left--
			if fr.left <= 0 {
				f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
			}
		}
		return &ft
	}
	return nil
}
