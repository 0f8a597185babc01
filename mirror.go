package resultlinks

import (
	"context"
	"time"
)

// Model names a kind of mirrored record, as the wire format names them in
// data-changed webhooks.
type Model string

// The mirrored models.
const (
	// ModelCandidates is the candidates of an ATS.
	ModelCandidates Model = "ats_candidates"
	// ModelApplications is the applications of an ATS.
	ModelApplications Model = "ats_applications"
	// ModelJobs is the jobs of an ATS.
	ModelJobs Model = "ats_jobs"
	// ModelStages is the application stages of an ATS.
	ModelStages Model = "ats_application_stages"
	// ModelTags is the candidate tags of an ATS.
	ModelTags Model = "ats_tags"
)

// Outcome is where an application ended.
type Outcome string

// The outcomes of the wire format.
const (
	// OutcomePending: the application is still in process.
	OutcomePending Outcome = "PENDING"
	// OutcomeHired: the candidate was hired.
	OutcomeHired Outcome = "HIRED"
	// OutcomeDeclined: the application was rejected or withdrawn.
	OutcomeDeclined Outcome = "DECLINED"
)

// Valid reports whether o is one of the wire format's outcomes.
func (o Outcome) Valid() bool {
	return o == OutcomePending || o == OutcomeHired || o == OutcomeDeclined
}

// Job is a job opening in the ATS.
type Job struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the job's ID in the ATS.
	RemoteID string
	// Name is the job's title.
	Name *string
}

// StageStatus says whether a stage is in use.
type StageStatus string

// The stage statuses of the wire format.
const (
	// StageActive: the stage is in use.
	StageActive StageStatus = "ACTIVE"
	// StageInactive: the stage is archived.
	StageInactive StageStatus = "INACTIVE"
)

// Stage is a step of the hiring process.
type Stage struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the stage's ID in the ATS.
	RemoteID string
	// Name is the stage's name.
	Name *string
	// Index is the stage's position in the process, if the ATS orders stages.
	Index *int
	// Status says whether the stage is in use, if the ATS says.
	Status *StageStatus
}

// Tag is a label on a candidate.
type Tag struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the tag's ID in the ATS.
	RemoteID string
	// Name is the tag's text.
	Name *string
}

// PhoneNumber is one of a candidate's phone numbers.
type PhoneNumber struct {
	// PhoneNumber is the number as the ATS holds it.
	PhoneNumber string
	// Type is the kind of number (e.g. MOBILE), if known.
	Type *string
}

// EmailAddress is one of a candidate's e-mail addresses.
type EmailAddress struct {
	// EmailAddress is the address.
	EmailAddress *string
	// Type is the kind of address (e.g. PERSONAL), if known.
	Type *string
}

// SocialMedia is one of a candidate's profiles.
type SocialMedia struct {
	// Link is the profile's URL.
	Link *string
	// Type is the network.
	Type *string
	// Username is the handle.
	Username *string
}

// Location is a postal location.
type Location struct {
	City, Country, Raw, State, Street1, Street2, ZipCode *string
}

// Interview is an interview of an application.
type Interview struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the interview's ID in the ATS.
	RemoteID *string
	// Title is the interview's title.
	Title *string
	// StartingAt and EndingAt bound the interview.
	StartingAt, EndingAt *time.Time
	// Canceled says whether it was cancelled.
	Canceled *bool
}

// Offer is a job offer of an application.
type Offer struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the offer's ID in the ATS.
	RemoteID *string
	// Status is ACCEPTED, DECLINED, SENT, APPROVED, DRAFT or ABANDONED.
	Status *string
}

// Candidate is a person in the ATS, as mirrored.
type Candidate struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the candidate's ID in the ATS.
	RemoteID string
	// FirstName, LastName, Company and Title describe the person.
	FirstName, LastName, Company, Title *string
	// Confidential says whether the ATS marks the candidate confidential.
	Confidential *bool
	// Source is the hiring source.
	Source *string
	// PhoneNumbers, EmailAddresses and SocialMedia are the person's contacts.
	PhoneNumbers   []PhoneNumber
	EmailAddresses []EmailAddress
	SocialMedia    []SocialMedia
	// Location is where the person lives, if known.
	Location *Location
	// CustomFields maps custom field names to values.
	CustomFields map[string]any
	// RemoteURL is the candidate's page in the ATS.
	RemoteURL *string
	// RemoteCreatedAt and RemoteUpdatedAt are the ATS's own timestamps.
	RemoteCreatedAt, RemoteUpdatedAt *time.Time
	// Tags are the candidate's labels.
	Tags []Tag
	// ChangedAt is when the mirror last saw this record's own data change.
	ChangedAt time.Time
	// RemoteDeletedAt is when the record vanished from the ATS, if it did.
	RemoteDeletedAt *time.Time
	// Applications are the candidate's applications; filled on reads.
	Applications []*Application
}

