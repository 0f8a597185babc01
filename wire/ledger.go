package wire

// ResultLink is a result link as the ledger holds it: GET /result-links/{id}.
type ResultLink struct {
	ID             string         `json:"id"`
	IntegrationID  string         `json:"integration_id"`
	Model          string         `json:"model"`
	TargetID       string         `json:"target_id"`
	TargetRemoteID string         `json:"target_remote_id"`
	Label          string         `json:"label"`
	URL            string         `json:"url"`
	Details        *ResultDetails `json:"details"`
	Status         string         `json:"status"`
	Attempts       int            `json:"attempts"`
	Channels       []string       `json:"channels"`
	RemoteIDs      []string       `json:"remote_ids"`
	Warnings       []Warning      `json:"warnings"`
	Error          *LedgerError   `json:"error"`
	IdempotencyKey *string        `json:"idempotency_key"`
	CreatedAt      Time           `json:"created_at"`
	UpdatedAt      Time           `json:"updated_at"`
	DeliveredAt    *Time          `json:"delivered_at"`
	Exchanges      []Exchange     `json:"exchanges"`
}

// ResultDetails are a result link's attributes.
type ResultDetails struct {
	CustomFieldNamePrefix string      `json:"custom_field_name_prefix"`
	Attributes            []Attribute `json:"attributes"`
}

// Attribute is one result attribute.
type Attribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// LedgerError is the last failure of a delivery.
type LedgerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Exchange is one redacted HTTP call to the ATS.
type Exchange struct {
	Time            Time              `json:"time"`
	Attempt         int               `json:"attempt"`
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"request_headers"`
	RequestBody     string            `json:"request_body"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	DurationMS      int64             `json:"duration_ms"`
	Error           *string           `json:"error"`
}

// Interaction is the log of one API call: GET /interactions/{id}.
type Interaction struct {
	ID            string       `json:"id"`
	IntegrationID *string      `json:"integration_id"`
	Method        string       `json:"method"`
	Route         string       `json:"route"`
	Path          string       `json:"path"`
	Status        int          `json:"status"`
	Error         *LedgerError `json:"error"`
	ResultLinkID  *string      `json:"result_link_id"`
	StartedAt     Time         `json:"started_at"`
	DurationMS    int64        `json:"duration_ms"`
	Exchanges     []Exchange   `json:"exchanges"`
}
