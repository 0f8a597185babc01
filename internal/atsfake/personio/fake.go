package personio

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Defaults used when Options leaves them empty.
const (
	DefaultClientID     = "papi-atsfake-client-id"
	DefaultClientSecret = "papi-atsfake-client-secret"
	// ScopeRecruitingRead is the scope every v2 recruiting read needs.
	ScopeRecruitingRead = "personio:recruiting:read"
)

// RateLimit is a fixed-window request budget.
type RateLimit struct {
	// Limit is the number of requests per window. Zero means the default; a
	// negative value switches the limit off.
	Limit int
	// Window is the window length. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable.
type Options struct {
	// Seed makes the generated dataset deterministic.
	Seed int64
	// Candidates is how many candidates to generate, each with one to three
	// applications.
	Candidates int
	// ClientID and ClientSecret are the API credentials POST /v2/auth/token
	// accepts. Empty means the Default* values.
	ClientID     string
	ClientSecret string
	// Scopes are the scopes granted to the credentials. Nil means
	// personio:recruiting:read only.
	Scopes []string
	// TokenTTL is the lifetime of access tokens. Zero means 24 hours.
	TokenTTL time.Duration
	// RateLimit is the budget of the recruiting endpoints. Personio
	// publishes none for v2 recruiting; zero fields mean an assumed 100
	// requests per 60 seconds.
	RateLimit RateLimit
	// TokenRateLimit is the budget of the token endpoint. Zero fields mean
	// 150 requests per 60 seconds.
	TokenRateLimit RateLimit
	// Now is the clock for timestamps, token expiry and rate windows. Nil
	// means time.Now.
	Now func() time.Time
}

// Fake is an in-memory Personio company serving the v2 auth endpoints and
// the v2 recruiting reads. All methods are safe for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	candidates  []*Candidate
	candByID    map[string]*Candidate
	apps        []*Application
	appByID     map[string]*Application
	transitions map[string][]StageTransition
	jobs        []*Job
	jobByID     map[string]*Job
	categories  []*Category
	stageByID   map[string]Stage

	tokens       map[string]*tokenRec
	credGen      int
	credsRevoked bool

	rl      *fakekit.Window
	tokenRL *fakekit.Window

	faults   fakekit.Faults
	log      fakekit.Log[LoggedRequest]
	traceSeq int
}

type tokenRec struct {
	scopes  []string
	expires time.Time
	gen     int
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.Scopes == nil {
		opts.Scopes = []string{ScopeRecruitingRead}
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 24 * time.Hour
	}
	opts.RateLimit = withDefault(opts.RateLimit, 100, time.Minute)
	opts.TokenRateLimit = withDefault(opts.TokenRateLimit, 150, time.Minute)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:        opts,
		now:         now,
		candByID:    map[string]*Candidate{},
		appByID:     map[string]*Application{},
		transitions: map[string][]StageTransition{},
		jobByID:     map[string]*Job{},
		stageByID:   map[string]Stage{},
		tokens:      map[string]*tokenRec{},
		rl:          fakekit.NewWindow(opts.RateLimit.Limit, opts.RateLimit.Window),
		tokenRL:     fakekit.NewWindow(opts.TokenRateLimit.Limit, opts.TokenRateLimit.Window),
	}
	f.seed()
	return f
}

func withDefault(rl RateLimit, limit int, w time.Duration) RateLimit {
	if rl.Limit == 0 {
		rl.Limit = limit
	}
	if rl.Window <= 0 {
		rl.Window = w
	}
	return rl
}

// Credentials is the connector credentials JSON for a Personio fake.
type Credentials struct {
	// ClientID and ClientSecret are the API credentials exchanged at
	// POST /v2/auth/token for a Bearer token.
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// BaseURL replaces https://api.personio.de (token endpoint included).
	BaseURL string `json:"base_url"`
}

// Credentials returns the connector credentials for this fake served at
// baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{ClientID: f.opts.ClientID, ClientSecret: f.opts.ClientSecret,
		BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// RevokeCredentials makes the client credentials and every token issued so
// far fail, as when the credentials are deleted in Personio.
func (f *Fake) RevokeCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = true
	f.credGen++
}

