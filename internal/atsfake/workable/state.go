package workable

import (
	"errors"
	"slices"
	"time"
)

// LoggedRequest is one request the fake received, in arrival order.
type LoggedRequest struct {
	// Time is the fake's clock when the request arrived.
	Time time.Time
	// Method, Host and Path are the request's method, Host header and URL
	// path; Query is the raw query string.
	Method, Host, Path, Query string
	// Token is "account" or "partner" for an authenticated request, "" for
	// one that was not.
	Token string
	// MemberID is the member_id a comment was posted as (the acting
	// member), "" for other requests.
	MemberID string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the most recent 100,000
// requests at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429 responses the fake has sent, from an
// exhausted window or from FaultRateLimit.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// RevokeCredentials makes every request fail with 401, as after the customer
// revokes the access token.
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

// RevokeScope withdraws one Scope* from both tokens: routes needing it
// answer 403.
func (f *Fake) RevokeScope(scope string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked[scope] = true
}

// GrantScope undoes RevokeScope.
func (f *Fake) GrantScope(scope string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.revoked, scope)
}

// Candidates returns every live candidate record in id order, as
// GET /candidates/{id} renders them.
func (f *Fake) Candidates() []CandidateDetail {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CandidateDetail, 0, len(f.candidates))
	for _, rec := range f.candidates {
		if !rec.deleted {
			out = append(out, f.renderDetail(rec))
		}
	}
	return out
}

// Candidate returns one live candidate record.
func (f *Fake) Candidate(id string) (CandidateDetail, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.candBy[id]
	if !ok || rec.deleted {
		return CandidateDetail{}, false
	}
	return f.renderDetail(rec), true
}

// Jobs returns the seeded jobs.
func (f *Fake) Jobs() []Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.jobs)
}

// Stages returns the account's pipeline stages in order.
func (f *Fake) Stages() []Stage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.stages)
}

// Members returns every member, inactive ones included.
func (f *Fake) Members() []Member {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Member, 0, len(f.members))
	for _, m := range f.members {
		m.Roles = slices.Clone(m.Roles)
		out = append(out, m)
	}
	return out
}

// CustomAttributes returns every custom attribute definition.
func (f *Fake) CustomAttributes() []CustomAttribute {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CustomAttribute, 0, len(f.attrs))
	for _, a := range f.attrs {
		out = append(out, cloneAttribute(a))
	}
	return out
}

// CustomAttributeByLabel returns the definition with that label, as a
// connector finds it.
func (f *Fake) CustomAttributeByLabel(label string) (CustomAttribute, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.attrs {
		if a.Label == label {
			return cloneAttribute(a), true
		}
	}
	return CustomAttribute{}, false
}

// NewAttribute describes a definition for AddCustomAttribute.
type NewAttribute struct {
	// Label is the attribute's name, which connectors match on.
	Label string
	// Type is one of boolean, short_text, free_text, numeric, file, date,
	// dropdown or multiple_choice.
	Type string
	// Choices are the option texts of a dropdown or multiple_choice.
	Choices []string
	// SingleAnswer allows only one choice.
	SingleAnswer bool
	// Disabled creates the attribute disabled, so writes to it fail.
	Disabled bool
}

var attributeTypes = []string{"boolean", "short_text", "free_text", "numeric", "file", "date", "dropdown", "multiple_choice"}

// AddCustomAttribute creates a definition as an admin would in the Workable
// UI (the API cannot) and returns it.
func (f *Fake) AddCustomAttribute(na NewAttribute) (CustomAttribute, error) {
	if na.Label == "" {
		return CustomAttribute{}, errors.New("workable: custom attribute needs a label")
	}
	if !slices.Contains(attributeTypes, na.Type) {
		return CustomAttribute{}, errors.New("workable: unknown custom attribute type " + na.Type)
	}
	choice := na.Type == "dropdown" || na.Type == "multiple_choice"
	if choice != (len(na.Choices) > 0) {
		return CustomAttribute{}, errors.New("workable: choices go with dropdown and multiple_choice only, and those need some")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneAttribute(f.addAttribute(na.Label, na.Type, !na.Disabled, na.SingleAnswer, na.Choices)), nil
}

// CustomAttributeValues returns the custom attribute values written to a
// candidate, keyed by attribute label; nil for an unknown candidate.
func (f *Fake) CustomAttributeValues(candidateID string) map[string]AttributeValue {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.candBy[candidateID]
	if !ok {
		return nil
	}
	out := map[string]AttributeValue{}
	for _, v := range f.renderDetail(rec).CustomAttributes {
		out[v.Label] = v
	}
	return out
}

// Activities returns a candidate's timeline in order, comments included.
func (f *Fake) Activities(candidateID string) []Activity {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Activity
	for _, a := range f.activities {
		if a.CandidateID == candidateID {
			out = append(out, a.Activity)
		}
	}
	return out
}

// Comments returns the comments on a candidate in order, with the policy
// and attachment name they were written with.
func (f *Fake) Comments(candidateID string) []Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Comment
	for _, a := range f.activities {
		if a.CandidateID == candidateID && a.Action == "comment" {
			c := *a
			c.Policy = slices.Clone(c.Policy)
			out = append(out, c)
		}
	}
	return out
}

// TouchCandidate marks a candidate record as changed now, as an edit in the
// Workable UI would. It reports whether the candidate exists.
func (f *Fake) TouchCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.candBy[id]
	if !ok || rec.deleted {
		return false
	}
	touch(rec, f.now())
	return true
}

// DeleteCandidate removes a candidate record. Workable has no listing of
// deletions: the record simply stops appearing and GET by id is 404. It
// reports whether the candidate existed.
func (f *Fake) DeleteCandidate(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.candBy[id]
	if !ok || rec.deleted {
		return false
	}
	rec.deleted = true
	return true
}

// MoveCandidate moves a candidate to the stage with that slug now, adding
// the move to its timeline. It reports whether both exist.
func (f *Fake) MoveCandidate(id, stageSlug string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.candBy[id]
	to := slices.IndexFunc(f.stages, func(s Stage) bool { return s.Slug == stageSlug })
	if !ok || rec.deleted || to < 0 {
		return false
	}
	from := f.stageIndexByName(rec.d.Stage)
	now := f.now()
	f.addActivity(rec, f.stages[to].Kind, from, &to, &f.members[f.memberBy[RecruiterMemberID]], nil, now)
	rec.d.Stage, rec.d.StageKind = f.stages[to].Name, f.stages[to].Kind
	touch(rec, now)
	return true
}
