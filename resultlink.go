package resultlinks

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Limits on a result link's input.
const (
	// MaxURLLength is the longest accepted url.
	MaxURLLength = 2048
	// MaxAttributes is the most attributes one result link may carry.
	MaxAttributes = 50
)

// Attribute is one piece of result data, such as Score = 100%.
type Attribute struct {
	// Key names the attribute; with the prefix it names the custom field.
	Key string
	// Value is the attribute's text.
	Value string
}

// Details carries a result's attributes and how to name them in the ATS.
type Details struct {
	// CustomFieldNamePrefix goes before each key: "Acme:" + "Score" gives
	// the field "Acme: Score".
	CustomFieldNamePrefix string
	// Attributes are the result's data.
	Attributes []Attribute
}

// FieldName returns the custom field name of an attribute key.
func (d *Details) FieldName(key string) string {
	if d.CustomFieldNamePrefix == "" {
		return key
	}
	return d.CustomFieldNamePrefix + " " + key
}

// OracleDocumentCategories are the document categories Oracle Recruiting
// accepts for an attached result.
var OracleDocumentCategories = []string{"IRC_CANDIDATE_RESUME", "IRC_CANDIDATE_COVERLETTER", "MISC", "IRC_INTERNAL"}

// RemoteFields are the per-ATS options of a result link.
type RemoteFields struct {
	// ICIMSAssessmentPackageID is the iCIMS assessment package to attach to.
	ICIMSAssessmentPackageID *string
	// OracleDocumentCategory is the Oracle document category (default MISC).
	OracleDocumentCategory *string
	// OracleMultiPost posts to all of the candidate's current applications.
	OracleMultiPost *bool
	// GreenhouseOnBehalfOf is the Greenhouse user shown as the actor.
	GreenhouseOnBehalfOf *string
	// WorkableOnBehalfOf is the Workable member shown as the actor.
	WorkableOnBehalfOf *string
}

// ResultLinkInput is what a caller asks to write.
type ResultLinkInput struct {
	// Label is the link's display name.
	Label string
	// URL is the link's target, an absolute http(s) URL.
	URL string
	// Details carries the result's attributes, if any.
	Details *Details
	// RemoteFields are per-ATS options.
	RemoteFields RemoteFields
}

// Validate checks the input against the wire format's rules and returns a
// CodeInputInvalid error naming the first bad field.
func (in *ResultLinkInput) Validate() error {
	if strings.TrimSpace(in.Label) == "" {
		return Errorf(CodeInputInvalid, "label: must not be empty")
	}
	if in.URL == "" {
		return Errorf(CodeInputInvalid, "url: must not be empty")
	}
	if len(in.URL) > MaxURLLength {
		return Errorf(CodeInputInvalid, "url: must be at most %d characters, got %d", MaxURLLength, len(in.URL))
	}
	u, err := url.Parse(in.URL)
	if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Errorf(CodeInputInvalid, "url: must be an absolute http or https URL")
	}
	if d := in.Details; d != nil {
		if len(d.Attributes) > MaxAttributes {
			return Errorf(CodeInputInvalid, "details.attributes: at most %d attributes, got %d", MaxAttributes, len(d.Attributes))
		}
		for i, a := range d.Attributes {
			if strings.TrimSpace(a.Key) == "" {
				return Errorf(CodeInputInvalid, "details.attributes[%d].key: must not be empty", i)
			}
		}
	}
	if c := in.RemoteFields.OracleDocumentCategory; c != nil {
		ok := false
		for _, v := range OracleDocumentCategories {
			ok = ok || v == *c
		}
		if !ok {
			return Errorf(CodeInputInvalid, "remote_fields.oracle.override_document_category: must be one of %s", strings.Join(OracleDocumentCategories, ", "))
		}
	}
	return nil
}

// Text renders the result for a person: the label, the URL and each
// attribute on its own line. Connectors use it for notes and comments.
func (in *ResultLinkInput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", in.Label, in.URL)
	if in.Details != nil {
		for _, a := range in.Details.Attributes {
			fmt.Fprintf(&b, "\n%s: %s", in.Details.FieldName(a.Key), a.Value)
		}
	}
	return b.String()
}

// DeliveryStatus is where a result link is in its delivery.
type DeliveryStatus string

// The delivery states.
const (
	// DeliveryQueued: stored, not yet sent.
	DeliveryQueued DeliveryStatus = "QUEUED"
	// DeliveryDelivering: being written to the ATS.
	DeliveryDelivering DeliveryStatus = "DELIVERING"
	// DeliveryDelivered: written to the ATS.
	DeliveryDelivered DeliveryStatus = "DELIVERED"
	// DeliveryFailed: could not be written; see the error.
	DeliveryFailed DeliveryStatus = "FAILED"
)

