package greenhouse

import (
	"errors"
	"slices"
	"time"
)

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method and Path are the request's method and URL path; Query is the
	// raw query string.
	Method, Path, Query string
	// API is "token" (POST /token), "auth" (POST /auth/token), "v3", "v1",
	// or "" for paths outside all of them.
	API string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// ActingUserID is the user the request acted as: the token's sub (or
	// ServiceUserID) on v3, the On-Behalf-Of user on v1; 0 when the request
	// was not authenticated.
	ActingUserID int64
	// OnBehalfOf is the raw On-Behalf-Of header. v3 ignores it (the acting
	// user is fixed by the token's sub), but it is recorded so tests can see
	// what a client sent.
	OnBehalfOf string
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the most recent 100,000
// requests at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429 responses the fake has sent, whether
// from an exhausted budget or from FaultRateLimit.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// Candidates returns every live candidate in ascending id order, as the v3
// API would render them.
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
func (f *Fake) Candidate(id int64) (Candidate, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return Candidate{}, false
	}
	return f.renderCandidate(r), true
}

// Applications returns the live applications of candidateID in ascending id
// order; candidateID 0 returns every live application.
func (f *Fake) Applications(candidateID int64) []Application {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Application
	for _, r := range f.applications {
		if r.deleted || f.candByID[r.a.CandidateID].deleted {
			continue
		}
		if candidateID == 0 || r.a.CandidateID == candidateID {
			out = append(out, f.renderApplication(r))
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

// JobInterviewStages returns the stages of every job.
func (f *Fake) JobInterviewStages() []JobInterviewStage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.stages)
}

// Users returns every user, the service user included.
func (f *Fake) Users() []User {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]User, 0, len(f.users))
	for _, u := range f.users {
		out = append(out, cloneUser(u.u))
	}
	return out
}

// CustomFields returns every custom field definition, active or not.
func (f *Fake) CustomFields() []CustomField {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CustomField, 0, len(f.fields))
	for _, fr := range f.fields {
		out = append(out, fr.def)
	}
	return out
}

// CandidateCustomFields returns the custom field values set on a candidate,
// keyed by name_key, in read form (select values as option names). Fields
// without a value are left out. It returns nil for an unknown candidate.
func (f *Fake) CandidateCustomFields(id int64) map[string]CustomFieldValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok {
		return nil
	}
	return f.setValues(r.values)
}

// ApplicationCustomFields is CandidateCustomFields for an application.
func (f *Fake) ApplicationCustomFields(id int64) map[string]CustomFieldValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.appByID[id]
	if !ok {
		return nil
	}
	return f.setValues(r.values)
}

func (f *Fake) setValues(values map[int64]any) map[string]CustomFieldValue {
	out := map[string]CustomFieldValue{}
	for id, v := range values {
		fr := f.fieldByID[id]
		out[fr.def.NameKey] = CustomFieldValue{Name: fr.def.Name, Type: fr.def.ValueType, Value: fr.display(v)}
	}
	return out
}

// CandidateNotes returns the notes on a candidate in creation order, however
// they were written (POST /v3/notes or the v1 activity feed).
func (f *Fake) CandidateNotes(id int64) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Note
	for _, n := range f.notes {
		if n.n.CandidateID == id {
			out = append(out, cloneNote(n.n))
		}
	}
	return out
}

// TouchCandidate marks a candidate as changed now (updated_at and
// last_activity_at), as an edit in the Greenhouse UI would, so delta-sync
// tests can check the change is picked up. It reports whether the candidate
// exists.
func (f *Fake) TouchCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return false
	}
	r.c.UpdatedAt = stamp(f.now())
	r.c.LastActivityAt = r.c.UpdatedAt
	return true
}

// TouchApplication is TouchCandidate for an application.
func (f *Fake) TouchApplication(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.appByID[id]
	if !ok || r.deleted {
		return false
	}
	r.a.UpdatedAt = stamp(f.now())
	r.a.LastActivityAt = r.a.UpdatedAt
	return true
}

// DeleteCandidate removes a candidate and its applications. As in Harvest
// v3, nothing marks the deletion: the records simply stop appearing in
// lists, and ?ids= returns [] [WH][SV]. It reports whether the candidate
// existed.
func (f *Fake) DeleteCandidate(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return false
	}
	r.deleted = true
	return true
}

// MergeCandidates merges loser into winner as a Greenhouse merge does: the
// loser's applications and notes move to the winner, which is marked as
// updated, and the loser stops appearing anywhere, with no pointer to the
// winner in the API (only the merge_candidate webhook would carry one) [WH].
// It reports whether both candidates existed and differ.
func (f *Fake) MergeCandidates(loserID, winnerID int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	loser, ok1 := f.candByID[loserID]
	winner, ok2 := f.candByID[winnerID]
	if !ok1 || !ok2 || loser.deleted || winner.deleted || loserID == winnerID {
		return false
	}
	at := stamp(f.now())
	for _, a := range f.applications {
		if a.a.CandidateID == loserID {
			a.a.CandidateID = winnerID
			a.a.UpdatedAt = at
		}
	}
	for _, n := range f.notes {
		if n.n.CandidateID == loserID {
			n.n.CandidateID = winnerID
		}
	}
	loser.deleted = true
	winner.c.UpdatedAt, winner.c.LastActivityAt = at, at
	return true
}

// NewCustomField describes a definition for AddCustomField.
type NewCustomField struct {
	// Name is the display name; the name_key is derived from it.
	Name string
	// FieldType is what the field attaches to: "candidate", "application",
	// "job" and so on.
	FieldType string
	// ValueType is the value's type: "short_text", "url", "single_select"...
	ValueType string
	// Options are the option names of a select field.
	Options []string
	// Inactive creates the field archived, so writes to it fail.
	Inactive bool
}

// AddCustomField creates a definition directly, as a Greenhouse admin would
// in the UI, and returns it.
func (f *Fake) AddCustomField(nf NewCustomField) (CustomField, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body := map[string]any{"name": nf.Name, "field_type": nf.FieldType, "value_type": nf.ValueType}
	if len(nf.Options) > 0 {
		opts := make([]any, 0, len(nf.Options))
		for _, o := range nf.Options {
			opts = append(opts, map[string]any{"name": o})
		}
		body["custom_field_options"] = opts
	}
	def, options, errs := f.customFieldFromBody(body)
	if len(errs) > 0 {
		return CustomField{}, errors.New("greenhouse: invalid custom field: " + describeErrors(errs))
	}
	def.Active = !nf.Inactive
	fr := f.addField(def, options, stamp(f.now()).Time)
	return fr.def, nil
}

func describeErrors(errs []any) string {
	var s string
	for _, e := range v1Errors(errs) {
		if s != "" {
			s += "; "
		}
		s += e.Field + " " + e.Message
	}
	return s
}

// CustomFieldOptions returns the options of a select field in sort order.
func (f *Fake) CustomFieldOptions(fieldID int64) []CustomFieldOption {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr, ok := f.fieldByID[fieldID]
	if !ok {
		return nil
	}
	return slices.Clone(fr.options)
}
