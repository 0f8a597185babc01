package sdk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The headers of every webhook event the server sends.
const (
	// SignatureHeader carries Kombo's signature: base64url without padding
	// of HMAC-SHA256 over the raw body, keyed by the endpoint's secret.
	SignatureHeader = "X-Kombo-Signature"
	// TimestampHeader carries the Unix time, in seconds, of the send.
	TimestampHeader = "X-Resultlinks-Timestamp"
	// TimestampSignatureHeader carries HMAC-SHA256 over
	// "<timestamp>.<body>", encoded like SignatureHeader.
	TimestampSignatureHeader = "X-Resultlinks-Signature"
	// EventIDHeader carries the event's ID.
	EventIDHeader = "X-Resultlinks-Event-Id"
)

// The webhook event types.
const (
	EventDataChanged             = "data-changed"
	EventSyncFinished            = "sync-finished"
	EventIntegrationCreated      = "integration-created"
	EventIntegrationDeleted      = "integration-deleted"
	EventIntegrationStateChanged = "integration-state-changed"
	EventResultLinkDelivered     = "result-link-delivered"
	EventResultLinkFailed        = "result-link-failed"
)

// ErrBadSignature is answered by the webhook checks when a signature does
// not match, or a timestamp is missing or too old.
var ErrBadSignature = errors.New("sdk: webhook signature does not match")

func webhookMAC(secret string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

func macMatches(signature string, want []byte) bool {
	got, err := base64.RawURLEncoding.DecodeString(signature)
	return err == nil && hmac.Equal(got, want)
}

// VerifyWebhook reports whether signature (the X-Kombo-Signature header)
// signs body with the endpoint's secret. It is Kombo's scheme, so it also
// verifies events from Kombo.
func VerifyWebhook(secret string, body []byte, signature string) bool {
	return macMatches(signature, webhookMAC(secret, body))
}

// VerifyWebhookTimestamped checks the timestamped signature of body: the
// X-Resultlinks-Signature header over the X-Resultlinks-Timestamp header
// and body, sent no more than tolerance before or after now. It answers
// ErrBadSignature otherwise. Use it to refuse replayed events.
func VerifyWebhookTimestamped(secret string, body []byte, timestamp, signature string, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: no valid %s", ErrBadSignature, TimestampHeader)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: sent %s ago, more than %s", ErrBadSignature, d.Round(time.Second), tolerance)
	}
	if !macMatches(signature, webhookMAC(secret, []byte(timestamp), []byte("."), body)) {
		return ErrBadSignature
	}
	return nil
}

// WebhookEvent is one event: Kombo's envelope {id, type, data}. Decode its
// Data into the type of its Type: ResultLinkEventData,
// IntegrationEventData, SyncFinishedData, DataChangedData or
// IntegrationStateChangedData.
type WebhookEvent struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Decode decodes the event's data into v.
func (e *WebhookEvent) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("sdk: decoding the data of %s event %s: %w", e.Type, e.ID, err)
	}
	return nil
}

// MaxWebhookBody is the largest event body ReadWebhook reads.
const MaxWebhookBody = 1 << 20

// ReadWebhook reads, verifies and decodes an event a webhook endpoint
// received. With tolerance > 0 it checks the timestamped signature too,
// refusing events sent more than tolerance away from now (replays). It
// answers ErrBadSignature when a check fails; answer such a request 401.
func ReadWebhook(r *http.Request, secret string, tolerance time.Duration) (*WebhookEvent, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
	if err != nil {
		return nil, fmt.Errorf("sdk: reading the webhook body: %w", err)
	}
	if len(body) > MaxWebhookBody {
		return nil, fmt.Errorf("sdk: webhook body over %d bytes", MaxWebhookBody)
	}
	if !VerifyWebhook(secret, body, r.Header.Get(SignatureHeader)) {
		return nil, ErrBadSignature
	}
	if tolerance > 0 {
		if err := VerifyWebhookTimestamped(secret, body, r.Header.Get(TimestampHeader), r.Header.Get(TimestampSignatureHeader), time.Now(), tolerance); err != nil {
			return nil, err
		}
	}
	var ev WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, fmt.Errorf("sdk: decoding the webhook body: %w", err)
	}
	return &ev, nil
}

