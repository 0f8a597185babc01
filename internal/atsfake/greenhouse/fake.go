package greenhouse

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Default credentials the fake accepts when Options leaves them empty. The
// client id ends in a "-<n>" suffix like real Harvest v3 client ids [W6].
const (
	DefaultClientID     = "atsfake-greenhouse-1"
	DefaultClientSecret = "atsfake-greenhouse-secret"
	DefaultAPIKey       = "atsfake-greenhouse-v1-key"
)

// Users every fake has. They are fixed, not drawn from the seed, so tests can
// name them.
const (
	// ServiceUserID is the credential's Integration Service User: the acting
	// user of a token minted without sub. It is a Site Admin and is hidden
	// from GET /v3/users unless show_service_accounts=true [AB][SV].
	ServiceUserID int64 = 4000
	// AdminUserID is a Site Admin, usable as sub for reads and writes.
	AdminUserID int64 = 4080
	// RecruiterUserID is a basic user without Site Admin, so every GET made
	// with a token minted for it is refused with 403 [A][L].
	RecruiterUserID int64 = 4081
	// CoordinatorUserID is another basic user.
	CoordinatorUserID int64 = 4082
)

// RateLimit is a fixed-window request budget: Limit requests per Window.
type RateLimit struct {
	// Limit is the number of requests allowed per window. Zero means the
	// default for that budget; a negative value switches the limit off (and
	// with it the X-RateLimit-* headers).
	Limit int
	// Window is the length of the fixed window. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable: it seeds no
// candidates and accepts the Default* credentials.
type Options struct {
	// Seed makes the generated dataset deterministic: the same Seed and
	// Candidates always produce the same records.
	Seed int64
	// Candidates is how many candidates to generate; each gets one to three
	// applications on the seeded jobs.
	Candidates int
	// ClientID and ClientSecret are the OAuth client credentials POST /token
	// accepts. Empty means DefaultClientID / DefaultClientSecret.
	ClientID     string
	ClientSecret string
	// APIKey is the Harvest v1 key accepted as Basic auth username on /v1 and
	// /auth/token. Empty means DefaultAPIKey.
	APIKey string
	// TokenTTL is the lifetime of minted access tokens. Zero means one hour
	// [PO][NG].
	TokenTTL time.Duration
	// HarvestRateLimit is the per-account budget of /v3 requests. Zero fields
	// mean 75 requests per fixed 30-second window (the documented example
	// [RL via SV, AB, W6]).
	HarvestRateLimit RateLimit
	// TokenRateLimit is the separate budget of the token endpoints, metered on
	// a 60-second window [AB]. Zero fields mean 60 requests per 60 seconds
	// (the ceiling is not published; 60 is an assumption).
	TokenRateLimit RateLimit
	// V1RateLimit is the budget of /v1 requests. Zero fields mean 50 requests
	// per 10-second window (the v1 documentation's example).
	V1RateLimit RateLimit
	// SingleActiveToken makes a new mint revoke the tokens issued earlier to
	// the same client and sub, as one production client observed [SV].
	SingleActiveToken bool
	// Now is the clock used for timestamps, token expiry and rate-limit
	// windows. Nil means time.Now. Injected latency (FaultLatency) always uses
	// real time.
	Now func() time.Time
}

// Fake is an in-memory Greenhouse: the auth host (POST /token) and the
// Harvest host (/v3/..., /v1/..., POST /auth/token) behind one http.Handler.
// All methods are safe for concurrent use.
type Fake struct {
	opts    Options
	now     func() time.Time
	signKey []byte

	mu sync.Mutex

	candidates   []*candidateRec
	candByID     map[int64]*candidateRec
	applications []*applicationRec
	appByID      map[int64]*applicationRec
	jobs         []*jobRec
	jobByID      map[int64]*jobRec
	stages       []JobInterviewStage
	stageByID    map[int64]JobInterviewStage
	users        []*userRec
	userByID     map[int64]*userRec
	fields       []*fieldRec
	fieldByID    map[int64]*fieldRec
	notes        []*noteRec
	nextID       idCounters

	tokens        map[string]*tokenRec
	tokenSeq      int64
	credGen       int
	credsRevoked  bool
	revokedScopes map[string]bool

	harvestRL *fakekit.Window
	tokenRL   *fakekit.Window
	v1RL      *fakekit.Window

	faults   fakekit.Faults
	log      fakekit.Log[LoggedRequest]
	errorSeq int
}

type candidateRec struct {
	c       Candidate
	values  map[int64]any
	deleted bool
}

type applicationRec struct {
	a       Application
	values  map[int64]any
	deleted bool
}

type jobRec struct {
	j      Job
	values map[int64]any
}

type userRec struct {
	u       User
	service bool
}

type fieldRec struct {
	def      CustomField
	options  []CustomFieldOption
	priority int
}

type noteRec struct {
	n Note
	// visibility as written, for the v1 activity feed rendering.
	writeVisibility string
}

type idCounters struct {
	candidate, application, field, option, note int64
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	opts.HarvestRateLimit = withDefault(opts.HarvestRateLimit, 75, 30*time.Second)
	opts.TokenRateLimit = withDefault(opts.TokenRateLimit, 60, 60*time.Second)
	opts.V1RateLimit = withDefault(opts.V1RateLimit, 50, 10*time.Second)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	f := &Fake{
		opts:          opts,
		now:           now,
		signKey:       key,
		candByID:      map[int64]*candidateRec{},
		appByID:       map[int64]*applicationRec{},
		jobByID:       map[int64]*jobRec{},
		stageByID:     map[int64]JobInterviewStage{},
		userByID:      map[int64]*userRec{},
		fieldByID:     map[int64]*fieldRec{},
		tokens:        map[string]*tokenRec{},
		revokedScopes: map[string]bool{},
		harvestRL:     newWindow(opts.HarvestRateLimit),
		tokenRL:       newWindow(opts.TokenRateLimit),
		v1RL:          newWindow(opts.V1RateLimit),
	}
	f.seed()
	return f
}

func withDefault(rl RateLimit, limit int, window time.Duration) RateLimit {
	if rl.Limit == 0 {
		rl.Limit = limit
	}
	if rl.Window <= 0 {
		rl.Window = window
	}
	return rl
}

// Credentials returns the connector credentials JSON for this fake when it is
// served at baseURL (for example "http://127.0.0.1:8080"); the fake serves
// both hosts, so base_url and auth_url are the same.
func (f *Fake) Credentials(baseURL string) Credentials {
	baseURL = strings.TrimSuffix(baseURL, "/")
	return Credentials{
		APIVersion:   "v3",
		ClientID:     f.opts.ClientID,
		ClientSecret: f.opts.ClientSecret,
		BaseURL:      baseURL,
		AuthURL:      baseURL,
	}
}

// APIKey returns the Harvest v1 API key the fake accepts.
func (f *Fake) APIKey() string { return f.opts.APIKey }

// response is a fully built answer. Handlers build it while holding f.mu and
// ServeHTTP writes it after releasing the lock, so a slow client never
// blocks the fake.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body, _ = json.Marshal(ErrorBody{Message: "Internal Server Error"})
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

func emptyResponse(status int) *response {
	return &response{status: status, header: http.Header{}}
}

// errorResponse builds the v3 envelope {"message", "errors"}.
func errorResponse(status int, message string, errs ...any) *response {
	return jsonResponse(status, ErrorBody{Message: message, Errors: errs})
}

func notFound() *response { return errorResponse(http.StatusNotFound, "Resource not found") }

func unprocessable(errs ...any) *response {
	return errorResponse(http.StatusUnprocessableEntity, "Unprocessable Content", errs...)
}

// fieldError is a single-key error entry {"<field>": "<msg>"}.
func fieldError(field, msg string) any { return map[string]string{field: msg} }

// call carries one request through routing, auth and its handler.
type call struct {
	r      *http.Request
	body   []byte
	now    time.Time
	id     int64
	route  *route
	entry  *LoggedRequest
	acting int64
}

// maxBody bounds request bodies; Harvest writes here are small JSON objects.
const maxBody = 1 << 20

// ServeHTTP serves the token endpoint, Harvest v3, Harvest v1 and the v1→v3
// transition endpoint.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		API:        apiOf(r.URL.Path),
		OnBehalfOf: r.Header.Get("On-Behalf-Of"),
	}
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
			Status:    func(status int) *response { return errorResponse(status, http.StatusText(status)) },
			RateLimit: func(retryAfter time.Duration) *response { return f.forcedThrottle(entry.API, retryAfter) },
		})
		if !ok {
			return
		}
	}
	if resp == nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			resp = errorResponse(http.StatusBadRequest, "Bad Request")
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

