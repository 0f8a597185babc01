package recruitee

import (
	"slices"
	"time"
)

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method, Path and Query (raw) are taken from the request line.
	Method, Path, Query string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// ActingAdminID is the owner of the personal token the request carried,
	// the author of anything it wrote; 0 when it was not authenticated.
	ActingAdminID int64
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the latest 100,000 at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429s the fake has sent.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// Candidates returns every live candidate in ascending id order, in list
// shape.
func (f *Fake) Candidates() []Candidate {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Candidate, 0, len(f.candidates))
	for _, r := range f.candidates {
		if !r.deleted {
			out = append(out, cloneCandidate(r.c))
		}
	}
	return out
}

// Candidate returns one live candidate with its profile fields.
func (f *Fake) Candidate(id int64) (CandidateDetail, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.liveCandidate(id)
	if r == nil {
		return CandidateDetail{}, false
	}
	return f.detail(r), true
}

// Placements returns the placements of candidateID, or of every live
// candidate when candidateID is 0.
func (f *Fake) Placements(candidateID int64) []Placement {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Placement
	for _, r := range f.candidates {
		if !r.deleted && (candidateID == 0 || r.c.ID == candidateID) {
			out = append(out, r.c.Placements...)
		}
	}
	return out
}

// Offers returns the seeded offers with their stages.
func (f *Fake) Offers() []Offer {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Offer, 0, len(f.offers))
	for _, o := range f.offers {
		out = append(out, cloneOffer(o))
	}
	return out
}

// Admins returns the company's team members.
func (f *Fake) Admins() []Admin {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.admins)
}

// CandidateFields returns the profile fields of a candidate in creation
// order (nil for an unknown candidate).
func (f *Fake) CandidateFields(id int64) []Field {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok {
		return nil
	}
	out := make([]Field, 0, len(r.fields))
	for _, fl := range r.fields {
		out = append(out, cloneField(fl))
	}
	return out
}

// CandidateNotes returns every note on a candidate in creation order,
// private ones included.
func (f *Fake) CandidateNotes(id int64) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok {
		return nil
	}
	out := make([]Note, 0, len(r.notes))
	for _, n := range r.notes {
		out = append(out, *n)
	}
	return out
}

// TouchCandidate marks a candidate as changed now, as an edit in the
// Recruitee UI would. It reports whether the candidate exists.
func (f *Fake) TouchCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.liveCandidate(id)
	if r == nil {
		return false
	}
	r.c.UpdatedAt = stamp(f.now())
	return true
}

// DeleteCandidate removes a candidate with its placements, fields and notes.
// It disappears from lists and its reads answer 404. It reports whether the
// candidate existed.
func (f *Fake) DeleteCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.liveCandidate(id)
	if r == nil {
		return false
	}
	r.deleted = true
	return true
}
