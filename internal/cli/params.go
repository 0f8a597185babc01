package cli

import (
	"encoding/json"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/server"
)

func serverParams(tool, name, creds string, eu resultlinks.EndUser) server.IntegrationParams {
	p := server.IntegrationParams{Tool: tool, Name: name, EndUser: eu}
	if creds != "" {
		p.Credentials = json.RawMessage(creds)
	}
	return p
}
