package personio_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/personio"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Scopes: []string{personio.ScopeRecruitingRead, "personio:persons:read"}})
	with := func(k, v string) url.Values {
		f := goodForm()
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name      string
		form      url.Values
		wantError string
		wantScope string
	}{
		{name: "client credentials", form: goodForm(), wantScope: "personio:recruiting:read personio:persons:read"},
		{name: "narrower scope", form: with("scope", personio.ScopeRecruitingRead), wantScope: personio.ScopeRecruitingRead},
		{name: "scope not granted", form: with("scope", "personio:absences:write"), wantError: "invalid_scope"},
		{name: "wrong secret", form: with("client_secret", "nope"), wantError: "invalid_client"},
		{name: "no client id", form: with("client_id", ""), wantError: "invalid_request"},
		{name: "other grant", form: with("grant_type", "password"), wantError: "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := b.tokenRequest(t, tt.form)
			if tt.wantError != "" {
				require.Equal(t, http.StatusBadRequest, res.status, "body: %s", res.body)
				var e personio.TokenError
				res.decode(t, &e)
				require.Equal(t, tt.wantError, e.Error)
				require.NotEmpty(t, e.ErrorDescription)
				require.NotEmpty(t, e.TraceID)
				return
			}
			require.Equal(t, http.StatusOK, res.status, "body: %s", res.body)
			var tok struct {
				AccessToken string `json:"access_token"`
				TokenType   string `json:"token_type"`
				ExpiresIn   int    `json:"expires_in"`
				Scope       string `json:"scope"`
			}
			res.decode(t, &tok)
			require.True(t, strings.HasPrefix(tok.AccessToken, "papi-"))
			require.Equal(t, "Bearer", tok.TokenType)
			require.Equal(t, 86400, tok.ExpiresIn)
			require.Equal(t, tt.wantScope, tok.Scope)
		})
	}

	// A JSON body is not accepted.
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/v2/auth/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, send(t, http.DefaultClient, req).status)
}

func TestResourceAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Candidates: 2, TokenTTL: time.Hour})
	good := b.token(t)
	narrow := setup(t, personio.Options{Scopes: []string{"personio:persons:read"}})
	noScope := narrow.token(t)
	tests := []struct {
		name       string
		b          *testBundle
		token      string
		edit       func(*http.Request)
		path       string
		wantStatus int
		wantTitle  string
	}{
		{name: "good token", b: b, token: good, path: "/v2/recruiting/candidates", wantStatus: http.StatusOK},
		{name: "no token", b: b, path: "/v2/recruiting/candidates",
			edit: func(r *http.Request) { r.Header.Del("Authorization") }, wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "unknown token", b: b, token: "papi-forged", path: "/v2/recruiting/candidates",
			wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "client secret as token", b: b, token: personio.DefaultClientSecret, path: "/v2/recruiting/jobs",
			wantStatus: http.StatusUnauthorized, wantTitle: "Unauthorized"},
		{name: "missing scope", b: narrow, token: noScope, path: "/v2/recruiting/candidates",
			wantStatus: http.StatusForbidden, wantTitle: "Forbidden"},
		{name: "no Beta header", b: b, token: good, path: "/v2/recruiting/candidates",
			edit: func(r *http.Request) { r.Header.Del("Beta") }, wantStatus: http.StatusBadRequest, wantTitle: "Beta header required"},
		{name: "unknown path", b: b, token: good, path: "/v2/recruiting/notes", wantStatus: http.StatusNotFound, wantTitle: "Not found"},
		{name: "no writes", b: b, token: good, path: "/v2/recruiting/applications",
			edit: func(r *http.Request) { r.Method = http.MethodPost }, wantStatus: http.StatusNotFound, wantTitle: "Not found"},
		{name: "unknown candidate", b: b, token: good, path: "/v2/recruiting/candidates/1",
			wantStatus: http.StatusNotFound, wantTitle: "Resource not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := tt.b.get(t, tt.path, tt.token, tt.edit)
			require.Equal(t, tt.wantStatus, res.status, "body: %s", res.body)
			if tt.wantTitle != "" {
				require.Equal(t, tt.wantTitle, problemOf(t, res).Errors[0].Title)
			}
		})
	}

	t.Run("expiry, revocation", func(t *testing.T) {
		b := setup(t, personio.Options{TokenTTL: time.Hour})
		tok := b.token(t)
		b.clock.Advance(59 * time.Minute)
		require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
		b.clock.Advance(time.Minute)
		require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", tok, nil).status)

		tok = b.token(t)
		b.fake.RevokeCredentials()
		require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
		require.Equal(t, http.StatusBadRequest, b.tokenRequest(t, goodForm()).status)
		b.fake.RestoreCredentials()
		require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", tok, nil).status, "old tokens stay dead")
		tok = b.token(t)
		require.Equal(t, http.StatusOK, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
		b.fake.ExpireTokens()
		require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", tok, nil).status)

		tok = b.token(t)
		req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/v2/auth/revoke", strings.NewReader("token="+tok))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		require.Equal(t, http.StatusNoContent, send(t, http.DefaultClient, req).status)
		require.Equal(t, http.StatusUnauthorized, b.get(t, "/v2/recruiting/jobs", tok, nil).status)
	})
}

