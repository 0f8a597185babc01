package ashby

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// DefaultAPIKey is the API key the fake accepts when Options.APIKey is empty.
const DefaultAPIKey = "atsfake-ashby-api-key"

// Users every fake has. They are fixed, not drawn from the seed, so tests can
// name them.
const (
	// AdminUserID is an Organization Admin and, unless Options.KeyUserID
	// says otherwise, the user the API key belongs to: notes written through
	// the API are authored by it.
	AdminUserID = "a5b10000-0000-4000-8000-00000000a001"
	// RecruiterUserID is an Elevated Access user; the seeded applications
	// credit it.
	RecruiterUserID = "a5b10000-0000-4000-8000-00000000a002"
	// HiringManagerUserID is a Limited Access user.
	HiringManagerUserID = "a5b10000-0000-4000-8000-00000000a003"
	// DeactivatedUserID is a disabled user, listed by user.list only with
	// includeDeactivated.
	DeactivatedUserID = "a5b10000-0000-4000-8000-00000000a004"
)

// API key permissions, as named in Ashby's permission table
// (developers.ashbyhq.com/reference/authentication). Each endpoint needs one.
const (
	PermCandidatesRead             = "candidatesRead"
	PermCandidatesWrite            = "candidatesWrite"
	PermJobsRead                   = "jobsRead"
	PermInterviewsRead             = "interviewsRead"
	PermHiringProcessMetadataRead  = "hiringProcessMetadataRead"
	PermHiringProcessMetadataWrite = "hiringProcessMetadataWrite"
	PermOrganizationRead           = "organizationRead"
	PermAPIKeysRead                = "apiKeysRead"
)

// AllPermissions lists every permission the fake knows; a key made with
// Options.Permissions nil has all of them.
var AllPermissions = []string{
	PermCandidatesRead, PermCandidatesWrite, PermJobsRead, PermInterviewsRead,
	PermHiringProcessMetadataRead, PermHiringProcessMetadataWrite, PermOrganizationRead, PermAPIKeysRead,
}

// RateLimit is a fixed-window request budget: Limit requests per Window.
type RateLimit struct {
	// Limit is the number of requests allowed per window. Zero means the
	// default; a negative value switches the limit off.
	Limit int
	// Window is the length of the fixed window. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable: it seeds no
// candidates and accepts DefaultAPIKey with every permission.
type Options struct {
	// Seed makes the generated dataset deterministic: the same Seed and
	// Candidates always produce the same records and ids.
	Seed int64
	// Candidates is how many candidates to generate; each gets one to three
	// applications on the seeded jobs.
	Candidates int
	// APIKey is the key accepted as the Basic auth username. Empty means
	// DefaultAPIKey.
	APIKey string
	// Permissions are the key's permissions. Nil means AllPermissions; an
	// empty non-nil slice means none.
	Permissions []string
	// KeyUserID is the user the API key belongs to, who authors notes
	// written through the API. Empty means AdminUserID.
	KeyUserID string
	// RateLimit is the per-key request budget. Ashby does not publish its
	// numbers; zero fields mean 1000 requests per fixed 60-second window,
	// which is the fake's own choice.
	RateLimit RateLimit
	// SyncTokenTTL is how long a syncToken stays usable before list
	// endpoints answer sync_token_expired. Zero means seven days (Ashby's
	// exact lifetime is not published); negative means tokens never expire.
	SyncTokenTTL time.Duration
	// Now is the clock used for timestamps, sync tokens and rate-limit
	// windows. Nil means time.Now. Injected latency always uses real time.
	Now func() time.Time
}

// Fake is an in-memory Ashby account behind one http.Handler serving the
// RPC endpoints of https://api.ashbyhq.com. All methods are safe for
// concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	ids *rand.Rand

	users        []*User
	userByID     map[string]*User
	sources      []Source
	plans        []InterviewPlan
	stages       []InterviewStage
	stageByID    map[string]InterviewStage
	jobs         []*jobRec
	jobByID      map[string]*jobRec
	candidates   []*candidateRec
	candByID     map[string]*candidateRec
	applications []*applicationRec
	appByID      map[string]*applicationRec
	fields       []*fieldRec
	fieldByID    map[string]*fieldRec
	notes        []*noteRec

	perms          map[string]bool
	credsRevoked   bool
	tokensNotAfter time.Time // sync tokens issued at or before this are expired

	rl *fakekit.Window

	faults    fakekit.Faults
	log       fakekit.Log[LoggedRequest]
	requestNo int
}

