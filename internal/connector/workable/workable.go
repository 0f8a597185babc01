// Package workable connects resultlinks to Workable through its SPI v3 API.
//
// Shapes and rules come from Workable's API reference (workable.readme.io:
// /docs/rate-limits, /reference/job-candidates-index,
// /reference/comment-on-candidate,
// /reference/candidatesidupdate_custom_attribute_value, /page/oauth) as
// summarised in shared/spec/vendors.md §3, and from the NangoHQ
// integration-templates Workable fixtures, which record real traffic
// (list-candidates, get-candidate, list-stages, list-members,
// create-comment → 200 {"id"}, unknown custom attribute → 404
// {"error":"Not found"}, X-Rate-Limit-* headers):
//
//   - Host: https://{subdomain}.workable.com/spi/v3 (one host per account,
//     no regions); base_url overrides the https://{subdomain}.workable.com
//     part for a simulated Workable.
//   - Authentication: Authorization: Bearer with the account's API access
//     token; a partner token also sends X-WORKABLE-CLIENT-ID (client_id).
//   - Lists: {"<records>": [...], "paging": {"next": "<absolute URL>"}},
//     limit up to 100, followed verbatim until paging.next is absent (it
//     may point at /spi/v3/jobs/{shortcode}/candidates); the connector
//     refuses a next URL on any other host. updated_after (ISO 8601,
//     strictly later) selects changed candidates.
//   - Errors: {"error": "..."}; 401 bad token, 403 missing scope, 404
//     unknown record or account, 422 validation.
//   - Rate limit: fixed 10-second windows per token: 10 requests for an
//     account token, 50 for a partner token (client_id). 429 past it, with
//     X-Rate-Limit-Reset (epoch seconds) saying when the window reopens.
//
// # Mapping
//
// Workable keeps no person across jobs: a candidate record belongs to one
// job, and the same person on two jobs is two records (vendors.md §3.5).
// Each record is therefore both the candidate and its application, with
// the record's ID as the remote ID of both. The application's job is the
// record's job shortcode (jobs are mirrored by shortcode, the only job key
// a candidate carries), its stage the account stage whose name the record
// names (stages are mirrored by slug), its outcome HIRED once hired,
// DECLINED when disqualified, else PENDING. Workable lists no deletions; a
// full sync marks what it no longer sees.
//
// # Result links
//
// The chain, most native first:
//
//  1. Custom attributes: for the label (holding the URL) and each
//     attribute ("<prefix> <key>"), an enabled custom attribute whose label
//     matches and whose type fits the value (PATCH
//     /candidates/{id}/update_custom_attribute_value). Workable has no API
//     to create attributes; the customer creates them in Settings. A token
//     without the scope for attributes skips this channel.
//  2. A comment on the candidate's timeline (POST /candidates/{id}/comments)
//     with the whole result and the marker, whenever any value found no
//     attribute. Workable needs the member the comment is posted as:
//     remote_fields.workable.on_behalf_of_user_remote_id, else the
//     credentials' member_id.
//
// Workable's candidate list carries no custom attribute values, so the
// values resultlinks wrote are kept in the connector's state and shown on
// the mirrored records at every sync.
//
// Not supported: the partner-only Assessment Providers integration (the ATS
// calls the vendor; it needs a Workable partnership), and OAuth tokens,
// which expire and need the partner's OAuth app to refresh.
package workable

import (
	"context"
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

// Tool is Workable's tool slug.
const Tool = "workable"

// APIPath is the path of SPI v3 under an account's host.
const APIPath = "/spi/v3"

// PerPage is the page size asked for; Workable allows up to 100.
const PerPage = 100

// Credentials are a Workable API access token ("Settings > Integrations >
// Apps > API access token" in Workable).
type Credentials struct {
	// Subdomain is the account's subdomain: acme for acme.workable.com.
	Subdomain string `json:"subdomain"`
	// AccessToken is the API access token (or a partner token with ClientID).
	AccessToken string `json:"access_token"`
	// ClientID is the X-WORKABLE-CLIENT-ID of a partner token.
	ClientID string `json:"client_id,omitempty"`
	// MemberID is the Workable member comments are posted as when the
	// result link names none.
	MemberID string `json:"member_id,omitempty"`
	// BaseURL overrides https://{subdomain}.workable.com (a simulated
	// Workable).
	BaseURL string `json:"base_url,omitempty"`
}

// Info describes the Workable connector. The rate limit is that of an
// account token; a partner token (client_id) gets 50 per 10 seconds.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Workable",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 10, Per: 10 * time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Workable is the connector of one Workable integration.
type Workable struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client
	base   *url.URL // scheme, host and path of the account, without /spi/v3

	mu     sync.Mutex
	stages map[string]string // stage name → slug; nil until read
}

var _ connector.Connector = (*Workable)(nil)

