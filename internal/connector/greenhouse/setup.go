package greenhouse

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create Harvest v3 credentials.
var setup = connector.Setup{
	HostKeys: []string{"base_url", "auth_url"},
	Steps: []string{
		"Sign in to Greenhouse as a user who may manage the organization's API credentials, open Configure (the gear icon), then Dev Center, then API Credentials.",
		"Choose Create new API credentials, pick the API type Harvest V3 (OAuth), describe it (for example \"Assessment results\") and create it.",
		"Copy the Client ID and the Client Secret: Greenhouse shows the secret only once.",
		"On the credential's Settings tab, under Manage Scopes, open Harvest and grant: list candidates, applications, jobs, job interview stages and custom fields; update candidates; create custom fields; create notes.",
		"Greenhouse answers list requests only for Site Admins. If the credential's own service user is not one, enter the ID of a Site Admin user below; the calls then act as that user.",
	},
	Fields: []connector.Field{
		{Key: "client_id", Label: "Client ID", Help: "Shown when the Harvest V3 credential is created."},
		{Key: "client_secret", Label: "Client Secret", Help: "Shown once, beside the Client ID.", Secret: true},
		{Key: "user_id", Label: "Site Admin user ID", Help: "Optional: the Greenhouse user the calls act as (Configure, Users, the user's page shows the ID in its address).", Optional: true},
	},
}
