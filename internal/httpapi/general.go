package httpapi

import (
	"embed"
	"net/http"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/resultlinks/resultlinks/wire"
)

//go:embed assets/tools/*.svg
var toolAssets embed.FS

// OpenAPI is the OpenAPI 3.1 document of every endpoint the API serves.
//
//go:embed openapi.json
var OpenAPI []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
	return nil
}

func (a *API) checkAPIKey(w http.ResponseWriter, r *http.Request) error {
	env := environmentID(r.Context())
	writeData(w, wire.CheckAPIKey{EnvironmentID: env, CustomerID: env})
	return nil
}

func (a *API) getIntegration(w http.ResponseWriter, r *http.Request) error {
	in, err := a.store.FindIntegration(r.Context(), environmentID(r.Context()), r.PathValue("integration_id"))
	if err != nil {
		return err
	}
	writeData(w, a.integrationToWire(r, in))
	return nil
}

func (a *API) deleteIntegration(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	env, id := environmentID(ctx), r.PathValue("integration_id")
	in, err := a.store.FindIntegration(ctx, env, id)
	if err != nil {
		return err
	}
	now := a.now()
	emit := a.events.For(env, in.ID, resultlinks.EventIntegrationDeleted, webhook.IntegrationData(in, &now))
	if err := a.store.DeleteIntegration(ctx, env, id, emit); err != nil {
		return err
	}
	a.audit(r.Context(), "integration.delete", r.PathValue("integration_id"), "")
	writeData(w, struct{}{})
	return nil
}

// toolAsset serves the logos that integrations' tool.logo_url points at.
func (a *API) toolAsset(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, err := toolAssets.ReadFile("assets/tools/" + name)
	if err != nil || strings.Contains(name, "/") {
		return resultlinks.Errorf(resultlinks.CodeNotFound, "There is no asset %q.", name)
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
	return nil
}

// baseURL returns the scheme and host the caller used.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// publicBase is the base URL of the links the API answers: the public URL
// when one is set, else the request's.
func (a *API) publicBase(r *http.Request) string {
	if a.publicURL != "" {
		return a.publicURL
	}
	return baseURL(r)
}

func (a *API) integrationToWire(r *http.Request, in *resultlinks.Integration) wire.Integration {
	label := in.Tool
	canWrite := false
	if info, ok := a.registry.Lookup(in.Tool); ok {
		label, canWrite = info.Label, info.CanWriteResultLinks()
	}
	logo := baseURL(r) + ToolLogo(in.Tool)
	out := wire.Integration{
		ID:          in.ID,
		Tool:        wire.Tool{ID: in.Tool, Label: label, LogoURL: logo, IconURL: logo},
		Category:    "ATS",
		Status:      string(in.Status),
		SetupStatus: string(in.SetupStatus),
		EndUser: wire.EndUser{
			OrganizationName: in.EndUser.OrganizationName,
			CreatorEmail:     in.EndUser.CreatorEmail,
			OriginID:         in.EndUser.OriginID,
		},
		ScopeConfig:  wire.ScopeConfig{ID: "default", Name: ptr("Default")},
		CreatedAt:    wire.Time(in.CreatedAt),
		ReadModels:   []wire.Coverage{},
		WriteActions: []wire.Coverage{},
	}
	for _, m := range []struct{ id, label string }{
		{string(resultlinks.ModelApplications), "Applications"},
		{string(resultlinks.ModelCandidates), "Candidates"},
	} {
		out.ReadModels = append(out.ReadModels, wire.Coverage{
			ID: m.id, Label: m.label, IsAvailable: true, CoverageStatus: "SUPPORTED",
			ScopeConfigSetting: "ENABLED", Fields: []wire.FieldCoverage{},
		})
	}
	for _, act := range resultlinks.Actions {
		enabled := in.ActionEnabled(act)
		setting, status := "ENABLED", "SUPPORTED"
		if !enabled {
			setting = "DISABLED"
		}
		if !canWrite {
			status = "UNSUPPORTED"
		}
		out.WriteActions = append(out.WriteActions, wire.Coverage{
			ID: string(act), Label: act.Label(), IsAvailable: enabled && canWrite, CoverageStatus: status,
			ScopeConfigSetting: setting, Fields: []wire.FieldCoverage{},
		})
	}
	return out
}

func ptr[T any](v T) *T { return &v }
