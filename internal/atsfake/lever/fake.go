package lever

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Default credentials the fake accepts when Options leaves them empty.
const (
	DefaultAPIKey     = "atsfake-lever-api-key"
	DefaultOAuthToken = "atsfake-lever-oauth-token"
)

// Users every fake has. They are fixed, not drawn from the seed, so tests can
// name them in perform_as.
const (
	// AdminUserID is a super admin who owns the API key and the OAuth token:
	// a write without perform_as is attributed to this user.
	AdminUserID = "6f1c2a4e-0b7d-4c1a-9e55-3a0000000001"
	// RecruiterUserID is a team member who owns and follows the seeded
	// opportunities.
	RecruiterUserID = "6f1c2a4e-0b7d-4c1a-9e55-3a0000000002"
	// InterviewerUserID is an interviewer.
	InterviewerUserID = "6f1c2a4e-0b7d-4c1a-9e55-3a0000000003"
	// DeactivatedUserID is a deactivated user: perform_as with it is refused
	// and GET /v1/users hides it unless includeDeactivated=true.
	DeactivatedUserID = "6f1c2a4e-0b7d-4c1a-9e55-3a0000000004"
)

// Permissions are the scope names of Lever's OAuth apps (vendors.md §2.1).
// API keys in Lever are also granted endpoint by endpoint, so the fake checks
// the same names for both credential types; see RevokePermission.
const (
	PermOpportunitiesRead  = "opportunities:read:admin"
	PermOpportunitiesWrite = "opportunities:write:admin"
	PermNotesRead          = "notes:read:admin"
	PermNotesWrite         = "notes:write:admin"
	PermApplicationsRead   = "applications:read:admin"
	PermContactRead        = "contact:read:admin"
	PermPostingsRead       = "postings:read:admin"
	PermStagesRead         = "stages:read:admin"
	PermUsersRead          = "users:read:admin"
)

// RateLimit is a token bucket: Burst requests at once, refilled at Limit
// requests per Window.
type RateLimit struct {
	// Limit is the steady number of requests per Window. Zero means 10; a
	// negative value switches rate limiting off.
	Limit int
	// Window is the refill period of Limit tokens. Zero means one second.
	Window time.Duration
	// Burst is the bucket's capacity. Zero means twice Limit.
	Burst int
}

// Options configures a Fake. The zero value is usable: no candidates, the
// Default* credentials and Lever's documented rate limit.
type Options struct {
	// Seed makes the generated dataset deterministic: the same Seed and
	// Candidates always produce the same records and ids.
	Seed int64
	// Candidates is how many contacts to generate; each gets one to three
	// opportunities, each applied to a different posting.
	Candidates int
	// APIKey is the key accepted as the Basic auth username (with an empty
	// password). Empty means DefaultAPIKey.
	APIKey string
	// OAuthToken is the bearer token accepted in place of the key, as an
	// OAuth app's access token would be. Empty means DefaultOAuthToken.
	OAuthToken string
	// RateLimit is the bucket each credential gets. Zero fields mean 10
	// requests per second with bursts of 20 (vendors.md §2.6).
	RateLimit RateLimit
	// Now is the clock used for timestamps and the rate limit. Nil means
	// time.Now. Injected latency always uses real time.
	Now func() time.Time
}

// Credentials is the connector credentials JSON for a Lever fake: the API
// key and where the Data API lives (the connector appends /v1/...).
type Credentials struct {
	APIKey  string `json:"api_key"`
	BaseURL string `json:"base_url"`
}

// Fake is an in-memory Lever Data API v1 behind one http.Handler. All
// methods are safe for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	contacts   []*contactRec
	contactBy  map[string]*contactRec
	opps       []*oppRec
	oppBy      map[string]*oppRec
	postings   []Posting
	postingBy  map[string]int
	stages     []Stage
	stageIndex map[string]int
	users      []User
	userBy     map[string]int
	notes      []*noteRec
	noteBy     map[string]*noteRec
	noteSeq    int

	credsRevoked bool
	revoked      map[string]bool
	buckets      map[string]*bucket

	faults fakekit.Faults
	log    fakekit.Log[LoggedRequest]
}

type contactRec struct {
	c     Contact
	links []string
	opps  []*oppRec
}

type oppRec struct {
	o       Opportunity
	app     Application
	contact *contactRec
	deleted bool
}

