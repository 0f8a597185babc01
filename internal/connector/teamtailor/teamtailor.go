// Package teamtailor connects resultlinks to Teamtailor through its public
// API (JSON:API, /v1).
//
// Shapes and rules come from Teamtailor's public API reference
// (docs.teamtailor.com, the Postman documenter): the region hosts
// https://api.teamtailor.com (EU) and https://api.na.teamtailor.com (NA);
// "Authorization: Token token=<api key>" and the required "X-Api-Version"
// header on every request; application/vnd.api+json bodies both ways;
// keys scoped Public, Internal or Admin, read-only or read-write; paging with
// page[size] (at most 30) and the absolute links.next until it is absent;
// filter[updated-at][from] for changes since a time; the candidates,
// job-applications, jobs, stages, users, custom-fields, custom-field-values
// and notes resources with their dasherized attributes and relationships;
// and JSON:API error documents {"errors": [{status, title, detail,
// source}]}. The request budget (50 requests per 10 seconds per key, with
// X-Rate-Limit-* headers) is from Teamtailor's documentation as recorded by
// Nango's provider entry. Writes follow the custom field and note examples
// of the reference and of public clients that POST /v1/notes.
//
// A result link lands in the candidate's custom fields: one field named by
// the label holding the URL (a CustomField::Url) and one per attribute
// named "<prefix> <key>" (CustomField::Text), matched by name among the
// candidate fields the company has and created when missing. A field's
// existing value on the candidate is changed with PATCH, never doubled.
// Whatever cannot go into a field (a field of the same name whose type does
// not take the value, or a key that may not create fields) goes into a note
// on the candidate with the label, URL and attributes, carrying a marker so
// a retried delivery finds it. The note's author is the credentials'
// user_id, else the company's first admin user. Writing needs an Admin key
// with write access; with another key the write fails with a clear
// INTEGRATION.PERMISSION_MISSING.
//
// Teamtailor's Partner API (assessment results through a partner-result's
// update-url) needs a partnership and is not used. Teamtailor's candidate
// pages in its web app are addressed by the company's app id, which the
// API key does not reveal, so remote_url stays empty.
package teamtailor

