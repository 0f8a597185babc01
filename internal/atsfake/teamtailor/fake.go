package teamtailor

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Defaults used when Options leaves them empty.
const (
	// DefaultAPIKey is an Admin-scope, read-write key.
	DefaultAPIKey = "atsfake-teamtailor-admin-key"
	// DefaultAPIVersion is the X-Api-Version examples and the command line
	// use. The fake accepts any well-formed version unless
	// Options.APIVersion pins one.
	DefaultAPIVersion = "20240904"
)

// Users every fake has, fixed so tests can name them.
const (
	// AdminUserID is an admin, a natural author for notes.
	AdminUserID int64 = 501
	// RecruiterUserID is a plain user.
	RecruiterUserID int64 = 502
	// HiringManagerUserID is a hiring manager.
	HiringManagerUserID int64 = 503
)

// Scope is the access level of an API key, chosen when the key is created
// in Teamtailor.
type Scope int

// The key scopes. Public keys read only jobs and their stages; Internal and
// Admin keys read everything; writes need an Admin key with write access.
const (
	ScopePublic Scope = iota + 1
	ScopeInternal
	ScopeAdmin
)

// RateLimit is a fixed-window request budget per API key.
type RateLimit struct {
	// Limit is the number of requests per window. Zero means the default; a
	// negative value switches the limit and its headers off.
	Limit int
	// Window is the window length. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable.
type Options struct {
	// Seed makes the generated dataset deterministic.
	Seed int64
	// Candidates is how many candidates to generate, each with one to three
	// job applications.
	Candidates int
	// APIKey is an Admin read-write key. Empty means DefaultAPIKey. More
	// keys can be added with AddAPIKey.
	APIKey string
	// APIVersion, when set, is the only X-Api-Version accepted. Empty
	// accepts any version that is a valid YYYYMMDD date.
	APIVersion string
	// RateLimit is the per-key budget. Zero fields mean 50 requests per
	// 10-second window (vendors.md, medium confidence).
	RateLimit RateLimit
	// Now is the clock for timestamps and rate windows. Nil means time.Now.
	Now func() time.Time
}

// Fake is an in-memory Teamtailor company behind an http.Handler serving
// the public API under /v1. All methods are safe for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	candidates []*Candidate
	candByID   map[int64]*Candidate
	apps       []*JobApplication
	appByID    map[int64]*JobApplication
	jobs       []*Job
	jobByID    map[int64]*Job
	stages     []*Stage
	stageByID  map[int64]*Stage
	users      []*User
	userByID   map[int64]*User
	fields     []*CustomField
	fieldByID  map[int64]*CustomField
	values     []*CustomFieldValue
	valueByID  map[int64]*CustomFieldValue
	notes      []*Note
	noteByID   map[int64]*Note
	nextID     idCounters

	keys         map[string]*keyRec
	credsRevoked bool

	faults fakekit.Faults
	log    fakekit.Log[LoggedRequest]
}

type keyRec struct {
	scope Scope
	write bool
	rl    *fakekit.Window
}

type idCounters struct {
	candidate, app, field, value, note int64
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 50
	}
	if opts.RateLimit.Window <= 0 {
		opts.RateLimit.Window = 10 * time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:      opts,
		now:       now,
		candByID:  map[int64]*Candidate{},
		appByID:   map[int64]*JobApplication{},
		jobByID:   map[int64]*Job{},
		stageByID: map[int64]*Stage{},
		userByID:  map[int64]*User{},
		fieldByID: map[int64]*CustomField{},
		valueByID: map[int64]*CustomFieldValue{},
		noteByID:  map[int64]*Note{},
		keys:      map[string]*keyRec{},
	}
	f.keys[opts.APIKey] = f.newKey(ScopeAdmin, true)
	f.seed()
	return f
}

func (f *Fake) newKey(scope Scope, write bool) *keyRec {
	return &keyRec{scope: scope, write: write,
		rl: fakekit.NewWindow(f.opts.RateLimit.Limit, f.opts.RateLimit.Window)}
}

// AddAPIKey makes key valid with the given scope and write access, as
// creating a key in Teamtailor's settings would.
func (f *Fake) AddAPIKey(key string, scope Scope, write bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[key] = f.newKey(scope, write)
}

// RevokeCredentials makes every key fail with 401.
func (f *Fake) RevokeCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = true
}

// RestoreCredentials undoes RevokeCredentials.
func (f *Fake) RestoreCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = false
}

// Credentials is the connector credentials JSON for a Teamtailor fake.
type Credentials struct {
	// APIKey is sent as "Authorization: Token token=<api_key>".
	APIKey string `json:"api_key"`
	// BaseURL replaces the region's host (https://api.teamtailor.com or
	// https://api.na.teamtailor.com); paths start with /v1.
	BaseURL string `json:"base_url"`
}

// Credentials returns the connector credentials for this fake served at
// baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{APIKey: f.opts.APIKey, BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// call carries one request through routing, auth and its handler.
type call struct {
	r    *http.Request
	body []byte
	now  time.Time
	rt   *route
	key  *keyRec
	log  *LoggedRequest
	base string // scheme://host of the request, for absolute links
}

const maxBody = 1 << 20

