package personio

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create Personio API credentials.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Personio as a user with API access rights and open Settings, then API credentials under Integrations.",
		"Choose Create custom integration (Generate new credentials on some accounts) and name it.",
		"Grant read access to Recruiting (the scope personio:recruiting:read) and create the integration.",
		"Copy the Client ID and the Client secret: Personio does not show the secret again. Personio has no place for results, so this integration only reads candidates and applications.",
	},
	Fields: []connector.Field{
		{Key: "client_id", Label: "Client ID", Help: "Settings, Integrations, API credentials."},
		{Key: "client_secret", Label: "Client secret", Help: "Shown once, when the credentials are created.", Secret: true},
	},
}
