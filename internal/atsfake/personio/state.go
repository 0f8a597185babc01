package personio

import (
	"slices"
	"time"
)

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method, Path and Query (raw) come from the request line.
	Method, Path, Query string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// ClientID is the API client the request acted as: the client_id of a
	// token request, or the owner of the Bearer token; empty when the
	// request was not authenticated.
	ClientID string
	// AppID and PartnerID are the X-Personio-App-ID and
	// X-Personio-Partner-ID headers Personio asks integrators to send.
	AppID, PartnerID string
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the latest 100,000 at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429s the fake has sent.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// Candidates returns every candidate in creation order.
func (f *Fake) Candidates() []Candidate {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Candidate, 0, len(f.candidates))
	for _, c := range f.candidates {
		out = append(out, *c)
	}
	return out
}

// Candidate returns one candidate.
func (f *Fake) Candidate(id string) (Candidate, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candByID[id]
	if !ok {
		return Candidate{}, false
	}
	return *c, true
}

// Applications returns the applications of candidateID, or all of them
// when candidateID is "", in creation order.
func (f *Fake) Applications(candidateID string) []Application {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Application
	for _, a := range f.apps {
		if candidateID == "" || a.CandidateID == candidateID {
			out = append(out, *a)
		}
	}
	return out
}

// StageTransitions returns the stages an application went through, oldest
// first.
func (f *Fake) StageTransitions(applicationID string) []StageTransition {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.transitions[applicationID])
}

// Jobs returns the seeded jobs.
func (f *Fake) Jobs() []Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Job, 0, len(f.jobs))
	for _, j := range f.jobs {
		out = append(out, *j)
	}
	return out
}

// Categories returns the recruiting categories with their stages.
func (f *Fake) Categories() []Category {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Category, 0, len(f.categories))
	for _, c := range f.categories {
		cp := *c
		cp.Stages = slices.Clone(c.Stages)
		out = append(out, cp)
	}
	return out
}

// TouchCandidate marks a candidate as changed now. It reports whether the
// candidate exists.
func (f *Fake) TouchCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candByID[id]
	if ok {
		c.UpdatedAt = stamp(f.now())
	}
	return ok
}

// MoveApplication puts an application into another stage of its job's
// category now, as a recruiter would: it records a stage transition and
// moves the application's and the candidate's updated_at. It reports
// whether both the application and the stage exist.
func (f *Fake) MoveApplication(applicationID, stageID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.appByID[applicationID]
	if !ok || !slices.ContainsFunc(f.category(f.jobByID[a.JobID].CategoryID).Stages,
		func(s Stage) bool { return s.ID == stageID }) {
		return false
	}
	at := stamp(f.now())
	a.StageID, a.UpdatedAt = stageID, at
	f.transitions[a.ID] = append(f.transitions[a.ID], StageTransition{StageID: stageID, EnteredAt: at})
	if c := f.candByID[a.CandidateID]; at.After(c.UpdatedAt) {
		c.UpdatedAt = at
	}
	return true
}

// DeleteCandidate removes a candidate and their applications, which then
// answer 404 and leave every list. It reports whether the candidate
// existed.
func (f *Fake) DeleteCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.candByID[id]; !ok {
		return false
	}
	delete(f.candByID, id)
	f.candidates = slices.DeleteFunc(f.candidates, func(c *Candidate) bool { return c.ID == id })
	f.apps = slices.DeleteFunc(f.apps, func(a *Application) bool {
		if a.CandidateID == id {
			delete(f.appByID, a.ID)
			delete(f.transitions, a.ID)
			return true
		}
		return false
	})
	return true
}
