package workable

import "github.com/resultlinks/resultlinks/internal/connector"

// setup tells a customer how to create a Workable access token.
var setup = connector.Setup{
	HostKeys: []string{"base_url"},
	Steps: []string{
		"Sign in to Workable as an admin, open Settings from the menu under your profile icon, then Integrations.",
		"In the Access Token section choose Generate new token.",
		"Grant the scopes r_jobs and r_candidates to read, and w_candidates and w_comments to write results, then copy the token.",
		"Your subdomain is the part of your Workable address before .workable.com (acme for acme.workable.com); the Company Profile settings show it too.",
	},
	Fields: []connector.Field{
		{Key: "subdomain", Label: "Subdomain", Help: "acme for acme.workable.com."},
		{Key: "access_token", Label: "Access token", Help: "Settings, Integrations, Access Token.", Secret: true},
		{Key: "member_id", Label: "Comment as (member ID)", Help: "Optional: the Workable member comments are posted as.", Optional: true},
	},
}
