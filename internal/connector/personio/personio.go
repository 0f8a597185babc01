// Package personio connects resultlinks to Personio Recruiting through
// Personio's v2 API, for the ID sync only: Personio cannot take result
// links.
//
// Shapes and rules come from Personio's developer documentation
// (developer.personio.de): the single host https://api.personio.de; API
// credentials exchanged for a Bearer token at POST /v2/auth/token with a
// form body (grant_type=client_credentials, client_id, client_secret), the
// token answer {access_token, token_type, expires_in, scope} and its OAuth
// error body {error, error_description} (/reference/post_v2-auth-token);
// the v2 Recruiting reads (beta, header "Beta: true", scope
// personio:recruiting:read) GET /v2/recruiting/candidates, /applications,
// /jobs and /categories with limit (1–200) and cursor paging, the next page
// only as the absolute link _meta.links.next.href, updated_at.gt for changes
// (/reference/get_v2-recruiting-candidates, get_v2-recruiting-jobs,
// get_v2-recruiting-applications-id-stage-transitions); timestamps as
// RFC 3339 strings or {"date-time", "timezone"} objects; and
// application/problem+json errors {"errors": [{title, detail}]}. Personio
// asks integrators to send X-Personio-App-ID (and X-Personio-Partner-ID
// when it issued one); the connector does.
//
// Result links: Personio's public API has no way to write onto an existing
// application or candidate (v1 Recruiting only creates applications; v2
// Recruiting is read-only; there is no note, comment, attachment or
// assessment endpoint), so the connector declares no channel and the server
// refuses result links for Personio with INTEGRATION.ACTION_NOT_AVAILABLE
// before any call. WriteResultLink answers that code itself, without a
// request, should it be called anyway.
//
// Rate limits: Personio publishes 20 requests per minute only for v1
// Recruiting's writes and none for v2 Recruiting reads; the connector paces
// reads at 100 per minute and follows a 429's Retry-After. The token
// endpoint is paced apart at its documented 60 requests per minute.
package personio

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Tool is Personio's tool slug.
const Tool = "personio"

// DefaultBaseURL is Personio's API host, the token endpoint included.
const DefaultBaseURL = "https://api.personio.de"

// DefaultAppID is the X-Personio-App-ID sent unless the credentials name another.
const DefaultAppID = "RESULTLINKS"

// PerPage is the page size asked for; v2 Recruiting allows 1 to 200.
const PerPage = 200

// Credentials are Personio API credentials (Settings → Integrations → API
// credentials) with the scope personio:recruiting:read.
type Credentials struct {
	// ClientID and ClientSecret are exchanged for a Bearer token.
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// BaseURL overrides https://api.personio.de (for a simulated Personio).
	BaseURL string `json:"base_url,omitempty"`
	// PartnerID is the X-Personio-Partner-ID Personio issued the
	// integrator, if any; AppID the X-Personio-App-ID (default
	// RESULTLINKS). Both are UPPER_SNAKE_CASE.
	PartnerID string `json:"partner_id,omitempty"`
	AppID     string `json:"app_id,omitempty"`
}

var headerIDRE = regexp.MustCompile(`^[A-Z0-9]+(_[A-Z0-9]+)*$`)

// Info describes the Personio connector: no channel (Personio cannot take
// result links) and the read budget it keeps to.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Personio",
		Channels:  nil,
		RateLimit: connector.RateLimit{Requests: 100, Per: time.Minute},
		Setup:     setup,
		New:       New,
	}
}

// tokenRateLimit is the token endpoint's documented budget.
var tokenRateLimit = connector.RateLimit{Requests: 60, Per: time.Minute}

// Personio is the connector of one Personio integration.
type Personio struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client
	auth   *outbound.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

var _ connector.Connector = (*Personio)(nil)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	c.ClientID, c.ClientSecret = strings.TrimSpace(c.ClientID), strings.TrimSpace(c.ClientSecret)
	switch {
	case c.ClientID == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "personio credentials: client_id is required")
	case c.ClientSecret == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "personio credentials: client_secret is required")
	case c.PartnerID != "" && !headerIDRE.MatchString(c.PartnerID):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "personio credentials: partner_id %q must be UPPER_SNAKE_CASE", c.PartnerID)
	case c.AppID != "" && !headerIDRE.MatchString(c.AppID):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "personio credentials: app_id %q must be UPPER_SNAKE_CASE", c.AppID)
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "personio credentials: base_url %q is not an http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	p := &Personio{creds: c, deps: deps}
	secrets := []string{c.ClientSecret}
	var err error
	if p.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: c.BaseURL, Secrets: secrets, Auth: p.authorize, ErrorMessage: errorMessage,
	}); err != nil {
		return nil, err
	}
	// Token requests are metered apart from the reads.
	tokenDeps := deps
	tokenDeps.IntegrationID = deps.IntegrationID + "#token"
	if p.auth, err = tokenDeps.Outbound(connector.Info{Tool: Tool, RateLimit: tokenRateLimit},
		outbound.Config{BaseURL: c.BaseURL, Secrets: secrets, ErrorMessage: errorMessage}); err != nil {
		return nil, err
	}
	return p, nil
}

