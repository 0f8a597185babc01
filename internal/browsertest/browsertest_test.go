package browsertest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/browsertest"
)

// TestBrowserRunsScriptsAndForms checks the harness itself: a page's
// script runs and a form posts back.
func TestBrowserRunsScriptsAndForms(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><form method="post" action="/done"><input id="name" name="name"><button id="go">Go</button></form>`+
			`<p id="js"></p><script src="/s.js"></script>`)
	})
	mux.HandleFunc("GET /s.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `document.getElementById("js").textContent = "scripted";`)
	})
	mux.HandleFunc("POST /done", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<p id="out">hello `+r.PostFormValue("name")+`</p>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx := browsertest.New(t)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")))
	js, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("js")))
	require.NoError(t, err)
	require.Equal(t, "scripted", js)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("name"), "world"),
		chromedp.Click(chromedp.ID("go")),
	))
	out, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("out")))
	require.NoError(t, err)
	require.Equal(t, "hello world", out)
}
