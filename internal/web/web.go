// Package web holds what the browser pages share: the layout, the style
// sheet and the little JavaScript they use, all embedded in the binary;
// template rendering; and the protections every page gets (security
// headers, cross-origin refusal of unsafe requests, form tokens, panics
// answered with a plain error page). The dashboard and the connect flow
// build their pages on it.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

//go:embed static templates
var files embed.FS

// Static serves the embedded style sheet and scripts under /static/.
func Static() http.Handler {
	sub, _ := fs.Sub(files, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		fsrv.ServeHTTP(w, r)
	})
}

// Mounter is a set of pages that adds its routes to the pages' mux.
type Mounter interface {
	// Mount adds the pages' routes.
	Mount(mux *http.ServeMux)
}

// Templates are a package's pages, each parsed with the shared layout.
type Templates struct {
	pages map[string]*template.Template
}

// Funcs are the functions every template may call.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"time": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				if v.IsZero() {
					return "—"
				}
				return v.UTC().Format("2006-01-02 15:04:05 UTC")
			case *time.Time:
				if v == nil || v.IsZero() {
					return "—"
				}
				return v.UTC().Format("2006-01-02 15:04:05 UTC")
			}
			return fmt.Sprint(t)
		},
		"ago":   func(t time.Time) string { return Ago(time.Since(t)) },
		"lower": strings.ToLower,
		"join":  strings.Join,
	}
}

// Ago says how long ago something happened, roughly.
func Ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// Parse parses every *.html file of pages, each with the shared layout
// and the extra functions, under its file name without the extension.
// A page defines the blocks "title" and "content".
func Parse(pages fs.FS, extra template.FuncMap) (*Templates, error) {
	names, err := fs.Glob(pages, "*.html")
	if err != nil {
		return nil, err
	}
	t := &Templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		tpl := template.New("layout.html").Funcs(Funcs()).Funcs(extra)
		if tpl, err = tpl.ParseFS(files, "templates/*.html"); err != nil {
			return nil, err
		}
		if tpl, err = tpl.ParseFS(pages, name); err != nil {
			return nil, fmt.Errorf("web: %s: %w", name, err)
		}
		t.pages[strings.TrimSuffix(name, ".html")] = tpl
	}
	return t, nil
}

// Render writes the page with data, with the status. A template that
// fails answers a plain 500 instead of half a page.
func (t *Templates) Render(w http.ResponseWriter, status int, page string, data any) error {
	tpl, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("web: rendering %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// NewToken returns a random token for sessions, forms and links: 32
// bytes, base64url.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenField is the name of the form field that carries a form token.
const TokenField = "csrf_token"

// CheckToken reports whether the request's form token equals want, in
// constant time. An empty want never matches.
func CheckToken(r *http.Request, want string) bool {
	got := r.PostFormValue(TokenField)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// Option changes what Protect does.
type Option func(*options)

type options struct{ https bool }

// BehindHTTPS says the pages are reached over HTTPS even when the server
// itself is not (TLS ends at a proxy in front of it): cookies are Secure.
func BehindHTTPS(on bool) Option { return func(o *options) { o.https = o.https || on } }

// httpsKey marks a request reached over HTTPS at a proxy.
type httpsKey struct{}

// CookieSecure reports whether the cookies answered to r must be Secure:
// r came over TLS, or over HTTPS to a proxy in front (BehindHTTPS).
func CookieSecure(r *http.Request) bool {
	return r.TLS != nil || r.Context().Value(httpsKey{}) != nil
}

// Protect wraps the pages' handler: security headers on every answer,
// unsafe cross-origin requests refused (the browser's Sec-Fetch-Site and
// Origin headers), forms limited to 64 KiB, a panic answered with a plain
// 500, and one log line per request.
func Protect(next http.Handler, logger *slog.Logger, opts ...Option) http.Handler {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "This request came from another site and was refused.", http.StatusForbidden)
	}))
	inner := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if o.https {
			r = r.WithContext(context.WithValue(r.Context(), httpsKey{}, true))
		}
		rec := &status{ResponseWriter: w, code: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.Error("page panicked", "path", r.URL.Path, "panic", fmt.Sprint(p))
				http.Error(rec, "Something went wrong on our side.", http.StatusInternalServerError)
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			logger.Info("page", "method", r.Method, "route", route, "status", rec.code, "duration", time.Since(start))
		}()
		inner.ServeHTTP(rec, r)
	})
}

type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Flush lets streamed answers through.
func (s *status) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
