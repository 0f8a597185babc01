// Package ashby connects resultlinks to Ashby through its public API.
//
// Shapes and rules come from Ashby's developer documentation and the
// sources listed in shared/spec/vendors.md §4:
//
//   - Protocol and auth (developers.ashbyhq.com/docs/introduction,
//     /reference/authentication): one host, https://api.ashbyhq.com; every
//     endpoint is a POST to /<object>.<method> with a JSON body, reads
//     included; HTTP Basic with the API key as user name and an empty
//     password. A missing key is 401, a wrong or deactivated key 403, and a
//     key without an endpoint's permission 403 missing_endpoint_permission.
//   - Envelopes (/docs/responses and the OpenAPI error schema published in
//     konfig-sdks/openapi-examples ashby/openapi.yaml): success is
//     {"success": true, "results": ...}; a logical failure is HTTP 200 with
//     {"success": false, "errors": [code], "errorInfo": {code, message}}.
//     Those are mapped here (errors.go), not by the shared client.
//   - Paging and incremental sync (/docs/pagination-and-incremental-sync):
//     limit (at most 100), cursor, moreDataAvailable, nextCursor, and a
//     syncToken on the last page that a later listing sends to get only what
//     changed; an expired token (sync_token_expired, vendors.md §4.6)
//     means listing everything again.
//   - Read shapes of candidate.list, application.list, job.list,
//     interviewPlan.list, interviewStage.list, customField.list and
//     candidate.listNotes: the OpenAPI document above.
//   - Writes (vendors.md §4.3–4.4): customField.create (title, fieldType,
//     objectType; case-sensitive enums), customField.setValue (objectId,
//     objectType, fieldId, fieldValue) and candidate.createNote (note as
//     {type: "text/html", value}; b, i, u, a, ul, ol, li, code, pre only;
//     the author is the API key's user), from the OpenAPI schemas and
//     NangoHQ's create-note template.
//   - Rate limits (vendors.md §4.7): per-key limits answered 429 with
//     Retry-After; Ashby publishes no number, see Info.
//
// A result link lands in custom fields of the application (or of the
// candidate, for a candidate target): one String field named by the label
// holding the URL and one per attribute named "<prefix> <key>", matched by
// title among the customer's fields and created where the key has
// hiringProcessMetadataWrite. Whatever finds no field goes, with the whole
// result, into an HTML note on the candidate whose visible text carries the
// result link's marker (Ashby strips HTML comments from notes).
//
// Ashby's native assessment surfaces (assessment.addCompletedToCandidate,
// assessment.update) need a partnerId issued by Ashby to assessment
// partners; customer API keys cannot use them, so they are not in the chain.
package ashby

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Tool is Ashby's tool slug.
const Tool = "ashby"

// DefaultBaseURL is Ashby's API host.
const DefaultBaseURL = "https://api.ashbyhq.com"

// PageLimit is the page size asked of list endpoints; Ashby caps it at 100.
const PageLimit = 100

// Credentials are an Ashby API key (Admin → Integrations → API Keys). The
// key needs candidatesRead, candidatesWrite, jobsRead, interviewsRead and
// hiringProcessMetadataRead; with hiringProcessMetadataWrite it may also
// create the custom fields a result link needs.
type Credentials struct {
	// APIKey is the key, sent as the Basic auth user name.
	APIKey string `json:"api_key"`
	// BaseURL overrides https://api.ashbyhq.com (for a simulated Ashby).
	BaseURL string `json:"base_url,omitempty"`
}

// Info describes the Ashby connector. Ashby documents per-key limits
// answered with 429 and Retry-After but publishes no number
// (developers.ashbyhq.com; vendors.md §4.7), so resultlinks paces itself at
// 600 requests a minute and lets Retry-After govern anything tighter.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Ashby",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 600, Per: time.Minute},
		Setup:     setup,
		New:       New,
	}
}

// Ashby is the connector of one Ashby integration.
type Ashby struct {
	creds  Credentials
	deps   connector.Deps
	log    *slog.Logger
	client *outbound.Client
}

var _ connector.Connector = (*Ashby)(nil)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.APIKey) == "" {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid,
			"ashby credentials: api_key is required (an Ashby API key, from Admin > Integrations > API Keys)")
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "ashby credentials: base_url must be an http(s) URL such as %s", DefaultBaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	a := &Ashby{creds: c, deps: deps, log: deps.Logger}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(c.APIKey + ":"))
	var err error
	a.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: c.BaseURL, Secrets: []string{c.APIKey, basic}, ErrorMessage: errorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", "Basic "+basic)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Ashby) now() time.Time {
	if a.deps.Now != nil {
		return a.deps.Now()
	}
	return time.Now()
}

// CheckCredentials lists one candidate, which needs a valid key with
// candidatesRead.
func (a *Ashby) CheckCredentials(ctx context.Context) error {
	var list []json.RawMessage
	_, err := a.list(ctx, "candidate.list", map[string]any{"limit": 1}, &list)
	if resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Ashby accepted the API key but refused to list candidates: give the key the candidatesRead, candidatesWrite, jobsRead, interviewsRead and hiringProcessMetadataRead permissions (" +
				resultlinks.ErrorMessage(err) + ")", Err: err}
	}
	return err
}

// envelope is every Ashby answer: the success flag, the results, the paging
// fields of list endpoints and the failure fields.
type envelope struct {
	Success           bool            `json:"success"`
	Results           json.RawMessage `json:"results"`
	MoreDataAvailable bool            `json:"moreDataAvailable"`
	NextCursor        string          `json:"nextCursor"`
	SyncToken         string          `json:"syncToken"`
	Errors            []string        `json:"errors"`
	ErrorInfo         *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errorInfo"`
}

// call posts params to one RPC method and returns the envelope of a
// success, or the mapped error of a failure (HTTP or success:false).
// idempotent marks reads and value sets, which may be repeated after a 5xx.
func (a *Ashby) call(ctx context.Context, method string, params map[string]any, idempotent bool) (*envelope, error) {
	if params == nil {
		params = map[string]any{}
	}
	res, err := a.client.Do(ctx, &outbound.Request{Method: http.MethodPost, Path: "/" + method, JSON: params, Idempotent: idempotent})
	if err != nil {
		return nil, httpError(err)
	}
	var env envelope
	if err := res.Decode(&env); err != nil {
		return nil, err
	}
	if !env.Success {
		return nil, logicalError(method, &env)
	}
	return &env, nil
}

// result calls a method and decodes its results into out.
func (a *Ashby) result(ctx context.Context, method string, params map[string]any, idempotent bool, out any) error {
	env, err := a.call(ctx, method, params, idempotent)
	if err != nil {
		return err
	}
	if out != nil && len(env.Results) > 0 {
		if err := json.Unmarshal(env.Results, out); err != nil {
			return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Ashby answered " + method + " with results that are not the expected JSON", Err: err}
		}
	}
	return nil
}

// list calls a read-only list method (marked idempotent: a list POST
// changes nothing) and decodes its results into out.
func (a *Ashby) list(ctx context.Context, method string, params map[string]any, out any) (*envelope, error) {
	env, err := a.call(ctx, method, params, true)
	if err != nil {
		return nil, err
	}
	if out != nil && len(env.Results) > 0 {
		if err := json.Unmarshal(env.Results, out); err != nil {
			return nil, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Ashby answered " + method + " with results that are not the expected JSON", Err: err}
		}
	}
	return env, nil
}
