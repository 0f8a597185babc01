// Package dashboard is the vendor team's view of resultlinks in a browser:
// sign-in with an API key or an operator account, then the environment's
// integrations and their syncs, every result link with what happened to it,
// the logs that error.log_url points at, and the webhook endpoints with
// their deliveries. Pages are rendered on the server from the templates
// embedded here; the shared layout, style sheet and script come from
// internal/web.
//
// Sessions are kept in the store, so replicas share them: the browser
// holds a random token in an HttpOnly cookie and the store only its
// SHA-256. Every form carries the session's token (web.CheckToken).
// Everything is scoped to the session's environment; another
// environment's objects answer 404.
package dashboard

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

//go:embed templates/*.html
var templates embed.FS

// Defaults of Config.
const (
	// DefaultIdleTimeout ends a session unused for this long.
	DefaultIdleTimeout = 2 * time.Hour
	// DefaultMaxAge ends a session this long after sign-in, however used.
	DefaultMaxAge = 12 * time.Hour
)

// Config is what the dashboard works with.
type Config struct {
	// Store is where everything is kept.
	Store resultlinks.Store
	// Syncs queues a sync now; nil answers that the server runs no queue.
	Syncs mirror.Enqueuer
	// Deliveries queues a retried result link; nil as for Syncs.
	Deliveries delivery.Queue
	// Webhooks sends an event again; nil as for Syncs.
	Webhooks webhook.Resender
	// Logger logs what went wrong.
	Logger *slog.Logger
	// Now is the clock; nil is the system clock.
	Now func() time.Time
	// IdleTimeout and MaxAge bound sessions; zero takes the defaults.
	IdleTimeout, MaxAge time.Duration
	// SignInRate is how often one client address may try to sign in, after
	// a burst of SignInBurst; zero takes one every 6 s after 10.
	SignInRate  time.Duration
	SignInBurst int
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client, for the sign-in limit; none trusts the connection's address.
	TrustedProxies []netip.Prefix
}

// Dashboard serves the dashboard's pages.
type Dashboard struct {
	cfg     Config
	tpl     *web.Templates
	limiter *limiter
}

// New parses the pages and returns the dashboard.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.SignInRate <= 0 {
		cfg.SignInRate = 6 * time.Second
	}
	if cfg.SignInBurst <= 0 {
		cfg.SignInBurst = 10
	}
	pages, err := fs.Sub(templates, "templates")
	if err != nil {
		return nil, err
	}
	tpl, err := web.Parse(pages, funcs())
	if err != nil {
		return nil, err
	}
	return &Dashboard{cfg: cfg, tpl: tpl, limiter: newLimiter(cfg.SignInRate, cfg.SignInBurst)}, nil
}

// Mount adds the dashboard's routes.
func (d *Dashboard) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", d.home)
	mux.HandleFunc("GET /sign-in", d.signInPage)
	mux.HandleFunc("POST /sign-in", d.signIn)
	mux.HandleFunc("POST /sign-out", d.signOut)
	mux.Handle("GET /integrations", d.page(d.integrations))
	mux.Handle("GET /integrations/{id}", d.page(d.integration))
	mux.Handle("POST /integrations/{id}/sync", d.page(d.syncNow))
	mux.Handle("GET /result-links", d.page(d.resultLinks))
	mux.Handle("GET /result-links/{id}", d.page(d.resultLink))
	mux.Handle("POST /result-links/{id}/retry", d.page(d.retry))
	mux.Handle("GET /interactions/{id}", d.page(d.interaction))
	mux.Handle("GET /syncs/{id}", d.page(d.sync))
	mux.Handle("GET /webhooks", d.page(d.webhooks))
	mux.Handle("GET /webhooks/{id}", d.page(d.webhook))
	mux.Handle("POST /webhooks/{id}/resend", d.page(d.resend))
}

// handler is one signed-in page; an error it returns is rendered by page.
type handler func(w http.ResponseWriter, r *http.Request, s *session) error