var (
	subdomainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	memberPattern    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	c.Subdomain = strings.ToLower(strings.TrimSpace(c.Subdomain))
	c.AccessToken = strings.TrimSpace(c.AccessToken)
	c.ClientID = strings.TrimSpace(c.ClientID)
	c.MemberID = strings.TrimSpace(c.MemberID)
	switch {
	case c.Subdomain == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: subdomain is required (acme for acme.workable.com)")
	case !subdomainPattern.MatchString(c.Subdomain):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: subdomain must be the account's subdomain alone, such as acme for acme.workable.com")
	case c.AccessToken == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: access_token is required")
	case c.MemberID != "" && !memberPattern.MatchString(c.MemberID):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: member_id must be a Workable member ID (such as 1f395d)")
	}
	base := "https://" + c.Subdomain + ".workable.com"
	if strings.TrimSpace(c.BaseURL) != "" {
		base = strings.TrimSpace(c.BaseURL)
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: base_url must be an http(s) URL such as https://acme.workable.com")
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), APIPath)
	c.BaseURL = strings.TrimSuffix(u.String(), "/")
	w := &Workable{creds: c, deps: deps, base: u}
	info := Info()
	if c.ClientID != "" {
		info.RateLimit = connector.RateLimit{Requests: 50, Per: 10 * time.Second}
	}
	bearer := "Bearer " + c.AccessToken
	if w.client, err = deps.Outbound(info, outbound.Config{
		BaseURL: c.BaseURL, Secrets: []string{c.AccessToken}, ErrorMessage: errorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", bearer)
			if c.ClientID != "" {
				req.Header.Set("X-WORKABLE-CLIENT-ID", c.ClientID)
			}
			return nil
		},
	}); err != nil {
		return nil, err
	}
	return w, nil
}

// errorMessage reads Workable's envelope, {"error": "..."}, and the
// {"message"} / {"errors"} shapes some endpoints use.
func errorMessage(_ int, body []byte) string {
	var e struct {
		Error   any    `json:"error"`
		Message string `json:"message"`
		Errors  any    `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var parts []string
	for _, v := range []any{e.Error, e.Message, e.Errors} {
		switch v := v.(type) {
		case nil:
		case string:
			if v != "" {
				parts = append(parts, v)
			}
		default:
			b, _ := json.Marshal(v)
			parts = append(parts, string(b))
		}
	}
	return strings.Join(parts, "; ")
}

// CheckCredentials lists one candidate, which needs a valid token of this
// account with the r_candidates scope, and checks that member_id (if set)
// is an active member.
func (w *Workable) CheckCredentials(ctx context.Context) error {
	_, err := w.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: api("/candidates"), Query: url.Values{"limit": {"1"}}})
	switch outbound.Status(err) {
	case http.StatusForbidden:
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Workable accepted the token but refused to list candidates: the token needs the r_candidates, r_jobs and w_comments (or w_candidates) scopes (" + resultlinks.ErrorMessage(err) + ")", Err: err}
	case http.StatusNotFound:
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: fmt.Sprintf("Workable has no account at %s: check the subdomain", w.creds.BaseURL), Err: err}
	}
	if err != nil || w.creds.MemberID == "" {
		return err
	}
	m, err := w.member(ctx, w.creds.MemberID)
	switch {
	case outbound.Status(err) == http.StatusForbidden:
		return nil // the token may not read members (r_account); a comment will tell
	case err != nil:
		return err
	case m == nil:
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: member_id: Workable has no member %s", w.creds.MemberID)
	case !m.Active:
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable credentials: member_id: Workable member %s is not active", w.creds.MemberID)
	}
	return nil
}

type member struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// member finds a member of the account, or nil.
func (w *Workable) member(ctx context.Context, id string) (*member, error) {
	next := api("/members?limit=" + fmt.Sprint(PerPage))
	for next != "" {
		var list struct {
			Members []member `json:"members"`
			Paging  paging   `json:"paging"`
		}
		if _, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: next}, &list); err != nil {
			return nil, err
		}
		for i := range list.Members {
			if list.Members[i].ID == id {
				return &list.Members[i], nil
			}
		}
		var err error
		if next, err = w.follow(list.Paging.Next); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// paging is the paging object of a Workable list.
type paging struct {
	Next string `json:"next"`
}

// follow checks a paging.next URL before it is followed verbatim: it must
// stay on the account's host, under SPI v3. It returns "" for none.
func (w *Workable) follow(next string) (string, error) {
	if next == "" {
		return "", nil
	}
	u, err := url.Parse(next)
	if err != nil || !strings.EqualFold(u.Host, w.base.Host) || u.Scheme != w.base.Scheme ||
		!strings.HasPrefix(u.Path, w.base.Path+APIPath+"/") {
		host := next
		if err == nil {
			host = u.Host
		}
		return "", &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown,
			Message: fmt.Sprintf("workable: refusing to follow paging.next to %s, which is not this account's API (%s%s)", host, w.base.Host, APIPath)}
	}
	return next, nil
}

// api returns an SPI v3 path relative to the base URL, so that a base URL
// with a path of its own keeps it.
func api(p string) string { return strings.TrimPrefix(APIPath, "/") + p }

func ptr[T any](v T) *T { return &v }

func nonEmpty(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

// otherTools warns about remote_fields meant for other ATSs.
func otherTools(rf resultlinks.RemoteFields) []string {
	var out []string
	for _, t := range []struct {
		name string
		set  bool
	}{
		{"greenhouse", rf.GreenhouseOnBehalfOf != nil},
		{"icims", rf.ICIMSAssessmentPackageID != nil},
		{"oracle", rf.OracleDocumentCategory != nil || rf.OracleMultiPost != nil},
	} {
		if t.set {
			out = append(out, fmt.Sprintf("remote_fields.%s applies to another ATS and was not used by Workable.", t.name))
		}
	}
	return out
}