func apiOf(path string) string {
	switch {
	case path == "/token":
		return "token"
	case path == "/auth/token":
		return "auth"
	case strings.HasPrefix(path, "/v3/"):
		return "v3"
	case strings.HasPrefix(path, "/v1/"):
		return "v1"
	}
	return ""
}

// handle routes first and authenticates second, as Harvest does: an unknown
// path is 404 even without credentials [W6 live]. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	now := f.now()
	rt, id := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		resp := notFound()
		f.peekRateHeaders(entry.API, resp, now)
		return resp
	}
	c := &call{r: r, body: body, now: now, id: id, route: rt, entry: entry}
	switch rt.api {
	case "token":
		return f.serveToken(c)
	case "auth":
		return f.serveTransitionToken(c)
	case "v1":
		return f.serveV1(c)
	default:
		return f.serveV3(c)
	}
}

// serveV3 authenticates the bearer token, spends one unit of the account's
// budget, checks the acting user and scope, then runs the handler.
func (f *Fake) serveV3(c *call) *response {
	tok, ok := f.authenticateBearer(c.r, c.now)
	if !ok {
		resp := errorResponse(http.StatusUnauthorized, "Unauthorized",
			"Token could not be decoded. Please ensure your token is from a trusted source.")
		f.peekRateHeaders("v3", resp, c.now)
		return resp
	}
	c.acting = tok.userID
	c.entry.ActingUserID = tok.userID
	if resp := f.spend("v3", c.now); resp != nil {
		return resp
	}
	resp := f.authorizeV3(c)
	if resp == nil {
		resp = c.route.handler(f, c)
	}
	f.peekRateHeaders("v3", resp, c.now)
	return resp
}

