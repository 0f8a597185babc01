package workable

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

// Default credentials and account the fake uses when Options leaves them
// empty.
const (
	DefaultSubdomain       = "atsfake"
	DefaultAccessToken     = "atsfake-workable-access-token"
	DefaultPartnerToken    = "atsfake-workable-partner-token"
	DefaultPartnerClientID = "atsfake-workable-client"
)

// Members every fake has. They are fixed, not drawn from the seed, so tests
// can name them as member_id.
const (
	// AdminMemberID is an account admin.
	AdminMemberID = "1f3a01"
	// RecruiterMemberID is a simple member, the recruiter on every job.
	RecruiterMemberID = "1f3a02"
	// HiringManagerMemberID is another simple member.
	HiringManagerMemberID = "1f3a03"
	// InactiveMemberID is a deactivated member: comments in its name are
	// refused.
	InactiveMemberID = "1f3a04"
)

// Scopes of Workable access tokens (vendors.md §3.1). Every scope is granted
// until RevokeScope.
const (
	ScopeReadCandidates  = "r_candidates"
	ScopeWriteCandidates = "w_candidates"
	ScopeWriteComments   = "w_comments"
	ScopeReadJobs        = "r_jobs"
	ScopeReadAccount     = "r_account"
)

// RateLimit is a fixed-window budget: Limit requests per Window for each
// token.
type RateLimit struct {
	// Limit is the number of requests per window. Zero means the default; a
	// negative value switches the limit (and its headers) off.
	Limit int
	// Window is the window length. Zero means 10 seconds.
	Window time.Duration
}

// Options configures a Fake. The zero value is usable: no candidates, the
// Default* account and credentials, and Workable's documented limits.
type Options struct {
	// Seed makes the generated dataset deterministic.
	Seed int64
	// Candidates is how many people to generate; each applies to one to
	// three jobs, and each application is a candidate record of its own.
	Candidates int
	// Subdomain is the account's subdomain. Empty means DefaultSubdomain.
	Subdomain string
	// AccessToken is the account API access token accepted as Bearer.
	// Empty means DefaultAccessToken.
	AccessToken string
	// PartnerToken is a partner token, accepted only with the
	// X-WORKABLE-CLIENT-ID header equal to PartnerClientID. Empty means
	// DefaultPartnerToken / DefaultPartnerClientID.
	PartnerToken    string
	PartnerClientID string
	// RateLimit is the budget of the account token. Zero fields mean 10
	// requests per 10 seconds (vendors.md §3.7).
	RateLimit RateLimit
	// PartnerRateLimit is the budget of the partner token. Zero fields mean
	// 50 requests per 10 seconds.
	PartnerRateLimit RateLimit
	// Now is the clock used for timestamps and rate-limit windows. Nil means
	// time.Now. Injected latency always uses real time.
	Now func() time.Time
}

// Credentials is the connector credentials JSON for a Workable fake: the
// account subdomain, the API access token, and base_url, which replaces
// https://{subdomain}.workable.com (the connector appends /spi/v3/...).
type Credentials struct {
	Subdomain   string `json:"subdomain"`
	AccessToken string `json:"access_token"`
	BaseURL     string `json:"base_url"`
}

// Fake is an in-memory Workable account serving SPI v3 behind one
// http.Handler. All methods are safe for concurrent use.
type Fake struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex

	candidates  []*candidateRec
	candBy      map[string]*candidateRec
	jobs        []Job
	jobBy       map[string]int // by shortcode
	stages      []Stage
	members     []Member
	memberBy    map[string]int
	attrs       []CustomAttribute
	attrBy      map[string]int
	activities  []*Comment
	nextAttr    uint64
	nextAct     uint64
	accountName string

	credsRevoked bool
	revoked      map[string]bool
	windows      map[string]*fakekit.Window

	faults fakekit.Faults
	log    fakekit.Log[LoggedRequest]
}

type candidateRec struct {
	d       CandidateDetail
	num     uint64
	values  map[string]any // by custom attribute id
	deleted bool
}

// New returns a Fake holding a dataset generated from opts.Seed.
func New(opts Options) *Fake {
	if opts.Subdomain == "" {
		opts.Subdomain = DefaultSubdomain
	}
	if opts.AccessToken == "" {
		opts.AccessToken = DefaultAccessToken
	}
	if opts.PartnerToken == "" {
		opts.PartnerToken = DefaultPartnerToken
	}
	if opts.PartnerClientID == "" {
		opts.PartnerClientID = DefaultPartnerClientID
	}
	opts.RateLimit = withDefault(opts.RateLimit, 10)
	opts.PartnerRateLimit = withDefault(opts.PartnerRateLimit, 50)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f := &Fake{
		opts:     opts,
		now:      now,
		candBy:   map[string]*candidateRec{},
		jobBy:    map[string]int{},
		memberBy: map[string]int{},
		attrBy:   map[string]int{},
		revoked:  map[string]bool{},
		windows:  map[string]*fakekit.Window{},
	}
	f.seed()
	return f
}

func withDefault(rl RateLimit, limit int) RateLimit {
	if rl.Limit == 0 {
		rl.Limit = limit
	}
	if rl.Window <= 0 {
		rl.Window = 10 * time.Second
	}
	return rl
}

// Credentials returns the connector credentials JSON for this fake when it is
// served at baseURL (for example "http://127.0.0.1:8080").
func (f *Fake) Credentials(baseURL string) Credentials {
	return Credentials{
		Subdomain:   f.opts.Subdomain,
		AccessToken: f.opts.AccessToken,
		BaseURL:     strings.TrimSuffix(baseURL, "/"),
	}
}

