// Package smartrecruiters connects resultlinks to SmartRecruiters through
// its Customer API.
//
// Shapes and rules come from SmartRecruiters' developer documentation and
// the sources listed in shared/spec/vendors.md §5:
//
//   - Host and auth (vendors.md §5.1; Nango providers.yaml;
//     roksela/smartrecruiters-python-client): one global host,
//     https://api.smartrecruiters.com; an API key sent as X-SmartToken, or
//     an OAuth client whose client-credentials grant at
//     /identity/oauth/token gives a bearer token.
//   - Candidates (developers.smartrecruiters.com/reference/candidatesall-1):
//     GET /candidates with limit 1–100, updatedAfter and pageId; the next
//     page is named by nextPageId in the body (and a Link rel="next"); only
//     candidates with at least one application are listed; and at most one
//     such request may be in flight per credential (/docs/rate-limiting).
//     A candidate's applications are its primaryAssignment and
//     secondaryAssignments (candidate × job); GET
//     /candidates/{id}/jobs/{jobId} and .../properties give each one's
//     dates and property values. Jobs: GET /jobs (same paging). Stages:
//     the fixed application statuses plus the sub-statuses of GET
//     /configuration/hiring-processes[/{id}].
//   - Writes (vendors.md §5.3–5.4): job-scoped candidate properties with
//     PUT /candidates/{id}/jobs/{jobId}/properties, a batch of
//     [{"id", "value"}] answered 204
//     (/reference/candidatespropertiesvaluesbatchupdateforjob-1); the
//     property definitions of GET /configuration/candidate-properties, which
//     only an admin can create; and as the fallback a message, POST
//     /messages/shares with content (1–10000 characters, no HTML) whose
//     #[CANDIDATE:id] token attaches it to the profile, shareWith and
//     correlationId (/reference/messagessharescreate-1), read back with GET
//     /messages?candidateId= (ADMINISTRATOR users only).
//   - Errors: {"message", "errors": [{"code", "message"}]} (the python
//     client's ErrorResponse); the token endpoint answers RFC 6749
//     {"error", "error_description"}.
//   - Rate limits (/docs/rate-limiting): per credential 10 requests a
//     second and 8 in flight (1 for GET /candidates); 429 without
//     Retry-After.
//
// A result link lands in the application's candidate properties whose
// labels match the result's names: the label for the link, "<prefix> <key>"
// for each attribute. SmartRecruiters' API cannot create property
// definitions, so values whose property an admin has not created, or whose
// type cannot hold them, go (with the whole result) into a message on the
// candidate that carries the result link's marker.
//
// SmartRecruiters' Assessment API (2021) is partner-gated and its result
// submission shapes are not public; it is not in the chain.
package smartrecruiters

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Tool is SmartRecruiters' tool slug.
const Tool = "smartrecruiters"

// DefaultBaseURL is SmartRecruiters' API host.
const DefaultBaseURL = "https://api.smartrecruiters.com"

// Page sizes: GET /candidates and GET /jobs take at most 100. An
// applications page holds the applications of fewer candidates, since each
// application costs two more calls.
const (
	PageLimit             = 100
	ApplicationsPageLimit = 25
)

// Credentials are either an API key or an OAuth client of the customer's
// SmartRecruiters company (Settings → Apps & Integrations → API).
type Credentials struct {
	// APIKey is sent as the X-SmartToken header.
	APIKey string `json:"api_key,omitempty"`
	// ClientID and ClientSecret are an OAuth client whose
	// client-credentials grant gives bearer tokens (instead of api_key).
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	// BaseURL overrides https://api.smartrecruiters.com (for a simulated
	// SmartRecruiters).
	BaseURL string `json:"base_url,omitempty"`
}

// Info describes the SmartRecruiters connector: 10 requests per second
// per credential (developers.smartrecruiters.com/docs/rate-limiting).
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "SmartRecruiters",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 10, Per: time.Second},
		Setup:     setup,
		New:       New,
	}
}

// SmartRecruiters is the connector of one SmartRecruiters integration.
type SmartRecruiters struct {
	creds  Credentials
	deps   connector.Deps
	log    *slog.Logger
	client *outbound.Client
	// listing admits one GET /candidates at a time for this credential,
	// shared by every connector of the process using it.
	listing chan struct{}

	mu      sync.Mutex
	token   string
	expires time.Time

	// flags remember permissions the credential turned out to lack, so a
	// sync does not ask again for every application.
	flagMu                  sync.Mutex
	noDetails, noProperties bool
}

var _ connector.Connector = (*SmartRecruiters)(nil)

