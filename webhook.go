package resultlinks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The webhook event types: Kombo's, and resultlinks' own about result links.
const (
	EventDataChanged             = "data-changed"
	EventSyncFinished            = "sync-finished"
	EventIntegrationCreated      = "integration-created"
	EventIntegrationDeleted      = "integration-deleted"
	EventIntegrationStateChanged = "integration-state-changed"
	EventResultLinkDelivered     = "result-link-delivered"
	EventResultLinkFailed        = "result-link-failed"
)

// WebhookEventTypes lists every event type, in display order.
var WebhookEventTypes = []string{
	EventDataChanged, EventSyncFinished, EventIntegrationCreated, EventIntegrationDeleted,
	EventIntegrationStateChanged, EventResultLinkDelivered, EventResultLinkFailed,
}

// Webhook is an endpoint of a vendor's that receives an environment's events.
type Webhook struct {
	// ID identifies the endpoint.
	ID string
	// EnvironmentID owns it.
	EnvironmentID string
	// URL is where events are POSTed.
	URL string
	// Events are the event types it receives; empty means all.
	Events []string
	// Secret signs every event sent to it; shown once, when created.
	Secret []byte
	// CreatedAt is when it was configured.
	CreatedAt time.Time
	// Failures counts the sends that failed since the last success.
	Failures int
	// DisabledAt and DisabledReason say when and why sending stopped after
	// repeated failure.
	DisabledAt     *time.Time
	DisabledReason string
}

// NewWebhook validates an endpoint's URL and event types and returns the
// endpoint, with each event type once. Bad input is CodeInputInvalid,
// naming the field.
func NewWebhook(environmentID, rawURL string, events []string, secret []byte, now time.Time) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if rawURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, Errorf(CodeInputInvalid, "url: must be an absolute http or https URL without credentials")
	}
	if len(rawURL) > 2048 {
		return nil, Errorf(CodeInputInvalid, "url: must be at most 2048 characters")
	}
	w := &Webhook{ID: NewID(), EnvironmentID: environmentID, URL: rawURL, Events: []string{}, Secret: secret, CreatedAt: now}
	for i, e := range events {
		if !slices.Contains(WebhookEventTypes, e) {
			return nil, Errorf(CodeInputInvalid, "events[%d]: %s", i,
				fmt.Sprintf("%q is not an event type; the types are %s", e, strings.Join(WebhookEventTypes, ", ")))
		}
		if !slices.Contains(w.Events, e) {
			w.Events = append(w.Events, e)
		}
	}
	return w, nil
}

// Wants reports whether the endpoint receives events of the type.
func (w *Webhook) Wants(eventType string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == eventType {
			return true
		}
	}
	return false
}

// WebhookEvent is one event to send: Kombo's envelope {id, type, data}.
type WebhookEvent struct {
	// ID identifies the event (the envelope's id).
	ID string
	// EnvironmentID is whose it is.
	EnvironmentID string
	// IntegrationID is the integration it is about: events of one
	// integration reach each endpoint in the order they happened.
	IntegrationID string
	// Type is the event type.
	Type string
	// Data is the envelope's data.
	Data json.RawMessage
	// CreatedAt is when it happened.
	CreatedAt time.Time
}

// WebhookDelivery is one attempt to send an event to an endpoint.
type WebhookDelivery struct {
	// ID identifies the attempt.
	ID string
	// EventID, EventType and WebhookID say what was sent where.
	EventID, EventType, WebhookID string
	// Attempt numbers the attempts of one event to one endpoint from 1.
	Attempt int
	// StatusCode is the endpoint's answer, 0 when none came.
	StatusCode int
	// Error describes a failure.
	Error string
	// At and Duration time the attempt.
	At       time.Time
	Duration time.Duration
}

