package ashby

import (
	"errors"
	"slices"
	"strings"
)

// Requests returns a copy of the request log (the most recent 100,000
// requests at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429 responses the fake has sent, whether
// from an exhausted budget or from FaultRateLimit.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// RevokeCredentials makes the API key invalid, as deactivating it in Ashby
// would: every request is answered 403 until RestoreCredentials.
func (f *Fake) RevokeCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = true
}

// RestoreCredentials undoes RevokeCredentials.
func (f *Fake) RestoreCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = false
}

// RevokePermission removes one permission (such as PermCandidatesWrite) from
// the key, so the endpoints that need it answer 403
// missing_endpoint_permission.
func (f *Fake) RevokePermission(perm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.perms, perm)
}

// GrantPermission adds one permission to the key.
func (f *Fake) GrantPermission(perm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.perms[perm] = true
}

// ExpireSyncTokens makes every syncToken issued so far expired, so the next
// list call that sends one is answered sync_token_expired and the client must
// run a full sync.
func (f *Fake) ExpireSyncTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokensNotAfter = f.now()
}

// Candidates returns every live candidate in creation order, as the API
// would render them.
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

// Applications returns the live applications of candidateID in creation
// order; candidateID "" returns every live application.
func (f *Fake) Applications(candidateID string) []Application {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Application
	for _, r := range f.applications {
		if f.liveApplication(r) && (candidateID == "" || r.a.Candidate.ID == candidateID) {
			out = append(out, f.renderApplication(r))
		}
	}
	return out
}

// Application returns one live application.
func (f *Fake) Application(id string) (Application, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.appByID[id]
	if !ok || !f.liveApplication(r) {
		return Application{}, false
	}
	return f.renderApplication(r), true
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

// InterviewPlans returns the seeded interview plans.
func (f *Fake) InterviewPlans() []InterviewPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.plans)
}

// InterviewStages returns the stages of every plan, each plan's in pipeline
// order.
func (f *Fake) InterviewStages() []InterviewStage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.stages)
}

// Users returns every user, deactivated ones included.
func (f *Fake) Users() []User {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]User, 0, len(f.users))
	for _, u := range f.users {
		out = append(out, *u)
	}
	return out
}

// CustomFields returns every custom field definition, archived ones
// included, in creation order.
func (f *Fake) CustomFields() []CustomField {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CustomField, 0, len(f.fields))
	for _, fr := range f.fields {
		out = append(out, cloneField(fr.def))
	}
	return out
}

// CandidateCustomFields returns the custom field values set on a candidate,
// in field order; nil for an unknown candidate.
func (f *Fake) CandidateCustomFields(id string) []CustomFieldValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok {
		return nil
	}
	return f.fieldValues(r.values)
}

// ApplicationCustomFields returns the custom field values set on an
// application, in field order; nil for an unknown application.
func (f *Fake) ApplicationCustomFields(id string) []CustomFieldValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.appByID[id]
	if !ok {
		return nil
	}
	return f.fieldValues(r.values)
}

// CandidateNotes returns the notes on a candidate in creation order.
func (f *Fake) CandidateNotes(id string) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Note
	for _, n := range f.notes {
		if n.candidateID == id {
			out = append(out, n.n)
		}
	}
	return out
}

// TouchCandidate marks a candidate as changed now, as an edit in the Ashby
// UI would, so the next candidate.list with a syncToken returns it. It
// reports whether the candidate exists.
func (f *Fake) TouchCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return false
	}
	r.updatedAt = f.now()
	return true
}

// TouchApplication is TouchCandidate for an application (its updatedAt).
func (f *Fake) TouchApplication(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.appByID[id]
	if !ok || !f.liveApplication(r) {
		return false
	}
	r.a.UpdatedAt = Time{f.now()}
	return true
}

// DeleteCandidate removes a candidate and its applications. Nothing marks
// the deletion: the records stop appearing in lists (full and incremental)
// and info calls answer candidate_not_found, so only a full sync notices.
// It reports whether the candidate existed.
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

// NewCustomField describes a definition for AddCustomField.
type NewCustomField struct {
	// Title is the field's display name, which clients match on.
	Title string
	// ObjectType is Application, Candidate or Job.
	ObjectType string
	// FieldType is String, Number, Boolean, Date, ValueSelect or
	// MultiValueSelect.
	FieldType string
	// Options are the selectable values of a select field.
	Options []string
	// Archived creates the field archived, so writes to it fail and
	// customField.list hides it unless includeArchived.
	Archived bool
}

// AddCustomField creates a definition directly, as an Ashby admin would in
// the UI, and returns it.
func (f *Fake) AddCustomField(nf NewCustomField) (CustomField, error) {
	if strings.TrimSpace(nf.Title) == "" || !slices.Contains(fieldTypes, nf.FieldType) ||
		!slices.Contains(fieldObjectTypes, nf.ObjectType) {
		return CustomField{}, errors.New("ashby: invalid custom field: need a title, a known fieldType and objectType")
	}
	if (nf.FieldType == "ValueSelect" || nf.FieldType == "MultiValueSelect") && len(nf.Options) == 0 {
		return CustomField{}, errors.New("ashby: invalid custom field: select fields need options")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	def := CustomField{Title: nf.Title, ObjectType: nf.ObjectType, FieldType: nf.FieldType, IsArchived: nf.Archived}
	for _, o := range nf.Options {
		def.SelectableValues = append(def.SelectableValues, SelectableValue{Label: o, Value: o})
	}
	return cloneField(f.addField(def, f.now()).def), nil
}
