package main_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var fakeBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "atsfake-e2e")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "atsfake")
	out, err := exec.Command("go", "build", "-o", path, "../atsfake").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return path, nil
})

// startFake runs `atsfake <tool>` and returns its first line.
func startFake(t *testing.T, tool string, args ...string) (addr string, creds json.RawMessage) {
	t.Helper()
	bin, err := fakeBinary()
	require.NoError(t, err)
	cmd := exec.Command(bin, append([]string{tool, "--addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = io.Discard
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	var first struct {
		Addr        string          `json:"addr"`
		Credentials json.RawMessage `json:"credentials"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &first), line)
	go io.Copy(io.Discard, out)
	return first.Addr, first.Credentials
}

// harvest reads the fake Greenhouse through its own API, as a person
// looking at Greenhouse would.
func harvest(t *testing.T, creds json.RawMessage, path string, out any) {
	t.Helper()
	var c struct{ ClientID, ClientSecret, BaseURL, AuthURL string }
	var raw map[string]string
	require.NoError(t, json.Unmarshal(creds, &raw))
	c.ClientID, c.ClientSecret, c.BaseURL, c.AuthURL = raw["client_id"], raw["client_secret"], raw["base_url"], raw["auth_url"]
	req, _ := http.NewRequest(http.MethodPost, c.AuthURL+"/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+c.ClientSecret)))
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tok))
	res.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, c.BaseURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	require.NoError(t, json.NewDecoder(res.Body).Decode(out))
}

// TestGreenhouseEndToEnd: the fake Greenhouse as a process, the CLI creates
// the integration and syncs it, the server lists its applications, and a
// result link lands in Greenhouse's candidate custom fields and, after the
// next sync, in the mirror's candidate.
func TestGreenhouseEndToEnd(t *testing.T) {
	t.Parallel()
	_, creds := startFake(t, "greenhouse", "--candidates", "25")
	db := "sqlite://" + filepath.Join(t.TempDir(), "gh.db")
	env := []string{"RESULTLINKS_DATABASE_URL=" + db}
	key := run(t, env, "keys", "create")
	integ := run(t, env, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")
	require.Regexp(t, `^greenhouse:[1-9A-HJ-NP-Za-km-z]{24}$`, integ)

	cmd := exec.Command(bin(t), "sync", integ)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "full sync of "+integ+" done")

	s := serve(t, db, "--log-format", "json")
	var apps page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/applications?page_size=250", key, integ, &apps))
	var fakeApps []map[string]any
	harvest(t, creds, "/v3/applications?per_page=500", &fakeApps)
	require.Len(t, apps.Data.Results, len(fakeApps), "every Greenhouse application is mirrored")
	target := apps.Data.Results[3]
	candID := target["candidate"].(map[string]any)["id"].(string)
	candRemote := target["candidate"].(map[string]any)["remote_id"].(string)

	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/ats/applications/"+target["id"].(string)+"/result-links", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode, string(raw))
	require.Contains(t, string(raw), `"channels":["custom_fields"]`)
	var answer struct {
		Data struct {
			ResultLinkID string `json:"result_link_id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(raw, &answer))

	// The ledger holds the attempt's exchanges with Greenhouse, redacted.
	var ledger struct {
		Data struct {
			Status    string `json:"status"`
			Exchanges []struct {
				Method         string            `json:"method"`
				URL            string            `json:"url"`
				Status         int               `json:"status"`
				RequestHeaders map[string]string `json:"request_headers"`
				ResponseBody   string            `json:"response_body"`
			} `json:"exchanges"`
		} `json:"data"`
	}
	require.Equal(t, 200, get(t, s.url+"/v1/result-links/"+answer.Data.ResultLinkID, key, "", &ledger))
	require.Equal(t, "DELIVERED", ledger.Data.Status)
	require.NotEmpty(t, ledger.Data.Exchanges)
	sawPatch := false
	for _, e := range ledger.Data.Exchanges {
		sawPatch = sawPatch || (e.Method == "PATCH" && e.Status == 200)
		if a, ok := e.RequestHeaders["Authorization"]; ok {
			require.Equal(t, "[REDACTED]", a)
		}
		require.NotContains(t, e.ResponseBody, "atsfake-greenhouse-secret")
	}
	require.True(t, sawPatch, "the custom field write is in the record")

	// Greenhouse shows it on the candidate.
	var cands []struct {
		CustomFields map[string]struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"custom_fields"`
	}
	harvest(t, creds, "/v3/candidates?ids="+candRemote, &cands)
	require.Len(t, cands, 1)
	got := map[string]any{}
	for _, v := range cands[0].CustomFields {
		got[v.Name] = v.Value
	}
	require.Equal(t, "100%", got["Acme: Score"])
	require.Equal(t, "https://acme.example/results/5BtP1WC1", got["Assessment Result"])

	// After the next sync the mirror's candidate has it, read from Greenhouse.
	cmd = exec.Command(bin(t), "sync", "--delta", integ)
	cmd.Env = append(os.Environ(), env...)
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	var c page
	require.Equal(t, 200, get(t, s.url+"/v1/ats/candidates?ids="+candID, key, integ, &c))
	require.Equal(t, "100%", c.Data.Results[0]["custom_fields"].(map[string]any)["Acme: Score"])

	// force-sync queues a sync that the server's job queue runs.
	req, _ = http.NewRequest(http.MethodPost, s.url+"/v1/force-sync", strings.NewReader(`{"type":"FULL"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Integration-Id", integ)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	require.Eventually(t, func() bool {
		return strings.Contains(s.logs.String(), `"msg":"sync finished","integration":"`+integ+`"`)
	}, 20*time.Second, 50*time.Millisecond)
	s.stop(t)
	logs := s.logs.String()
	require.NotContains(t, logs, "atsfake-greenhouse-secret", "the client secret never reaches the logs")
	require.NotContains(t, logs, key, "nor the API key")
	// Every line is JSON; requests and ATS calls carry what operators need.
	sawRequest, sawATS := false, false
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		switch rec["msg"] {
		case "request":
			sawRequest = true
			for _, k := range []string{"request_id", "route", "status", "duration"} {
				require.Contains(t, rec, k, line)
			}
		case "ats call":
			sawATS = true
			for _, k := range []string{"tool", "integration", "status"} {
				require.Contains(t, rec, k, line)
			}
			require.Equal(t, "greenhouse", rec["tool"])
		}
	}
	require.True(t, sawRequest && sawATS)
}