// WebhookStore keeps webhook endpoints, events and delivery attempts.
type WebhookStore interface {
	// CreateWebhook stores an endpoint.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// ListWebhooks returns the environment's endpoints, oldest first.
	ListWebhooks(ctx context.Context, environmentID string) ([]*Webhook, error)
	// GetWebhook returns an endpoint of any environment (for jobs), or CodeNotFound.
	GetWebhook(ctx context.Context, id string) (*Webhook, error)
	// DeleteWebhook deletes an endpoint of the environment, or answers CodeNotFound.
	DeleteWebhook(ctx context.Context, environmentID, id string) error
	// SetWebhookSecret replaces an endpoint's stored secret (re-sealing it
	// under a new key).
	SetWebhookSecret(ctx context.Context, id string, secret []byte) error
	// FindWebhook returns an endpoint of the environment, or CodeNotFound.
	FindWebhook(ctx context.Context, environmentID, id string) (*Webhook, error)
	// SetWebhookHealth saves an endpoint's failure count and disabled state.
	SetWebhookHealth(ctx context.Context, id string, failures int, disabledAt *time.Time, reason string) error
	// AddWebhookFailure counts one more failed send of the endpoint. With
	// disabledAt it also disables the endpoint with the reason and drops
	// its pending sends.
	AddWebhookFailure(ctx context.Context, id string, disabledAt *time.Time, reason string) error
	// AddWebhookEvent stores an event with one pending send per enabled
	// endpoint of its environment that takes its type and, in the same
	// transaction, calls enqueue (when not nil) to queue its sending. When
	// no endpoint takes it, nothing is stored and enqueue is not called.
	AddWebhookEvent(ctx context.Context, ev *WebhookEvent, enqueue EnqueueFunc) error
	// PendingWebhookSends returns the endpoints an event still waits to be
	// sent to.
	PendingWebhookSends(ctx context.Context, eventID string) ([]string, error)
	// ClaimWebhookSend claims the send of an event to an endpoint until
	// until, and answers whether it may go now: an earlier event of the
	// same integration still pending for the endpoint blocks it.
	ClaimWebhookSend(ctx context.Context, webhookID, eventID string, now, until time.Time) (SendClaim, error)
	// FinishWebhookSend ends a claim. With SendPending it only releases the
	// claim (a retry follows); otherwise it settles the send and, in the
	// same transaction, calls next with the endpoint's next pending event
	// of the same integration so that its send is queued.
	FinishWebhookSend(ctx context.Context, webhookID, eventID string, state SendState, next func(eventID string) EnqueueFunc) error
	// AbandonedWebhookSends returns up to limit pending sends whose claim
	// ran out before now: the worker that held it died mid-send.
	AbandonedWebhookSends(ctx context.Context, now time.Time, limit int) ([]AbandonedSend, error)
	// GetWebhookEvent returns an event, or CodeNotFound.
	GetWebhookEvent(ctx context.Context, id string) (*WebhookEvent, error)
	// AddWebhookDelivery records an attempt.
	AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// ListWebhookDeliveries returns an endpoint's attempts, newest first.
	ListWebhookDeliveries(ctx context.Context, webhookID string, limit int) ([]*WebhookDelivery, error)
	// DeleteWebhookHistoryBefore deletes the events created and the
	// attempts made before t, and returns how many rows it deleted.
	DeleteWebhookHistoryBefore(ctx context.Context, t time.Time) (int, error)
}

// SendState is where the send of one event to one endpoint stands.
type SendState string

const (
	// SendPending waits to be sent, or to be retried.
	SendPending SendState = "pending"
	// SendDelivered was answered with a 2xx.
	SendDelivered SendState = "delivered"
	// SendDropped will not be sent: the endpoint was disabled or deleted.
	SendDropped SendState = "dropped"
)

// AbandonedSend is a pending send whose claim ran out.
type AbandonedSend struct {
	// WebhookID and EventID name the send.
	WebhookID, EventID string
	// ClaimedUntil is when its claim ran out.
	ClaimedUntil time.Time
}

// SendClaim is the answer to a claim of a send.
type SendClaim int

const (
	// SendClaimed means the caller holds the send and may send now.
	SendClaimed SendClaim = iota
	// SendBlocked means an earlier event of the same integration waits
	// for the endpoint; this one is queued again when that one settles.
	SendBlocked
	// SendBusy means another worker holds the send.
	SendBusy
	// SendSettled means the send was delivered or dropped already.
	SendSettled
	// SendUntracked means no send of the event to the endpoint was
	// recorded (the endpoint was created after the event).
	SendUntracked
)

// Emits reports whether any of emit is an event to store.
func Emits(emit []*Emit) bool {
	for _, e := range emit {
		if e != nil {
			return true
		}
	}
	return false
}

// Emit is an event to store, and queue by Enqueue, in the transaction of
// the change it reports.
type Emit struct {
	// Event is the event.
	Event *WebhookEvent
	// Enqueue queues its sending; nil queues nothing.
	Enqueue EnqueueFunc
}
