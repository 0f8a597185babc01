package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/web"
)

func TestRenderEscapesAndUsesTheLayout(t *testing.T) {
	t.Parallel()
	pages := fstest.MapFS{"hello.html": {Data: []byte(`{{define "content"}}<p id="msg">{{.Message}}</p>{{end}}`)}}
	tpls, err := web.Parse(pages, nil)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	data := struct {
		web.Page
		Message string
	}{Page: web.Page{Title: "Hello", SignedIn: true, Section: "webhooks", CSRF: "tok"}, Message: `<script>alert(1)</script>`}
	require.NoError(t, tpls.Render(rec, http.StatusTeapot, "hello", data))
	require.Equal(t, http.StatusTeapot, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, "<title>Hello · resultlinks</title>")
	require.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	require.NotContains(t, body, "<script>alert(1)")
	require.Contains(t, body, `<a href="/webhooks" aria-current="page">Webhooks</a>`)
	require.Contains(t, body, `name="csrf_token" value="tok"`)
	require.Error(t, tpls.Render(httptest.NewRecorder(), 200, "missing", data))
}

func TestProtect(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "fine") })
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		if !web.CheckToken(r, "secret-token") {
			http.Error(w, "bad token", http.StatusForbidden)
			return
		}
		io.WriteString(w, "posted")
	})
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	srv := httptest.NewServer(web.Protect(mux, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)

	resp, err := http.Get(srv.URL + "/ok")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	require.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))

	post := func(token, fetchSite string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/form", strings.NewReader(url.Values{web.TokenField: {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", fetchSite)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name, token, site string
		want              int
	}{
		{"same origin, right token", "secret-token", "same-origin", http.StatusOK},
		{"no browser headers, right token", "secret-token", "", http.StatusOK},
		{"cross site", "secret-token", "cross-site", http.StatusForbidden},
		{"wrong token", "guess", "same-origin", http.StatusForbidden},
		{"no token", "", "same-origin", http.StatusForbidden},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, post(tt.token, tt.site), tt.name)
	}

	resp, err = http.Get(srv.URL + "/boom")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	require.NotContains(t, string(body), "boom", "a panic's value is not shown")
}

func TestStatic(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(web.Static())
	t.Cleanup(srv.Close)
	for _, f := range []string{"/static/app.css", "/static/app.js"} {
		resp, err := http.Get(srv.URL + f)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, f)
	}
}

func TestCookieSecureBehindHTTPS(t *testing.T) {
	t.Parallel()
	secure := func(opts ...web.Option) string {
		h := web.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "c", Value: "v", Secure: web.CookieSecure(r)})
		}), slog.New(slog.DiscardHandler), opts...)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		return rec.Header().Get("Set-Cookie")
	}
	require.NotContains(t, secure(), "Secure", "plain HTTP")
	require.NotContains(t, secure(web.BehindHTTPS(false)), "Secure")
	require.Contains(t, secure(web.BehindHTTPS(true)), "Secure", "TLS ended at a proxy: the public URL is https")
}