// ResultLinkEventData is the data of result-link-delivered and
// result-link-failed.
type ResultLinkEventData struct {
	ResultLinkID    string   `json:"result_link_id"`
	IntegrationID   string   `json:"integration_id"`
	IntegrationTool string   `json:"integration_tool"`
	Model           string   `json:"model"`
	TargetID        string   `json:"target_id"`
	TargetRemoteID  string   `json:"target_remote_id"`
	Label           string   `json:"label"`
	URL             string   `json:"url"`
	Status          string   `json:"status"`
	Attempts        int      `json:"attempts"`
	Channels        []string `json:"channels"`
	RemoteIDs       []string `json:"remote_ids"`
	Warnings        []string `json:"warnings"`
	// Error is set on result-link-failed.
	Error *struct {
		Code    ErrorCode `json:"code"`
		Message string    `json:"message"`
	} `json:"error"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// IntegrationEventData is the data of integration-created and
// integration-deleted (which sets DeletedAt).
type IntegrationEventData struct {
	ID        string     `json:"id"`
	Tool      string     `json:"tool"`
	Category  string     `json:"category"`
	EndUser   EndUser    `json:"end_user"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// SyncFinishedData is the data of sync-finished.
type SyncFinishedData struct {
	SyncID              string    `json:"sync_id"`
	SyncState           string    `json:"sync_state"`
	SyncStartedAt       time.Time `json:"sync_started_at"`
	SyncEndedAt         time.Time `json:"sync_ended_at"`
	SyncDurationSeconds int       `json:"sync_duration_seconds"`
	IntegrationID       string    `json:"integration_id"`
	IntegrationTool     string    `json:"integration_tool"`
	IntegrationCategory string    `json:"integration_category"`
	EndUser             EndUser   `json:"end_user"`
	LogURL              string    `json:"log_url"`
}

// DataChangedData is the data of data-changed: fetch the changed models
// with UpdatedAfter.
type DataChangedData struct {
	IntegrationID       string `json:"integration_id"`
	IntegrationTool     string `json:"integration_tool"`
	IntegrationCategory string `json:"integration_category"`
	ChangedModels       []struct {
		Name string `json:"name"`
	} `json:"changed_models"`
}

// IntegrationStateChangedData is the data of integration-state-changed.
type IntegrationStateChangedData struct {
	IntegrationTool     string    `json:"integration_tool"`
	IntegrationID       string    `json:"integration_id"`
	IntegrationCategory string    `json:"integration_category"`
	EndUser             EndUser   `json:"end_user"`
	QAStatus            string    `json:"qa_status"`
	SetupStatus         string    `json:"setup_status"`
	State               string    `json:"state"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Webhook is a webhook endpoint. Secret is set only by CreateWebhook.
type Webhook struct {
	ID             string     `json:"id"`
	URL            string     `json:"url"`
	Events         []string   `json:"events"`
	Secret         string     `json:"secret,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	Failures       int        `json:"failures"`
	DisabledAt     *time.Time `json:"disabled_at"`
	DisabledReason *string    `json:"disabled_reason"`
}

// WebhookDelivery is one attempt to send an event to an endpoint.
type WebhookDelivery struct {
	ID         string    `json:"id"`
	EventID    string    `json:"event_id"`
	EventType  string    `json:"event_type"`
	Attempt    int       `json:"attempt"`
	StatusCode *int      `json:"status_code"`
	Error      *string   `json:"error"`
	At         time.Time `json:"at"`
	DurationMS int64     `json:"duration_ms"`
}

// CreateWebhook registers an endpoint for the event types (none means
// all) and returns it with its secret, which is shown only now (POST
// /webhooks).
func (c *Client) CreateWebhook(ctx context.Context, endpointURL string, events []string, opts ...CallOption) (*Webhook, error) {
	if endpointURL == "" {
		return nil, errMissing("CreateWebhook", "endpoint URL")
	}
	if events == nil {
		events = []string{}
	}
	var w Webhook
	_, _, err := c.do(ctx, &apiRequest{method: http.MethodPost, path: "/webhooks",
		body: map[string]any{"url": endpointURL, "events": events}, call: applyCallOptions(opts)}, &w)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// ListWebhooks returns the environment's endpoints (GET /webhooks).
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var data struct {
		Results []Webhook `json:"results"`
	}
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: "/webhooks"}, &data); err != nil {
		return nil, err
	}
	return data.Results, nil
}

// DeleteWebhook removes an endpoint (DELETE /webhooks/{id}).
func (c *Client) DeleteWebhook(ctx context.Context, webhookID string, opts ...CallOption) error {
	if webhookID == "" {
		return errMissing("DeleteWebhook", "webhook ID")
	}
	_, _, err := c.do(ctx, &apiRequest{method: http.MethodDelete, path: "/webhooks/" + url.PathEscape(webhookID),
		call: applyCallOptions(opts)}, nil)
	return err
}

// ListWebhookDeliveries returns an endpoint's latest send attempts, newest
// first (GET /webhooks/{id}/deliveries); pageSize 0 takes the server's
// default.
func (c *Client) ListWebhookDeliveries(ctx context.Context, webhookID string, pageSize int) ([]WebhookDelivery, error) {
	if webhookID == "" {
		return nil, errMissing("ListWebhookDeliveries", "webhook ID")
	}
	q := url.Values{}
	if pageSize > 0 {
		q.Set("page_size", strconv.Itoa(pageSize))
	}
	var data struct {
		Results []WebhookDelivery `json:"results"`
	}
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: "/webhooks/" + url.PathEscape(webhookID) + "/deliveries", query: q}, &data); err != nil {
		return nil, err
	}
	return data.Results, nil
}

// ResendWebhookEvent sends an event to an endpoint once more, enabling the
// endpoint again when it was disabled (POST /webhooks/{id}/resend).
func (c *Client) ResendWebhookEvent(ctx context.Context, webhookID, eventID string, opts ...CallOption) (*Webhook, error) {
	if webhookID == "" || eventID == "" {
		return nil, errMissing("ResendWebhookEvent", "webhook ID and event ID")
	}
	var w Webhook
	_, _, err := c.do(ctx, &apiRequest{method: http.MethodPost, path: "/webhooks/" + url.PathEscape(webhookID) + "/resend",
		body: map[string]string{"event_id": eventID}, call: applyCallOptions(opts)}, &w)
	if err != nil {
		return nil, err
	}
	return &w, nil
}
