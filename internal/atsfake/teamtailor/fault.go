package teamtailor

import (
	"net/http"
	"path"
	"time"
)

// FaultKind selects what an injected fault does to a request.
type FaultKind int

// The kinds of fault InjectFault understands.
const (
	// FaultStatus answers with Fault.Status (default 503) and an
	// JSON:API errors body instead of serving the request.
	FaultStatus FaultKind = iota + 1
	// FaultLatency waits Fault.Delay (real time), then serves normally.
	FaultLatency
	// FaultDrop hijacks the connection and closes it without answering.
	FaultDrop
	// FaultRateLimit answers 429 with Retry-After (Fault.RetryAfter, default
	// one second) whatever the budget says.
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

// Fault describes a failure to inject into upcoming requests. Faults are
// checked in injection order and the first match applies.
type Fault struct {
	// Kind is what happens to a matching request.
	Kind FaultKind
	// Status is the HTTP status of a FaultStatus; zero means 503.
	Status int
	// Delay is waited before the request is handled (all kinds).
	Delay time.Duration
	// RetryAfter is the Retry-After of a FaultRateLimit; zero means 1s.
	RetryAfter time.Duration
	// Method restricts the fault to one HTTP method; empty matches any.
	Method string
	// Path restricts the fault to paths matching this path.Match pattern
	// (for example "/v1/candidates"); empty matches any.
	Path string
	// Times is how many matching requests the fault affects; zero or less
	// means every one until ClearFaults.
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

// takeFault returns the fault that applies to r, consuming one use. Called
// with f.mu held.
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