// identify adds the integrator headers Personio asks for.
func (p *Personio) identify(h http.Header) {
	h.Set("X-Personio-App-ID", p.creds.AppID)
	if p.creds.PartnerID != "" {
		h.Set("X-Personio-Partner-ID", p.creds.PartnerID)
	}
}

// errorMessage reads Personio's error bodies: problem+json {"errors":
// [{title, detail}]} (or a single {title, detail}), the token endpoint's
// {error, error_description}, and v1's {"error": {"message"}}.
func errorMessage(_ int, body []byte) string {
	var e struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription string          `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var parts []string
	add := func(title, detail string) {
		switch {
		case title != "" && detail != "" && !strings.Contains(detail, title):
			parts = append(parts, title+": "+detail)
		case detail != "":
			parts = append(parts, detail)
		case title != "":
			parts = append(parts, title)
		}
	}
	add(e.Title, e.Detail)
	for _, x := range e.Errors {
		add(x.Title, x.Detail)
	}
	var code string
	var v1 struct {
		Message string `json:"message"`
	}
	switch {
	case json.Unmarshal(e.Error, &code) == nil && code != "":
		add(code, e.ErrorDescription)
	case json.Unmarshal(e.Error, &v1) == nil && v1.Message != "":
		add("", v1.Message)
	}
	return strings.Join(parts, "; ")
}

func (p *Personio) now() time.Time {
	if p.deps.Now != nil {
		return p.deps.Now()
	}
	return time.Now()
}

// authorize sets the Bearer token and the headers every v2 Recruiting read
// needs, minting a token when there is none, it is about to expire, or
// Personio refused it.
func (p *Personio) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if refresh || p.token == "" || p.now().After(p.expires.Add(-time.Minute)) {
		if err := p.mint(ctx); err != nil {
			return err
		}
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Beta", "true")
	p.identify(req.Header)
	return nil
}

// mint asks POST /v2/auth/token for a token (client credentials grant).
func (p *Personio) mint(ctx context.Context) error {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {p.creds.ClientID}, "client_secret": {p.creds.ClientSecret}}
	h := http.Header{}
	p.identify(h)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_, err := p.auth.JSON(ctx, &outbound.Request{
		Method: http.MethodPost, Path: "/v2/auth/token", Header: h, NoAuth: true,
		Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded", Idempotent: true,
	}, &tok)
	if err != nil {
		if s := outbound.Status(err); s == http.StatusBadRequest || s == http.StatusUnauthorized || s == http.StatusForbidden {
			return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
				Message: "Personio refused the API credentials: " + resultlinks.ErrorMessage(err), Err: err}
		}
		return err
	}
	if tok.AccessToken == "" {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Personio answered the token request without an access_token"}
	}
	p.client.AddSecret(tok.AccessToken)
	p.auth.AddSecret(tok.AccessToken)
	p.token = tok.AccessToken
	ttl := time.Duration(tok.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = time.Hour
	}
	p.expires = p.now().Add(ttl)
	return nil
}

// CheckCredentials mints a token and reads one candidate, which needs the
// scope personio:recruiting:read.
func (p *Personio) CheckCredentials(ctx context.Context) error {
	_, err := p.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v2/recruiting/candidates", Query: url.Values{"limit": {"1"}}})
	if outbound.Status(err) == http.StatusForbidden {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Personio accepted the API credentials but refused to read recruiting data: the credentials need the scope personio:recruiting:read (" + resultlinks.ErrorMessage(err) + ")", Err: err}
	}
	return err
}

// WriteResultLink refuses: Personio's public API cannot write onto an
// existing application or candidate. It makes no request.
func (p *Personio) WriteResultLink(context.Context, connector.Write) (*resultlinks.Receipt, error) {
	return nil, resultlinks.Errorf(resultlinks.CodeActionNotAvailable,
		"Personio cannot take result links: its public API has no way to write onto an existing application or candidate")
}

// FindResultLink finds nothing: nothing is ever written to Personio. It
// makes no request.
func (p *Personio) FindResultLink(context.Context, connector.Write) (*resultlinks.Receipt, error) {
	return nil, nil
}