type candidateRec struct {
	c         Candidate
	updatedAt time.Time
	values    map[string]any
	deleted   bool
}

type applicationRec struct {
	a       Application
	values  map[string]any
	deleted bool
}

type jobRec struct {
	j      Job
	values map[string]any
}

type fieldRec struct {
	def       CustomField
	createdAt time.Time
	updatedAt time.Time
}

type noteRec struct {
	candidateID string
	n           Note
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.KeyUserID == "" {
		opts.KeyUserID = AdminUserID
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 1000
	}
	if opts.RateLimit.Window <= 0 {
		opts.RateLimit.Window = time.Minute
	}
	if opts.SyncTokenTTL == 0 {
		opts.SyncTokenTTL = 7 * 24 * time.Hour
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:      opts,
		now:       now,
		ids:       rand.New(rand.NewPCG(uint64(opts.Seed), 0xa5b1a5b1a5b1a5b1)),
		userByID:  map[string]*User{},
		stageByID: map[string]InterviewStage{},
		jobByID:   map[string]*jobRec{},
		candByID:  map[string]*candidateRec{},
		appByID:   map[string]*applicationRec{},
		fieldByID: map[string]*fieldRec{},
		perms:     map[string]bool{},
		rl:        fakekit.NewWindow(opts.RateLimit.Limit, opts.RateLimit.Window),
	}
	perms := opts.Permissions
	if perms == nil {
		perms = AllPermissions
	}
	for _, p := range perms {
		f.perms[p] = true
	}
	f.seed()
	return f
}

// Credentials returns the connector credentials JSON for this fake when it
// is served at baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{APIKey: f.opts.APIKey, BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// APIKey returns the API key the fake accepts.
func (f *Fake) APIKey() string { return f.opts.APIKey }

// newID returns a fresh UUID (version 4 layout) drawn from the seeded
// generator, so a replayed sequence of requests yields the same ids. Called
// with f.mu held or during New.
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

