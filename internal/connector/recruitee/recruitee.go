// Package recruitee connects resultlinks to Recruitee (Tellent Recruitee)
// through its core API.
//
// Shapes and rules come from Recruitee's API reference (docs.recruitee.com):
// the base https://api.recruitee.com/c/{company_id} with the numeric company
// id or the company's subdomain, and "Authorization: Bearer <personal API
// token>" (/reference/getting-started; Nango's provider entry agrees); the
// candidate list with limit/offset paging and no updated-since filter
// (/reference/candidates-get); the single candidate with its profile fields;
// the offers with their pipeline stages; profile fields created with
// POST /custom_fields/candidates/{id}/fields {"field": {name, kind,
// values}} and changed with PATCH .../fields/{field_id}
// (/reference/custom_fieldscandidatesidfields-post); and notes created with
// POST /candidates/{id}/notes {"note": {body, visibility: {level}}} (the
// notes reference; Pipedream's create-note action). Errors come as
// {"error": ["message", ...]}.
//
// A result link lands twice on the candidate, both always: one profile
// field named by the label holding the URL and one per attribute named
// "<prefix> <key>" (an earlier field of the same name is changed with PATCH,
// never duplicated, since Recruitee adds a second field of the same name on
// every POST), and a public note with the label, URL and attributes that
// carries the result link's marker, so a retried delivery finds it. The note
// is authored by the owner of the personal API token.
//
// Profile fields come only with the single-candidate read, so a sync reads
// each candidate whose updated_at moved since the connector last read its
// fields (remembered in the integration's connector state). remote_url is
// the candidate's page in the web app
// (https://app.recruitee.com/#/dashboard/overview?candidate=..&company=..,
// the form of Recruitee's own notification links); a placement has no page
// of its own and links to its candidate's.
//
// Recruitee publishes no rate limit; the connector paces itself at 100
// requests per 10 seconds per company and follows the Retry-After of a 429.
// The Partners API ("reports", the native assessment card) needs a
// partnership with Recruitee and is not used.
package recruitee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Tool is Recruitee's tool slug.
const Tool = "recruitee"

// DefaultBaseURL is Recruitee's API host; every path sits under /c/{company_id}.
const DefaultBaseURL = "https://api.recruitee.com"

// PerPage is the number of candidates asked per page (limit).
const PerPage = 100

// Credentials are a Recruitee personal API token and the company it belongs to.
type Credentials struct {
	// CompanyID is the numeric company id (Settings → Apps and plugins →
	// Personal API tokens shows it) or the company's subdomain. A JSON
	// number is accepted too.
	CompanyID CompanyID `json:"company_id"`
	// APIToken is the personal API token, sent as a Bearer token.
	APIToken string `json:"api_token"`
	// BaseURL overrides https://api.recruitee.com (for a simulated Recruitee).
	BaseURL string `json:"base_url,omitempty"`
}

// CompanyID is a Recruitee company id or subdomain, given as a JSON string
// or number.
type CompanyID string

// UnmarshalJSON accepts a string or an integer.
func (c *CompanyID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = CompanyID(s)
		return nil
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&n); err == nil && !strings.ContainsAny(n.String(), ".eE-") {
		*c = CompanyID(n.String())
		return nil
	}
	return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[string]()}
}

var companyRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)

// Info describes the Recruitee connector. Recruitee documents no request
// budget (vendors.md §6.7 found none); the connector assumes 100 requests
// per 10 seconds per company and honours a 429's Retry-After on top.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Recruitee",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 100, Per: 10 * time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Recruitee is the connector of one Recruitee integration.
type Recruitee struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client
}

var _ connector.Connector = (*Recruitee)(nil)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	c.CompanyID = CompanyID(strings.TrimSpace(string(c.CompanyID)))
	c.APIToken = strings.TrimSpace(c.APIToken)
	switch {
	case c.CompanyID == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "recruitee credentials: company_id is required (the numeric company id or the company's subdomain)")
	case !companyRE.MatchString(string(c.CompanyID)):
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "recruitee credentials: company_id %q must be the numeric company id or the company's subdomain", string(c.CompanyID))
	case c.APIToken == "":
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "recruitee credentials: api_token is required (a personal API token)")
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "recruitee credentials: base_url %q is not an http(s) URL", c.BaseURL)
	}
	r := &Recruitee{creds: c, deps: deps}
	auth := "Bearer " + c.APIToken
	var err error
	r.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: strings.TrimSuffix(c.BaseURL, "/"), Secrets: []string{c.APIToken}, ErrorMessage: errorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", auth)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// path returns an API path under the company.
func (r *Recruitee) path(p string) string {
	return "/c/" + url.PathEscape(string(r.creds.CompanyID)) + p
}

// errorMessage reads Recruitee's error envelope, {"error": ["message", ...]}
// (a single string, or an "errors" object of field messages, also occur).
func errorMessage(_ int, body []byte) string {
	var e map[string]any
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var parts []string
	for _, k := range []string{"error", "errors", "message"} {
		if v, ok := e[k]; ok {
			parts = append(parts, flatten("", v)...)
		}
	}
	return strings.Join(parts, "; ")
}

// flatten lists the strings in an error value, prefixed by their keys.
func flatten(prefix string, v any) []string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		if prefix != "" {
			return []string{prefix + " " + x}
		}
		return []string{x}
	case []any:
		var out []string
		for _, it := range x {
			out = append(out, flatten(prefix, it)...)
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			out = append(out, flatten(strings.TrimSpace(prefix+" "+k), x[k])...)
		}
		return out
	case nil:
		return nil
	}
	return []string{strings.TrimSpace(fmt.Sprint(prefix, " ", v))}
}

// CheckCredentials reads one candidate of the company: a 401 means the token
// is wrong or revoked, a 403 or 404 that it does not belong to company_id.
func (r *Recruitee) CheckCredentials(ctx context.Context) error {
	_, err := r.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: r.path("/candidates"), Query: url.Values{"limit": {"1"}}})
	if s := outbound.Status(err); s == http.StatusForbidden || s == http.StatusNotFound {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: fmt.Sprintf("Recruitee refused company %q for this personal API token: company_id must be the id or subdomain of the company the token belongs to", string(r.creds.CompanyID)), Err: err}
	}
	return err
}

func (r *Recruitee) now() time.Time {
	if r.deps.Now != nil {
		return r.deps.Now()
	}
	return time.Now()
}
