// Package lever connects resultlinks to Lever through its Data API v1.
//
// Shapes and rules come from Lever's Data API reference
// (hire.lever.co/developer/documentation) as summarised in
// shared/spec/vendors.md §2, cross-checked with the open-source client
// corbaltcode/lever-data-api-go (opportunities.go, archive_reasons.go,
// model/error.go) and the NangoHQ integration-templates Lever fixtures
// (create-note, get-opportunity, get-stages):
//
//   - Authentication: HTTP Basic with the API key as user name and an empty
//     password (§2.1). perform_as=<user id> on a write names its author;
//     without it the key's owner is the author.
//   - Hosts: https://api.lever.co (global; the default), and for other
//     Lever instances base_url, e.g. https://api.eu.lever.co or the sandbox
//     https://api.sandbox.lever.co. The connector appends /v1/...
//   - Lists: {"data", "hasNext", "next"}; limit 1–100; next is an opaque
//     token passed back as offset (§2.4). Timestamps are milliseconds since
//     the epoch; updated_at_start/_end filter opportunities, and
//     GET /v1/opportunities/deleted lists deletions (deleted_at_start/_end).
//     Without confidentiality=all only non-confidential opportunities and
//     postings are listed (lever-data-api-go ListOpportunitiesRequest).
//   - Errors: {"code", "message"} with restify codes such as
//     BadRequestError, UnauthorizedError, ForbiddenError, ResourceNotFound
//     and TooManyRequests (§2.5).
//   - Rate limit: a token bucket per key of 10 requests per second, bursts
//     to 20 (§2.6); no rate-limit headers, no documented Retry-After.
//
// # Mapping
//
// Lever's person is a Contact with one Opportunity per candidacy; notes,
// links and tags attach to the opportunity. Lever has no endpoint that
// lists contacts, only opportunities (which carry the contact's ID, name,
// emails and phones), so a contact-keyed candidate would show up once per
// opportunity while paging and could not be told apart in a delta sync.
// resultlinks therefore does what Kombo's Lever connector does ("We use the
// opportunityId for candidates") and what Lever's own deprecated candidate
// IDs did (an application's candidateId is its opportunity's ID): a
// candidate and its application are both the opportunity, with the
// opportunity's ID as remote ID. Both IDs are stable for the life of the
// opportunity. The application's job is the posting of the opportunity's
// application; its stage is the opportunity's stage (Lever's stages are
// account-wide); its outcome is PENDING while the opportunity is active,
// and HIRED or DECLINED by the type ("hired" / "non-hired") of its archive
// reason from GET /v1/archive_reasons.
//
// # Result links
//
// Lever has no result or assessment object and no custom fields in its
// Data API, so the one channel is a note: the label, URL and attributes as
// a note on the opportunity (POST /v1/opportunities/{id}/notes, the way
// assessment vendors integrated with Lever post results), carrying the
// marker a retried delivery looks for. Beside the note, the URL is added
// to the opportunity's links (addLinks; Lever keeps links on the contact),
// which is idempotent and best effort: a key without the opportunities
// write permission still gets the note. The author is the credentials'
// perform_as user, else the key's owner.
//
// Not supported: OAuth access tokens (they expire within hours and need
// the partner's OAuth app to refresh), profile forms (their write body is
// not confirmed in Lever's reference), and tags.
package lever

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// Tool is Lever's tool slug.
const Tool = "lever"

// DefaultBaseURL is Lever's global Data API host.
const DefaultBaseURL = "https://api.lever.co"

// PerPage is the page size asked for; Lever allows 1 to 100.
const PerPage = 100

// Credentials are a Lever API key ("Settings > Integrations and API > API
// Credentials" in Lever).
type Credentials struct {
	// APIKey is the Data API key.
	APIKey string `json:"api_key"`
	// PerformAs, when set, is the Lever user (a UUID) notes are written as;
	// without it Lever attributes them to the key's owner.
	PerformAs string `json:"perform_as,omitempty"`
	// IncludeConfidential lists confidential opportunities and postings too
	// (confidentiality=all); the key must be allowed confidential data.
	IncludeConfidential bool `json:"include_confidential,omitempty"`
	// BaseURL overrides the API host (another Lever instance, or a
	// simulated Lever); it defaults to https://api.lever.co.
	BaseURL string `json:"base_url,omitempty"`
}

