package ashby

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create an Ashby API key.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Ashby as an admin, open Admin in the top bar, then Integrations, then API Keys.",
		"Choose + New and name the key (for example \"Assessment results\").",
		"Tick read access to Jobs, Candidates, Hiring Process and Organization, and write access to Candidates and Hiring Process (to write custom fields and notes).",
		"Save and copy the key: Ashby does not show it again.",
	},
	Fields: []connector.Field{
		{Key: "api_key", Label: "API key", Help: "Admin, Integrations, API Keys.", Secret: true},
	},
}
