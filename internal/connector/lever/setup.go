package lever

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create a Lever API key.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Lever as an admin, open Settings from the menu under your profile picture, then Integrations and API.",
		"On the API Credentials tab, choose Generate New Key and name it (for example \"Assessment results\").",
		"Under Permissions grant read access to opportunities, postings, stages and users, and write access to notes (Select all read, plus notes write, is enough).",
		"Copy the key before you close the dialog: Lever does not show it again.",
	},
	Fields: []connector.Field{
		{Key: "api_key", Label: "API key", Help: "Settings, Integrations and API, API Credentials.", Secret: true},
		{Key: "perform_as", Label: "Write notes as (user ID)", Help: "Optional: the ID (a UUID) of the Lever user the notes are written as; empty means the key's owner.", Optional: true},
	},
}
