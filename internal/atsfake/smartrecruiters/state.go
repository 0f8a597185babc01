package smartrecruiters

import (
	"errors"
	"slices"
	"strings"
)

// Requests returns a copy of the request log (the most recent 100,000
// requests at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429 responses the fake has sent, from
// the request budget, the concurrency limits or FaultRateLimit.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// InFlight returns how many authenticated requests are being served now, in
// total and to GET /candidates.
func (f *Fake) InFlight() (total, candidates int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inFlight, f.candsFlight
}

// RevokeCredentials makes the API key, the OAuth client and every issued
// token invalid, as revoking them in SmartRecruiters would: requests are
// answered 401 until RestoreCredentials. Tokens issued before the
// revocation stay invalid.
func (f *Fake) RevokeCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = true
	clear(f.tokens)
}

// RestoreCredentials undoes RevokeCredentials for the API key and the OAuth
// client.
func (f *Fake) RestoreCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = false
}

// Candidates returns every live candidate in creation order, as
// GET /candidates/{id} renders them.
func (f *Fake) Candidates() []Candidate {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Candidate, 0, len(f.candidates))
	for _, r := range f.candidates {
		if !r.deleted {
			out = append(out, f.renderCandidate(r))
		}
	}
	return out
}

// Candidate returns one live candidate.
func (f *Fake) Candidate(id string) (Candidate, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return Candidate{}, false
	}
	return f.renderCandidate(r), true
}

// Applications returns the applications of candidateID, primary first;
// candidateID "" returns every live candidate's applications.
func (f *Fake) Applications(candidateID string) []Application {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Application
	for _, r := range f.candidates {
		if r.deleted || (candidateID != "" && r.c.ID != candidateID) {
			continue
		}
		for _, a := range r.apps {
			out = append(out, f.renderApplication(r, a))
		}
	}
	return out
}

// Jobs returns the seeded jobs.
func (f *Fake) Jobs() []Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Job, 0, len(f.jobs))
	for _, r := range f.jobs {
		out = append(out, f.renderJob(r))
	}
	return out
}

// HiringProcesses returns the seeded hiring processes with their
// sub-statuses.
func (f *Fake) HiringProcesses() []HiringProcess {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.processes)
}

// Users returns every user.
func (f *Fake) Users() []User {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]User, 0, len(f.users))
	for _, u := range f.users {
		out = append(out, *u)
	}
	return out
}

// CandidateProperties returns the property definitions in creation order.
func (f *Fake) CandidateProperties() []CandidatePropertyDefinition {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CandidatePropertyDefinition, 0, len(f.props))
	for _, p := range f.props {
		out = append(out, p.def)
	}
	return out
}

// PropertyOptions returns the values of a SINGLE_SELECT property.
func (f *Fake) PropertyOptions(propertyID string) []PropertyOption {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.propByID[propertyID]; ok {
		return slices.Clone(p.options)
	}
	return nil
}

// JobPropertyValues returns the property values set on a candidate's
// application to jobID, in read form; nil when there is no such
// application.
func (f *Fake) JobPropertyValues(candidateID, jobID string) []CandidatePropertyValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[candidateID]
	if !ok {
		return nil
	}
	for _, a := range r.apps {
		if a.jobID == jobID {
			return f.propertyValues(a.props)
		}
	}
	return nil
}

// CandidatePropertyValues returns the candidate-level property values (set
// outside any job); nil for an unknown candidate.
func (f *Fake) CandidatePropertyValues(candidateID string) []CandidatePropertyValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[candidateID]
	if !ok {
		return nil
	}
	return f.propertyValues(r.props)
}

// CandidateMessages returns the messages that mention a candidate, in
// creation order.
func (f *Fake) CandidateMessages(candidateID string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Message
	for _, m := range f.messages {
		if slices.Contains(m.candidates, candidateID) {
			out = append(out, cloneMessage(m.m))
		}
	}
	return out
}

// Messages returns every message shared through the API, in creation order.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Message, 0, len(f.messages))
	for _, m := range f.messages {
		out = append(out, cloneMessage(m.m))
	}
	return out
}

// TouchCandidate marks a candidate as changed now, as an edit in the
// SmartRecruiters UI would, so GET /candidates?updatedAfter= picks it up. It
// reports whether the candidate exists.
func (f *Fake) TouchCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return false
	}
	r.c.UpdatedOn = Time{f.now()}
	return true
}

// DeleteCandidate removes a candidate and its applications: it stops
// appearing in lists and GET /candidates/{id} answers 404. Nothing marks
// the deletion in an updatedAfter listing. It reports whether the candidate
// existed.
func (f *Fake) DeleteCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return false
	}
	r.deleted = true
	return true
}

// NewCandidateProperty describes a property for AddCandidateProperty.
type NewCandidateProperty struct {
	// Label is the property's display name, which clients match on.
	Label string
	// Type is one of the Property* constants.
	Type string
	// Options are the value labels of a SINGLE_SELECT property.
	Options []string
}

// AddCandidateProperty creates a property definition, as a SmartRecruiters
// admin would in the settings (the API cannot), and returns it. Its key is
// derived from the label in lower camel case.
func (f *Fake) AddCandidateProperty(np NewCandidateProperty) (CandidatePropertyDefinition, error) {
	switch np.Type {
	case PropertyText, PropertyNumber, PropertyPercent, PropertyBoolean, PropertyDate, PropertyCurrency:
	case PropertySingleSelect:
		if len(np.Options) == 0 {
			return CandidatePropertyDefinition{}, errors.New("smartrecruiters: a SINGLE_SELECT property needs options")
		}
	default:
		return CandidatePropertyDefinition{}, errors.New("smartrecruiters: unknown property type " + np.Type)
	}
	if strings.TrimSpace(np.Label) == "" {
		return CandidatePropertyDefinition{}, errors.New("smartrecruiters: a property needs a label")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addProperty(np.Label, np.Type, np.Options).def, nil
}
