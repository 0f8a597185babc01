package teamtailor

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create a Teamtailor API key.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Teamtailor as an admin and open Settings, then API keys under Integrations.",
		"Choose + New API key and name it (for example \"Assessment results\").",
		"Pick the scope Admin and tick both Read and Write: writing results needs an Admin key with write access.",
		"Create the key and copy it.",
		"If your company lives on Teamtailor's North American stack (an address under na.teamtailor.com), enter na as the region; otherwise leave it empty.",
	},
	Fields: []connector.Field{
		{Key: "api_key", Label: "API key", Help: "Settings, Integrations, API keys; scope Admin, Read and Write.", Secret: true},
		{Key: "region", Label: "Region", Help: "Optional: eu (the default) or na.", Optional: true},
	},
}
