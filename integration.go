package resultlinks

import (
	"context"
	"encoding/json"
	"time"
)

// IntegrationStatus is the health of an integration's connection.
type IntegrationStatus string

// The integration statuses of the wire format.
const (
	// StatusActive: the integration works.
	StatusActive IntegrationStatus = "ACTIVE"
	// StatusInvalid: the ATS rejected the integration's credentials.
	StatusInvalid IntegrationStatus = "INVALID"
	// StatusInactive: the integration was paused by an operator.
	StatusInactive IntegrationStatus = "INACTIVE"
)

// SetupStatus says whether an integration's data can be read yet.
type SetupStatus string

// The setup statuses of the wire format.
const (
	// SetupIncomplete: set-up steps remain.
	SetupIncomplete SetupStatus = "INCOMPLETE"
	// SetupFinalSyncPending: the first sync is running; reads answer 409.
	SetupFinalSyncPending SetupStatus = "FINAL_SYNC_PENDING"
	// SetupCompleted: the first sync finished; data can be read.
	SetupCompleted SetupStatus = "COMPLETED"
)

// Action identifies a write the API offers on an integration.
type Action string

// The result-link actions.
const (
	// ActionAddApplicationResultLink writes a result link to an application.
	ActionAddApplicationResultLink Action = "ats_add_application_result_link"
	// ActionAddCandidateResultLink writes a result link to a candidate.
	ActionAddCandidateResultLink Action = "ats_add_candidate_result_link"
)

// Actions lists every action resultlinks knows, in display order.
var Actions = []Action{ActionAddApplicationResultLink, ActionAddCandidateResultLink}

// Label returns the action's name for people.
func (a Action) Label() string {
	switch a {
	case ActionAddApplicationResultLink:
		return "Add result link to application"
	case ActionAddCandidateResultLink:
		return "Add result link to candidate"
	}
	return string(a)
}

// EndUser is the vendor's customer who owns the ATS account.
type EndUser struct {
	// OrganizationName is the customer's organisation.
	OrganizationName string
	// CreatorEmail is the e-mail of whoever connected the ATS, if known.
	CreatorEmail *string
	// OriginID is the vendor's own ID for that customer, if given.
	OriginID *string
}

// Integration is one customer's connection to one ATS account.
type Integration struct {
	// ID is "<tool>:<24 base58 chars>".
	ID string
	// EnvironmentID is the environment that owns it.
	EnvironmentID string
	// Tool is the connector's slug, e.g. "sandbox" or "greenhouse".
	Tool string
	// Name is a label for people.
	Name string
	// Status is the connection's health.
	Status IntegrationStatus
	// SetupStatus says whether the first sync finished.
	SetupStatus SetupStatus
	// Credentials is the connector's credentials JSON. It never leaves the server.
	Credentials json.RawMessage
	// EndUser is the customer who owns the ATS account.
	EndUser EndUser
	// DisabledActions lists the actions switched off for this integration.
	DisabledActions []Action
	// CreatedAt is when the integration was created.
	CreatedAt time.Time
	// UpdatedAt is when the integration last changed.
	UpdatedAt time.Time
	// LastSyncedAt is when the last successful sync started, if ever; the
	// next delta sync asks for changes since then.
	LastSyncedAt *time.Time
	// LastFullSyncedAt is when the last successful full sync started.
	LastFullSyncedAt *time.Time
	// SyncError is the last sync's failure, empty after a success.
	SyncError string
}

// ActionEnabled reports whether the action is switched on.
func (i *Integration) ActionEnabled(a Action) bool {
	for _, d := range i.DisabledActions {
		if d == a {
			return false
		}
	}
	return true
}

// IntegrationStore keeps integrations. Every lookup is scoped to an
// environment: another environment's integration is indistinguishable from a
// missing one.
type IntegrationStore interface {
	// CreateIntegration stores a new integration.
	// Each emit's event is stored and queued in the same transaction.
	CreateIntegration(ctx context.Context, in *Integration, emit ...*Emit) error
	// FindIntegration returns the live integration, or CodeIntegrationNotFound.
	FindIntegration(ctx context.Context, environmentID, id string) (*Integration, error)
	// GetIntegration returns a live integration of any environment, for
	// background jobs; never for answering a caller.
	GetIntegration(ctx context.Context, id string) (*Integration, error)
	// ListIntegrations returns the environment's live integrations, oldest first.
	ListIntegrations(ctx context.Context, environmentID string) ([]*Integration, error)
	// UpdateIntegration saves the integration's mutable fields (name, status,
	// setup status, disabled actions, sync times and error).
	// Each emit's event is stored and queued in the same transaction.
	UpdateIntegration(ctx context.Context, in *Integration, emit ...*Emit) error
	// SetIntegrationCredentials replaces a live integration's stored
	// credentials (re-sealing under a new key).
	SetIntegrationCredentials(ctx context.Context, id string, credentials []byte) error
	// DeleteIntegration deletes the integration and its mirrored data, or
	// answers CodeIntegrationNotFound.
	// Each emit's event is stored and queued in the same transaction.
	DeleteIntegration(ctx context.Context, environmentID, id string, emit ...*Emit) error
}

// StateStore is a small per-integration key/value store that connectors use
// for what they must remember between calls (cached tokens, the sandbox's
// written fields).
type StateStore interface {
	// GetState returns the value under key, or nil when there is none.
	GetState(ctx context.Context, integrationID, key string) ([]byte, error)
	// PutState stores value under key.
	PutState(ctx context.Context, integrationID, key string, value []byte) error
	// ListStateKeys returns the integration's state keys.
	ListStateKeys(ctx context.Context, integrationID string) ([]string, error)
}
