package fakekit

import (
	"net/http"
	"path"
	"sync"
	"time"
)

// FaultKind selects what an injected fault does to a request.
type FaultKind int

// The kinds of fault a fake understands.
const (
	// FaultStatus answers with Fault.Status (default 503) and the fake's
	// own error body instead of serving the request.
	FaultStatus FaultKind = iota + 1
	// FaultLatency waits Fault.Delay (real time) and then serves the request
	// normally.
	FaultLatency
	// FaultDrop hijacks the connection and closes it without answering, so
	// the client sees an unexpected EOF or a connection reset.
	FaultDrop
	// FaultRateLimit answers the fake's own 429 whatever the remaining
	// budget is. What it does with Fault.RetryAfter is up to the fake.
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
	// RetryAfter is handed to the fake's 429 of a FaultRateLimit. Each fake
	// documents what it makes of it, including what zero means.
	RetryAfter time.Duration
	// Method restricts the fault to one HTTP method; empty matches any.
	Method string
	// Path restricts the fault to request paths matching this path.Match
	// pattern (for example "/v1/candidates" or "/v1/*"); empty matches any.
	Path string
	// Times is how many matching requests the fault affects; zero or less
	// means every matching request until the faults are cleared.
	Times int
	// Header holds extra headers sent with the answer to a FaultStatus or
	// FaultRateLimit, on top of the fake's own; nil sends none.
	Header http.Header
}

// Faults is the list of faults armed on one fake. The zero value has none.
// It is safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	armed []*armedFault
}

type armedFault struct {
	Fault
	left int
}

// Inject arms ft for upcoming requests, behind every fault armed before it.
// A FaultStatus without a Status gets 503.
func (fs *Faults) Inject(ft Fault) {
	if ft.Kind == FaultStatus && ft.Status == 0 {
		ft.Status = http.StatusServiceUnavailable
	}
	ft.Header = ft.Header.Clone()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.armed = append(fs.armed, &armedFault{Fault: ft, left: ft.Times})
}

// Clear disarms every fault.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.armed = nil
}

// Match returns a copy of the first armed fault that applies to a request
// with this method and URL path, consuming one of its uses (a fault whose
// Times are used up is disarmed), or nil when none applies.
func (fs *Faults) Match(method, urlPath string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, af := range fs.armed {
		if af.Method != "" && af.Method != method {
			continue
		}
		if af.Path != "" {
			if ok, err := path.Match(af.Path, urlPath); err != nil || !ok {
				continue
			}
		}
		ft := af.Fault
		if af.Times > 0 {
			af.left--
			if af.left <= 0 {
				fs.armed = append(fs.armed[:i:i], fs.armed[i+1:]...)
			}
		}
		return &ft
	}
	return nil
}

// Answers is a fake's own side of a fault: what [Apply] calls for the parts
// that differ between vendors. R is the fake's type of built response.
type Answers[R any] struct {
	// Lock, when set, is held while Status or RateLimit runs: the fake's
	// own lock, since building an answer may touch the fake's state.
	Lock sync.Locker
	// Abandon is called when the request gets no answer at all: the client
	// gave up during Delay, or a FaultDrop is about to close the
	// connection. Fakes log the request here.
	Abandon func()
	// Status builds the fake's error response with this status, for a
	// FaultStatus.
	Status func(status int) R
	// RateLimit builds the fake's 429 for a FaultRateLimit. retryAfter is
	// Fault.RetryAfter as injected, zero included.
	RateLimit func(retryAfter time.Duration) R
}

// Apply carries out ft, a fault [Faults.Match] returned for r, as far as
// that is the same for every fake. It first waits ft.Delay in real time,
// then acts on ft.Kind:
//
//   - FaultLatency: nothing more; it returns the zero R and true, and the
//     fake serves the request normally.
//   - FaultStatus and FaultRateLimit: it adds ft.Header to w and returns
//     the response a.Status or a.RateLimit built (holding a.Lock), and
//     true; the fake sends it as it sends any other.
//   - FaultDrop: it calls a.Abandon, hijacks the connection and closes it
//     (or aborts the handler where hijacking is impossible), and returns
//     false.
//
// When the client gives up during the delay it calls a.Abandon and returns
// false. False means the request is over: the fake must return at once.
func Apply[R any](w http.ResponseWriter, r *http.Request, ft Fault, a Answers[R]) (R, bool) {
	var zero R
	if !Sleep(r, ft.Delay) {
		a.Abandon()
		return zero, false
	}
	switch ft.Kind {
	case FaultDrop:
		a.Abandon()
		Drop(w)
		return zero, false
	case FaultStatus:
		addHeader(w, ft.Header)
		return locked(a.Lock, func() R { return a.Status(ft.Status) }), true
	case FaultRateLimit:
		addHeader(w, ft.Header)
		return locked(a.Lock, func() R { return a.RateLimit(ft.RetryAfter) }), true
	}
	return zero, true
}

// locked runs build holding l, if there is one.
func locked[R any](l sync.Locker, build func() R) R {
	if l != nil {
		l.Lock()
		defer l.Unlock()
	}
	return build()
}

func addHeader(w http.ResponseWriter, h http.Header) {
	for k, v := range h {
		for _, s := range v {
			w.Header().Add(k, s)
		}
	}
}

// Sleep waits d in real time, whatever clock the fake runs on. It reports
// false when r's context ends first, that is when the client gave up.
func Sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// Drop closes the client connection without writing a response.
func Drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a recorder cannot be hijacked; aborting the handler
		// resets the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// WriteResponse sends a response a fake has built: header (added to what w
// already holds, replacing values of the same keys), status, then body
// unless it is empty.
func WriteResponse(w http.ResponseWriter, status int, header http.Header, body []byte) {
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	if len(body) > 0 {
		_, _ = w.Write(body)
	}
}
