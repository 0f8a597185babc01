// Package greenhouse connects resultlinks to Greenhouse through Harvest v3.
//
// Shapes and rules come from Greenhouse's Harvest v3 documentation:
// authentication (OAuth2 client credentials minted at auth.greenhouse.io/token,
// Basic client_id:client_secret, an optional sub naming the acting user;
// harvestdocs.greenhouse.io/docs/authentication), paging (bare JSON arrays,
// the next page only in the Link header's rel="next", and a cursor request
// that carries nothing else; /docs/pagination, /docs/list-endpoints), the
// candidate, application, job, job interview stage, custom field and note
// schemas of the Harvest v3 OpenAPI document, and the writes of the write
// migration guide (PATCH /v3/candidates/{id} with custom_fields items of
// custom_field_id and value; POST /v3/notes).
//
// A result link lands in the candidate's custom fields: one field named by
// the label holding the URL and one per attribute named "<prefix> <key>",
// matched by name among the candidate fields the customer has, and created
// where the credentials may create fields. Whatever cannot go into a field
// goes into a note on the candidate (and application) with the label, URL
// and attributes, carrying a marker so a retried delivery finds it. The
// acting user of a note is remote_fields.greenhouse.post_headers.On-Behalf-Of,
// else the credentials' user_id, else the credential's own service user.
//
// Harvest v1 API keys are accepted as a second credential type (v1.go) for
// customers not yet migrated; Greenhouse announced v1's retirement for
// 2026-08-31.
package greenhouse

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Tool is Greenhouse's tool slug.
const Tool = "greenhouse"

// The Harvest hosts.
const (
	DefaultBaseURL = "https://harvest.greenhouse.io"
	DefaultAuthURL = "https://auth.greenhouse.io"
)

// PerPage is the page size asked for; Harvest v3 allows up to 500.
const PerPage = 500

// Credentials are a Harvest v3 API credential ("Harvest V3 (OAuth)" in
// Greenhouse's Dev Center).
type Credentials struct {
	// APIVersion is "v3" (the default) or "v1".
	APIVersion string `json:"api_version,omitempty"`
	// ClientID and ClientSecret are the credential's OAuth client.
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// UserID, when set, is the Greenhouse user the token acts as (the
	// token's sub); it must be a Site Admin to read lists.
	UserID string `json:"user_id,omitempty"`
	// APIKey is a Harvest v1 API key (api_version "v1" only).
	APIKey string `json:"api_key,omitempty"`
	// OnBehalfOf is the Greenhouse user v1 writes act as by default
	// (api_version "v1" only).
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	// BaseURL and AuthURL override the Harvest and auth hosts (for a
	// simulated Greenhouse); they default to Greenhouse's own.
	BaseURL string `json:"base_url,omitempty"`
	AuthURL string `json:"auth_url,omitempty"`
}

// Info describes the Greenhouse connector. Harvest v3 meters requests in a
// fixed 30-second window whose ceiling Greenhouse reports in
// X-RateLimit-Limit (75 in its documentation's example).
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Greenhouse",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 75, Per: 30 * time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Greenhouse is the connector of one Greenhouse integration.
type Greenhouse struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client
	auth   *outbound.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

var _ connector.Connector = (*Greenhouse)(nil)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	switch {
	case c.APIVersion == "v1":
		if c.ClientID != "" || c.ClientSecret != "" || c.UserID != "" || c.AuthURL != "" {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: client_id, client_secret, user_id and auth_url are for api_version v3, not v1")
		}
		return newV1(c, deps)
	case c.APIVersion != "" && c.APIVersion != "v3":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid,
			"greenhouse credentials: api_version %q is not supported; use v3 (a Harvest V3 (OAuth) credential) or v1 (an API key)", c.APIVersion)
	case c.APIKey != "" || c.OnBehalfOf != "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: api_key and on_behalf_of are for api_version v1; v3 uses client_id and client_secret")
	case c.ClientID == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: client_id is required")
	case c.ClientSecret == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: client_secret is required")
	}
	if c.UserID != "" {
		if _, err := strconv.ParseInt(c.UserID, 10, 64); err != nil {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: user_id must be a numeric Greenhouse user ID")
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.AuthURL == "" {
		c.AuthURL = DefaultAuthURL
	}
	g := &Greenhouse{creds: c, deps: deps}
	authHost, err := url.Parse(c.AuthURL)
	if err != nil || authHost.Host == "" {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: auth_url is not a URL")
	}
	secrets := []string{c.ClientSecret}
	if g.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: c.BaseURL, Secrets: secrets, Auth: g.authorize, ErrorMessage: errorMessage,
	}); err != nil {
		return nil, err
	}
	// Token requests are metered apart from Harvest's (60 per minute).
	tokenDeps := deps
	tokenDeps.IntegrationID = deps.IntegrationID + "#token"
	if g.auth, err = tokenDeps.Outbound(connector.Info{Tool: Tool, RateLimit: connector.RateLimit{Requests: 60, Per: time.Minute}},
		outbound.Config{BaseURL: c.AuthURL, Secrets: secrets, ErrorMessage: errorMessage}); err != nil {
		return nil, err
	}
	return g, nil
}