type noteRec struct {
	oppID           string
	n               Note
	notifyFollowers bool
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.OAuthToken == "" {
		opts.OAuthToken = DefaultOAuthToken
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = 10
	}
	if opts.RateLimit.Window <= 0 {
		opts.RateLimit.Window = time.Second
	}
	if opts.RateLimit.Burst <= 0 {
		opts.RateLimit.Burst = 2 * max(opts.RateLimit.Limit, 1)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:       opts,
		now:        now,
		contactBy:  map[string]*contactRec{},
		oppBy:      map[string]*oppRec{},
		postingBy:  map[string]int{},
		stageIndex: map[string]int{},
		userBy:     map[string]int{},
		noteBy:     map[string]*noteRec{},
		revoked:    map[string]bool{},
		buckets:    map[string]*bucket{},
	}
	f.seed()
	return f
}

// Credentials returns the connector credentials JSON for this fake when it is
// served at baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{APIKey: f.opts.APIKey, BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// APIKey returns the API key the fake accepts.
func (f *Fake) APIKey() string { return f.opts.APIKey }

// OAuthToken returns the bearer token the fake accepts.
func (f *Fake) OAuthToken() string { return f.opts.OAuthToken }

// response is a fully built answer. Handlers build it while holding f.mu and
// ServeHTTP writes it after releasing the lock.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body, _ = json.Marshal(ErrorBody{Code: "InternalServerError", Message: "could not render the response"})
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

func errorResponse(status int, code, message string) *response {
	return jsonResponse(status, ErrorBody{Code: code, Message: message})
}

func badRequest(message string) *response {
	return errorResponse(http.StatusBadRequest, "BadRequestError", message)
}

func notFound(message string) *response {
	return errorResponse(http.StatusNotFound, "ResourceNotFound", message)
}

// call carries one request through routing, auth and its handler.
type call struct {
	r      *http.Request
	body   []byte
	now    time.Time
	params []string
	route  *route
	entry  *LoggedRequest
	acting string
}

// nowMS is the request time in Lever's millisecond epoch.
func (c *call) nowMS() int64 { return c.now.UnixMilli() }

const maxBody = 1 << 20

// ServeHTTP serves the Lever Data API under /v1.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{
		Method:    r.Method,
		Path:      r.URL.Path,
		Query:     r.URL.RawQuery,
		PerformAs: r.URL.Query().Get("perform_as"),
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
			Status:    func(status int) *response { return errorResponse(status, faultCode(status), http.StatusText(status)) },
			RateLimit: func(retryAfter time.Duration) *response { return f.throttle(retryAfter) },
		})
		if !ok {
			return
		}
	}
	if resp == nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			resp = badRequest("could not read the request body")
		} else {
			f.mu.Lock()
			resp = f.handle(r, body, &entry)
			f.mu.Unlock()
		}
	}
	entry.Status = resp.status
	f.log.Record(entry)
	// Every Lever response names the region that served it.
	resp.header.Set("X-Lever-Region", "global")
	fakekit.WriteResponse(w, resp.status, resp.header, resp.body)
}

// handle routes first and authenticates second: Lever's router answers an
// unknown path with 404 (and a known path with another method with 405)
// whatever the credentials. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	rt, params, allowed := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		if len(allowed) > 0 {
			resp := errorResponse(http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method+" is not allowed")
			resp.header.Set("Allow", strings.Join(allowed, ", "))
			return resp
		}
		return notFound(r.URL.Path + " does not exist")
	}
	c := &call{r: r, body: body, now: f.now(), params: params, route: rt, entry: entry}
	cred, owner, ok := f.authenticate(r)
	if !ok {
		return errorResponse(http.StatusUnauthorized, "UnauthorizedError", "Invalid API key or access token")
	}
	entry.Credential = cred
	entry.ActingUserID = owner
	c.acting = owner
	if resp := f.spend(cred, c.now); resp != nil {
		return resp
	}
	if f.revoked[rt.perm] {
		return errorResponse(http.StatusForbidden, "ForbiddenError",
			"This credential does not have the "+rt.perm+" permission")
	}
	if r.Method != http.MethodGet {
		if resp := f.resolvePerformAs(c); resp != nil {
			return resp
		}
	}
	return rt.handler(f, c)
}

