package teamtailor

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
	// ActingUserID is the author named by a note write's user
	// relationship; 0 for every other request.
	ActingUserID int64
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the latest 100,000 at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429s the fake has sent.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

func cloneAll[T any](xs []*T, clone func(T) T) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		out = append(out, clone(*x))
	}
	return out
}

func same[T any](x T) T { return x }

func cloneCandidate(c Candidate) Candidate {
	c.Tags = slices.Clone(c.Tags)
	return c
}

// Candidates returns every candidate in ascending id order.
func (f *Fake) Candidates() []Candidate {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAll(f.candidates, cloneCandidate)
}

// Candidate returns one candidate.
func (f *Fake) Candidate(id int64) (Candidate, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candByID[id]
	if !ok {
		return Candidate{}, false
	}
	return cloneCandidate(*c), true
}

// JobApplications returns the applications of candidateID, or all of them
// when candidateID is 0, in ascending id order.
func (f *Fake) JobApplications(candidateID int64) []JobApplication {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []JobApplication
	for _, a := range f.apps {
		if candidateID == 0 || a.CandidateID == candidateID {
			out = append(out, *a)
		}
	}
	return out
}

// Jobs returns the seeded jobs.
func (f *Fake) Jobs() []Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAll(f.jobs, same[Job])
}

// Stages returns the stages of every job.
func (f *Fake) Stages() []Stage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAll(f.stages, same[Stage])
}

// Users returns the account's users.
func (f *Fake) Users() []User {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAll(f.users, same[User])
}

// CustomFields returns every custom field definition.
func (f *Fake) CustomFields() []CustomField {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAll(f.fields, same[CustomField])
}

// CandidateCustomFieldValues returns the custom field values on a
// candidate, keyed by the field's api-name.
func (f *Fake) CandidateCustomFieldValues(id int64) map[string]CustomFieldValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]CustomFieldValue{}
	for _, v := range f.values {
		if v.OwnerType == "Candidate" && v.OwnerID == id {
			out[f.fieldByID[v.CustomFieldID].APIName] = *v
		}
	}
	return out
}

// CandidateNotes returns the notes on a candidate in creation order.
func (f *Fake) CandidateNotes(id int64) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Note
	for _, n := range f.notes {
		if n.CandidateID == id {
			out = append(out, *n)
		}
	}
	return out
}

// NewCustomField describes a definition for AddCustomField.
type NewCustomField struct {
	// Name is the display name.
	Name string
	// APIName is the stable key; empty derives it from Name.
	APIName string
	// FieldType is one of CustomField::Text, ::Number, ::Date, ::Url or
	// ::Checkbox.
	FieldType string
	// OwnerType is Candidate (the default) or Job.
	OwnerType string
}

// AddCustomField creates a definition as an admin would in the UI. It
// reports false when the definition is invalid or its api-name is taken.
func (f *Fake) AddCustomField(nf NewCustomField) (CustomField, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if nf.APIName == "" {
		nf.APIName = apiName(nf.Name)
	}
	if nf.OwnerType == "" {
		nf.OwnerType = "Candidate"
	}
	if nf.Name == "" || !fieldTypes[nf.FieldType] || (nf.OwnerType != "Candidate" && nf.OwnerType != "Job") {
		return CustomField{}, false
	}
	for _, x := range f.fields {
		if x.APIName == nf.APIName {
			return CustomField{}, false
		}
	}
	at := stamp(f.now())
	cf := &CustomField{Name: nf.Name, APIName: nf.APIName, FieldType: nf.FieldType, OwnerType: nf.OwnerType,
		CreatedAt: at, UpdatedAt: at}
	f.addField(cf)
	return *cf, true
}

// TouchCandidate marks a candidate as changed now. It reports whether the
// candidate exists.
func (f *Fake) TouchCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candByID[id]
	if ok {
		c.UpdatedAt = stamp(f.now())
	}
	return ok
}

// TouchJobApplication marks an application as changed now. It reports
// whether the application exists.
func (f *Fake) TouchJobApplication(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.appByID[id]
	if ok {
		a.UpdatedAt = stamp(f.now())
	}
	return ok
}

// DeleteCandidate removes a candidate with their applications, notes and
// custom field values, which then answer 404 and leave every list. It
// reports whether the candidate existed.
func (f *Fake) DeleteCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.candByID[id]; !ok {
		return false
	}
	delete(f.candByID, id)
	f.candidates = slices.DeleteFunc(f.candidates, func(c *Candidate) bool { return c.ID == id })
	f.apps = slices.DeleteFunc(f.apps, func(a *JobApplication) bool {
		if a.CandidateID == id {
			delete(f.appByID, a.ID)
			return true
		}
		return false
	})
	f.notes = slices.DeleteFunc(f.notes, func(n *Note) bool {
		if n.CandidateID == id {
			delete(f.noteByID, n.ID)
			return true
		}
		return false
	})
	f.removeValues(func(v *CustomFieldValue) bool { return v.OwnerType == "Candidate" && v.OwnerID == id })
	return true
}
