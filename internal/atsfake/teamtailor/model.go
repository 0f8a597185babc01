package teamtailor

import "time"

// timeLayout is the wire format of Teamtailor timestamps: ISO 8601 with
// milliseconds and a numeric offset (the fake always uses +00:00).
const timeLayout = "2006-01-02T15:04:05.000-07:00"

func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// stamp is the fake's timestamp: UTC at the wire's millisecond precision.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Candidate is a person in the talent pool. Their applications to jobs are
// JobApplications.
type Candidate struct {
	ID          int64
	FirstName   string
	LastName    string
	Email       string
	Phone       string
	LinkedinURL string
	Sourced     bool
	Tags        []string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// JobApplication is a candidate applying to one job, sitting in one of the
// job's stages. RejectedAt is zero unless the application was rejected.
type JobApplication struct {
	ID             int64
	CandidateID    int64
	JobID          int64
	StageID        int64
	Sourced        bool
	ChangedStageAt time.Time
	RejectedAt     time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Job is a job opening; Status is open, draft, archived or unlisted.
type Job struct {
	ID        int64
	Title     string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Stage is one column of a job's pipeline; StageType is inbox, in_process,
// interview, offer or hired.
type Stage struct {
	ID        int64
	JobID     int64
	Name      string
	StageType string
	RowOrder  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// User is a member of the company's Teamtailor account; Role is admin,
// user or hiring_manager. Notes need a user as their author.
type User struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CustomField is a custom field definition. FieldType is one of the
// CustomField::* values; OwnerType is Candidate or Job.
type CustomField struct {
	ID        int64
	Name      string
	APIName   string
	FieldType string
	OwnerType string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CustomFieldValue is a custom field's value on one owner (a candidate or a
// job). Value is a string (Text, Url, Date), a float64 (Number) or a bool
// (Checkbox).
type CustomFieldValue struct {
	ID            int64
	CustomFieldID int64
	OwnerType     string
	OwnerID       int64
	Value         any
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Note is a note on a candidate, written by UserID.
type Note struct {
	ID          int64
	CandidateID int64
	UserID      int64
	Note        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