import (
	"context"
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

// Tool is Teamtailor's tool slug.
const Tool = "teamtailor"

// The region hosts of Teamtailor's public API.
const (
	DefaultBaseURL = "https://api.teamtailor.com"
	NABaseURL      = "https://api.na.teamtailor.com"
)

// DefaultAPIVersion is the X-Api-Version sent unless the credentials name another.
const DefaultAPIVersion = "20240904"

// MediaType is the JSON:API media type of every body.
const MediaType = "application/vnd.api+json"

// PerPage is the page size asked for; Teamtailor allows at most 30.
const PerPage = 30

// Credentials are a Teamtailor API key (Settings → Integrations → API keys).
type Credentials struct {
	// APIKey is the key, sent as "Authorization: Token token=<api_key>".
	// Reading needs an Internal or Admin key; writing results needs an
	// Admin key with read-write access.
	APIKey string `json:"api_key"`
	// Region is "eu" (the default, api.teamtailor.com) or "na"
	// (api.na.teamtailor.com), the stack the company lives on.
	Region string `json:"region,omitempty"`
	// BaseURL overrides the region's host (for a simulated Teamtailor).
	BaseURL string `json:"base_url,omitempty"`
	// APIVersion is the X-Api-Version to send (YYYYMMDD); empty means
	// DefaultAPIVersion.
	APIVersion string `json:"api_version,omitempty"`
	// UserID is the Teamtailor user notes are written as; empty means the
	// company's first admin user.
	UserID string `json:"user_id,omitempty"`
}

// Info describes the Teamtailor connector: 50 requests per 10 seconds per
// API key, as Teamtailor documents.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Teamtailor",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields, resultlinks.ChannelNote},
		RateLimit: connector.RateLimit{Requests: 50, Per: 10 * time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Teamtailor is the connector of one Teamtailor integration.
type Teamtailor struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client

	mu         sync.Mutex
	defs       map[string]customField // custom field definitions by id
	valueField map[string]string      // custom field value id → custom field id
	author     string                 // the note author found among the users
}

var _ connector.Connector = (*Teamtailor)(nil)

// New builds a connector from credentials JSON.
func New(raw json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, raw, &c); err != nil {
		return nil, err
	}
	c.APIKey = strings.TrimSpace(c.APIKey)
	if c.APIKey == "" {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "teamtailor credentials: api_key is required")
	}
	switch strings.ToLower(c.Region) {
	case "", "eu":
		if c.BaseURL == "" {
			c.BaseURL = DefaultBaseURL
		}
	case "na":
		if c.BaseURL == "" {
			c.BaseURL = NABaseURL
		}
	default:
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "teamtailor credentials: region %q must be \"eu\" or \"na\"", c.Region)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "teamtailor credentials: base_url %q is not an http(s) URL", c.BaseURL)
	}
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	} else if _, err := time.Parse("20060102", c.APIVersion); err != nil {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "teamtailor credentials: api_version %q must be a date as YYYYMMDD", c.APIVersion)
	}
	if c.UserID != "" {
		if n, err := strconv.ParseInt(c.UserID, 10, 64); err != nil || n <= 0 {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "teamtailor credentials: user_id %q must be a numeric Teamtailor user ID", c.UserID)
		}
	}
	t := &Teamtailor{creds: c, deps: deps, defs: map[string]customField{}, valueField: map[string]string{}}
	auth := "Token token=" + c.APIKey
	var err error
	t.client, err = deps.Outbound(Info(), outbound.Config{
		BaseURL: strings.TrimSuffix(c.BaseURL, "/"), Secrets: []string{c.APIKey}, ErrorMessage: errorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", auth)
			req.Header.Set("X-Api-Version", c.APIVersion)
			req.Header.Set("Accept", MediaType)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// errorMessage reads a JSON:API error document: each error's title and
// detail (and the member it points at when the detail does not name it).
func errorMessage(_ int, body []byte) string {
	var doc struct {
		Errors []struct {
			Status string `json:"status"`
			Title  string `json:"title"`
			Detail string `json:"detail"`
			Source *struct {
				Pointer   string `json:"pointer"`
				Parameter string `json:"parameter"`
			} `json:"source"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	parts := make([]string, 0, len(doc.Errors))
	for _, e := range doc.Errors {
		msg := e.Detail
		switch {
		case msg == "":
			msg = e.Title
		case e.Title != "" && !strings.Contains(msg, e.Title):
			msg = e.Title + ": " + msg
		}
		if e.Source != nil {
			if where := e.Source.Pointer + e.Source.Parameter; where != "" && !strings.Contains(msg, where) {
				msg += " (" + where + ")"
			}
		}
		if msg != "" {
			parts = append(parts, msg)
		}
	}
	return strings.Join(parts, "; ")
}

// CheckCredentials reads one candidate: a 401 is a wrong or revoked key, a
// 403 a key whose scope cannot read candidates (a Public key).
func (t *Teamtailor) CheckCredentials(ctx context.Context) error {
	_, err := t.get(ctx, "/v1/candidates", url.Values{"page[size]": {"1"}})
	if outbound.Status(err) == http.StatusForbidden {
		return &resultlinks.Error{Code: resultlinks.CodeIntegrationAuthInvalid,
			Message: "Teamtailor accepted the API key but refused to list candidates: the key needs the Internal or Admin scope (Admin with read-write access to write results)", Err: err}
	}
	return err
}

// The JSON:API documents, as far as resultlinks reads them.

type document struct {
	Data     json.RawMessage            `json:"data"`
	Included []resource                 `json:"included"`
	Links    map[string]json.RawMessage `json:"links"`
}

type resource struct {
	ID            string                  `json:"id"`
	Type          string                  `json:"type"`
	Attributes    json.RawMessage         `json:"attributes"`
	Relationships map[string]relationship `json:"relationships"`
}

type relationship struct {
	Data json.RawMessage `json:"data"`
}

type identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// ids returns the linkage of a relationship: one id, several, or none.
func (r relationship) ids() []string {
	var one identifier
	if json.Unmarshal(r.Data, &one) == nil && one.ID != "" {
		return []string{one.ID}
	}
	var many []identifier
	if json.Unmarshal(r.Data, &many) != nil {
		return nil
	}
	out := make([]string, 0, len(many))
	for _, x := range many {
		out = append(out, x.ID)
	}
	return out
}

// rel returns the first id of a relationship, or "".
func (r resource) rel(name string) string {
	if ids := r.Relationships[name].ids(); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// decode decodes the resource's attributes into v.
func (r resource) decode(v any) error {
	if len(r.Attributes) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Attributes, v); err != nil {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Teamtailor answered " + r.Type + " attributes that are not the expected JSON", Err: err}
	}
	return nil
}

// list returns the primary resources of a collection document.
func (d *document) list() ([]resource, error) {
	var out []resource
	if err := json.Unmarshal(d.Data, &out); err != nil {
		return nil, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Teamtailor answered a list that is not a JSON:API collection", Err: err}
	}
	return out, nil
}

// one returns the primary resource of a single-resource document.
func (d *document) one() (resource, error) {
	var out resource
	if err := json.Unmarshal(d.Data, &out); err != nil {
		return out, &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Teamtailor answered a body that is not a JSON:API resource", Err: err}
	}
	return out, nil
}

// next returns links.next (a URL string, or an object with href), or "".
func (d *document) next() string {
	raw := d.Links["next"]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Href string `json:"href"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Href
	}
	return ""
}

// get reads a document; path may be an absolute next link.
func (t *Teamtailor) get(ctx context.Context, path string, q url.Values) (*document, error) {
	var doc document
	if _, err := t.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: path, Query: q}, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// send writes a JSON:API document with the JSON:API media type.
func (t *Teamtailor) send(ctx context.Context, method, path string, data any) (*document, error) {
	body, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		return nil, fmt.Errorf("teamtailor: encoding request: %w", err)
	}
	var doc document
	if _, err := t.client.JSON(ctx, &outbound.Request{Method: method, Path: path, Body: body, ContentType: MediaType}, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// each reads every page of a collection, calling fn with each page.
func (t *Teamtailor) each(ctx context.Context, path string, q url.Values, fn func(*document, []resource) error) error {
	for path != "" {
		doc, err := t.get(ctx, path, q)
		if err != nil {
			return err
		}
		list, err := doc.list()
		if err != nil {
			return err
		}
		if err := fn(doc, list); err != nil {
			return err
		}
		path, q = doc.next(), nil
	}
	return nil
}

// ttime is a Teamtailor timestamp (ISO 8601 with an offset), or null.
type ttime struct{ t *time.Time }

func (x *ttime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		x.t = nil
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return err
	}
	x.t = &t
	return nil
}
