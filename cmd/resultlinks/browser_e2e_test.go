package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	fake "github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
	"github.com/resultlinks/resultlinks/internal/browsertest"
	"github.com/resultlinks/resultlinks/sdk"
)

// shots saves screenshots of the pages to RESULTLINKS_SCREENSHOTS, when
// set (the images in docs/ are made this way).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("RESULTLINKS_SCREENSHOTS")
	if dir == "" {
		return
	}
	require.NoError(t, browsertest.Screenshot(ctx, filepath.Join(dir, name+".png")))
}

// apiCall sends a JSON call to the server with the key and answers the
// status and the decoded body.
func apiCall(t *testing.T, method, url, key, integration, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	if integration != "" {
		req.Header.Set("X-Integration-Id", integration)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	return res.StatusCode, out
}

// text reads the text of the element with the id.
func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	require.NoError(t, err, "#%s", id)
	return s
}

// eventually polls the text of the element with the id, reloading the
// page when reload is set, until it contains want.
func eventually(t *testing.T, ctx context.Context, id, want string, reload bool) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID(id)))
		if err == nil && strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("#%s never showed %q; last: %q (%v)", id, want, s, err)
		}
		if reload {
			// A navigation under way aborts the reload; the next round reads again.
			_ = chromedp.Do(ctx, chromedp.Reload())
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestBrowser drives the real server's pages in headless Chromium: a
// customer connects the sandbox and the Greenhouse fake through connect
// links (a refused secret first), the vendor signs in to the dashboard
// with the keyboard, watches the first sync finish without reloading,
// finds a result link posted through the API, and retries a failed one.
func TestBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()

	gh := fake.New(fake.Options{Candidates: 8, Seed: 5})
	ghSrv := httptest.NewServer(gh)
	t.Cleanup(ghSrv.Close)
	db := "sqlite://" + filepath.Join(t.TempDir(), "browser.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	s := serve(t, db, "--tool-url", "greenhouse="+ghSrv.URL)
	defer func() {
		if t.Failed() {
			t.Log(s.logs.String())
		}
	}()

	link := func(tool string) string {
		body := `{"end_user_email": "hr@acme.example", "end_user_organization_name": "Acme", "end_user_origin_id": "cust-42"`
		if tool != "" {
			body += `, "integration_tool": "` + tool + `"`
		}
		status, out := apiCall(t, http.MethodPost, s.url+"/v1/connect/create-link", key, "", body+"}")
		require.Equal(t, 200, status, out)
		return out["data"].(map[string]any)["link"].(string)
	}

	// The customer picks the sandbox from every ATS and connects it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(link(""))))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("tool-greenhouse"))))
	shot(t, ctx, "connect-pick")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("tool-sandbox"))))
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("connect-submit"))))
	require.Contains(t, text(t, ctx, "connected"), "connected")

	// A link preset to Greenhouse, asked for through the Go SDK: the
	// instructions, a refused secret, then the right one.
	client, err := sdk.New(sdk.WithServerURL(s.url+"/v1"), sdk.WithAPIKey(key))
	require.NoError(t, err)
	origin, tool := "cust-43", "greenhouse"
	ghLink, err := client.CreateConnectLink(context.Background(), sdk.PostConnectCreateLinkRequestBody{
		EndUserEmail: "it@globex.example", EndUserOrganizationName: "Globex", EndUserOriginID: &origin, IntegrationTool: &tool})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ghLink)))
	require.Contains(t, text(t, ctx, "steps"), "Dev Center")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("field-client_id"), fake.DefaultClientID),
		chromedp.SendKeys(chromedp.ID("field-client_secret"), "not-the-secret"),
		chromedp.Click(chromedp.ID("connect-submit")),
	))
	verdict := text(t, ctx, "verdict")
	require.NotEmpty(t, verdict)
	shot(t, ctx, "connect-refused")
	value, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("field-client_secret")))
	require.NoError(t, err)
	require.Empty(t, value, "a secret is never put back into the page")
	// Greenhouse lists applications slowly: the first sync is still
	// running when the vendor looks at it.
	gh.InjectFault(fake.Fault{Kind: fake.FaultLatency, Delay: 6 * time.Second, Method: http.MethodGet, Path: "/v3/applications"})
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("field-client_secret"), fake.DefaultClientSecret),
		chromedp.Click(chromedp.ID("connect-submit")),
	))
	token := text(t, ctx, "integration-token")
	shot(t, ctx, "connect-done")
	connected, err := client.GetIntegrationByToken(context.Background(), token)
	require.NoError(t, err)
	ghID := connected.ID
	require.True(t, strings.HasPrefix(ghID, "greenhouse:"), ghID)
	require.Equal(t, "Globex", connected.EndUserOrganizationName)
	require.Equal(t, origin, *connected.EndUserOriginID, "the vendor finds its own customer")

	// The vendor signs in with the keyboard alone.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url+"/integrations/"+ghID)))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("api-key"))))
	shot(t, ctx, "sign-in")
	require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.ID("api-key")), chromedp.KeyEvent(key+"\r")))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("sync-progress"))))
	location, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(location, "/integrations/"+ghID), "signed in, back where it was going: %s", location)

	// The first sync runs, and finishes on the page as it is (live progress).
	eventually(t, ctx, "running-sync", "is running", true) // the job may take a moment to start
	shot(t, ctx, "integration-running")
	eventually(t, ctx, "syncs", "SUCCEEDED", false)
	require.Contains(t, text(t, ctx, "running-sync"), "No sync is running", "the page followed the sync to its end")
	gh.ClearFaults()
	require.Contains(t, text(t, ctx, "setup-status"), "COMPLETED")
	shot(t, ctx, "integration")

	// A result link posted through the API is found in the dashboard.
	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?page_size=2", key, ghID, &apps))
	require.Len(t, apps.Data.Results, 2)
	// post answers the result link's ID, or the error's log_url.
	post := func(app string) (int, string) {
		status, out := apiCall(t, http.MethodPost, s.url+"/v1/ats/applications/"+app+"/result-links", key, ghID, body)
		if status == 200 {
			return status, out["data"].(map[string]any)["result_link_id"].(string)
		}
		return status, out["error"].(map[string]any)["log_url"].(string)
	}
	status, delivered := post(apps.Data.Results[0]["id"].(string))
	require.Equal(t, 200, status)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url+"/result-links")))
	require.Contains(t, text(t, ctx, "rl-"+delivered+"-status"), "DELIVERED")
	shot(t, ctx, "result-links")

	// Greenhouse refuses the next write; the link fails, and is retried
	// from the dashboard once Greenhouse takes writes again.
	gh.InjectFault(fake.Fault{Kind: fake.FaultStatus, Status: http.StatusUnprocessableEntity, Method: http.MethodPatch, Path: "/v3/candidates/*"})
	gh.InjectFault(fake.Fault{Kind: fake.FaultStatus, Status: http.StatusUnprocessableEntity, Method: http.MethodPost, Path: "/v3/notes"})
	status, logURL := post(apps.Data.Results[1]["id"].(string))
	require.NotEqual(t, 200, status)
	// The error's log_url is the call's page in the dashboard.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(logURL)))
	require.Contains(t, text(t, ctx, "call"), "POST /v1/ats/applications/")
	require.Contains(t, text(t, ctx, "error"), "REMOTE.INPUT_INVALID")
	// The filter finds it: the failed links of the Greenhouse integration.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/result-links"),
		chromedp.SetValue(chromedp.ID("f-status"), "FAILED"),
		chromedp.Click(chromedp.ID("filter-submit")),
	))
	require.Eventually(t, func() bool {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		return err == nil && strings.Contains(loc, "status=FAILED")
	}, 10*time.Second, 100*time.Millisecond, "the filter is submitted")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#result-links tbody tr"))))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#result-links tbody tr")].map(r => r.id)`))
	require.NoError(t, err)
	require.Len(t, rows, 1, "only the failed link is listed")
	failed := strings.TrimPrefix(rows[0], "rl-")
	require.NotEqual(t, delivered, failed)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#"+rows[0]+" a"))))
	eventually(t, ctx, "status", "FAILED", true)
	shot(t, ctx, "result-link-failed")
	gh.ClearFaults()
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("retry"))))
	require.Eventually(t, func() bool {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		return err == nil && strings.Contains(loc, "done=retried")
	}, 10*time.Second, 50*time.Millisecond, "the retry is answered with a notice")
	eventually(t, ctx, "status", "DELIVERED", true)

	// On a phone-sized screen the pages do not scroll sideways.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(s.url+"/result-links")))
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	require.NoError(t, err)
	require.False(t, overflow, "the result links page fits a narrow screen")
	shot(t, ctx, "result-links-narrow")
	s.stop(t)
	require.NotContains(t, s.logs.String(), fake.DefaultClientSecret, "a customer's secret never reaches the logs")
	require.NotContains(t, s.logs.String(), key, "nor the API key")
}
