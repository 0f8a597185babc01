package resultlinks

import (
	"context"
	"slices"
	"time"
)

// Changes counts the mirrored records a sync inserted, changed or marked
// deleted, per model.
type Changes map[Model]int

// Add counts n more changed records of model m; n <= 0 counts nothing. c
// must not be nil.
func (c Changes) Add(m Model, n int) {
	if n > 0 {
		c[m] += n
	}
}

// Merge adds every count of o to c.
func (c Changes) Merge(o Changes) {
	for m, n := range o {
		c.Add(m, n)
	}
}

// Total returns the number of changed records of all models.
func (c Changes) Total() int {
	total := 0
	for _, n := range c {
		total += n
	}
	return total
}

// Models returns the models with changed records, sorted by name.
func (c Changes) Models() []Model {
	out := make([]Model, 0, len(c))
	for m, n := range c {
		if n > 0 {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// SyncState is where a sync stands: RUNNING, or one of the wire format's
// sync_state values once it ended.
type SyncState string

// The sync states.
const (
	// SyncRunning: the sync has not ended yet.
	SyncRunning SyncState = "RUNNING"
	// SyncSucceeded: every model was read.
	SyncSucceeded SyncState = "SUCCEEDED"
	// SyncPartiallyFailed: some models could not be read.
	SyncPartiallyFailed SyncState = "PARTIALLY_FAILED"
	// SyncFailed: the sync stopped on an error.
	SyncFailed SyncState = "FAILED"
	// SyncCancelled: the sync was stopped before it ended.
	SyncCancelled SyncState = "CANCELLED"
	// SyncAuthenticationFailed: the ATS refused the integration's credentials.
	SyncAuthenticationFailed SyncState = "AUTHENTICATION_FAILED"
	// SyncTimedOut: the sync ran out of time.
	SyncTimedOut SyncState = "TIMED_OUT"
)

// Sync is the record of one sync of one integration: its progress while it
// runs, and its outcome once it ended.
type Sync struct {
	// ID identifies the sync; a retried sync job keeps its ID.
	ID string
	// IntegrationID and EnvironmentID say whose sync it is.
	IntegrationID, EnvironmentID string
	// Full says whether everything was read (and deletions found), rather
	// than only what changed since the last sync.
	Full bool
	// State is where the sync stands.
	State SyncState
	// StartedAt is when the sync began; EndedAt when it ended, nil while it
	// runs.
	StartedAt time.Time
	EndedAt   *time.Time
	// Pages and Records count the pages fetched and the records seen.
	Pages, Records int
	// Vanished counts the records a full sync marked deleted.
	Vanished int
	// Changes counts the records the sync changed, per model.
	Changes Changes
	// ErrorCode and ErrorMessage describe why a sync did not succeed.
	ErrorCode    Code
	ErrorMessage string
	// Resume is where a running sync goes on from: the page after the last
	// one it stored. A sync continued by another job, or after its process
	// died, starts there; nil for a finished sync.
	Resume *SyncResume
}

// SyncResume is a place in a sync: the model and the connector's cursor
// of the next page to fetch (empty: the model's first page).
type SyncResume struct {
	Model  Model  `json:"model"`
	Cursor string `json:"cursor"`
}

// SyncStore keeps the records of syncs.
type SyncStore interface {
	// SaveSync inserts the sync, or updates its progress and outcome when
	// a sync with its ID exists.
	SaveSync(ctx context.Context, s *Sync) error
	// FinishSync saves the sync and the integration's mutable fields (as
	// UpdateIntegration does) and stores and queues each emit's event, all
	// in one transaction. A missing integration is CodeIntegrationNotFound.
	FinishSync(ctx context.Context, s *Sync, in *Integration, emit ...*Emit) error
	// ListSyncs returns the integration's syncs, newest first; limit <= 0
	// returns all.
	ListSyncs(ctx context.Context, integrationID string, limit int) ([]*Sync, error)
	// FindSync returns a sync of the environment, or CodeNotFound.
	FindSync(ctx context.Context, environmentID, id string) (*Sync, error)
}