// authorizeV3 applies the permission rules of [A][L][SC]: the acting user
// must exist and be active, the route's scope must be granted, and every GET
// needs a Site Admin.
func (f *Fake) authorizeV3(c *call) *response {
	u, ok := f.userByID[c.acting]
	if !ok || u.u.Deactivated {
		return errorResponse(http.StatusForbidden, "Forbidden")
	}
	if f.revokedScopes[c.route.scope] {
		return errorResponse(http.StatusForbidden, "Forbidden")
	}
	if c.r.Method == http.MethodGet && !u.u.SiteAdmin {
		return errorResponse(http.StatusForbidden, "Forbidden")
	}
	return nil
}

// route is one entry of the routing table.
type route struct {
	method  string
	pattern string // segments; "{id}" matches a positive integer
	api     string
	scope   string
	handler func(f *Fake, c *call) *response
}

var routes []route

func init() {
	routes = []route{
		{http.MethodPost, "/token", "token", "", nil},
		{http.MethodPost, "/auth/token", "auth", "", nil},

		{http.MethodGet, "/v3/candidates", "v3", "harvest:candidates:list", (*Fake).v3ListCandidates},
		{http.MethodPatch, "/v3/candidates/{id}", "v3", "harvest:candidates:update", (*Fake).v3PatchCandidate},
		{http.MethodGet, "/v3/applications", "v3", "harvest:applications:list", (*Fake).v3ListApplications},
		{http.MethodPatch, "/v3/applications/{id}", "v3", "harvest:applications:update", (*Fake).v3PatchApplication},
		{http.MethodGet, "/v3/jobs", "v3", "harvest:jobs:list", (*Fake).v3ListJobs},
		{http.MethodGet, "/v3/job_interview_stages", "v3", "harvest:job_interview_stages:list", (*Fake).v3ListStages},
		{http.MethodGet, "/v3/users", "v3", "harvest:users:list", (*Fake).v3ListUsers},
		{http.MethodGet, "/v3/custom_fields", "v3", "harvest:custom_fields:list", (*Fake).v3ListCustomFields},
		{http.MethodPost, "/v3/custom_fields", "v3", "harvest:custom_fields:create", (*Fake).v3CreateCustomField},
		{http.MethodGet, "/v3/custom_field_options", "v3", "harvest:custom_field_options:list", (*Fake).v3ListCustomFieldOptions},
		{http.MethodGet, "/v3/notes", "v3", "harvest:notes:list", (*Fake).v3ListNotes},
		{http.MethodPost, "/v3/notes", "v3", "harvest:notes:create", (*Fake).v3CreateNote},

		{http.MethodGet, "/v1/candidates", "v1", "", (*Fake).v1ListCandidates},
		{http.MethodGet, "/v1/candidates/{id}", "v1", "", (*Fake).v1GetCandidate},
		{http.MethodPatch, "/v1/candidates/{id}", "v1", "", (*Fake).v1PatchCandidate},
		{http.MethodGet, "/v1/candidates/{id}/activity_feed", "v1", "", (*Fake).v1ActivityFeed},
		{http.MethodPost, "/v1/candidates/{id}/activity_feed/notes", "v1", "", (*Fake).v1CreateNote},
		{http.MethodGet, "/v1/applications", "v1", "", (*Fake).v1ListApplications},
		{http.MethodGet, "/v1/custom_fields", "v1", "", (*Fake).v1ListCustomFields},
		{http.MethodGet, "/v1/custom_fields/{type}", "v1", "", (*Fake).v1ListCustomFields},
		{http.MethodPost, "/v1/custom_fields", "v1", "", (*Fake).v1CreateCustomField},
		{http.MethodGet, "/v1/users", "v1", "", (*Fake).v1ListUsers},
	}
}

// matchRoute finds the route for method and path. A path that exists only
// for another method is treated as unknown (404), like any other path
// Harvest does not serve. "{type}" captures a custom field type, returned via
// the request path by the handler itself.
func matchRoute(method, path string) (*route, int64) {
	path = strings.TrimSuffix(path, "/")
	got := strings.Split(path, "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method {
			continue
		}
		want := strings.Split(rt.pattern, "/")
		if len(want) != len(got) {
			continue
		}
		var id int64
		ok := true
		for j, seg := range want {
			switch seg {
			case "{id}":
				n, err := strconv.ParseInt(got[j], 10, 64)
				if err != nil || n <= 0 {
					ok = false
				}
				id = n
			case "{type}":
				if got[j] == "" {
					ok = false
				}
			default:
				ok = ok && seg == got[j]
			}
			if !ok {
				break
			}
		}
		if ok {
			return rt, id
		}
	}
	return nil, 0
}
