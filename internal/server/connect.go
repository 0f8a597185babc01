package server

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/internal/web/connect"
)

// connectBackend is what the connect pages do with the App.
type connectBackend struct{ a *App }

var _ connect.Backend = connectBackend{}

// Check builds and checks the integration a link's customer asks for,
// with the tool's hosts pointed where the operator set them.
func (b connectBackend) Check(ctx context.Context, link *resultlinks.ConnectLink, tool string, credentials json.RawMessage) (*resultlinks.Integration, error) {
	if u, ok := b.a.toolURLs[tool]; ok {
		info, _ := b.a.Registry.Lookup(tool)
		var creds map[string]any
		if err := json.Unmarshal(credentials, &creds); err != nil {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "credentials: %v", err)
		}
		for _, k := range info.Setup.HostKeys {
			if _, set := creds[k]; !set {
				creds[k] = u
			}
		}
		credentials, _ = json.Marshal(creds)
	}
	return b.a.CheckIntegration(ctx, link.EnvironmentID, IntegrationParams{Tool: tool, Credentials: credentials, EndUser: link.EndUser})
}

// SetToolURLs points the hosts of the tools' integrations that customers
// connect through connect links at the URLs, by tool (a regional or
// staging host, a test double). A tool that is unknown or whose hosts
// cannot be set is refused.
func (a *App) SetToolURLs(urls map[string]string) error {
	for tool := range urls {
		info, ok := a.Registry.Lookup(tool)
		if !ok {
			return fmt.Errorf("tool %q is not a known tool", tool)
		}
		if len(info.Setup.HostKeys) == 0 {
			return fmt.Errorf("tool %q has no hosts to set", tool)
		}
	}
	a.toolURLs = urls
	return nil
}

// Complete connects a checked integration through the link.
func (b connectBackend) Complete(ctx context.Context, link *resultlinks.ConnectLink, in *resultlinks.Integration, integrationTokenHash []byte) error {
	return b.a.ConnectIntegration(ctx, link, in, integrationTokenHash)
}

// ConnectIntegration completes a connect link with a checked integration:
// the link is marked used and the integration stored with its
// integration-created event in one transaction; then its first, full sync
// is queued (not run) and the connection audited.
func (a *App) ConnectIntegration(ctx context.Context, link *resultlinks.ConnectLink, in *resultlinks.Integration, integrationTokenHash []byte) error {
	if err := a.Store.CompleteConnectLink(ctx, link.ID, integrationTokenHash, time.Now().UTC(), in, a.integrationCreated(in)); err != nil {
		return err
	}
	actor := "connect"
	if e := link.EndUser.CreatorEmail; e != nil {
		actor += ":" + *e
	}
	if err := a.Audit(ctx, link.EnvironmentID, actor, "integration.connect", in.ID, in.Tool+" via connect link "+link.ID); err != nil {
		a.Logger.Error("recording audit", "action", "integration.connect", "target", in.ID, "error", err)
	}
	if a.Queue != nil {
		if _, _, err := a.Queue.EnqueueSync(ctx, mirror.SyncArgs{IntegrationID: in.ID, Full: true, SyncID: resultlinks.NewID()}); err != nil {
			// The planner picks up integrations whose first sync never ran.
			a.Logger.Error("queueing the first sync", "integration_id", in.ID, "error", err)
		}
	}
	return nil
}

// connectPages returns the connect flow's pages.
func (a *App) connectPages() web.Mounter {
	p, err := connect.New(a.Store, a.Registry, connectBackend{a}, a.Logger)
	if err != nil {
		panic("connect pages: " + err.Error()) // embedded templates: a programming error
	}
	return p
}
