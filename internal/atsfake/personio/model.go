package personio

import "time"

// Candidate is a person who applied; their applications are separate
// records linked by CandidateID.
type Candidate struct {
	ID              string
	FirstName       string
	LastName        string
	Email           string
	Phone           string
	Location        string
	LinkedinProfile string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Application is a candidate applying to one job, in one stage of the
// job's category.
type Application struct {
	ID              string
	CandidateID     string
	JobID           string
	StageID         string
	ApplicationDate string // YYYY-MM-DD
	Channel         string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// StageTransition records an application entering a stage.
type StageTransition struct {
	StageID   string
	EnteredAt time.Time
}

// Job is a job position; its pipeline stages come from its category.
type Job struct {
	ID         string
	Name       string
	Department string
	CategoryID string
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Category is a recruiting category: a named, ordered set of stages shared
// by its jobs.
type Category struct {
	ID     string
	Name   string
	Stages []Stage
}

// Stage is a pipeline stage. Type is UNASSIGNED, IN_PROGRESS, ACCEPTED or
// REJECTED; Kind is DEFAULT for Personio's built-in stages and CUSTOM for
// the company's own.
type Stage struct {
	ID   string
	Name string
	Type string
	Kind string
}

// stamp is the fake's timestamp: UTC at whole seconds, the precision the
// wire carries, so updated_at.gt filters compare exactly.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// zonedTime is the {"date-time", "timezone"} object some v2 recruiting
// resources use for their timestamps.
func zonedTime(t time.Time) map[string]any {
	return map[string]any{"date-time": formatTime(t), "timezone": "UTC"}
}