// Info describes the Lever connector.
func Info() connector.Info {
	return connector.Info{
		Tool:     Tool,
		Label:    "Lever",
		Channels: []resultlinks.Channel{resultlinks.ChannelNote},
		// Lever: 10 requests per second per key (bursts to 20 are allowed,
		// but the steady rate is the budget to plan on).
		RateLimit: connector.RateLimit{Requests: 10, Per: time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Lever is the connector of one Lever integration.
type Lever struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client

	mu      sync.Mutex
	reasons map[string]archiveReason // nil until loaded
}

var _ connector.Connector = (*Lever)(nil)

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	c.APIKey = strings.TrimSpace(c.APIKey)
	c.PerformAs = strings.TrimSpace(c.PerformAs)
	switch {
	case c.APIKey == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever credentials: api_key is required")
	case c.PerformAs != "" && !uuidPattern.MatchString(c.PerformAs):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever credentials: perform_as must be a Lever user ID (a UUID such as 6f1c2a4e-0b7d-4c1a-9e55-3a0000000001)")
	}
	base, err := baseURL(c.BaseURL)
	if err != nil {
		return nil, err
	}
	c.BaseURL = base
	l := &Lever{creds: c, deps: deps}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(c.APIKey+":"))
	if l.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: c.BaseURL, Secrets: []string{c.APIKey, auth}, ErrorMessage: errorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", auth)
			return nil
		},
	}); err != nil {
		return nil, err
	}
	return l, nil
}

// baseURL checks base_url and drops a trailing /v1, which the connector
// adds itself.
func baseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" {
		return "", resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever credentials: base_url must be an http(s) URL such as %s", DefaultBaseURL)
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/v1")
	return strings.TrimSuffix(u.String(), "/"), nil
}

// errorMessage reads Lever's envelope, {"code", "message"}.
func errorMessage(_ int, body []byte) string {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || (e.Code == "" && e.Message == "") {
		return ""
	}
	switch {
	case e.Message == "":
		return e.Code
	case e.Code == "":
		return e.Message
	}
	return e.Message + " (" + e.Code + ")"
}

// CheckCredentials lists one opportunity, which needs the key to be valid
// and allowed to read opportunities, and checks that the perform_as user
// (if set) is an active Lever user.
func (l *Lever) CheckCredentials(ctx context.Context) error {
	_, err := l.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/opportunities", Query: url.Values{"limit": {"1"}}})
	if outbound.Status(err) == http.StatusForbidden {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Lever accepted the API key but refused to list opportunities: the key needs read access to opportunities, postings, stages and notes, and write access to notes (" + resultlinks.ErrorMessage(err) + ")", Err: err}
	}
	if err != nil || l.creds.PerformAs == "" {
		return err
	}
	var user struct {
		Data struct {
			ID            string `json:"id"`
			DeactivatedAt *int64 `json:"deactivatedAt"`
		} `json:"data"`
	}
	_, err = l.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/users/" + url.PathEscape(l.creds.PerformAs)}, &user)
	switch s := outbound.Status(err); {
	case s == http.StatusNotFound:
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever credentials: perform_as: Lever has no user %s", l.creds.PerformAs)
	case s == http.StatusForbidden:
		return nil // the key may not read users; a write will tell
	case err != nil:
		return err
	case user.Data.DeactivatedAt != nil:
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever credentials: perform_as: Lever user %s is deactivated", l.creds.PerformAs)
	}
	return nil
}

func (l *Lever) now() time.Time {
	if l.deps.Now != nil {
		return l.deps.Now()
	}
	return time.Now()
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

// millis turns a Lever timestamp (milliseconds since the epoch) into a time.
func millis(ms *int64) *time.Time {
	if ms == nil || *ms <= 0 {
		return nil
	}
	return ptr(time.UnixMilli(*ms).UTC())
}

// otherTools warns about remote_fields meant for other ATSs; Lever has none.
func otherTools(rf resultlinks.RemoteFields) []string {
	var out []string
	for _, t := range []struct {
		name string
		set  bool
	}{
		{"greenhouse", rf.GreenhouseOnBehalfOf != nil},
		{"icims", rf.ICIMSAssessmentPackageID != nil},
		{"oracle", rf.OracleDocumentCategory != nil || rf.OracleMultiPost != nil},
		{"workable", rf.WorkableOnBehalfOf != nil},
	} {
		if t.set {
			out = append(out, fmt.Sprintf("remote_fields.%s applies to another ATS and was not used by Lever.", t.name))
		}
	}
	return out
}
