// Package connect serves the pages of the hosted connect flow: a vendor's
// customer opens a single-use link, picks their ATS (or gets the one the
// vendor preset), reads where in that ATS to create the credentials,
// enters them, and gets the ATS's verdict at once. Credentials the ATS
// accepts become an integration; nothing is stored before that.
package connect

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/web"
)

//go:embed pages/*.html
var pageFiles embed.FS

// DefaultCheckTimeout bounds one credential check with the ATS.
const DefaultCheckTimeout = 30 * time.Second

// cookieName is the cookie holding the form token of one link's pages.
const cookieName = "rl_connect"

// Backend is what the pages need of the server.
type Backend interface {
	// Check builds the integration the link's customer asks for and
	// checks its credentials with the ATS; nothing is stored.
	Check(ctx context.Context, link *resultlinks.ConnectLink, tool string, credentials json.RawMessage) (*resultlinks.Integration, error)
	// Complete stores the checked integration and marks the link used
	// (ConnectStore.CompleteConnectLink), then starts its first sync.
	Complete(ctx context.Context, link *resultlinks.ConnectLink, in *resultlinks.Integration, integrationTokenHash []byte) error
}

// Pages are the connect flow's pages.
type Pages struct {
	store        resultlinks.ConnectStore
	registry     *connector.Registry
	backend      Backend
	logger       *slog.Logger
	tpl          *web.Templates
	now          func() time.Time
	checkTimeout time.Duration
}

// New returns the pages over the store's links, the registry's connectors
// and the backend.
func New(store resultlinks.ConnectStore, registry *connector.Registry, backend Backend, logger *slog.Logger) (*Pages, error) {
	tpl, err := web.Parse(mustSub(), nil)
	if err != nil {
		return nil, err
	}
	return &Pages{store: store, registry: registry, backend: backend, logger: logger, tpl: tpl,
		now: func() time.Time { return time.Now().UTC() }, checkTimeout: DefaultCheckTimeout}, nil
}

// SetCheckTimeout changes how long one credential check may take.
func (p *Pages) SetCheckTimeout(d time.Duration) { p.checkTimeout = d }

// Mount adds the pages' routes.
func (p *Pages) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /connect/{token}", p.picker)
	mux.HandleFunc("GET /connect/{token}/{tool}", p.form)
	mux.HandleFunc("POST /connect/{token}/{tool}", p.submit)
}

// toolCard is one tool of the picker.
type toolCard struct {
	Tool, Label, Href, Logo string
	Sync                    bool
}

type pickerPage struct {
	web.Page
	Organization string
	Tools        []toolCard
}

// field is one input of the credentials form.
type field struct {
	connector.Field
	// Value is what the customer entered; never set for a secret.
	Value string
	// Error says what is wrong with the value.
	Error string
}

type formPage struct {
	web.Page
	Organization string
	Tool         string
	Label        string
	Logo         string
	Steps        []string
	Fields       []field
	Action       string
	// Back leads to the picker; empty when the tool is preset.
	Back string
	// Verdict is the ATS's refusal of the last attempt.
	Verdict string
	// Attempts is how many attempts remain before the link locks, shown
	// after a refusal.
	Attempts int
	// Sync says the tool takes no result links, only reads.
	Sync bool
}

type donePage struct {
	web.Page
	Organization     string
	Label            string
	IntegrationToken string
	Tool             string
}

type gonePage struct {
	web.Page
	Code    string
	Message string
}

// link finds the usable link of the request's token, or answers the page
// that says why there is none and returns nil.
func (p *Pages) link(w http.ResponseWriter, r *http.Request) *resultlinks.ConnectLink {
	l, err := p.store.FindConnectLink(r.Context(), resultlinks.HashConnectToken(r.PathValue("token")))
	if err == nil {
		err = l.Usable(p.now())
	}
	if err != nil {
		p.gone(w, err)
		return nil
	}
	return l
}

// gone answers the page of a link that cannot be used: 404 for an unknown
// one, 410 for one that expired, was used or is locked.
func (p *Pages) gone(w http.ResponseWriter, err error) {
	status := http.StatusGone
	title := "This link can no longer be used"
	switch resultlinks.ErrorCode(err) {
	case resultlinks.CodeNotFound:
		status, title = http.StatusNotFound, "This link is not known"
	case resultlinks.CodeConnectLinkExpired:
		title = "This link expired"
	case resultlinks.CodeConnectLinkUsed:
		title = "This link was already used"
	case resultlinks.CodeConnectLinkLocked:
		title = "This link is locked"
	default:
		p.logger.Error("connect link", "error", err)
		p.render(w, http.StatusInternalServerError, "gone", gonePage{Page: web.Page{Title: "Something went wrong"},
			Code: string(resultlinks.CodeUnknown), Message: "Something went wrong on our side. Try again in a moment."})
		return
	}
	p.render(w, status, "gone", gonePage{Page: web.Page{Title: title}, Code: string(resultlinks.ErrorCode(err)), Message: resultlinks.ErrorMessage(err)})
}

