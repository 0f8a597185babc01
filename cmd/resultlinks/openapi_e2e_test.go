package main_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIDescribesEveryAnswer drives the real server through every
// endpoint, successes and errors, and validates each answer against the
// OpenAPI document the server itself serves.
func TestOpenAPIDescribesEveryAnswer(t *testing.T) {
	t.Parallel()
	db := "sqlite://" + filepath.Join(t.TempDir(), "oa.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "sandbox", "--quiet")
	other := run(t, env, "integrations", "create", "--tool", "sandbox", "--quiet")
	s := serve(t, db)

	res, err := http.Get(s.url + "/v1/openapi.json")
	require.NoError(t, err)
	spec, _ := io.ReadAll(res.Body)
	res.Body.Close()
	doc, err := libopenapi.NewDocument(spec)
	require.NoError(t, err)
	v, errs := validator.NewValidator(doc)
	require.Empty(t, errs)
	ok, verrs := v.ValidateDocument()
	require.True(t, ok, "%v", verrs)

	checked := map[string]bool{}
	call := func(method, path, body string, headers map[string]string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Body = io.NopCloser(bytes.NewReader(raw))
		vreq, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
		for k, v := range req.Header {
			vreq.Header[k] = v
		}
		ok, verrs := v.ValidateHttpResponse(vreq, res)
		var msgs []string
		for _, e := range verrs {
			msgs = append(msgs, e.Message+": "+e.Reason)
			for _, se := range e.SchemaValidationErrors {
				msgs = append(msgs, "  "+se.FieldPath+": "+se.Reason)
			}
		}
		require.True(t, ok, "%s %s answered %d, not as documented:\n%s\n%s", method, path, res.StatusCode, strings.Join(msgs, "\n"), raw)
		checked[fmt.Sprintf("%s %d", method, res.StatusCode)] = true
		return res.StatusCode, string(raw)
	}
	auth := map[string]string{"Authorization": "Bearer " + key}
	ats := map[string]string{"Authorization": "Bearer " + key, "X-Integration-Id": integ}

	call("GET", "/healthz", "", nil)
	call("GET", "/readyz", "", nil)
	call("GET", "/v1/check-api-key", "", auth)
	call("GET", "/v1/check-api-key", "", nil) // 401
	code, page1 := call("GET", "/v1/ats/candidates?page_size=3&include_deleted=true", "", ats)
	require.Equal(t, 200, code)
	next := between(page1, `"next":"`, `"`)
	call("GET", "/v1/ats/candidates?cursor="+next, "", ats)
	code, apps := call("GET", "/v1/ats/applications?page_size=2&outcomes=PENDING,HIRED", "", ats)
	require.Equal(t, 200, code)
	appID := between(apps, `"id":"`, `"`)
	candID := between(apps[strings.Index(apps, `"candidate":`):], `"id":"`, `"`)
	call("GET", "/v1/ats/applications?page_size=999", "", ats) // 400
	call("GET", "/v1/ats/candidates", "", auth)                // 400: no X-Integration-Id
	code, answer := call("POST", "/v1/ats/applications/"+appID+"/result-links", body, ats)
	require.Equal(t, 200, code)
	rlID := between(answer, `"result_link_id":"`, `"`)
	withKey := map[string]string{"Authorization": "Bearer " + key, "X-Integration-Id": integ, "Idempotency-Key": "k1"}
	call("POST", "/v1/ats/candidates/"+candID+"/result-links", body, withKey)
	call("POST", "/v1/ats/candidates/"+candID+"/result-links", `{"label":"x","url":"https://x.example"}`, withKey) // 422
	async := map[string]string{"Authorization": "Bearer " + key, "X-Integration-Id": integ, "Prefer": "respond-async"}
	call("POST", "/v1/ats/applications/"+appID+"/result-links", body, async)
	call("POST", "/v1/ats/applications/"+appID+"/result-links", `{"label":""}`, ats) // 400
	code, errAnswer := call("POST", "/v1/ats/applications/nope/result-links", body, ats)
	require.Equal(t, 404, code)
	call("GET", "/v1/result-links?page_size=2", "", auth)
	call("GET", "/v1/result-links/"+rlID, "", auth)
	call("POST", "/v1/result-links/"+rlID+"/retry", "", auth) // 400: delivered
	logURL := between(errAnswer, `"log_url":"`, `"`)
	require.True(t, strings.HasPrefix(logURL, s.url+"/interactions/"), "log_url names the call's page: %s", logURL)
	call("GET", "/v1"+strings.TrimPrefix(logURL, s.url), "", auth)
	call("POST", "/v1/force-sync", `{"type":"DELTA"}`, ats)
	code, syncs := call("GET", "/v1/syncs?page_size=5", "", ats)
	require.Equal(t, 200, code)
	syncID := between(syncs, `"id":"`, `"`)
	require.NotEmpty(t, syncID, "the first sync is recorded")
	code, _ = call("GET", "/v1/syncs/"+syncID, "", auth)
	require.Equal(t, 200, code)
	call("GET", "/v1/syncs/nope", "", auth) // 404
	call("GET", "/v1/integrations/"+integ, "", auth)
	call("DELETE", "/v1/integrations/"+other, "{}", auth)
	call("GET", "/v1/integrations/"+other, "", auth) // 404
	code, hook := call("POST", "/v1/webhooks", `{"url":"https://hooks.example.com/rl","events":["result-link-failed"]}`, auth)
	require.Equal(t, 200, code)
	hookID := between(hook, `"id":"`, `"`)
	call("POST", "/v1/webhooks", `{"url":"nope"}`, auth) // 400
	call("GET", "/v1/webhooks", "", auth)
	call("GET", "/v1/webhooks/"+hookID+"/deliveries?page_size=5", "", auth)
	call("POST", "/v1/webhooks/"+hookID+"/resend", `{"event_id":"nope"}`, auth) // 404
	call("DELETE", "/v1/webhooks/"+hookID, "", auth)
	code, created := call("POST", "/v1/connect/create-link", `{"end_user_email":"hr@acme.example","end_user_organization_name":"Acme","integration_tool":"sandbox"}`, auth)
	require.Equal(t, 200, code)
	call("POST", "/v1/connect/create-link", `{"end_user_email":"hr@acme.example","integration_category":"HRIS"}`, auth) // 400
	call("GET", "/v1/connect/integration-by-token/nope", "", auth)                                                      // 404
	itok := connectThroughLink(t, between(created, `"link":"`, `"`))
	code, _ = call("GET", "/v1/connect/integration-by-token/"+itok, "", auth)
	require.Equal(t, 200, code)
	call("GET", "/v1/openapi.json", "", nil)
	require.GreaterOrEqual(t, len(checked), 9, "successes and errors of several kinds were checked: %v", checked)

	// The validation can fail: an answer missing a required key is refused.
	req, _ := http.NewRequest("GET", s.url+"/v1/check-api-key", nil)
	bad := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"status":"success","data":{"environment_id":"x"}}`)), Request: req}
	ok, _ = v.ValidateHttpResponse(req, bad)
	require.False(t, ok, "customer_id is required")
	s.stop(t)
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	return s[:strings.Index(s, end)]
}

// connectThroughLink connects the sandbox through a connect link's pages,
// as a customer's browser would, and returns the integration token.
func connectThroughLink(t *testing.T, link string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res, err := client.Get(link)
	require.NoError(t, err)
	form, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode, string(form))
	action := res.Request.URL.String()
	csrf := between(string(form), `name="csrf_token" value="`, `"`)
	res, err = client.PostForm(action, url.Values{"csrf_token": {csrf}})
	require.NoError(t, err)
	done, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode, string(done))
	return between(string(done), `data-integration-token="`, `"`)
}