// Application is a candidate's application to a job, as mirrored.
type Application struct {
	// ID is derived from the integration and RemoteID.
	ID string
	// RemoteID is the application's ID in the ATS.
	RemoteID string
	// CandidateRemoteID, JobRemoteID and CurrentStageRemoteID reference
	// other records by their ATS IDs; connectors fill these.
	CandidateRemoteID, JobRemoteID, CurrentStageRemoteID string
	// Outcome is where the application ended, if the ATS says.
	Outcome *Outcome
	// RejectionReasonName and RejectedAt describe a rejection.
	RejectionReasonName *string
	RejectedAt          *time.Time
	// CustomFields maps custom field names to values.
	CustomFields map[string]any
	// RemoteURL is the application's page in the ATS.
	RemoteURL *string
	// RemoteCreatedAt and RemoteUpdatedAt are the ATS's own timestamps.
	RemoteCreatedAt, RemoteUpdatedAt *time.Time
	// Interviews and Offers belong to the application.
	Interviews []Interview
	Offers     []Offer
	// ChangedAt is when the mirror last saw this record's own data change.
	ChangedAt time.Time
	// RemoteDeletedAt is when the record vanished from the ATS, if it did.
	RemoteDeletedAt *time.Time

	// CandidateID, JobID and CurrentStageID are the derived IDs of the
	// referenced records; set by the mirror.
	CandidateID, JobID, CurrentStageID *string
	// Candidate, Job and CurrentStage are the referenced records; filled on
	// reads. Candidate has no Applications.
	Candidate    *Candidate
	Job          *Job
	CurrentStage *Stage
}

// Batch is a set of records from the ATS, written to the mirror together.
type Batch struct {
	Jobs         []*Job
	Stages       []*Stage
	Candidates   []*Candidate
	Applications []*Application
}

// Len returns the number of records in the batch.
func (b *Batch) Len() int {
	return len(b.Jobs) + len(b.Stages) + len(b.Candidates) + len(b.Applications)
}

// CandidateFilter selects candidates. Empty fields do not filter; different
// fields are ANDed, the values of one list ORed.
type CandidateFilter struct {
	// After continues a listing after this candidate ID (keyset paging).
	After string
	// Limit is the most candidates to return.
	Limit                      int
	IDs, RemoteIDs, JobIDs     []string
	Email, FirstName, LastName string
	// UpdatedAfter keeps records whose own or nested data changed after it.
	UpdatedAfter *time.Time
	// IncludeDeleted keeps records that vanished from the ATS.
	IncludeDeleted bool
}

// ApplicationFilter selects applications, like CandidateFilter.
type ApplicationFilter struct {
	After                  string
	Limit                  int
	IDs, RemoteIDs, JobIDs []string
	Outcomes               []Outcome
	UpdatedAfter           *time.Time
	IncludeDeleted         bool
}

// MirrorStore keeps the mirror of each integration's ATS data.
type MirrorStore interface {
	// UpsertBatch writes records from the ATS. IDs and references are derived
	// from remote IDs; a record whose content did not change keeps its
	// ChangedAt. It returns how many records of each model it inserted or
	// changed.
	UpsertBatch(ctx context.Context, integrationID string, b *Batch, now time.Time) (Changes, error)
	// ListCandidates returns the candidates matching f, ordered by ID, with
	// their applications.
	ListCandidates(ctx context.Context, integrationID string, f CandidateFilter) ([]*Candidate, error)
	// ListApplications returns the applications matching f, ordered by ID,
	// with candidate, job and current stage.
	ListApplications(ctx context.Context, integrationID string, f ApplicationFilter) ([]*Application, error)
	// FindCandidate returns one candidate, or CodeNotFound.
	FindCandidate(ctx context.Context, integrationID, id string) (*Candidate, error)
	// FindApplication returns one application, or CodeNotFound.
	FindApplication(ctx context.Context, integrationID, id string) (*Application, error)
	// SetCustomFields sets custom fields on one mirrored record (after a
	// write to the ATS), marking it and the records that nest it changed.
	SetCustomFields(ctx context.Context, integrationID string, model Model, id string, fields map[string]any, now time.Time) error
	// MarkVanished marks the candidates and applications that no sync has
	// seen since seenBefore as deleted in the ATS (after a full sync that
	// started at seenBefore) and returns how many of each model it marked.
	MarkVanished(ctx context.Context, integrationID string, seenBefore, now time.Time) (Changes, error)
}
