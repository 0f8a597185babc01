package smartrecruiters

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create a SmartRecruiters API key.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to SmartRecruiters as an admin, open Settings / Admin from the menu under your name, then Apps & Integrations under Administration.",
		"Open the Credentials tab, choose New Credential, then API key.",
		"Name and describe the key, choose Generate, and copy it from the window: SmartRecruiters shows it only once. An API key has access to all of the company's data.",
	},
	Fields: []connector.Field{
		{Key: "api_key", Label: "API key", Help: "Settings / Admin, Apps & Integrations, Credentials.", Secret: true},
	},
}
