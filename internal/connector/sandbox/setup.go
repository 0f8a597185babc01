package sandbox

import "github.com/resultlinks/resultlinks/internal/connector"

// setup describes the sandbox, which needs no credentials.
var setup = connector.Setup{
	Steps: []string{
		"The sandbox is a demo ATS built into resultlinks, with made-up jobs, candidates and applications: nothing has to be created anywhere.",
		"Connect it to try the flow end to end; results written to it are kept in resultlinks only.",
	},
	Fields: []connector.Field{
		{Key: "organization_name", Label: "Demo organisation name", Help: "Optional: the name the demo data uses.", Optional: true},
	},
}