// session is the signed-in visitor of one request.
type session struct {
	*resultlinks.Session
	// environment is the session's environment's name.
	environment string
}

// base returns the layout's data for a page of the session.
func (s *session) base(title, section string, r *http.Request) web.Page {
	p := web.Page{Title: title, SignedIn: true, Who: s.Actor, Environment: s.environment, Section: section, CSRF: s.CSRF}
	p.Notice = notices[r.URL.Query().Get("done")]
	p.Problem = problems[r.URL.Query().Get("problem")]
	return p
}

// notices and problems are the messages a redirect after an action may
// name (?done= and ?problem=); only these are ever shown.
var (
	notices = map[string]string{
		"retried":      "The result link was queued for another delivery.",
		"synced":       "A sync was queued; its progress shows below.",
		"sync-waiting": "A sync was already waiting or running; its progress shows below.",
		"resent":       "The event was queued to be sent again.",
	}
	problems = map[string]string{
		"not-failed": "Only a FAILED result link can be retried.",
		"no-queue":   "This server runs no job queue, so nothing could be queued.",
		"refused":    "The endpoint does not take events of that type.",
	}
)

// page requires a live session (sending the browser to sign in
// otherwise), checks the form token of unsafe requests, and renders what
// the handler's error says.
func (d *Dashboard) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := d.session(r)
		if err != nil {
			d.fail(w, r, nil, err)
			return
		}
		if s == nil {
			http.Redirect(w, r, "/sign-in?next="+urlQueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !web.CheckToken(r, s.CSRF) {
			d.render(w, http.StatusForbidden, "problem", problemPage{Page: s.base("Refused", "", r),
				Message: "The form was out of date or not sent from this dashboard. Go back, reload the page and try again."})
			return
		}
		if err := h(w, r, s); err != nil {
			d.fail(w, r, s, err)
		}
	})
}

// problemPage is the data of the page that says what went wrong.
type problemPage struct {
	web.Page
	Message string
}

// errNotFound answers a path that names nothing of the environment.
var errNotFound = resultlinks.Errorf(resultlinks.CodeNotFound, "not found")

// fail renders an error: a not-found page, or a 500 whose cause goes to
// the log only.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	p := web.Page{Title: "Not found"}
	if s != nil {
		p = s.base("Not found", "", r)
	}
	if resultlinks.IsNotFound(err) {
		d.render(w, http.StatusNotFound, "problem", problemPage{Page: p, Message: "There is nothing at this address in your environment."})
		return
	}
	d.cfg.Logger.Error("dashboard page failed", "path", r.URL.Path, "error", err)
	p.Title = "Something went wrong"
	d.render(w, http.StatusInternalServerError, "problem", problemPage{Page: p, Message: "Something went wrong on our side; the server log has the details."})
}

// render writes a page, logging a template that failed.
func (d *Dashboard) render(w http.ResponseWriter, status int, page string, data any) {
	if err := d.tpl.Render(w, status, page, data); err != nil {
		d.cfg.Logger.Error("rendering a dashboard page", "page", page, "error", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
	}
}

// audit records a dashboard action of the session.
func (d *Dashboard) audit(r *http.Request, environmentID, actor, action, target, detail string) {
	err := d.cfg.Store.AddAudit(r.Context(), &resultlinks.AuditRecord{ID: resultlinks.NewID(), EnvironmentID: environmentID,
		At: d.cfg.Now(), Actor: actor, Action: action, Target: target, Detail: detail})
	if err != nil {
		d.cfg.Logger.Error("dashboard audit", "action", action, "error", err)
	}
}

// funcs are the templates' own functions.
func funcs() template.FuncMap {
	return template.FuncMap{
		"badge":    badge,
		"logo":     logo,
		"headers":  headerText,
		"ms":       func(d time.Duration) int64 { return d.Milliseconds() },
		"total":    func(c resultlinks.Changes) int { return c.Total() },
		"models":   func(c resultlinks.Changes) []resultlinks.Model { return c.Models() },
		"rlStatus": func() []resultlinks.DeliveryStatus { return deliveryStates },
	}
}