// listingLocks holds one single-slot semaphore per credential.
var listingLocks sync.Map

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	key, id, secret := strings.TrimSpace(c.APIKey), strings.TrimSpace(c.ClientID), strings.TrimSpace(c.ClientSecret)
	switch {
	case key != "" && (id != "" || secret != ""):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters credentials: give either api_key or client_id and client_secret, not both")
	case key == "" && id == "" && secret == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters credentials: api_key is required (or an OAuth client_id and client_secret)")
	case key == "" && id == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters credentials: client_id is required with client_secret")
	case key == "" && secret == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters credentials: client_secret is required with client_id")
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters credentials: base_url must be an http(s) URL such as %s", DefaultBaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	s := &SmartRecruiters{creds: c, deps: deps, log: deps.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	sum := sha256.Sum256([]byte(c.BaseURL + "\x00" + c.APIKey + "\x00" + c.ClientID))
	lock, _ := listingLocks.LoadOrStore(hex.EncodeToString(sum[:]), make(chan struct{}, 1))
	s.listing = lock.(chan struct{})
	var err error
	s.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: c.BaseURL, Secrets: []string{c.APIKey, c.ClientSecret}, ErrorMessage: errorMessage, Auth: s.authorize,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *SmartRecruiters) now() time.Time {
	if s.deps.Now != nil {
		return s.deps.Now()
	}
	return time.Now()
}

// errorMessage reads SmartRecruiters' error envelope, {"message", "errors":
// [{"code", "message"}]}, and the token endpoint's {"error",
// "error_description"}.
func errorMessage(_ int, body []byte) string {
	var e struct {
		Message string `json:"message"`
		Errors  []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var parts []string
	for _, it := range e.Errors {
		switch {
		case it.Code != "" && it.Message != "":
			parts = append(parts, it.Code+": "+it.Message)
		case it.Code != "" || it.Message != "":
			parts = append(parts, it.Code+it.Message)
		}
	}
	if len(parts) == 0 && e.Message != "" {
		parts = append(parts, e.Message)
	}
	if e.Error != "" {
		p := e.Error
		if e.ErrorDescription != "" {
			p += ": " + e.ErrorDescription
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// authorize sets X-SmartToken, or a bearer token minted with the OAuth
// client when there is none, it is about to expire, or it was refused.
func (s *SmartRecruiters) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	if s.creds.APIKey != "" {
		req.Header.Set("X-SmartToken", s.creds.APIKey)
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if refresh || s.token == "" || s.now().After(s.expires.Add(-time.Minute)) {
		if err := s.mint(ctx); err != nil {
			return err
		}
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	return nil
}

// mint runs the client-credentials grant.
func (s *SmartRecruiters) mint(ctx context.Context) error {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.creds.ClientID}, "client_secret": {s.creds.ClientSecret}}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_, err := s.client.JSON(ctx, &outbound.Request{
		Method: http.MethodPost, Path: "/identity/oauth/token", NoAuth: true, Idempotent: true,
		Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded",
	}, &tok)
	if err != nil {
		if st := outbound.Status(err); st == http.StatusBadRequest || st == http.StatusUnauthorized || st == http.StatusForbidden {
			return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
				Message: "SmartRecruiters refused the OAuth client credentials: " + resultlinks.ErrorMessage(err), Err: err}
		}
		return err
	}
	if tok.AccessToken == "" {
		return resultlinks.Errorf(resultlinks.CodeRemoteUnknown, "SmartRecruiters answered the token request without an access_token")
	}
	s.client.AddSecret(tok.AccessToken)
	s.token = tok.AccessToken
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = 30 * time.Minute
	}
	s.expires = s.now().Add(life)
	return nil
}

// listCandidates sends one GET /candidates, holding the credential's single
// listing slot so no two are ever in flight from this process.
func (s *SmartRecruiters) listCandidates(ctx context.Context, q url.Values, out any) error {
	select {
	case s.listing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.listing }()
	_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/candidates", Query: q}, out)
	return err
}

// CheckCredentials lists one candidate, which needs working credentials
// with read access to candidates.
func (s *SmartRecruiters) CheckCredentials(ctx context.Context) error {
	var body listBody
	err := s.listCandidates(ctx, url.Values{"limit": {"1"}}, &body)
	if resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: fmt.Sprintf("SmartRecruiters accepted the credentials but refused to list candidates; they need read access to candidates, jobs and configuration (%s)",
				resultlinks.ErrorMessage(err)), Err: err}
	}
	return err
}
