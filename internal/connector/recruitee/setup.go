package recruitee

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create a Recruitee personal API token.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Recruitee with a user whose hiring role may see and edit the candidates concerned: the token has exactly that user's permissions.",
		"Open Settings, then Apps and plugins, then Personal API tokens.",
		"Choose + New token, give it a label, save it and copy the token.",
		"The same page shows your company ID; the company's subdomain works too.",
	},
	Fields: []connector.Field{
		{Key: "company_id", Label: "Company ID", Help: "Settings, Apps and plugins, Personal API tokens; or your Recruitee subdomain."},
		{Key: "api_token", Label: "Personal API token", Help: "Settings, Apps and plugins, Personal API tokens.", Secret: true},
	},
}