// RestoreCredentials lets the credentials mint tokens again; tokens issued
// before the revocation stay invalid.
func (f *Fake) RestoreCredentials() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credsRevoked = false
}

// ExpireTokens invalidates every token issued so far while the credentials
// stay valid, as if they had all reached their expiry.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.credGen++
}

// TokenError is the body of a failed token request.
type TokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorURI         string `json:"error_uri,omitempty"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
}

// Problem is the application/problem+json body of a failed resource
// request.
type Problem struct {
	PersonioTraceID string         `json:"personio_trace_id"`
	Timestamp       string         `json:"timestamp"`
	Errors          []ProblemError `json:"errors"`
}

// ProblemError is one entry of Problem.Errors.
type ProblemError struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func rawJSON(status int, contentType string, v any) *response {
	body, _ := json.Marshal(v)
	h := http.Header{}
	h.Set("Content-Type", contentType)
	return &response{status: status, header: h, body: body}
}

func (f *Fake) traceID() string {
	f.traceSeq++
	return fmt.Sprintf("atsfake-%08d", f.traceSeq)
}

// problem builds a problem+json answer. Called with f.mu held.
func (f *Fake) problem(status int, title, detail string) *response {
	return rawJSON(status, "application/problem+json", Problem{
		PersonioTraceID: f.traceID(), Timestamp: formatTime(f.now()),
		Errors: []ProblemError{{Title: title, Detail: detail}},
	})
}

// tokenError builds a failed token answer. Called with f.mu held.
func (f *Fake) tokenError(status int, code, desc string) *response {
	return rawJSON(status, "application/problem+json", TokenError{
		Error: code, ErrorDescription: desc, ErrorURI: "https://developer.personio.de/reference/post_v2-auth-token",
		Timestamp: formatTime(f.now()), TraceID: f.traceID(),
	})
}

const maxBody = 1 << 20

// ServeHTTP serves the v2 auth endpoints and the v2 recruiting reads.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		AppID: r.Header.Get("X-Personio-App-ID"), PartnerID: r.Header.Get("X-Personio-Partner-ID")}
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
			Status:    func(status int) *response { return f.problem(status, http.StatusText(status), "Injected failure.") },
			RateLimit: func(retryAfter time.Duration) *response { return f.throttle(retryAfter) },
		})
		if !ok {
			return
		}
	}
	if resp == nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		f.mu.Lock()
		if err != nil {
			resp = f.problem(http.StatusBadRequest, "Bad request", "The request body could not be read.")
		} else {
			resp = f.handle(r, body, &entry)
		}
		f.mu.Unlock()
	}
	entry.Status = resp.status
	f.log.Record(entry)
	fakekit.WriteResponse(w, resp.status, resp.header, resp.body)
}

// handle routes a request. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	switch {
	case r.URL.Path == "/v2/auth/token" && r.Method == http.MethodPost:
		return f.serveToken(r, body, entry)
	case r.URL.Path == "/v2/auth/revoke" && r.Method == http.MethodPost:
		return f.serveRevoke(r, body)
	}
	rt := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		return f.problem(http.StatusNotFound, "Not found", "No endpoint matches this method and path.")
	}
	tok, ok := f.bearer(r)
	if !ok {
		return f.problem(http.StatusUnauthorized, "Unauthorized", "The access token is missing, invalid or expired.")
	}
	entry.ClientID = f.opts.ClientID
	if !slices.Contains(tok.scopes, ScopeRecruitingRead) {
		return f.problem(http.StatusForbidden, "Forbidden",
			"The access token lacks the scope "+ScopeRecruitingRead+".")
	}
	if !strings.EqualFold(r.Header.Get("Beta"), "true") {
		return f.problem(http.StatusBadRequest, "Beta header required",
			"This endpoint is in beta; send the header Beta: true.")
	}
	now := f.now()
	if !f.rl.Take(now) {
		return f.throttle(f.rl.ResetAt().Sub(now))
	}
	return rt.handler(f, r, rt.id)
}

// bearer checks "Authorization: Bearer <token>".
func (f *Fake) bearer(r *http.Request) (*tokenRec, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, false
	}
	t, ok := f.tokens[strings.TrimSpace(tok)]
	if !ok || t.gen != f.credGen || !f.now().Before(t.expires) {
		return nil, false
	}
	return t, true
}

// formOf parses an application/x-www-form-urlencoded body.
func formOf(r *http.Request, body []byte) (url.Values, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	v, err := url.ParseQuery(string(body))
	return v, err == nil
}

// serveToken is POST /v2/auth/token: the client credentials grant with a
// form body (grant_type, client_id, client_secret, optional space-separated
// scope). Failures are 400s with an OAuth error code.
func (f *Fake) serveToken(r *http.Request, body []byte, entry *LoggedRequest) *response {
	now := f.now()
	if !f.tokenRL.Take(now) {
		return f.throttle(f.tokenRL.ResetAt().Sub(now))
	}
	form, ok := formOf(r, body)
	if !ok {
		return f.tokenError(http.StatusBadRequest, "invalid_request",
			"The body must be application/x-www-form-urlencoded.")
	}
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		return f.tokenError(http.StatusBadRequest, "unsupported_grant_type",
			"Only the client_credentials grant is supported.")
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	entry.ClientID = id
	if id == "" || secret == "" {
		return f.tokenError(http.StatusBadRequest, "invalid_request", "client_id and client_secret are required.")
	}
	if f.credsRevoked || id != f.opts.ClientID || secret != f.opts.ClientSecret {
		return f.tokenError(http.StatusBadRequest, "invalid_client", "The client credentials are not valid.")
	}
	scopes := f.opts.Scopes
	if s := strings.Fields(form.Get("scope")); len(s) > 0 {
		for _, sc := range s {
			if !slices.Contains(f.opts.Scopes, sc) {
				return f.tokenError(http.StatusBadRequest, "invalid_scope",
					"The scope "+sc+" is not granted to these credentials.")
			}
		}
		scopes = s
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "papi-" + hex.EncodeToString(b)
	f.tokens[tok] = &tokenRec{scopes: slices.Clone(scopes), expires: now.Add(f.opts.TokenTTL), gen: f.credGen}
	return rawJSON(http.StatusOK, "application/json", map[string]any{
		"access_token": tok, "token_type": "Bearer",
		"expires_in": int(f.opts.TokenTTL.Seconds()), "scope": strings.Join(scopes, " "),
	})
}

// serveRevoke is POST /v2/auth/revoke with a form body token=<access
// token>. It answers 204 whether or not the token was known.
func (f *Fake) serveRevoke(r *http.Request, body []byte) *response {
	form, ok := formOf(r, body)
	if !ok || form.Get("token") == "" {
		return f.tokenError(http.StatusBadRequest, "invalid_request", "A form field token is required.")
	}
	delete(f.tokens, form.Get("token"))
	return &response{status: http.StatusNoContent, header: http.Header{}}
}

type route struct {
	pattern string
	handler func(f *Fake, r *http.Request, id string) *response
	id      string
}

var routes []route

func init() {
	routes = []route{
		{pattern: "/v2/recruiting/candidates", handler: (*Fake).listCandidates},
		{pattern: "/v2/recruiting/candidates/{id}", handler: (*Fake).getCandidate},
		{pattern: "/v2/recruiting/applications", handler: (*Fake).listApplications},
		{pattern: "/v2/recruiting/applications/{id}", handler: (*Fake).getApplication},
		{pattern: "/v2/recruiting/applications/{id}/stage-transitions", handler: (*Fake).listStageTransitions},
		{pattern: "/v2/recruiting/jobs", handler: (*Fake).listJobs},
		{pattern: "/v2/recruiting/jobs/{id}", handler: (*Fake).getJob},
		{pattern: "/v2/recruiting/categories", handler: (*Fake).listCategories},
		{pattern: "/v2/recruiting/categories/{id}", handler: (*Fake).getCategory},
	}
}

// matchRoute finds the GET route for path; "{id}" matches any segment.
func matchRoute(method, path string) *route {
	if method != http.MethodGet {
		return nil
	}
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, rt := range routes {
		want := strings.Split(rt.pattern, "/")
		if len(want) != len(got) {
			continue
		}
		ok := true
		for i, seg := range want {
			if seg == "{id}" {
				rt.id = got[i]
				ok = got[i] != ""
			} else {
				ok = seg == got[i]
			}
			if !ok {
				break
			}
		}
		if ok {
			return &rt
		}
	}
	return nil
}
