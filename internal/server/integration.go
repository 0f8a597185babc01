package server

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// CheckIntegration builds the integration p describes in the environment
// and checks its credentials with the ATS; nothing is stored. An unknown
// tool or malformed credentials answer CodeInputInvalid; credentials the
// ATS refuses answer the connector's error.
func (a *App) CheckIntegration(ctx context.Context, environmentID string, p IntegrationParams) (*resultlinks.Integration, error) {
	info, ok := a.Registry.Lookup(p.Tool)
	if !ok {
		var tools []string
		for _, t := range a.Registry.Tools() {
			tools = append(tools, t.Tool)
		}
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "tool: unknown tool %q; known tools: %s", p.Tool, strings.Join(tools, ", "))
	}
	if p.Name == "" {
		p.Name = info.Label
	}
	if p.EndUser.OrganizationName == "" {
		p.EndUser.OrganizationName = p.Name
	}
	if len(p.Credentials) == 0 {
		p.Credentials = json.RawMessage("{}")
	}
	now := time.Now().UTC()
	in := &resultlinks.Integration{
		ID: resultlinks.NewIntegrationID(info.Tool), EnvironmentID: environmentID, Tool: info.Tool, Name: p.Name,
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending,
		Credentials: p.Credentials, EndUser: p.EndUser, CreatedAt: now, UpdatedAt: now,
	}
	conn, _, err := a.Registry.Open(in, connector.Deps{State: a.Store, Logger: a.Logger, DenyPrivate: a.denyPrivate})
	if err != nil {
		return nil, err
	}
	if err := conn.CheckCredentials(ctx); err != nil {
		return nil, err
	}
	return in, nil
}

// integrationCreated returns the integration-created event of a new
// integration, or nil when events are not sent.
func (a *App) integrationCreated(in *resultlinks.Integration) *resultlinks.Emit {
	return a.Events.For(in.EnvironmentID, in.ID, resultlinks.EventIntegrationCreated, webhook.IntegrationData(in, nil))
}