func (p *Pages) render(w http.ResponseWriter, status int, page string, data any) {
	if err := p.tpl.Render(w, status, page, data); err != nil {
		p.logger.Error("rendering connect page", "page", page, "error", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
	}
}

// picker answers the tool picker, or leads to the preset tool's form.
func (p *Pages) picker(w http.ResponseWriter, r *http.Request) {
	l := p.link(w, r)
	if l == nil {
		return
	}
	base := "/connect/" + r.PathValue("token") + "/"
	if l.Tool != "" {
		http.Redirect(w, r, base+l.Tool, http.StatusSeeOther)
		return
	}
	page := pickerPage{Page: web.Page{Title: "Connect your ATS"}, Organization: l.EndUser.OrganizationName}
	for _, info := range p.registry.Tools() {
		page.Tools = append(page.Tools, toolCard{Tool: info.Tool, Label: info.Label, Href: base + info.Tool,
			Logo: httpapi.ToolLogo(info.Tool), Sync: !info.CanWriteResultLinks()})
	}
	p.render(w, http.StatusOK, "picker", page)
}

// tool returns the connector the request names, or answers a not-found
// page: an unknown tool, or another than the link's preset one.
func (p *Pages) tool(w http.ResponseWriter, r *http.Request, l *resultlinks.ConnectLink) (connector.Info, bool) {
	info, ok := p.registry.Lookup(r.PathValue("tool"))
	if !ok || (l.Tool != "" && l.Tool != info.Tool) {
		p.gone(w, resultlinks.Errorf(resultlinks.CodeNotFound, "This link does not connect that tool. Open the link you were given as it is."))
		return connector.Info{}, false
	}
	return info, true
}

// formToken returns the form token of the link's pages, from the
// browser's cookie or a new one it sets.
func (p *Pages) formToken(w http.ResponseWriter, r *http.Request, l *resultlinks.ConnectLink) string {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		return c.Value
	}
	token := web.NewToken()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/connect/" + r.PathValue("token"),
		Expires: l.ExpiresAt, HttpOnly: true, Secure: web.CookieSecure(r), SameSite: http.SameSiteStrictMode})
	return token
}

// newForm returns the form page of a tool, without values.
func (p *Pages) newForm(r *http.Request, l *resultlinks.ConnectLink, info connector.Info, csrf string) formPage {
	page := formPage{Page: web.Page{Title: "Connect " + info.Label, CSRF: csrf}, Organization: l.EndUser.OrganizationName,
		Tool: info.Tool, Label: info.Label, Logo: httpapi.ToolLogo(info.Tool), Steps: info.Setup.Steps,
		Action: "/connect/" + r.PathValue("token") + "/" + info.Tool, Sync: !info.CanWriteResultLinks()}
	if l.Tool == "" {
		page.Back = "/connect/" + r.PathValue("token")
	}
	for _, f := range info.Setup.Fields {
		page.Fields = append(page.Fields, field{Field: f})
	}
	return page
}

// form answers a tool's instructions and credentials form.
func (p *Pages) form(w http.ResponseWriter, r *http.Request) {
	l := p.link(w, r)
	if l == nil {
		return
	}
	info, ok := p.tool(w, r, l)
	if !ok {
		return
	}
	p.render(w, http.StatusOK, "form", p.newForm(r, l, info, p.formToken(w, r, l)))
}

// submit checks the entered credentials with the ATS and, when it accepts
// them, connects the integration.
func (p *Pages) submit(w http.ResponseWriter, r *http.Request) {
	l := p.link(w, r)
	if l == nil {
		return
	}
	info, ok := p.tool(w, r, l)
	if !ok {
		return
	}
	csrf := p.formToken(w, r, l)
	page := p.newForm(r, l, info, csrf)
	if !web.CheckToken(r, csrf) {
		page.Problem = "This form was open too long or came from elsewhere. Enter the values again and connect."
		p.render(w, http.StatusForbidden, "form", page)
		return
	}
	creds, missing := map[string]string{}, false
	for i := range page.Fields {
		f := &page.Fields[i]
		v := strings.TrimSpace(r.PostFormValue(f.Key))
		if !f.Secret {
			f.Value = v
		}
		switch {
		case v != "":
			creds[f.Key] = v
		case !f.Optional:
			f.Error = "Enter the " + f.Label + "."
			missing = true
		}
	}
	if missing {
		page.Problem = "Some values are missing."
		p.render(w, http.StatusUnprocessableEntity, "form", page)
		return
	}
	raw, _ := json.Marshal(creds)
	ctx, cancel := context.WithTimeout(r.Context(), p.checkTimeout)
	in, err := p.backend.Check(ctx, l, info.Tool, raw)
	cancel()
	if err != nil {
		p.refused(w, r, l, page, err)
		return
	}
	token := web.NewToken()
	if err := p.backend.Complete(context.WithoutCancel(r.Context()), l, in, resultlinks.HashConnectToken(token)); err != nil {
		p.gone(w, err)
		return
	}
	p.render(w, http.StatusOK, "done", donePage{Page: web.Page{Title: info.Label + " is connected"},
		Organization: l.EndUser.OrganizationName, Label: info.Label, Tool: info.Tool, IntegrationToken: token})
}

// refused answers the form again with the ATS's verdict, counting the
// refusal against the link.
func (p *Pages) refused(w http.ResponseWriter, r *http.Request, l *resultlinks.ConnectLink, page formPage, err error) {
	code := resultlinks.ErrorCode(err)
	if code == resultlinks.CodeUnknown && !errors.Is(err, context.DeadlineExceeded) {
		p.logger.Error("checking connect credentials", "tool", page.Tool, "error", err)
		page.Verdict = "Something went wrong on our side while checking the credentials. Try again in a moment."
		p.render(w, http.StatusInternalServerError, "form", page)
		return
	}
	n, cerr := p.store.CountConnectFailure(r.Context(), l.ID)
	if cerr != nil {
		p.gone(w, cerr)
		return
	}
	if n >= resultlinks.MaxConnectFailures {
		l.FailedChecks = n
		p.gone(w, l.Usable(p.now()))
		return
	}
	page.Verdict = resultlinks.ErrorMessage(err)
	if errors.Is(err, context.DeadlineExceeded) {
		page.Verdict = page.Label + " did not answer in time. Try again in a moment."
	}
	page.Attempts = resultlinks.MaxConnectFailures - n
	p.render(w, http.StatusUnprocessableEntity, "form", page)
}