func TestCursorPaging(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Seed: 7, Candidates: 25})
	tok := b.token(t)
	pages := b.walk(t, "/v2/recruiting/candidates?limit=10", tok)
	require.Equal(t, []int{10, 10, 5}, []int{len(pages[0]), len(pages[1]), len(pages[2])})

	cands := b.fake.Candidates()
	slices.SortFunc(cands, func(a, b personio.Candidate) int {
		if d := b.UpdatedAt.Compare(a.UpdatedAt); d != 0 {
			return d
		}
		return strings.Compare(b.ID, a.ID)
	})
	var want []string
	for _, c := range cands {
		want = append(want, c.ID)
	}
	require.Equal(t, want, slices.Concat(pages...), "newest update first, nothing lost or repeated")

	// The next link is absolute and carries only the cursor.
	var body listBody
	b.get(t, "/v2/recruiting/candidates?limit=10", tok, nil).decode(t, &body)
	next, err := url.Parse(body.Meta.Links["next"].Href)
	require.NoError(t, err)
	require.Equal(t, b.srv.URL+"/v2/recruiting/candidates", next.Scheme+"://"+next.Host+next.Path)
	require.Equal(t, []string{"cursor"}, slices.Collect(maps.Keys(next.Query())))
	require.Contains(t, body.Meta.Links["self"].Href, "limit=10")

	// A cursor belongs to its list; garbage and bad limits are 400s.
	res := b.get(t, "/v2/recruiting/applications?"+next.RawQuery, tok, nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "Invalid cursor", problemOf(t, res).Errors[0].Title)
	for _, q := range []string{"cursor=zzz", "limit=0", "limit=201", "limit=ten"} {
		res := b.get(t, "/v2/recruiting/candidates?"+q, tok, nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		problemOf(t, res)
	}

	// The default limit is 100; applications and jobs page the same way.
	require.Len(t, b.walk(t, "/v2/recruiting/candidates", tok), 1)
	apps := slices.Concat(b.walk(t, "/v2/recruiting/applications?limit=7", tok)...)
	require.Len(t, apps, len(b.fake.Applications("")))
	require.Greater(t, len(apps), 25)
	require.Len(t, slices.Concat(b.walk(t, "/v2/recruiting/jobs?limit=2", tok)...), 5)
}

func TestUpdatedSince(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Seed: 3, Candidates: 30})
	tok := b.token(t)
	cands := b.fake.Candidates()
	b.clock.Advance(time.Hour)
	since := b.clock.Now()
	b.clock.Advance(time.Second)
	require.True(t, b.fake.TouchCandidate(cands[4].ID))
	b.clock.Advance(time.Second)
	require.True(t, b.fake.TouchCandidate(cands[20].ID))
	b.clock.Advance(time.Second)
	app := b.fake.Applications(cands[9].ID)[0]
	cat := b.fake.Categories()[0]
	job := slices.IndexFunc(b.fake.Jobs(), func(j personio.Job) bool { return j.ID == app.JobID })
	stages := b.fake.Categories()[0].Stages
	if b.fake.Jobs()[job].CategoryID != cat.ID {
		stages = b.fake.Categories()[1].Stages
	}
	require.True(t, b.fake.MoveApplication(app.ID, stages[3].ID))
	require.False(t, b.fake.MoveApplication(app.ID, "999"))

	q := url.Values{"updated_at.gt": {since.Format(time.RFC3339)}, "limit": {"2"}}
	pages := b.walk(t, "/v2/recruiting/candidates?"+q.Encode(), tok)
	require.Len(t, pages, 2, "the filter survives in the cursor")
	require.Equal(t, []string{cands[9].ID, cands[20].ID, cands[4].ID}, slices.Concat(pages...))

	q = url.Values{"updated_at.gt": {since.Format(time.RFC3339)}}
	require.Equal(t, [][]string{{app.ID}}, b.walk(t, "/v2/recruiting/applications?"+q.Encode(), tok))

	var body listBody
	b.get(t, "/v2/recruiting/applications/"+app.ID+"/stage-transitions", tok, nil).decode(t, &body)
	last := body.Data[len(body.Data)-1]
	require.Equal(t, stages[3].ID, last["stage"].(map[string]any)["id"])

	q = url.Values{"updated_at.lt": {since.Format(time.RFC3339)}, "limit": {"200"}}
	require.Len(t, slices.Concat(b.walk(t, "/v2/recruiting/candidates?"+q.Encode(), tok)...), 27)

	res := b.get(t, "/v2/recruiting/candidates?updated_at.gt=2026-01-01T00:00:00Z&updated_at.lt=2026-02-01T00:00:00Z", tok, nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, http.StatusBadRequest, b.get(t, "/v2/recruiting/candidates?updated_at.gt=yesterday", tok, nil).status)

	var one listBody
	b.get(t, "/v2/recruiting/candidates?email="+url.QueryEscape(strings.ToUpper(cands[2].Email)), tok, nil).decode(t, &one)
	require.Len(t, one.Data, 1)
	require.Equal(t, cands[2].ID, one.Data[0]["id"])
}