// response is a fully built answer. Handlers build it while holding f.mu and
// ServeHTTP writes it after releasing the lock.
type response struct {
	status int
	header http.Header
	body   []byte
	code   string // failure code, for the request log
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"success":false,"errors":["internal_error"]}`)
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

// success wraps results in Ashby's {"success":true,"results":...} envelope.
func success(results any) *response {
	return jsonResponse(http.StatusOK, struct {
		Success bool `json:"success"`
		Results any  `json:"results"`
	}{true, results})
}

// failure builds Ashby's error envelope. Logical errors travel with HTTP 200
// (developers.ashbyhq.com/docs/responses); auth, throttling and routing
// errors use a real status. The body carries the code both in the older
// "errors" string list (the OpenAPI error schema) and in the newer
// errorInfo object, so clients reading either find it.
func (f *Fake) failure(status int, code, message string) *response {
	f.requestNo++
	resp := jsonResponse(status, ErrorBody{
		Success: false,
		Errors:  []string{code},
		ErrorInfo: &ErrorInfo{
			Code:      code,
			Message:   message,
			RequestID: fmt.Sprintf("01ATSFAKE%017d", f.requestNo),
		},
	})
	resp.code = code
	return resp
}

// logical is a failure answered with HTTP 200, as Ashby does for what would
// be a 4xx elsewhere.
func (f *Fake) logical(code, message string) *response {
	return f.failure(http.StatusOK, code, message)
}

func (f *Fake) invalidInput(format string, args ...any) *response {
	return f.logical("invalid_input", fmt.Sprintf(format, args...))
}

// maxBody bounds request bodies; Ashby requests here are small JSON objects.
const maxBody = 1 << 20

// ServeHTTP serves Ashby's RPC endpoints.
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
			Status:    func(status int) *response { return f.failure(status, "internal_server_error", http.StatusText(status)) },
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
			resp = f.invalidInput("could not read the request body")
		} else {
			entry.Body = string(body)
			resp = f.handle(r, body, &entry)
		}
		f.mu.Unlock()
	}
	entry.Status = resp.status
	entry.ErrorCode = resp.code
	f.log.Record(entry)
	fakekit.WriteResponse(w, resp.status, resp.header, resp.body)
}

// call carries one request through authentication and its handler.
type call struct {
	r      *http.Request
	params map[string]any
	now    time.Time
	entry  *LoggedRequest
	user   *User
}

// endpoint is one RPC method: the permission it needs and its handler.
type endpoint struct {
	perm    string
	handler func(f *Fake, c *call) *response
}

var endpoints map[string]endpoint

func init() {
	endpoints = map[string]endpoint{
		"/apiKey.info":          {PermAPIKeysRead, (*Fake).apiKeyInfo},
		"/candidate.list":       {PermCandidatesRead, (*Fake).candidateList},
		"/candidate.info":       {PermCandidatesRead, (*Fake).candidateInfo},
		"/candidate.listNotes":  {PermCandidatesRead, (*Fake).candidateListNotes},
		"/candidate.createNote": {PermCandidatesWrite, (*Fake).candidateCreateNote},
		"/application.list":     {PermCandidatesRead, (*Fake).applicationList},
		"/application.info":     {PermCandidatesRead, (*Fake).applicationInfo},
		"/job.list":             {PermJobsRead, (*Fake).jobList},
		"/job.info":             {PermJobsRead, (*Fake).jobInfo},
		"/interviewPlan.list":   {PermInterviewsRead, (*Fake).interviewPlanList},
		"/interviewStage.list":  {PermInterviewsRead, (*Fake).interviewStageList},
		"/user.list":            {PermOrganizationRead, (*Fake).userList},
		"/customField.list":     {PermHiringProcessMetadataRead, (*Fake).customFieldList},
		"/customField.create":   {PermHiringProcessMetadataWrite, (*Fake).customFieldCreate},
		"/customField.setValue": {PermCandidatesWrite, (*Fake).customFieldSetValue},
	}
}

// handle routes, authenticates, spends the budget, checks the permission and
// parses the body, in that order. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	ep, ok := endpoints[r.URL.Path]
	if !ok || r.Method != http.MethodPost {
		// Every Ashby endpoint is a POST; anything else is unknown here.
		return f.failure(http.StatusNotFound, "endpoint_not_found", "No such endpoint: "+r.Method+" "+r.URL.Path)
	}
	key, _, hasBasic := r.BasicAuth()
	if !hasBasic || key == "" {
		return f.failure(http.StatusUnauthorized, "unauthenticated",
			"Missing API key: send it as the Basic auth username with an empty password.")
	}
	if f.credsRevoked || key != f.opts.APIKey {
		return f.failure(http.StatusForbidden, "invalid_api_key",
			"The API key is not valid or has been deactivated.")
	}
	entry.ActingUserID = f.opts.KeyUserID
	now := f.now()
	if resp := f.spend(now); resp != nil {
		return resp
	}
	if !f.perms[ep.perm] {
		return f.failure(http.StatusForbidden, "missing_endpoint_permission",
			"The API key lacks the "+ep.perm+" permission needed by "+strings.TrimPrefix(r.URL.Path, "/")+".")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" || len(bytes.TrimSpace(body)) > 0 {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return f.invalidInput("Content-Type must be application/json")
		}
	}
	params := map[string]any{}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if err := dec.Decode(&params); err != nil {
			return f.invalidInput("The request body must be a JSON object")
		}
	}
	c := &call{r: r, params: params, now: now, entry: entry, user: f.userByID[f.opts.KeyUserID]}
	return ep.handler(f, c)
}