// Channel is a way a result lands in an ATS, in the order connectors try them.
type Channel string

// The channels of the channel chain.
const (
	// ChannelNative: the ATS's own result or assessment feature.
	ChannelNative Channel = "native"
	// ChannelCustomFields: one custom field for the link and one per attribute.
	ChannelCustomFields Channel = "custom_fields"
	// ChannelNote: a note, comment or activity a person can read.
	ChannelNote Channel = "note"
)

// Receipt is what a connector reports after writing a result link.
type Receipt struct {
	// Channels are the channels used, in order.
	Channels []Channel
	// RemoteIDs are the IDs the ATS gave what was written (notes, fields).
	RemoteIDs []string
	// Warnings say in words where the result landed and what was dropped.
	Warnings []string
	// CustomFields are the custom field values written, so the mirror can
	// show them before the next sync.
	CustomFields map[string]any
	// FieldsOn is the model of the record that holds CustomFields: empty for
	// the target itself, ModelCandidates when an ATS keeps an application's
	// results on its candidate.
	FieldsOn Model
}

// ResultLink is an accepted result link and its delivery: the ledger row.
type ResultLink struct {
	// ID identifies the result link.
	ID string
	// EnvironmentID and IntegrationID say whose it is.
	EnvironmentID, IntegrationID string
	// Model is ModelApplications or ModelCandidates: the kind of target.
	Model Model
	// TargetID is the mirrored record's ID, TargetRemoteID its ATS ID.
	TargetID, TargetRemoteID string
	// CandidateRemoteID is the ATS ID of the target's candidate.
	CandidateRemoteID string
	// Input is what the caller asked to write.
	Input ResultLinkInput
	// IdempotencyKey is the caller's key, if any; RequestHash is the hash of
	// the request it came with.
	IdempotencyKey string
	RequestHash    string
	// Status is where delivery stands; Attempts counts delivery attempts.
	Status   DeliveryStatus
	Attempts int
	// LeaseUntil is, while DELIVERING, when the attempt under way gives the
	// link up if it has not finished, so another may take it over; while
	// QUEUED after a failed attempt, when the next attempt is due.
	LeaseUntil *time.Time
	// Receipt is what the connector reported once delivered.
	Receipt Receipt
	// Warnings are the request's own warnings (ignored keys and tools).
	Warnings []string
	// ErrorCode and ErrorMessage describe the last failure.
	ErrorCode    Code
	ErrorMessage string
	// Exchanges are the redacted HTTP calls to the ATS of every attempt.
	Exchanges []Exchange
	// CreatedAt, UpdatedAt and DeliveredAt are the ledger's timestamps.
	CreatedAt, UpdatedAt time.Time
	DeliveredAt          *time.Time
}

// EnqueueFunc enqueues work inside a store's transaction, so the work
// exists exactly when the transaction's writes do. tx is the engine's own
// transaction (*sql.Tx for SQLite, pgx.Tx for PostgreSQL).
type EnqueueFunc func(ctx context.Context, tx any) error

// ResultLinkStore keeps the ledger of result links.
type ResultLinkStore interface {
	// CreateResultLink stores a new result link and, in the same
	// transaction, calls enqueue (when not nil) to queue its delivery. When
	// another with the same integration and idempotency key exists, it
	// stores and enqueues nothing and returns that one.
	CreateResultLink(ctx context.Context, rl *ResultLink, enqueue EnqueueFunc) (existing *ResultLink, err error)
	// UpdateResultLink saves the delivery fields of a result link.
	UpdateResultLink(ctx context.Context, rl *ResultLink) error
	// FindResultLink returns one result link of the environment, or CodeNotFound.
	FindResultLink(ctx context.Context, environmentID, id string) (*ResultLink, error)
	// GetResultLink returns a result link of any environment, for
	// background jobs; never for answering a caller.
	GetResultLink(ctx context.Context, id string) (*ResultLink, error)
	// ClaimResultLink starts a delivery attempt: when the link is QUEUED, or
	// DELIVERING with a lease that ran out, it becomes DELIVERING with a
	// lease until leaseUntil and one more attempt, and claimed is true.
	// Otherwise nothing changes and the link is returned as it is.
	ClaimResultLink(ctx context.Context, id string, now, leaseUntil time.Time) (rl *ResultLink, claimed bool, err error)
	// PickResultLink notes that a worker took up a QUEUED link's job: the
	// link's lease_until becomes until (unless it is set and not before
	// ifBefore), so that if the worker dies before its attempt, the link is
	// rescued once until has passed. It does nothing in any other state.
	PickResultLink(ctx context.Context, id string, until, ifBefore time.Time) error
	// SettleResultLink records the end of an attempt: it saves rl's status,
	// receipt, error and exchanges and drops the lease (keeping, for a link
	// QUEUED again, rl.LeaseUntil as its next attempt's time), but only while the
	// link is still DELIVERING under the lease the attempt took (leaseUntil);
	// settled is false when another attempt took the link over.
	// When emit is not nil and the link settles, emit's event is stored and
	// queued in the same transaction.
	SettleResultLink(ctx context.Context, rl *ResultLink, leaseUntil time.Time, emit *Emit) (settled bool, err error)
	// FailQueuedResultLink marks a QUEUED link FAILED with the code and
	// message (its caller was answered with that error), and reports
	// whether it did.
	FailQueuedResultLink(ctx context.Context, id string, code Code, message string, now time.Time) (bool, error)
	// ListStaleResultLinks returns up to limit links whose delivery stalled:
	// DELIVERING with a lease that ran out before before (their attempt died
	// with its process), or QUEUED with a next attempt that was due before
	// before (their job died). A job that died before the first attempt is
	// rescued by the job queue itself.
	ListStaleResultLinks(ctx context.Context, before time.Time, limit int) ([]*ResultLink, error)
	// RequeueResultLink puts a FAILED link back to QUEUED for another try,
	// and reports whether it did.
	RequeueResultLink(ctx context.Context, id string, now time.Time) (bool, error)
	// ListResultLinks returns the environment's result links matching f,
	// newest first.
	ListResultLinks(ctx context.Context, environmentID string, f ResultLinkFilter) ([]*ResultLink, error)
}

