package wire

// CreateConnectLink is the body of POST /connect/create-link. Only the two
// end-user fields are required; the rest may be absent or null.
type CreateConnectLink struct {
	EndUserEmail            string  `json:"end_user_email"`
	EndUserOrganizationName string  `json:"end_user_organization_name"`
	EndUserOriginID         *string `json:"end_user_origin_id"`
	RemoteEnvironment       *string `json:"remote_environment"`
	IntegrationCategory     *string `json:"integration_category"`
	IntegrationTool         *string `json:"integration_tool"`
	Language                *string `json:"language"`
	ScopeConfigID           *string `json:"scope_config_id"`
	EnableFiltering         *bool   `json:"enable_filtering"`
	EnableFieldMapping      *bool   `json:"enable_field_mapping"`
	LinkType                *string `json:"link_type"`
}

// ConnectLink is the data of POST /connect/create-link's answer.
type ConnectLink struct {
	Link string `json:"link"`
}

// ConnectedIntegration is the data of GET
// /connect/integration-by-token/{token}'s answer.
type ConnectedIntegration struct {
	ID                      string  `json:"id"`
	Tool                    string  `json:"tool"`
	EndUserOriginID         *string `json:"end_user_origin_id"`
	EndUserOrganizationName string  `json:"end_user_organization_name"`
	EndUserEmail            *string `json:"end_user_email"`
	SetupStatus             string  `json:"setup_status"`
}