func TestReadShapes(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Seed: 1, Candidates: 3})
	tok := b.token(t)
	cand := b.fake.Candidates()[0]
	app := b.fake.Applications(cand.ID)[0]

	var c map[string]any
	b.get(t, "/v2/recruiting/candidates/"+cand.ID, tok, nil).decode(t, &c)
	require.Equal(t, cand.Email, c["email"])
	require.Equal(t, cand.UpdatedAt.Format(time.RFC3339), c["updated_at"])
	require.Len(t, c["applications"], len(b.fake.Applications(cand.ID)))

	var a map[string]any
	b.get(t, "/v2/recruiting/applications/"+app.ID, tok, nil).decode(t, &a)
	require.Equal(t, cand.ID, a["candidate"].(map[string]any)["id"])
	require.Equal(t, app.JobID, a["job"].(map[string]any)["id"])
	require.Equal(t, app.StageID, a["current_stage"].(map[string]any)["id"])
	require.Equal(t, map[string]any{"date-time": app.UpdatedAt.Format(time.RFC3339), "timezone": "UTC"}, a["updated_at"])

	var cats listBody
	b.get(t, "/v2/recruiting/categories", tok, nil).decode(t, &cats)
	require.Len(t, cats.Data, 2)
	stageIDs := map[string]bool{}
	for _, cat := range cats.Data {
		for _, s := range cat["stages"].([]any) {
			stageIDs[s.(map[string]any)["id"].(string)] = true
		}
	}
	for _, ap := range b.fake.Applications("") {
		require.True(t, stageIDs[ap.StageID])
	}
	var job map[string]any
	b.get(t, "/v2/recruiting/jobs/"+app.JobID, tok, nil).decode(t, &job)
	require.Contains(t, []string{cats.Data[0]["id"].(string), cats.Data[1]["id"].(string)},
		job["category"].(map[string]any)["id"])

	x := personio.New(personio.Options{Seed: 5, Candidates: 8})
	y := personio.New(personio.Options{Seed: 5, Candidates: 8})
	require.Equal(t, x.Candidates(), y.Candidates())
	require.Equal(t, x.Applications(""), y.Applications(""))

	require.True(t, b.fake.DeleteCandidate(cand.ID))
	require.False(t, b.fake.DeleteCandidate(cand.ID))
	require.Equal(t, http.StatusNotFound, b.get(t, "/v2/recruiting/candidates/"+cand.ID, tok, nil).status)
	require.Equal(t, http.StatusNotFound, b.get(t, "/v2/recruiting/applications/"+app.ID, tok, nil).status)
	require.Len(t, slices.Concat(b.walk(t, "/v2/recruiting/candidates", tok)...), 2)
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	b := setup(t, personio.Options{Candidates: 1})
	tok := b.token(t)
	b.get(t, "/v2/recruiting/jobs?limit=3", tok, func(r *http.Request) {
		r.Header.Set("X-Personio-App-ID", "RESULTLINKS")
	})
	logged := b.fake.Requests()
	require.Len(t, logged, 2)
	require.Equal(t, personio.DefaultClientID, logged[0].ClientID)
	require.Equal(t, "/v2/recruiting/jobs", logged[1].Path)
	require.Equal(t, "limit=3", logged[1].Query)
	require.Equal(t, "RESULTLINKS", logged[1].AppID)
	require.Equal(t, http.StatusOK, logged[1].Status)
}
