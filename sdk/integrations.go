package sdk

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// CheckAPIKey asks the server whether the client's API key is valid (GET
// /check-api-key) and returns the ID of the environment the key belongs to.
// A wrong key gives an *Error matching ErrUnauthorized. The call is not
// integration-scoped and sends no X-Integration-Id.
func (c *Client) CheckAPIKey(ctx context.Context) (environmentID string, err error) {
	var data struct {
		EnvironmentID string `json:"environment_id"`
	}
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: "/check-api-key"}, &data); err != nil {
		return "", err
	}
	return data.EnvironmentID, nil
}

// GetIntegration returns one integration with its tool, status and the data
// models and actions it offers (GET /integrations/{integration_id}). The ID
// goes in the path; no X-Integration-Id is sent.
func (c *Client) GetIntegration(ctx context.Context, integrationID string) (*Integration, error) {
	if integrationID == "" {
		return nil, errMissing("GetIntegration", "integration ID")
	}
	var in Integration
	if _, _, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: "/integrations/" + url.PathEscape(integrationID)}, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// DeleteIntegration deletes an integration for good (DELETE
// /integrations/{integration_id}); it cannot be undone. Like every write it
// is sent with an Idempotency-Key, so it may be retried; see
// WithoutIdempotencyKey. A server that does not keep idempotency keys may
// answer such a retry with 404 when the first attempt did delete the
// integration, so treat ErrNotFound as done. The ID goes in the path; no
// X-Integration-Id is sent.
func (c *Client) DeleteIntegration(ctx context.Context, integrationID string, opts ...CallOption) error {
	if integrationID == "" {
		return errMissing("DeleteIntegration", "integration ID")
	}
	_, _, err := c.do(ctx, &apiRequest{
		method: http.MethodDelete,
		path:   "/integrations/" + url.PathEscape(integrationID),
		body:   struct{}{},
		call:   applyCallOptions(opts),
	}, nil)
	return err
}

// Integration is one customer's connection to their ATS (or other tool), as
// GetIntegration returns it.
type Integration struct {
	// ID is the integration's ID, "<tool>:<id>", for example
	// "greenhouse:HWUTwvyx2wLoSUHphiWVrp28". Integration-scoped calls send it
	// as X-Integration-Id.
	ID string `json:"id"`
	// Tool is the ATS or other system the integration connects to.
	Tool IntegrationTool `json:"tool"`
	// Category is the kind of system connected.
	Category IntegrationCategory `json:"category"`
	// Status says whether the integration works.
	Status IntegrationStatus `json:"status"`
	// SetupStatus says how far the integration's setup got.
	SetupStatus SetupStatus `json:"setup_status"`
	// EndUser is the customer who connected the integration.
	EndUser EndUser `json:"end_user"`
	// ScopeConfig is the set of permissions the integration runs under.
	ScopeConfig ScopeConfig `json:"scope_config"`
	// DataExpiredAt is when a configuration change made the mirrored data
	// stale; nil unless data is stale until the next sync.
	DataExpiredAt *time.Time `json:"data_expired_at"`
	// CreatedAt is when the integration was created.
	CreatedAt time.Time `json:"created_at"`
	// Beta reports whether the integration is marked as beta.
	Beta bool `json:"beta"`
	// ReadModels are the data models the integration can read, such as
	// ats_candidates.
	ReadModels []ReadModel `json:"read_models"`
	// WriteActions are the writes the integration can make. Look here to
	// learn whether result links can be added.
	WriteActions []WriteAction `json:"write_actions"`
}

// IntegrationTool describes the system an integration connects to.
type IntegrationTool struct {
	// ID is the tool's slug, such as "greenhouse" or "sandbox".
	ID string `json:"id"`
	// Label is the tool's display name.
	Label string `json:"label"`
	// InternalLabel is an internal name of the tool; nil if it has none.
	InternalLabel *string `json:"internal_label"`
	// LogoURL is the URL of the tool's logo.
	LogoURL string `json:"logo_url"`
	// IconURL is the URL of the tool's icon.
	IconURL string `json:"icon_url"`
}

// IntegrationCategory is the kind of system an integration connects to.
type IntegrationCategory string

// The categories of integration.
const (
	// CategoryHRIS is an HR information system.
	CategoryHRIS IntegrationCategory = "HRIS"
	// CategoryATS is an applicant tracking system.
	CategoryATS IntegrationCategory = "ATS"
	// CategoryAssessment is an assessment tool.
	CategoryAssessment IntegrationCategory = "ASSESSMENT"
	// CategoryLMS is a learning management system.
	CategoryLMS IntegrationCategory = "LMS"
)

// IntegrationStatus says whether an integration works.
type IntegrationStatus string

// The statuses of an integration.
const (
	// IntegrationActive is an integration that works.
	IntegrationActive IntegrationStatus = "ACTIVE"
	// IntegrationInvalid is an integration whose credentials the tool
	// rejects.
	IntegrationInvalid IntegrationStatus = "INVALID"
	// IntegrationInactive is an integration paused by hand.
	IntegrationInactive IntegrationStatus = "INACTIVE"
)

