package wire

// CreateWebhook is the body of POST /webhooks.
type CreateWebhook struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// Webhook is a webhook endpoint. Secret is set only in the answer to its
// creation.
type Webhook struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Events         []string `json:"events"`
	Secret         *string  `json:"secret,omitempty"`
	CreatedAt      Time     `json:"created_at"`
	Failures       int      `json:"failures"`
	DisabledAt     *Time    `json:"disabled_at"`
	DisabledReason *string  `json:"disabled_reason"`
}

// Webhooks is the answer of GET /webhooks.
type Webhooks struct {
	Results []Webhook `json:"results"`
}

// WebhookDelivery is one attempt to send an event to an endpoint.
type WebhookDelivery struct {
	ID         string  `json:"id"`
	EventID    string  `json:"event_id"`
	EventType  string  `json:"event_type"`
	Attempt    int     `json:"attempt"`
	StatusCode *int    `json:"status_code"`
	Error      *string `json:"error"`
	At         Time    `json:"at"`
	DurationMS int64   `json:"duration_ms"`
}

// WebhookDeliveries is the answer of GET /webhooks/{id}/deliveries.
type WebhookDeliveries struct {
	Results []WebhookDelivery `json:"results"`
}

// ResendWebhookEvent is the body of POST /webhooks/{id}/resend.
type ResendWebhookEvent struct {
	EventID string `json:"event_id"`
}

// ResultLinkEvent is the data of the result-link-delivered and
// result-link-failed events.
type ResultLinkEvent struct {
	ResultLinkID    string       `json:"result_link_id"`
	IntegrationID   string       `json:"integration_id"`
	IntegrationTool string       `json:"integration_tool"`
	Model           string       `json:"model"`
	TargetID        string       `json:"target_id"`
	TargetRemoteID  string       `json:"target_remote_id"`
	Label           string       `json:"label"`
	URL             string       `json:"url"`
	Status          string       `json:"status"`
	Attempts        int          `json:"attempts"`
	Channels        []string     `json:"channels"`
	RemoteIDs       []string     `json:"remote_ids"`
	Warnings        []string     `json:"warnings"`
	Error           *LedgerError `json:"error"`
	DeliveredAt     *Time        `json:"delivered_at"`
}

// IntegrationEvent is the data of the integration-created event.
type IntegrationEvent struct {
	ID       string  `json:"id"`
	Tool     string  `json:"tool"`
	Category string  `json:"category"`
	EndUser  EndUser `json:"end_user"`
}

// IntegrationDeletedEvent is the data of the integration-deleted event.
type IntegrationDeletedEvent struct {
	IntegrationEvent
	DeletedAt Time `json:"deleted_at"`
}

// SyncFinishedEvent is the data of the sync-finished event.
type SyncFinishedEvent struct {
	SyncID              string  `json:"sync_id"`
	SyncState           string  `json:"sync_state"`
	SyncStartedAt       Time    `json:"sync_started_at"`
	SyncEndedAt         Time    `json:"sync_ended_at"`
	SyncDurationSeconds int     `json:"sync_duration_seconds"`
	IntegrationID       string  `json:"integration_id"`
	IntegrationTool     string  `json:"integration_tool"`
	IntegrationCategory string  `json:"integration_category"`
	EndUser             EndUser `json:"end_user"`
	LogURL              string  `json:"log_url"`
}

// ChangedModel names a model with changed records in data-changed.
type ChangedModel struct {
	Name string `json:"name"`
}

// DataChangedEvent is the data of the data-changed event.
type DataChangedEvent struct {
	IntegrationID       string         `json:"integration_id"`
	IntegrationTool     string         `json:"integration_tool"`
	IntegrationCategory string         `json:"integration_category"`
	ChangedModels       []ChangedModel `json:"changed_models"`
}

// IntegrationStateChangedEvent is the data of the integration-state-changed
// event.
type IntegrationStateChangedEvent struct {
	IntegrationTool     string  `json:"integration_tool"`
	IntegrationID       string  `json:"integration_id"`
	IntegrationCategory string  `json:"integration_category"`
	EndUser             EndUser `json:"end_user"`
	QAStatus            string  `json:"qa_status"`
	SetupStatus         string  `json:"setup_status"`
	State               string  `json:"state"`
	UpdatedAt           Time    `json:"updated_at"`
}
