package httpapi

import (
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/wire"
)

// ConnectLanguages are the languages create-link accepts, as Kombo does.
var ConnectLanguages = []string{"en", "de", "fr", "it", "es"}

// connectLinkTypes are the link types create-link accepts; both give the
// same link.
var connectLinkTypes = []string{"EMBEDDED", "MAGIC_LINK"}

// maxEndUserText is the longest end-user value accepted.
const maxEndUserText = 256

// createConnectLink stores a single-use connect link and answers its URL.
func (a *API) createConnectLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in wire.CreateConnectLink
	if err := decodeStrict(r, &in); err != nil {
		return err
	}
	link, err := a.connectLinkFrom(&in)
	if err != nil {
		return err
	}
	token := web.NewToken()
	link.EnvironmentID = environmentID(ctx)
	link.TokenHash = resultlinks.HashConnectToken(token)
	if err := a.store.CreateConnectLink(ctx, link); err != nil {
		return err
	}
	a.audit(ctx, "connect_link.create", link.ID, *link.EndUser.CreatorEmail+" "+link.EndUser.OrganizationName)
	base := a.publicBase(r)
	var warnings []wire.Warning
	for _, ignored := range []struct {
		set   bool
		field string
	}{
		{in.RemoteEnvironment != nil, "remote_environment"},
		{in.ScopeConfigID != nil, "scope_config_id"},
		{in.EnableFiltering != nil && *in.EnableFiltering, "enable_filtering"},
		{in.EnableFieldMapping != nil && *in.EnableFieldMapping, "enable_field_mapping"},
	} {
		if ignored.set {
			warnings = append(warnings, wire.Warning{Message: ignored.field + " is accepted and ignored: resultlinks has no such setting."})
		}
	}
	env := wire.ActionEnvelope{Status: wire.StatusSuccess, Data: wire.ConnectLink{Link: base + "/connect/" + token}, Warnings: warnings}
	if env.Warnings == nil {
		env.Warnings = []wire.Warning{}
	}
	writeJSON(w, http.StatusOK, env)
	return nil
}

// connectLinkFrom validates a create-link body and returns the link it
// asks for, without its environment and token.
func (a *API) connectLinkFrom(in *wire.CreateConnectLink) (*resultlinks.ConnectLink, error) {
	email := strings.TrimSpace(in.EndUserEmail)
	if email == "" {
		return nil, invalid("end_user_email", "must not be empty")
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > maxEndUserText {
		return nil, invalid("end_user_email", "must be an e-mail address such as hr@acme.example")
	}
	org := strings.TrimSpace(in.EndUserOrganizationName)
	if org == "" {
		return nil, invalid("end_user_organization_name", "must not be empty")
	}
	if utf8.RuneCountInString(org) > maxEndUserText {
		return nil, invalid("end_user_organization_name", "must be at most %d characters", maxEndUserText)
	}
	var origin *string
	if in.EndUserOriginID != nil {
		if len(*in.EndUserOriginID) > maxEndUserText {
			return nil, invalid("end_user_origin_id", "must be at most %d characters", maxEndUserText)
		}
		origin = in.EndUserOriginID
	}
	if c := in.IntegrationCategory; c != nil && *c != "ATS" {
		switch *c {
		case "HRIS", "ASSESSMENT", "LMS":
			return nil, invalid("integration_category", "resultlinks connects ATS integrations only; send ATS or leave it out")
		}
		return nil, invalid("integration_category", "must be ATS")
	}
	tool := ""
	if in.IntegrationTool != nil {
		info, ok := a.registry.Lookup(*in.IntegrationTool)
		if !ok {
			var tools []string
			for _, t := range a.registry.Tools() {
				tools = append(tools, t.Tool)
			}
			return nil, invalid("integration_tool", "unknown tool %q; the tools are %s", *in.IntegrationTool, strings.Join(tools, ", "))
		}
		tool = info.Tool
	}
	language := ""
	if in.Language != nil {
		if !slices.Contains(ConnectLanguages, *in.Language) {
			return nil, invalid("language", "must be one of %s", strings.Join(ConnectLanguages, ", "))
		}
		language = *in.Language
	}
	if in.LinkType != nil && !slices.Contains(connectLinkTypes, *in.LinkType) {
		return nil, invalid("link_type", "must be one of %s", strings.Join(connectLinkTypes, ", "))
	}
	now := a.now().UTC()
	return &resultlinks.ConnectLink{
		ID: resultlinks.NewID(), EndUser: resultlinks.EndUser{OrganizationName: org, CreatorEmail: &email, OriginID: origin},
		Tool: tool, Language: language, CreatedAt: now, ExpiresAt: now.Add(resultlinks.DefaultConnectLinkTTL),
	}, nil
}

// integrationByToken answers the integration a connect link created, for
// the integration token the customer's browser received.
func (a *API) integrationByToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	env := environmentID(ctx)
	notFound := resultlinks.Errorf(resultlinks.CodeNotFound, "No integration was connected with this token in this environment.")
	link, err := a.store.FindConnectLinkByIntegrationToken(ctx, env, resultlinks.HashConnectToken(r.PathValue("token")))
	if resultlinks.IsNotFound(err) {
		return notFound
	}
	if err != nil {
		return err
	}
	in, err := a.store.FindIntegration(ctx, env, link.IntegrationID)
	if resultlinks.IsNotFound(err) {
		return notFound
	}
	if err != nil {
		return err
	}
	writeData(w, wire.ConnectedIntegration{ID: in.ID, Tool: in.Tool, EndUserOriginID: in.EndUser.OriginID,
		EndUserOrganizationName: in.EndUser.OrganizationName, EndUserEmail: in.EndUser.CreatorEmail, SetupStatus: string(in.SetupStatus)})
	return nil
}
