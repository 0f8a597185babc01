package smartrecruiters

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Default credentials the fake accepts when Options leaves them empty.
const (
	DefaultAPIKey       = "atsfake-smartrecruiters-smarttoken"
	DefaultClientID     = "atsfake-smartrecruiters-client"
	DefaultClientSecret = "atsfake-smartrecruiters-secret"
)

// Users every fake has. They are fixed, not drawn from the seed, so tests can
// name them. SmartRecruiters user ids are 24 hex digits.
const (
	// AdminUserID is an ADMINISTRATOR and, unless Options.KeyUserID says
	// otherwise, the user the credentials belong to: messages are authored
	// by it and GET /messages is allowed.
	AdminUserID = "5f1a00000000000000000a01"
	// RecruiterUserID is an EXTENDED user. As the key's user it may share
	// messages but not read them back through GET /messages.
	RecruiterUserID = "5f1a00000000000000000a02"
	// HiringManagerUserID is a STANDARD user, on every job's hiring team.
	HiringManagerUserID = "5f1a00000000000000000a03"
)

// RateLimit is a fixed-window request budget: Limit requests per Window.
type RateLimit struct {
	// Limit is the number of requests allowed per window. Zero means the
	// default; a negative value switches the limit off (and with it the
	// X-RateLimit-Limit/-Remaining headers).
	Limit int
	// Window is the length of the fixed window. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable: it seeds no
// candidates and accepts the Default* credentials.
type Options struct {
	// Seed makes the generated dataset deterministic: the same Seed and
	// Candidates always produce the same records and ids.
	Seed int64
	// Candidates is how many candidates to generate; each gets one to three
	// job applications on the seeded jobs.
	Candidates int
	// APIKey is the key accepted in the X-SmartToken header. Empty means
	// DefaultAPIKey.
	APIKey string
	// ClientID and ClientSecret are the OAuth client credentials accepted by
	// POST /identity/oauth/token. Empty means DefaultClientID /
	// DefaultClientSecret.
	ClientID, ClientSecret string
	// TokenTTL is the lifetime of access tokens. Zero means 30 minutes (the
	// fake's choice).
	TokenTTL time.Duration
	// KeyUserID is the user the credentials belong to. Empty means
	// AdminUserID.
	KeyUserID string
	// RateLimit is the per-credential budget. Zero fields mean the
	// documented 10 requests per second.
	RateLimit RateLimit
	// ConcurrencyLimit is how many requests one credential may have in
	// flight. Zero means the documented 8; negative disables it.
	ConcurrencyLimit int
	// CandidatesConcurrencyLimit is how many GET /candidates requests one
	// credential may have in flight. Zero means the documented 1; negative
	// disables it.
	CandidatesConcurrencyLimit int
	// Now is the clock used for timestamps, tokens and rate-limit windows.
	// Nil means time.Now. Injected latency always uses real time.
	Now func() time.Time
}

// Fake is an in-memory SmartRecruiters company behind one http.Handler
// serving the paths of https://api.smartrecruiters.com. All methods are safe
// for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	ids *rand.Rand

	users      []*User
	userByID   map[string]*User
	processes  []HiringProcess
	jobs       []*jobRec
	jobByID    map[string]*jobRec
	candidates []*candidateRec
	candByID   map[string]*candidateRec
	props      []*propRec
	propByID   map[string]*propRec
	messages   []*messageRec

	tokens       map[string]time.Time // access token -> expiry
	credsRevoked bool

	rl          *fakekit.Window
	inFlight    int
	candsFlight int

	faults fakekit.Faults
	log    fakekit.Log[LoggedRequest]
}

type candidateRec struct {
	c       Candidate // without assignments; rendered on demand
	apps    []*appRec // the first is the primary assignment
	props   map[string]any
	deleted bool
}

type appRec struct {
	jobID     string
	status    string
	subStatus string
	createdOn time.Time
	updatedOn time.Time
	props     map[string]any
}

type jobRec struct {
	j Job
}

type propRec struct {
	def     CandidatePropertyDefinition
	options []PropertyOption
}

type messageRec struct {
	m          Message
	candidates []string
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 30 * time.Minute
	}
	if opts.KeyUserID == "" {
		opts.KeyUserID = AdminUserID
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 10
	}
	if opts.RateLimit.Window <= 0 {
		opts.RateLimit.Window = time.Second
	}
	if opts.ConcurrencyLimit == 0 {
		opts.ConcurrencyLimit = 8
	}
	if opts.CandidatesConcurrencyLimit == 0 {
		opts.CandidatesConcurrencyLimit = 1
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:     opts,
		now:      now,
		ids:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x5a7125a7125a7125)),
		userByID: map[string]*User{},
		jobByID:  map[string]*jobRec{},
		candByID: map[string]*candidateRec{},
		propByID: map[string]*propRec{},
		tokens:   map[string]time.Time{},
		rl:       fakekit.NewWindow(opts.RateLimit.Limit, opts.RateLimit.Window),
	}
	f.seed()
	return f
}

