package dashboard

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/web"
	"golang.org/x/time/rate"
)

// Cookie names.
const (
	// SessionCookie holds the session's token.
	SessionCookie = "rl_session"
	// signInCookie holds the sign-in form's token until the visitor signs in.
	signInCookie = "rl_sign_in"
)

// session returns the request's live session, or nil when there is none,
// moving its idle end on when it was last moved more than a minute ago.
func (d *Dashboard) session(r *http.Request) (*session, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	now := d.cfg.Now()
	s, err := d.cfg.Store.FindSession(r.Context(), resultlinks.HashSessionToken(c.Value), now)
	if resultlinks.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if idle := now.Add(d.cfg.IdleTimeout); idle.Sub(s.IdleUntil) > time.Minute {
		if err := d.cfg.Store.TouchSession(r.Context(), s.ID, idle); err != nil {
			return nil, err
		}
		s.IdleUntil = idle
	}
	out := &session{Session: s}
	envs, err := d.cfg.Store.ListEnvironments(r.Context())
	if err != nil {
		return nil, err
	}
	for _, e := range envs {
		if e.ID == s.EnvironmentID {
			out.environment = e.Name
		}
	}
	return out, nil
}

// home sends the visitor to the integrations, or to sign in.
func (d *Dashboard) home(w http.ResponseWriter, r *http.Request) {
	s, err := d.session(r)
	if err != nil {
		d.fail(w, r, nil, err)
		return
	}
	if s == nil {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/integrations", http.StatusSeeOther)
}

// signInData is the sign-in page's data.
type signInData struct {
	web.Page
	Next, Email string
}

// signInPage shows the sign-in forms, with a fresh form token kept in a
// cookie until the visitor signs in.
func (d *Dashboard) signInPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if s, err := d.session(r); err == nil && s != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	d.renderSignIn(w, r, http.StatusOK, signInData{Next: next}, "")
}

// renderSignIn renders the sign-in page with a new form token.
func (d *Dashboard) renderSignIn(w http.ResponseWriter, r *http.Request, status int, data signInData, problem string) {
	token := web.NewToken()
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: token, Path: "/sign-in", MaxAge: 3600,
		HttpOnly: true, Secure: web.CookieSecure(r), SameSite: http.SameSiteLaxMode})
	data.Page = web.Page{Title: "Sign in", CSRF: token, Problem: problem}
	d.render(w, status, "sign-in", data)
}

// badSignIn is the one answer to any failed sign-in: it never says which
// part was wrong.
const badSignIn = "Those sign-in details are not valid."

// dummyHash is checked when no operator has the address, so that an
// unknown address takes as long as a wrong password.
var dummyHash, _ = resultlinks.HashPassword("not a password of anyone")