// authenticate checks the Authorization header: Basic with the API key as
// username and an empty password, or Bearer with the OAuth token. It returns
// which credential was used and the user it acts as by default.
func (f *Fake) authenticate(r *http.Request) (cred, owner string, ok bool) {
	if f.credsRevoked {
		return "", "", false
	}
	h := r.Header.Get("Authorization")
	scheme, value, _ := strings.Cut(h, " ")
	switch strings.ToLower(scheme) {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
		if err != nil {
			return "", "", false
		}
		user, _, _ := strings.Cut(string(raw), ":")
		if user != f.opts.APIKey {
			return "", "", false
		}
		return "basic", AdminUserID, true
	case "bearer":
		if strings.TrimSpace(value) != f.opts.OAuthToken {
			return "", "", false
		}
		return "bearer", AdminUserID, true
	}
	return "", "", false
}

// resolvePerformAs applies the perform_as query parameter of a write: the
// named user must exist and be active, and becomes the author of the write.
func (f *Fake) resolvePerformAs(c *call) *response {
	q := c.r.URL.Query()
	if !q.Has("perform_as") {
		return nil
	}
	id := q.Get("perform_as")
	i, ok := f.userBy[id]
	if !ok {
		return badRequest("perform_as: no user with id " + id)
	}
	if f.users[i].DeactivatedAt != nil {
		return badRequest("perform_as: user " + id + " is deactivated")
	}
	c.acting = id
	c.entry.ActingUserID = id
	return nil
}

// route is one entry of the routing table.
type route struct {
	method  string
	pattern string // "{}" matches one non-empty segment
	perm    string
	handler func(f *Fake, c *call) *response
}

var routes []route

func init() {
	routes = []route{
		{http.MethodGet, "/v1/opportunities", PermOpportunitiesRead, (*Fake).listOpportunities},
		{http.MethodGet, "/v1/opportunities/deleted", PermOpportunitiesRead, (*Fake).listDeletedOpportunities},
		{http.MethodGet, "/v1/opportunities/{}", PermOpportunitiesRead, (*Fake).getOpportunity},
		{http.MethodGet, "/v1/opportunities/{}/applications", PermApplicationsRead, (*Fake).listApplications},
		{http.MethodGet, "/v1/opportunities/{}/applications/{}", PermApplicationsRead, (*Fake).getApplication},
		{http.MethodGet, "/v1/opportunities/{}/notes", PermNotesRead, (*Fake).listNotes},
		{http.MethodGet, "/v1/opportunities/{}/notes/{}", PermNotesRead, (*Fake).getNote},
		{http.MethodPost, "/v1/opportunities/{}/notes", PermNotesWrite, (*Fake).createNote},
		{http.MethodPost, "/v1/opportunities/{}/addLinks", PermOpportunitiesWrite, (*Fake).addLinks},
		{http.MethodPost, "/v1/opportunities/{}/removeLinks", PermOpportunitiesWrite, (*Fake).removeLinks},
		{http.MethodPost, "/v1/opportunities/{}/addTags", PermOpportunitiesWrite, (*Fake).addTags},
		{http.MethodPost, "/v1/opportunities/{}/removeTags", PermOpportunitiesWrite, (*Fake).removeTags},
		{http.MethodGet, "/v1/contacts/{}", PermContactRead, (*Fake).getContact},
		{http.MethodGet, "/v1/postings", PermPostingsRead, (*Fake).listPostings},
		{http.MethodGet, "/v1/postings/{}", PermPostingsRead, (*Fake).getPosting},
		{http.MethodGet, "/v1/stages", PermStagesRead, (*Fake).listStages},
		{http.MethodGet, "/v1/users", PermUsersRead, (*Fake).listUsers},
		{http.MethodGet, "/v1/users/{}", PermUsersRead, (*Fake).getUser},
	}
}

// matchRoute finds the route for method and path. When the path exists only
// for other methods it returns those methods for a 405.
func matchRoute(method, p string) (*route, []string, []string) {
	p = strings.TrimSuffix(p, "/")
	got := strings.Split(p, "/")
	var allowed []string
	for i := range routes {
		rt := &routes[i]
		want := strings.Split(rt.pattern, "/")
		if len(want) != len(got) {
			continue
		}
		var params []string
		ok := true
		for j, seg := range want {
			if seg == "{}" {
				if got[j] == "" {
					ok = false
					break
				}
				params = append(params, got[j])
				continue
			}
			if seg != got[j] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		// "deleted" is a literal route of its own, not an opportunity id.
		if rt.pattern == "/v1/opportunities/{}" && params[0] == "deleted" {
			continue
		}
		if rt.method == method {
			return rt, params, nil
		}
		allowed = append(allowed, rt.method)
	}
	return nil, nil, allowed
}