// ResultLinkFilter selects result links. Empty fields do not filter.
type ResultLinkFilter struct {
	// IntegrationID, TargetID (a candidate or application) and Status select.
	IntegrationID, TargetID string
	Status                  DeliveryStatus
	// BeforeCreatedAt and BeforeID continue a listing after the result link
	// with that creation time and ID (newest first).
	BeforeCreatedAt *time.Time
	BeforeID        string
	// Limit is the most to return.
	Limit int
}

// Store is everything resultlinks keeps. Each engine implements it and
// passes the same conformance suite.
type Store interface {
	EnvironmentStore
	IntegrationStore
	StateStore
	MirrorStore
	ResultLinkStore
	InteractionStore
	AuditStore
	WebhookStore
	SyncStore
	OperatorStore
	ConnectStore
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// CheckMigrations answers an error when the schema is not current.
	CheckMigrations(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Exchange is the redacted record of one HTTP call to an ATS: no
// credential, token or secret appears in it.
type Exchange struct {
	// Time is when the call started.
	Time time.Time `json:"time"`
	// Tool and IntegrationID say whose call it was.
	Tool          string `json:"tool"`
	IntegrationID string `json:"integration_id"`
	// Attempt numbers the attempts of one call from 1.
	Attempt int `json:"attempt"`
	// Method and URL are the request line.
	Method string `json:"method"`
	URL    string `json:"url"`
	// RequestHeaders and RequestBody are what was sent.
	RequestHeaders map[string]string `json:"request_headers"`
	RequestBody    string            `json:"request_body"`
	// Status is the HTTP status, 0 when no answer came.
	Status int `json:"status"`
	// ResponseHeaders and ResponseBody are what came back.
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	// Duration is how long the call took.
	Duration time.Duration `json:"duration"`
	// Error describes a transport failure.
	Error string `json:"error,omitempty"`
}

// Interaction is the log of one API call that changed something or failed:
// what error.log_url points at.
type Interaction struct {
	// ID is the call's request ID (X-Request-Id).
	ID string
	// EnvironmentID and IntegrationID say whose call it was.
	EnvironmentID, IntegrationID string
	// Method, Route and Path describe the call; Status is its answer.
	Method, Route, Path string
	Status              int
	// ErrorCode and ErrorMessage describe a failed call.
	ErrorCode    Code
	ErrorMessage string
	// ResultLinkID is the result link the call stored or read, if any.
	ResultLinkID string
	// StartedAt and Duration time the call.
	StartedAt time.Time
	Duration  time.Duration
}

// InteractionStore keeps the log of API calls.
type InteractionStore interface {
	// CreateInteraction stores one call's log.
	CreateInteraction(ctx context.Context, in *Interaction) error
	// FindInteraction returns one call's log in the environment, or CodeNotFound.
	FindInteraction(ctx context.Context, environmentID, id string) (*Interaction, error)
	// DeleteInteractionsBefore deletes the logs of calls and the records
	// of syncs started before t (retention) and the idempotency keys of
	// result links created before it, and returns how many logs and sync
	// records it deleted.
	DeleteInteractionsBefore(ctx context.Context, t time.Time) (int, error)
}