// signIn signs in with an API key or an operator's e-mail and password,
// starts a session and goes on to the page asked for.
func (d *Dashboard) signIn(w http.ResponseWriter, r *http.Request) {
	data := signInData{Next: safeNext(r.PostFormValue("next")), Email: strings.TrimSpace(r.PostFormValue("email"))}
	if !d.limiter.allow(clientAddr(r, d.cfg.TrustedProxies), d.cfg.Now()) {
		w.Header().Set("Retry-After", "60")
		d.renderSignIn(w, r, http.StatusTooManyRequests, data, "Too many sign-in attempts from your address. Wait a minute and try again.")
		return
	}
	c, err := r.Cookie(signInCookie)
	if err != nil || !web.CheckToken(r, c.Value) {
		d.renderSignIn(w, r, http.StatusForbidden, data, "The sign-in form was out of date. Please try again.")
		return
	}
	ctx := r.Context()
	s := &resultlinks.Session{ID: resultlinks.NewID()}
	if secret := strings.TrimSpace(r.PostFormValue("api_key")); secret != "" {
		key, err := resultlinks.CheckAPIKey(ctx, d.cfg.Store, secret)
		if err != nil && resultlinks.ErrorCode(err) != resultlinks.CodeAuthenticationInvalid {
			d.fail(w, r, nil, err)
			return
		}
		if key != nil {
			s.EnvironmentID, s.APIKeyID, s.Actor = key.EnvironmentID, key.ID, key.Prefix+"…"
		}
	} else if data.Email != "" {
		o, err := d.cfg.Store.FindOperatorByEmail(ctx, strings.ToLower(data.Email))
		if err != nil && !resultlinks.IsNotFound(err) {
			d.fail(w, r, nil, err)
			return
		}
		hash := dummyHash
		if o != nil {
			hash = o.PasswordHash
		}
		if resultlinks.CheckPassword(hash, r.PostFormValue("password")) && o != nil {
			s.EnvironmentID, s.OperatorID, s.Actor = o.EnvironmentID, o.ID, o.Email
		}
	}
	if s.EnvironmentID == "" {
		d.renderSignIn(w, r, http.StatusUnauthorized, data, badSignIn)
		return
	}
	token := web.NewToken()
	now := d.cfg.Now()
	s.TokenHash, s.CSRF, s.CreatedAt = resultlinks.HashSessionToken(token), web.NewToken(), now
	s.IdleUntil, s.ExpiresAt = now.Add(d.cfg.IdleTimeout), now.Add(d.cfg.MaxAge)
	if err := d.cfg.Store.CreateSession(ctx, s); err != nil {
		d.fail(w, r, nil, err)
		return
	}
	if _, err := d.cfg.Store.DeleteSessionsBefore(ctx, now); err != nil {
		d.cfg.Logger.Warn("deleting ended sessions", "error", err)
	}
	d.audit(r, s.EnvironmentID, s.Actor, "dashboard.sign_in", s.ID, "")
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: "", Path: "/sign-in", MaxAge: -1, HttpOnly: true, Secure: web.CookieSecure(r), SameSite: http.SameSiteLaxMode})
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: s.ExpiresAt,
		HttpOnly: true, Secure: web.CookieSecure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// signOut ends the session.
func (d *Dashboard) signOut(w http.ResponseWriter, r *http.Request) {
	s, err := d.session(r)
	if err != nil {
		d.fail(w, r, nil, err)
		return
	}
	if s != nil {
		if !web.CheckToken(r, s.CSRF) {
			d.render(w, http.StatusForbidden, "problem", problemPage{Page: s.base("Refused", "", r),
				Message: "The form was out of date or not sent from this dashboard. Go back, reload the page and try again."})
			return
		}
		if err := d.cfg.Store.DeleteSession(r.Context(), s.ID); err != nil {
			d.fail(w, r, s, err)
			return
		}
		d.audit(r, s.EnvironmentID, s.Actor, "dashboard.sign_out", s.ID, "")
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: web.CookieSecure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

// safeNext returns next when it is a path of this site to go on to after
// signing in, and /integrations otherwise: never another site
// (//host, /\host, a scheme) and never the sign-in pages themselves.
func safeNext(next string) string {
	const home = "/integrations"
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return home
	}
	if u.Path == "/sign-in" || u.Path == "/sign-out" || u.Path == "/" {
		return home
	}
	return u.RequestURI()
}

// urlQueryEscape escapes a value for a query string.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// clientAddr is the address a request came from (the proxy's, behind one).
// clientAddr returns the address of the client that sent r. When the
// connection comes from a trusted proxy, the client is the nearest address
// in X-Forwarded-For that is not a trusted proxy: addresses further left
// were written by the client itself and prove nothing.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	if !isTrusted(host) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop != "" && !isTrusted(hop) {
			return hop
		}
	}
	return host
}

// limiter limits sign-in attempts per client address, in memory.
type limiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	clients map[string]*rate.Limiter
}

func newLimiter(every time.Duration, burst int) *limiter {
	return &limiter{every: every, burst: burst, clients: map[string]*rate.Limiter{}}
}

// allow reports whether the address may try to sign in at now.
func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.clients[addr]
	if !ok {
		if len(l.clients) >= 10_000 {
			// Forget the quiet ones: a full limiter has refilled.
			for a, c := range l.clients {
				if c.TokensAt(now) >= float64(l.burst) {
					delete(l.clients, a)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.clients[addr] = lim
	}
	return lim.AllowN(now, 1)
}