// Subdomain returns the account's subdomain.
func (f *Fake) Subdomain() string { return f.opts.Subdomain }

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
		body, _ = json.Marshal(ErrorBody{Error: "Internal server error"})
		status = http.StatusInternalServerError
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &response{status: status, header: h, body: body}
}

func errorResponse(status int, message string) *response {
	return jsonResponse(status, ErrorBody{Error: message})
}

func notFound() *response { return errorResponse(http.StatusNotFound, "Not found") }

func unprocessable(message string) *response {
	return errorResponse(http.StatusUnprocessableEntity, message)
}

// call carries one request through routing, auth and its handler.
type call struct {
	r      *http.Request
	body   []byte
	now    time.Time
	params []string
	route  *route
	entry  *LoggedRequest
}

const (
	apiPrefix = "/spi/v3"
	maxBody   = 8 << 20
)

// ServeHTTP serves SPI v3 under /spi/v3.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := LoggedRequest{Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery}
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
			RateLimit: func(retryAfter time.Duration) *response { return f.forcedThrottle(r, retryAfter) },
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

// handle checks the account host and the route, then the token, the rate
// budget and the scope. Called with f.mu held.
func (f *Fake) handle(r *http.Request, body []byte, entry *LoggedRequest) *response {
	if !f.hostMatches(r.Host) {
		return notFound()
	}
	rt, params := matchRoute(r.Method, r.URL.Path)
	if rt == nil {
		return notFound()
	}
	c := &call{r: r, body: body, now: f.now(), params: params, route: rt, entry: entry}
	tok, ok := f.authenticate(r)
	if !ok {
		return errorResponse(http.StatusUnauthorized, "Not authorized")
	}
	entry.Token = tok
	w := f.windowFor(tok)
	if w != nil && !w.Take(c.now) {
		return f.throttle(w, c.now, 0)
	}
	resp := f.authorize(rt)
	if resp == nil {
		resp = rt.handler(f, c)
	}
	if w != nil {
		setRateHeaders(resp, w.Limit, w.Remaining(c.now), w.ResetAt())
	}
	return resp
}

// hostMatches accepts any host except another account's *.workable.com
// subdomain: a client pointed at the fake by base_url sends 127.0.0.1, one
// that sets the Host header of a real account host must name this account.
func (f *Fake) hostMatches(host string) bool {
	h := strings.ToLower(host)
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	sub, ok := strings.CutSuffix(h, ".workable.com")
	if !ok {
		return true
	}
	return sub == strings.ToLower(f.opts.Subdomain)
}

// authenticate checks Authorization: Bearer. The partner token also needs
// X-WORKABLE-CLIENT-ID. It returns "account" or "partner".
func (f *Fake) authenticate(r *http.Request) (string, bool) {
	if f.credsRevoked {
		return "", false
	}
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	switch strings.TrimSpace(tok) {
	case f.opts.AccessToken:
		return "account", true
	case f.opts.PartnerToken:
		if r.Header.Get("X-Workable-Client-Id") == f.opts.PartnerClientID {
			return "partner", true
		}
	}
	return "", false
}

// authorize checks the route's scope.
func (f *Fake) authorize(rt *route) *response {
	for _, s := range rt.scopes {
		if !f.revoked[s] {
			return nil
		}
	}
	return errorResponse(http.StatusForbidden, "The access token lacks the required scope: "+strings.Join(rt.scopes, " or "))
}

// route is one entry of the routing table.
type route struct {
	method  string
	pattern string   // below /spi/v3; "{}" matches one non-empty segment
	scopes  []string // any one of them suffices
	handler func(f *Fake, c *call) *response
}

var routes []route

func init() {
	routes = []route{
		{http.MethodGet, "/candidates", []string{ScopeReadCandidates}, (*Fake).listCandidates},
		{http.MethodGet, "/candidates/{}", []string{ScopeReadCandidates}, (*Fake).getCandidate},
		{http.MethodGet, "/candidates/{}/activities", []string{ScopeReadCandidates}, (*Fake).listActivities},
		{http.MethodPost, "/candidates/{}/comments", []string{ScopeWriteComments, ScopeWriteCandidates}, (*Fake).createComment},
		{http.MethodPatch, "/candidates/{}/update_custom_attribute_value", []string{ScopeReadJobs}, (*Fake).updateCustomAttribute},
		{http.MethodGet, "/custom_attributes", []string{ScopeReadJobs}, (*Fake).listCustomAttributes},
		{http.MethodGet, "/jobs", []string{ScopeReadJobs}, (*Fake).listJobs},
		{http.MethodGet, "/jobs/{}/candidates", []string{ScopeReadCandidates}, (*Fake).listJobCandidates},
		{http.MethodGet, "/jobs/{}/stages", []string{ScopeReadJobs}, (*Fake).listJobStages},
		{http.MethodGet, "/stages", []string{ScopeReadJobs}, (*Fake).listStages},
		{http.MethodGet, "/members", []string{ScopeReadAccount}, (*Fake).listMembers},
	}
}

// matchRoute finds the route for method and path. Workable answers every
// unknown combination with 404 {"error":"Not found"}.
func matchRoute(method, p string) (*route, []string) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(p, "/"), apiPrefix)
	if !ok {
		return nil, nil
	}
	got := strings.Split(rest, "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method {
			continue
		}
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
		if ok {
			return rt, params
		}
	}
	return nil, nil
}