// SetupStatus says how far an integration's setup got.
type SetupStatus string

// The setup statuses of an integration.
const (
	// SetupIncomplete means setup steps are still open.
	SetupIncomplete SetupStatus = "INCOMPLETE"
	// SetupFinalSyncPending means setup is done and the first full sync is
	// running.
	SetupFinalSyncPending SetupStatus = "FINAL_SYNC_PENDING"
	// SetupCompleted means the integration is ready.
	SetupCompleted SetupStatus = "COMPLETED"
)

// EndUser is the customer who connected an integration.
type EndUser struct {
	// OrganizationName is the customer's organization.
	OrganizationName string `json:"organization_name"`
	// CreatorEmail is the email address of the person who connected it.
	CreatorEmail *string `json:"creator_email"`
	// OriginID is the caller's own ID for this customer, as given when the
	// connection link was made.
	OriginID *string `json:"origin_id"`
}

// ScopeConfig names the set of permissions an integration runs under.
type ScopeConfig struct {
	// ID is the scope config's ID.
	ID string `json:"id"`
	// Name is the scope config's name.
	Name *string `json:"name"`
}

// CoverageStatus says whether a connector supports a model, action or field.
type CoverageStatus string

// The coverage statuses.
const (
	// CoverageSupported means the connector supports it.
	CoverageSupported CoverageStatus = "SUPPORTED"
	// CoverageUnsupported means it is not supported.
	CoverageUnsupported CoverageStatus = "UNSUPPORTED"
	// CoverageNotImplemented means the connector has not implemented it.
	CoverageNotImplemented CoverageStatus = "NOT_IMPLEMENTED"
	// CoverageUnknown means support is not known.
	CoverageUnknown CoverageStatus = "UNKNOWN"
)

// ScopeConfigSetting says how a scope config treats a model or action.
type ScopeConfigSetting string

// The scope config settings.
const (
	// ScopeConfigEnabled means it is turned on.
	ScopeConfigEnabled ScopeConfigSetting = "ENABLED"
	// ScopeConfigDisabled means it is turned off.
	ScopeConfigDisabled ScopeConfigSetting = "DISABLED"
	// ScopeConfigOptional means it is optional.
	ScopeConfigOptional ScopeConfigSetting = "OPTIONAL"
)

// ReadModel is a data model an integration can read and how far it is
// available.
type ReadModel struct {
	// ID names the model, such as "ats_candidates".
	ID string `json:"id"`
	// Label is the model's display name.
	Label string `json:"label"`
	// IsAvailable reports whether the model can be read now.
	IsAvailable bool `json:"is_available"`
	// CoverageStatus says whether the connector supports the model.
	CoverageStatus CoverageStatus `json:"coverage_status"`
	// ScopeConfigSetting says how the scope config treats the model.
	ScopeConfigSetting ScopeConfigSetting `json:"scope_config_setting"`
	// OptedOutByCustomer reports whether the customer turned the model off.
	OptedOutByCustomer bool `json:"opted_out_by_customer"`
	// Fields are the model's fields and their availability.
	Fields []ReadModelField `json:"fields"`
}

// ReadModelField is one field of a ReadModel and how far it is available.
type ReadModelField struct {
	// ID names the field.
	ID string `json:"id"`
	// IsAvailable reports whether the field can be read now.
	IsAvailable bool `json:"is_available"`
	// CoverageStatus says whether the connector supports the field.
	CoverageStatus CoverageStatus `json:"coverage_status"`
	// ScopeConfigSetting says how the scope config treats the field.
	ScopeConfigSetting ScopeConfigSetting `json:"scope_config_setting"`
	// OptedOutByCustomer reports whether the customer turned the field off.
	OptedOutByCustomer bool `json:"opted_out_by_customer"`
}

// WriteAction is a write an integration can make and how far it is
// available.
type WriteAction struct {
	// ID names the action.
	ID string `json:"id"`
	// Label is the action's display name.
	Label string `json:"label"`
	// IsAvailable reports whether the action can be used now.
	IsAvailable bool `json:"is_available"`
	// CoverageStatus says whether the connector supports the action.
	CoverageStatus CoverageStatus `json:"coverage_status"`
	// ScopeConfigSetting says how the scope config treats the action.
	ScopeConfigSetting ScopeConfigSetting `json:"scope_config_setting"`
	// OptedOutByCustomer reports whether the customer turned the action off.
	OptedOutByCustomer bool `json:"opted_out_by_customer"`
	// Fields are the action's input fields and their availability.
	Fields []WriteActionField `json:"fields"`
}

// WriteActionField is one input field of a WriteAction and how far it is
// supported.
type WriteActionField struct {
	// ID names the field.
	ID string `json:"id"`
	// IsAvailable reports whether the field is taken now.
	IsAvailable bool `json:"is_available"`
	// CoverageStatus says whether the connector supports the field.
	CoverageStatus CoverageStatus `json:"coverage_status"`
}
