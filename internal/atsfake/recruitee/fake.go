package recruitee

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Default values used when Options leaves them empty.
const (
	// DefaultCompanyID is the numeric company id of the fake account; it is
	// the {company_id} segment of every path.
	DefaultCompanyID int64 = 61503
	// DefaultSubdomain is the account's subdomain, which Recruitee also
	// accepts in place of the numeric id.
	DefaultSubdomain = "atsfake"
	// DefaultAPIToken is the personal API token of OwnerAdminID.
	DefaultAPIToken = "atsfake-recruitee-personal-token"
)

// Admins (Recruitee's word for team members) every fake has. They are fixed,
// not drawn from the seed, so tests can name them.
const (
	// OwnerAdminID owns Options.APIToken, so notes written with it are
	// authored by this admin.
	OwnerAdminID int64 = 1001
	// RecruiterAdminID is a second admin; IssueToken can mint a personal
	// token for it to test authorship.
	RecruiterAdminID int64 = 1002
)

// RateLimit is a fixed-window request budget: Limit requests per Window.
type RateLimit struct {
	// Limit is the number of requests allowed per window. Zero means the
	// default; a negative value switches the limit off.
	Limit int
	// Window is the length of the fixed window. Zero means the default.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable: no candidates, the
// Default* company and token.
type Options struct {
	// Seed makes the generated dataset deterministic.
	Seed int64
	// Candidates is how many candidates to generate; each is placed on one
	// to three of the seeded offers.
	Candidates int
	// CompanyID is the numeric company id. Zero means DefaultCompanyID.
	CompanyID int64
	// Subdomain is the company's subdomain, accepted in the path in place
	// of the id. Empty means DefaultSubdomain.
	Subdomain string
	// APIToken is the personal API token of OwnerAdminID. Empty means
	// DefaultAPIToken.
	APIToken string
	// RateLimit is the per-company budget. Recruitee publishes no numbers,
	// so zero fields mean an assumed 100 requests per 10-second window.
	RateLimit RateLimit
	// Now is the clock for timestamps and rate-limit windows. Nil means
	// time.Now. Injected latency always uses real time.
	Now func() time.Time
}

// Fake is an in-memory Recruitee company behind an http.Handler serving the
// core API under /c/{company_id}. All methods are safe for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	candidates []*candidateRec
	candByID   map[int64]*candidateRec
	offers     []*Offer
	offerByID  map[int64]*Offer
	admins     []Admin
	adminByID  map[int64]Admin
	tokens     map[string]int64 // personal token → admin id
	nextID     idCounters

	credsRevoked bool
	rl           *fakekit.Window

	faults fakekit.Faults
	log    fakekit.Log[LoggedRequest]
}

type candidateRec struct {
	c       Candidate
	fields  []*Field
	notes   []*Note
	deleted bool
}

type idCounters struct {
	candidate, placement, field, note int64
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.CompanyID == 0 {
		opts.CompanyID = DefaultCompanyID
	}
	if opts.Subdomain == "" {
		opts.Subdomain = DefaultSubdomain
	}
	if opts.APIToken == "" {
		opts.APIToken = DefaultAPIToken
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 100
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
		candByID:  map[int64]*candidateRec{},
		offerByID: map[int64]*Offer{},
		adminByID: map[int64]Admin{},
		tokens:    map[string]int64{opts.APIToken: OwnerAdminID},
		rl:        fakekit.NewWindow(opts.RateLimit.Limit, opts.RateLimit.Window),
	}
	f.seed()
	return f
}

// Credentials is the connector credentials JSON for a Recruitee fake.
type Credentials struct {
	// CompanyID is the numeric company id, as a string because Recruitee
	// also accepts the subdomain in its place.
	CompanyID string `json:"company_id"`
	// APIToken is the personal API token sent as a Bearer token.
	APIToken string `json:"api_token"`
	// BaseURL replaces https://api.recruitee.com.
	BaseURL string `json:"base_url"`
}

// Credentials returns the connector credentials for this fake served at
// baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{
		CompanyID: strconv.FormatInt(f.opts.CompanyID, 10),
		APIToken:  f.opts.APIToken,
		BaseURL:   strings.TrimSuffix(baseURL, "/"),
	}
}

// CompanyID returns the numeric company id of the fake.
func (f *Fake) CompanyID() int64 { return f.opts.CompanyID }