// ServeHTTP serves the Teamtailor public API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	f.mu.Lock()
	entry.Time = f.now()
	ft := f.faults.Match(r.Method, r.URL.Path)
	f.mu.Unlock()

	var resp *response
	if ft != nil {
		entry.Fault = ft.Kind
		var ok bool
		resp, ok = fakekit.Apply(w, r, *ft, fakekit.Answers[*response]{
			Lock:      &f.mu,
			Abandon:   func() { f.log.Record(entry) },
			Status:    func(status int) *response { return simpleError(status, http.StatusText(status), "Injected failure.") },
			RateLimit: func(retryAfter time.Duration) *response { return f.forcedThrottle(r, retryAfter) },
		})
		if !ok {
			return
		}
	}
	if resp == nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			resp = simpleError(http.StatusBadRequest, "Bad Request", "The request body could not be read.")
		} else {
			f.mu.Lock()
			resp = f.handle(r, body, &entry)
			f.mu.Unlock()
		}
	}
	entry.Status = resp.status
	f.log.Record(entry)
	fakekit.WriteResponse(w, resp.status, resp.header, resp.body)
}

// keyOf extracts the key of "Authorization: Token token=<key>" (the value
// may be quoted).
func keyOf(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, rest, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Token") {
		return ""
	}
	name, val, ok := strings.Cut(strings.TrimSpace(rest), "=")
	if !ok || name != "token" {
		return ""
	}
	return strings.Trim(val, `"`)
}

// handle routes, then checks the key (401), the API version (406), the
// key's scope (403), spends the key's budget (429), checks the body's media
// type on writes (415) and runs the handler. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	rt := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		return routeNotFound()
	}
	key, ok := f.keys[keyOf(r)]
	if !ok || f.credsRevoked {
		return simpleError(http.StatusUnauthorized, "Unauthorized",
			`Missing or invalid API key; send "Authorization: Token token=<key>".`)
	}
	now := f.now()
	resp := f.authorized(r, rt, key, body, now, entry)
	f.rateHeaders(key, resp, now)
	return resp
}

func (f *Fake) authorized(r *http.Request, rt *route, key *keyRec, body []byte, now time.Time, entry *LoggedRequest) *response {
	if resp := f.checkVersion(r.Header.Get("X-Api-Version")); resp != nil {
		return resp
	}
	if key.scope == ScopePublic && ((rt.typ != "jobs" && rt.typ != "stages") || rt.rel == "custom-field-values") {
		return simpleError(http.StatusForbidden, "Forbidden", "This API key's scope does not give access to "+rt.typ+".")
	}
	write := r.Method != http.MethodGet
	if write && (key.scope != ScopeAdmin || !key.write) {
		return simpleError(http.StatusForbidden, "Forbidden", "Writing needs an Admin API key with write access.")
	}
	if resp := f.spend(key, now); resp != nil {
		return resp
	}
	if write && r.Method != http.MethodDelete {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != MediaType || len(params) > 0 {
			return simpleError(http.StatusUnsupportedMediaType, "Unsupported media type",
				"Requests that create or update must use the Content-Type "+MediaType+".")
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	c := &call{r: r, body: body, now: now, rt: rt, key: key, log: entry, base: scheme + "://" + r.Host}
	return rt.handler(f, c)
}

// checkVersion enforces the required X-Api-Version header.
func (f *Fake) checkVersion(v string) *response {
	if v == "" {
		return simpleError(http.StatusNotAcceptable, "Missing API version",
			"The X-Api-Version header is required.")
	}
	_, err := time.Parse("20060102", v)
	if err != nil || (f.opts.APIVersion != "" && v != f.opts.APIVersion) {
		return simpleError(http.StatusNotAcceptable, "Unsupported API version",
			"X-Api-Version "+strconv.Quote(v)+" is not supported.")
	}
	return nil
}

// route is one routing entry. Patterns are segments under /v1: "{type}" a
// collection name, "{id}" a positive integer, "{rel}" a relationship name.
type route struct {
	method  string
	typ     string // collection, "" for the generic rows
	pattern string
	handler func(f *Fake, c *call) *response
	id      int64
	rel     string
}

// collections are the resource types the fake serves.
var collections = map[string]bool{
	"candidates": true, "job-applications": true, "jobs": true, "stages": true, "users": true,
	"custom-fields": true, "custom-field-values": true, "notes": true,
}

// matchRoute resolves method and path to a route with its id and
// relationship filled in.
func matchRoute(method, path string) *route {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 || segs[0] != "v1" || !collections[segs[1]] {
		return nil
	}
	typ := segs[1]
	rt := &route{method: method, typ: typ}
	if len(segs) >= 3 {
		n, err := strconv.ParseInt(segs[2], 10, 64)
		if err != nil || n <= 0 {
			return nil
		}
		rt.id = n
	}
	switch {
	case len(segs) == 2 && method == http.MethodGet:
		rt.handler = (*Fake).list
	case len(segs) == 2 && method == http.MethodPost:
		switch typ {
		case "notes":
			rt.handler = (*Fake).createNote
		case "custom-fields":
			rt.handler = (*Fake).createCustomField
		case "custom-field-values":
			rt.handler = (*Fake).createCustomFieldValue
		}
	case len(segs) == 3 && method == http.MethodGet:
		rt.handler = (*Fake).show
	case len(segs) == 3 && typ == "custom-field-values" && method == http.MethodPatch:
		rt.handler = (*Fake).updateCustomFieldValue
	case len(segs) == 3 && typ == "custom-field-values" && method == http.MethodDelete:
		rt.handler = (*Fake).deleteCustomFieldValue
	case len(segs) == 4 && method == http.MethodGet:
		if _, ok := relDefs[typ][segs[3]]; ok {
			rt.rel = segs[3]
			rt.handler = (*Fake).related
		}
	}
	if rt.handler == nil {
		return nil
	}
	return rt
}