// Credentials returns the connector credentials JSON for this fake when it
// is served at baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{APIKey: f.opts.APIKey, BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// APIKey returns the X-SmartToken value the fake accepts.
func (f *Fake) APIKey() string { return f.opts.APIKey }

// newID returns a fresh UUID (version 4 layout) drawn from the seeded
// generator. Called with f.mu held or during New.
func (f *Fake) newID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := f.ids.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// response is a fully built answer, written after f.mu is released.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"message":"Internal Server Error","errors":[]}`)
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

func emptyResponse(status int) *response {
	return &response{status: status, header: http.Header{}}
}

// errorResponse builds the {"message", "errors": [{code, message}]}
// envelope. The message is the status text; the entry says what went wrong.
func errorResponse(status int, code, message string) *response {
	return jsonResponse(status, ErrorBody{
		Message: http.StatusText(status),
		Errors:  []ErrorItem{{Code: code, Message: message}},
	})
}

func badRequest(code, format string, args ...any) *response {
	return errorResponse(http.StatusBadRequest, code, fmt.Sprintf(format, args...))
}

func notFound(code, message string) *response {
	return errorResponse(http.StatusNotFound, code, message)
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// call carries one request through its handler.
type call struct {
	r      *http.Request
	body   []byte
	now    time.Time
	params map[string]string
	user   *User
	entry  *LoggedRequest
}

// ServeHTTP serves the SmartRecruiters API and its OAuth token endpoint.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	f.mu.Lock()
	entry.Time = f.now()
	ft := f.faults.Match(r.Method, r.URL.Path)
	f.mu.Unlock()

	if ft != nil {
		entry.Fault = ft.Kind
		if ft.Kind != FaultLatency {
			resp, ok := fakekit.Apply(w, r, *ft, fakekit.Answers[*response]{
				Lock:      &f.mu,
				Abandon:   func() { f.log.Record(entry) },
				Status:    func(status int) *response { return errorResponse(status, "SERVER_ERROR", http.StatusText(status)) },
				RateLimit: func(retryAfter time.Duration) *response { return f.forcedThrottle(r, retryAfter) },
			})
			if ok {
				f.finish(w, resp, entry)
			}
			return
		}
	}

	// Admission: route, authenticate, spend the budget and take a
	// concurrency slot, all before any (injected) latency, so a slow
	// request holds its slot as a real one would.
	f.mu.Lock()
	adm, resp, release := f.admit(r, &entry)
	f.mu.Unlock()
	if resp != nil {
		f.finish(w, resp, entry)
		return
	}
	defer release()
	if ft != nil && !fakekit.Sleep(r, ft.Delay) {
		f.log.Record(entry)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		resp = badRequest("INVALID_REQUEST_BODY", "could not read the request body")
	} else {
		c := adm.call
		c.body = body
		f.mu.Lock()
		c.now = f.now()
		resp = adm.handler(f, c)
		if !adm.public {
			f.rateHeaders(r, resp, c.now)
		}
		f.mu.Unlock()
	}
	f.finish(w, resp, entry)
}

// finish logs the request with resp's status and sends resp.
func (f *Fake) finish(w http.ResponseWriter, resp *response, entry LoggedRequest) {
	entry.Status = resp.status
	f.log.Record(entry)
	fakekit.WriteResponse(w, resp.status, resp.header, resp.body)
}

// admitted is an authenticated request holding its concurrency slot.
type admitted struct {
	call    *call
	handler func(f *Fake, c *call) *response
	public  bool
}