// errorMessage reads Harvest's error envelope, {"message", "errors"}, whose
// errors are strings or single-key objects.
func errorMessage(status int, body []byte) string {
	var e struct {
		Message string            `json:"message"`
		Error   string            `json:"error"`
		Errors  []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	parts := []string{}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	if e.Error != "" {
		parts = append(parts, e.Error)
	}
	for _, raw := range e.Errors {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			parts = append(parts, s)
			continue
		}
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			for k, v := range m {
				parts = append(parts, fmt.Sprintf("%s %v", k, v))
			}
		}
	}
	return strings.Join(parts, "; ")
}

// authorize sets the bearer token, minting one when there is none, it is
// about to expire, or Harvest refused it.
func (g *Greenhouse) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if refresh || g.token == "" || now.After(g.expires.Add(-time.Minute)) {
		if err := g.mint(ctx); err != nil {
			return err
		}
	}
	req.Header.Set("Authorization", "Bearer "+g.token)
	return nil
}

func (g *Greenhouse) now() time.Time {
	if g.deps.Now != nil {
		return g.deps.Now()
	}
	return time.Now()
}

// mint asks auth.greenhouse.io for a token (client credentials grant).
func (g *Greenhouse) mint(ctx context.Context) error {
	form := url.Values{"grant_type": {"client_credentials"}}
	if g.creds.UserID != "" {
		form.Set("sub", g.creds.UserID)
	}
	h := http.Header{}
	h.Set("Authorization", "Basic "+basic(g.creds.ClientID, g.creds.ClientSecret))
	var tok struct {
		TokenType   string `json:"token_type"`
		AccessToken string `json:"access_token"`
		ExpiresAt   string `json:"expires_at"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_, err := g.auth.JSON(ctx, &outbound.Request{
		Method: http.MethodPost, Path: "/token", Header: h, NoAuth: true,
		Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded", Idempotent: true,
	}, &tok)
	if err != nil {
		if s := outbound.Status(err); s == http.StatusBadRequest || s == http.StatusUnauthorized || s == http.StatusForbidden {
			return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
				Message: "Greenhouse refused the client credentials: " + resultlinks.ErrorMessage(err), Err: err}
		}
		return err
	}
	if tok.AccessToken == "" {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Greenhouse answered the token request without an access_token"}
	}
	g.client.AddSecret(tok.AccessToken)
	g.auth.AddSecret(tok.AccessToken)
	g.token = tok.AccessToken
	switch t, err := time.Parse(time.RFC3339, tok.ExpiresAt); {
	case err == nil:
		g.expires = t
	case tok.ExpiresIn > 0:
		g.expires = g.now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	default:
		g.expires = g.now().Add(time.Hour)
	}
	return nil
}

// CheckCredentials mints a token and reads one candidate, which needs the
// acting user to be a Site Admin with the candidates scope.
func (g *Greenhouse) CheckCredentials(ctx context.Context) error {
	_, err := g.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v3/candidates", Query: url.Values{"per_page": {"1"}}})
	if s := outbound.Status(err); s == http.StatusForbidden {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Greenhouse accepted the credentials but refused to list candidates: the credential needs the candidate, application, job, custom field and note scopes, and user_id (if set) must be a Site Admin", Err: err}
	}
	return err
}

// basic returns the credentials of HTTP Basic authentication.
func basic(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}
