package wire

// Integration is the data of GET /integrations/{integration_id}.
type Integration struct {
	ID            string      `json:"id"`
	Tool          Tool        `json:"tool"`
	Category      string      `json:"category"`
	Status        string      `json:"status"`
	SetupStatus   string      `json:"setup_status"`
	EndUser       EndUser     `json:"end_user"`
	ScopeConfig   ScopeConfig `json:"scope_config"`
	DataExpiredAt *Time       `json:"data_expired_at"`
	CreatedAt     Time        `json:"created_at"`
	Beta          bool        `json:"beta"`
	ReadModels    []Coverage  `json:"read_models"`
	WriteActions  []Coverage  `json:"write_actions"`
}

// Tool describes the ATS of an integration.
type Tool struct {
	ID            string  `json:"id"`
	Label         string  `json:"label"`
	InternalLabel *string `json:"internal_label"`
	LogoURL       string  `json:"logo_url"`
	IconURL       string  `json:"icon_url"`
}

// EndUser is the customer who owns the ATS account.
type EndUser struct {
	OrganizationName string  `json:"organization_name"`
	CreatorEmail     *string `json:"creator_email"`
	OriginID         *string `json:"origin_id"`
}

// ScopeConfig names the scope configuration in force.
type ScopeConfig struct {
	ID   string  `json:"id"`
	Name *string `json:"name"`
}

// Coverage says whether a read model or write action works for an integration.
type Coverage struct {
	ID                 string          `json:"id"`
	Label              string          `json:"label"`
	IsAvailable        bool            `json:"is_available"`
	CoverageStatus     string          `json:"coverage_status"`
	ScopeConfigSetting string          `json:"scope_config_setting"`
	OptedOutByCustomer bool            `json:"opted_out_by_customer"`
	Fields             []FieldCoverage `json:"fields"`
}

// FieldCoverage says whether one field of a model or action works.
type FieldCoverage struct {
	ID                 string `json:"id"`
	IsAvailable        bool   `json:"is_available"`
	CoverageStatus     string `json:"coverage_status"`
	ScopeConfigSetting string `json:"scope_config_setting"`
	OptedOutByCustomer bool   `json:"opted_out_by_customer"`
}
