package lever

import (
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
	// Credential is "basic" (API key) or "bearer" (OAuth token), or "" when
	// the request was not authenticated.
	Credential string
	// ActingUserID is the user the request acted as: the perform_as user of
	// a write, otherwise the credential's owner (AdminUserID); "" when the
	// request was not authenticated.
	ActingUserID string
	// PerformAs is the raw perform_as query parameter.
	PerformAs string
	// Status is the status sent, or 0 when the connection was dropped.
	Status int
	// Fault is the injected fault that hit the request, if any.
	Fault FaultKind
}

// Requests returns a copy of the request log (the most recent 100,000
// requests at most).
func (f *Fake) Requests() []LoggedRequest { return f.log.Entries() }

// RateLimitedCount returns how many 429 responses the fake has sent, from an
// empty bucket or from FaultRateLimit.
func (f *Fake) RateLimitedCount() int { return f.log.RateLimited() }

// RevokeCredentials makes every request fail with 401, as after the customer
// deletes the API key in Lever.
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

// RevokePermission withdraws one Perm* permission from both credentials:
// routes needing it answer 403 ForbiddenError, as when the customer unticks
// that endpoint on the key.
func (f *Fake) RevokePermission(perm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked[perm] = true
}

// GrantPermission undoes RevokePermission.
func (f *Fake) GrantPermission(perm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.revoked, perm)
}

// Opportunities returns every live opportunity in creation order, as the API
// renders them.
func (f *Fake) Opportunities() []Opportunity {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Opportunity, 0, len(f.opps))
	for _, rec := range f.opps {
		if !rec.deleted {
			out = append(out, f.renderOpportunity(rec))
		}
	}
	return out
}

// Opportunity returns one live opportunity.
func (f *Fake) Opportunity(id string) (Opportunity, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[id]
	if !ok || rec.deleted {
		return Opportunity{}, false
	}
	return f.renderOpportunity(rec), true
}

// Application returns the application of a live opportunity.
func (f *Fake) Application(opportunityID string) (Application, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[opportunityID]
	if !ok || rec.deleted {
		return Application{}, false
	}
	return rec.app, true
}

// Contacts returns every contact that still has a live opportunity, in
// creation order.
func (f *Fake) Contacts() []Contact {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Contact
	for _, cr := range f.contacts {
		if slices.ContainsFunc(cr.opps, func(r *oppRec) bool { return !r.deleted }) {
			out = append(out, cloneContact(cr.c))
		}
	}
	return out
}

// Postings returns the seeded postings.
func (f *Fake) Postings() []Posting {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.postings)
}

// Stages returns the account's pipeline stages in order.
func (f *Fake) Stages() []Stage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.stages)
}

// Users returns every user, deactivated ones included.
func (f *Fake) Users() []User {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.users)
}

// Notes returns the notes of an opportunity in creation order, seeded ones
// included.
func (f *Fake) Notes(opportunityID string) []Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Note
	for _, n := range f.notes {
		if n.oppID == opportunityID {
			out = append(out, cloneNote(n.n))
		}
	}
	return out
}

// NotifiedFollowers reports whether the note was written with
// notifyFollowers=true.
func (f *Fake) NotifiedFollowers(noteID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, ok := f.noteBy[noteID]
	return ok && n.notifyFollowers
}

// Links returns the links of an opportunity (its contact's links); nil for
// an unknown opportunity.
func (f *Fake) Links(opportunityID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[opportunityID]
	if !ok {
		return nil
	}
	return slices.Clone(rec.contact.links)
}

// TouchOpportunity marks an opportunity as changed now (updatedAt and
// lastInteractionAt), as an edit in the Lever UI would. It reports whether
// the opportunity exists.
func (f *Fake) TouchOpportunity(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[id]
	if !ok || rec.deleted {
		return false
	}
	touch(rec, f.now().UnixMilli())
	return true
}

// DeleteOpportunity deletes an opportunity as a Lever user would: it stops
// appearing in GET /v1/opportunities (and GET by id is 404) and appears in
// GET /v1/opportunities/deleted with deletedAt and deletedBy. It reports
// whether the opportunity existed.
func (f *Fake) DeleteOpportunity(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[id]
	if !ok || rec.deleted {
		return false
	}
	rec.deleted = true
	rec.o.DeletedAt = f.now().UnixMilli()
	rec.o.DeletedBy = AdminUserID
	return true
}

// DeleteContact deletes every opportunity of a contact, after which GET
// /v1/contacts/{id} is 404 too. It reports whether the contact had a live
// opportunity.
func (f *Fake) DeleteContact(contactID string) bool {
	f.mu.Lock()
	cr, ok := f.contactBy[contactID]
	var ids []string
	if ok {
		for _, rec := range cr.opps {
			if !rec.deleted {
				ids = append(ids, rec.o.ID)
			}
		}
	}
	f.mu.Unlock()
	for _, id := range ids {
		f.DeleteOpportunity(id)
	}
	return len(ids) > 0
}

// MoveStage moves a live opportunity to another stage now, appending to its
// stageChanges. It reports whether both the opportunity and the stage exist.
func (f *Fake) MoveStage(opportunityID, stageID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec, ok := f.oppBy[opportunityID]
	idx, okStage := f.stageIndex[stageID]
	if !ok || rec.deleted || !okStage {
		return false
	}
	now := f.now().UnixMilli()
	rec.o.Stage = stageID
	rec.o.StageChanges = append(rec.o.StageChanges, StageChange{ToStageID: stageID, ToStageIndex: idx, UpdatedAt: now, UserID: RecruiterUserID})
	rec.o.LastAdvancedAt = now
	touch(rec, now)
	return true
}