// admit routes and authenticates r and applies the rate and concurrency
// limits. On success it returns the call, its handler and a release
// function for the concurrency slot. Called with f.mu held.
func (f *Fake) admit(r *http.Request, entry *LoggedRequest) (*admitted, *response, func()) {
	now := f.now()
	rt, params := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		return nil, notFound("NOT_FOUND", "No such resource: "+r.Method+" "+r.URL.Path), nil
	}
	c := &call{r: r, now: now, params: params, entry: entry}
	if rt.public {
		return &admitted{call: c, handler: rt.handler, public: true}, nil, func() {}
	}
	kind, ok := f.authenticate(r, now)
	if !ok {
		resp := errorResponse(http.StatusUnauthorized, "UNAUTHORIZED",
			"Missing or invalid credentials: send X-SmartToken or an OAuth bearer token.")
		return nil, resp, nil
	}
	entry.Auth = kind
	entry.ActingUserID = f.opts.KeyUserID
	c.user = f.userByID[f.opts.KeyUserID]
	if resp := f.spend(r, now); resp != nil {
		return nil, resp, nil
	}
	listing := isCandidateListing(r)
	if lim := f.opts.ConcurrencyLimit; lim > 0 && f.inFlight >= lim {
		return nil, f.concurrencyThrottle(r, now), nil
	}
	if lim := f.opts.CandidatesConcurrencyLimit; listing && lim > 0 && f.candsFlight >= lim {
		return nil, f.concurrencyThrottle(r, now), nil
	}
	f.inFlight++
	if listing {
		f.candsFlight++
	}
	release := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.inFlight--
		if listing {
			f.candsFlight--
		}
	}
	return &admitted{call: c, handler: rt.handler}, nil, release
}

// isCandidateListing reports whether r is GET /candidates, which has its
// own concurrency limit of one.
func isCandidateListing(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.TrimSuffix(r.URL.Path, "/") == "/candidates"
}

// authenticate accepts X-SmartToken (the API key) or an unexpired bearer
// token from POST /identity/oauth/token. Called with f.mu held.
func (f *Fake) authenticate(r *http.Request, now time.Time) (string, bool) {
	if f.credsRevoked {
		return "", false
	}
	if key := r.Header.Get("X-SmartToken"); key != "" {
		return "key", key == f.opts.APIKey
	}
	auth := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(auth, "Bearer "); ok {
		exp, known := f.tokens[tok]
		return "bearer", known && now.Before(exp)
	}
	return "", false
}

// route is one entry of the routing table.
type route struct {
	method  string
	pattern string // segments; "{name}" captures one segment
	public  bool   // served without credentials (the token endpoint)
	handler func(f *Fake, c *call) *response
}

var routes []route

func init() {
	routes = []route{
		{http.MethodPost, "/identity/oauth/token", true, (*Fake).serveToken},

		{http.MethodGet, "/candidates", false, (*Fake).listCandidates},
		{http.MethodGet, "/candidates/{cid}", false, (*Fake).getCandidate},
		{http.MethodGet, "/candidates/{cid}/jobs/{jid}", false, (*Fake).getApplication},
		{http.MethodGet, "/candidates/{cid}/jobs/{jid}/properties", false, (*Fake).getJobProperties},
		{http.MethodPut, "/candidates/{cid}/jobs/{jid}/properties", false, (*Fake).putJobProperties},
		{http.MethodPut, "/candidates/{cid}/jobs/{jid}/properties/{pid}", false, (*Fake).putJobProperty},
		{http.MethodGet, "/candidates/{cid}/properties", false, (*Fake).getCandidateProperties},
		{http.MethodPut, "/candidates/{cid}/properties/{pid}", false, (*Fake).putCandidateProperty},

		{http.MethodGet, "/configuration/candidate-properties", false, (*Fake).listPropertyDefinitions},
		{http.MethodGet, "/configuration/candidate-properties/{pid}", false, (*Fake).getPropertyDefinition},
		{http.MethodGet, "/configuration/candidate-properties/{pid}/values", false, (*Fake).listPropertyOptions},
		{http.MethodGet, "/configuration/hiring-processes", false, (*Fake).listHiringProcesses},
		{http.MethodGet, "/configuration/hiring-processes/{hid}", false, (*Fake).getHiringProcess},

		{http.MethodGet, "/jobs", false, (*Fake).listJobs},
		{http.MethodGet, "/jobs/{jid}", false, (*Fake).getJob},
		{http.MethodGet, "/users", false, (*Fake).listUsers},

		{http.MethodPost, "/messages/shares", false, (*Fake).shareMessage},
		{http.MethodGet, "/messages", false, (*Fake).listMessages},
	}
}

// matchRoute finds the route for method and path and captures its named
// segments. A path served only for another method counts as unknown (404).
func matchRoute(method, path string) (*route, map[string]string) {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method {
			continue
		}
		want := strings.Split(rt.pattern, "/")
		if len(want) != len(got) {
			continue
		}
		params := map[string]string{}
		ok := true
		for j, seg := range want {
			if strings.HasPrefix(seg, "{") {
				if got[j] == "" {
					ok = false
					break
				}
				params[strings.Trim(seg, "{}")] = got[j]
				continue
			}
			if seg != got[j] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params
		}
	}
	return nil, nil
}
