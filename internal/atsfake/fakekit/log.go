package fakekit

import (
	"slices"
	"sync"
)

// MaxLogEntries bounds a [Log], so a long-running fake does not grow
// without end: past it the oldest half of the entries is dropped.
const MaxLogEntries = 100_000

// Log is a fake's request log: the requests it received in arrival order,
// each as the fake's own entry type E, and the count of 429 responses it
// sent. The zero value is an empty log. It is safe for concurrent use.
type Log[E any] struct {
	mu          sync.Mutex
	entries     []E
	rateLimited int
}

// Record appends e, first dropping the oldest half of the log when it
// holds MaxLogEntries.
func (l *Log[E]) Record(e E) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= MaxLogEntries {
		l.entries = append(l.entries[:0], l.entries[len(l.entries)/2:]...)
	}
	l.entries = append(l.entries, e)
}

// Entries returns a copy of the log (the most recent MaxLogEntries entries
// at most).
func (l *Log[E]) Entries() []E {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

// CountRateLimited counts one 429 response, whether an exhausted budget or
// a FaultRateLimit caused it.
func (l *Log[E]) CountRateLimited() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rateLimited++
}

// RateLimited returns how many 429 responses have been counted.
func (l *Log[E]) RateLimited() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rateLimited
}