// IssueToken creates a new personal API token owned by adminID, as that
// admin would in Settings → Personal API tokens. It reports false for an
// unknown admin.
func (f *Fake) IssueToken(adminID int64) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.adminByID[adminID]; !ok {
		return "", false
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "atsfake-recruitee-" + hex.EncodeToString(b)
	f.tokens[tok] = adminID
	return tok, true
}

// RevokeCredentials makes every personal token fail with 401, as when the
// customer deletes the token in Recruitee.
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

// ErrorBody is the error envelope of every non-2xx answer: a list of
// human-readable messages under "error".
type ErrorBody struct {
	Error []string `json:"error"`
}

// response is a fully built answer, built under f.mu and written after it
// is released.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body, _ = json.Marshal(ErrorBody{Error: []string{"Internal server error"}})
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

func errorResponse(status int, msgs ...string) *response {
	return jsonResponse(status, ErrorBody{Error: msgs})
}

func notFound() *response { return errorResponse(http.StatusNotFound, "Not found") }

func unprocessable(msgs ...string) *response {
	return errorResponse(http.StatusUnprocessableEntity, msgs...)
}

// call carries one request through routing, auth and its handler.
type call struct {
	r     *http.Request
	body  []byte
	now   time.Time
	ids   []int64
	admin int64
}

const maxBody = 1 << 20

// ServeHTTP serves the Recruitee core API.
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
			Status:    func(status int) *response { return errorResponse(status, http.StatusText(status)) },
			RateLimit: func(retryAfter time.Duration) *response { return f.throttle(retryAfter) },
		})
		if !ok {
			return
		}
	}
	if resp == nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			resp = errorResponse(http.StatusBadRequest, "Could not read the request body")
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

// handle routes, authenticates the personal token, checks the company in the
// path, spends the budget and runs the handler. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	rt, company, ids := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		return notFound()
	}
	admin, ok := f.authenticate(r)
	if !ok {
		return errorResponse(http.StatusUnauthorized, "Unauthorized")
	}
	entry.ActingAdminID = admin
	if company != strconv.FormatInt(f.opts.CompanyID, 10) && !strings.EqualFold(company, f.opts.Subdomain) {
		return errorResponse(http.StatusForbidden, "Forbidden")
	}
	now := f.now()
	if resp := f.spend(now); resp != nil {
		return resp
	}
	return rt.handler(f, &call{r: r, body: body, now: now, ids: ids, admin: admin})
}

// authenticate checks "Authorization: Bearer <personal token>" and returns
// the token's owner.
func (f *Fake) authenticate(r *http.Request) (int64, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || f.credsRevoked {
		return 0, false
	}
	admin, ok := f.tokens[strings.TrimSpace(tok)]
	return admin, ok
}

type route struct {
	method  string
	pattern string // "{company}" is any segment, "{id}" a positive integer
	handler func(f *Fake, c *call) *response
}

var routes []route

func init() {
	routes = []route{
		{http.MethodGet, "/c/{company}/candidates", (*Fake).listCandidates},
		{http.MethodGet, "/c/{company}/candidates/{id}", (*Fake).getCandidate},
		{http.MethodGet, "/c/{company}/candidates/{id}/notes", (*Fake).listNotes},
		{http.MethodPost, "/c/{company}/candidates/{id}/notes", (*Fake).createNote},
		{http.MethodPost, "/c/{company}/custom_fields/candidates/{id}/fields", (*Fake).createField},
		{http.MethodPatch, "/c/{company}/custom_fields/candidates/{id}/fields/{id}", (*Fake).updateField},
		{http.MethodDelete, "/c/{company}/custom_fields/candidates/{id}/fields/{id}", (*Fake).deleteField},
		{http.MethodGet, "/c/{company}/offers", (*Fake).listOffers},
		{http.MethodGet, "/c/{company}/offers/{id}", (*Fake).getOffer},
	}
}

// matchRoute finds the route for method and path and returns the company
// segment and the numeric ids in path order.
func matchRoute(method, path string) (*route, string, []int64) {
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
		var company string
		var ids []int64
		ok := true
		for j, seg := range want {
			switch seg {
			case "{company}":
				company = got[j]
				ok = company != ""
			case "{id}":
				n, err := strconv.ParseInt(got[j], 10, 64)
				ok = err == nil && n > 0
				ids = append(ids, n)
			default:
				ok = seg == got[j]
			}
			if !ok {
				break
			}
		}
		if ok {
			return rt, company, ids
		}
	}
	return nil, "", nil
}
