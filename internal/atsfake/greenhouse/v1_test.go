package greenhouse_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

// v1 sends a Harvest v1 request with Basic key auth and, when onBehalfOf is
// set, the On-Behalf-Of header.
func (b *testBundle) v1(t *testing.T, method, target, key, onBehalfOf string, body any) result {
	t.Helper()
	return send(t, b.request(t, method, target, body, func(r *http.Request) {
		if key != "" {
			r.SetBasicAuth(key, "")
		}
		if onBehalfOf != "" {
			r.Header.Set("On-Behalf-Of", onBehalfOf)
		}
	}))
}

var v1LinkRE = regexp.MustCompile(`<([^>]+)>; rel="(next|prev|last)"`)

func v1Links(h http.Header) map[string]string {
	out := map[string]string{}
	for _, m := range v1LinkRE.FindAllStringSubmatch(h.Get("Link"), -1) {
		out[m[2]] = m[1]
	}
	return out
}

func TestV1BasicAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 2, APIKey: "secret-v1-key"})
	tests := []struct {
		name       string
		edit       func(*http.Request)
		wantStatus int
	}{
		{"no credentials", func(*http.Request) {}, http.StatusUnauthorized},
		{"wrong key", func(r *http.Request) { r.SetBasicAuth("nope", "") }, http.StatusUnauthorized},
		{"v3 bearer token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+b.adminToken(t)) }, http.StatusUnauthorized},
		{"key as username, blank password", func(r *http.Request) { r.SetBasicAuth("secret-v1-key", "") }, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := send(t, b.request(t, http.MethodGet, "/v1/candidates", nil, tt.edit))
			require.Equal(t, tt.wantStatus, res.status)
			if tt.wantStatus == http.StatusUnauthorized {
				require.JSONEq(t, `{"message":"Invalid Basic Auth credentials"}`, string(res.body))
			}
		})
	}
	require.Equal(t, "secret-v1-key", b.fake.APIKey())
}

func TestV1Paging(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Seed: 1, Candidates: 25})
	key := greenhouse.DefaultAPIKey

	res := b.v1(t, http.MethodGet, "/v1/candidates?per_page=10", key, "", nil)
	require.Equal(t, http.StatusOK, res.status)
	links := v1Links(res.header)
	require.Contains(t, links, "next")
	require.Contains(t, links, "last")
	require.NotContains(t, links, "prev")
	last, err := url.Parse(links["last"])
	require.NoError(t, err)
	require.Equal(t, "3", last.Query().Get("page"))

	var ids []int64
	target := "/v1/candidates?per_page=10"
	for pages := 0; target != ""; pages++ {
		require.Less(t, pages, 10)
		res := b.v1(t, http.MethodGet, target, key, "", nil)
		require.Equal(t, http.StatusOK, res.status)
		var items []struct {
			ID             int64   `json:"id"`
			ApplicationIDs []int64 `json:"application_ids"`
		}
		res.decode(t, &items)
		for _, it := range items {
			ids = append(ids, it.ID)
			require.NotEmpty(t, it.ApplicationIDs, "v1 candidates embed their application ids")
		}
		if pages > 0 {
			require.Contains(t, v1Links(res.header), "prev")
		}
		target = v1Links(res.header)["next"]
	}
	require.Len(t, ids, 25)
	require.Equal(t, b.fake.Candidates()[0].ID, ids[0], "v1 lists ascending")

	res = b.v1(t, http.MethodGet, "/v1/candidates?per_page=10&skip_count=true", key, "", nil)
	require.NotContains(t, v1Links(res.header), "last")

	res = b.v1(t, http.MethodGet, "/v1/candidates?per_page=501", key, "", nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.JSONEq(t, `{"message":"Validation error","errors":[{"message":"Must be an integer between 1 and 500","field":"per_page"}]}`,
		string(res.body))
}

func TestV1CustomFieldsAndNotes(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 3})
	key := greenhouse.DefaultAPIKey
	admin := itoa(greenhouse.AdminUserID)
	cand := b.fake.Candidates()[1]
	path := "/v1/candidates/" + itoa(cand.ID)

	// Definitions by field type; archived ones only on request.
	var defs []map[string]any
	b.v1(t, http.MethodGet, "/v1/custom_fields/candidate", key, "", nil).decode(t, &defs)
	keys := map[string]bool{}
	for _, d := range defs {
		keys[d["name_key"].(string)] = true
	}
	require.True(t, keys["portfolio"])
	require.False(t, keys["legacy_score"])
	defs = nil
	b.v1(t, http.MethodGet, "/v1/custom_fields/candidate?include_inactive=true", key, "", nil).decode(t, &defs)
	require.Len(t, defs, len(keys)+1)

	// Create a field (the documented response wraps it in an array).
	res := b.v1(t, http.MethodPost, "/v1/custom_fields", key, admin, map[string]any{
		"name": "Acme Result", "field_type": "candidate", "value_type": "url", "private": false,
	})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var created []map[string]any
	res.decode(t, &created)
	require.Len(t, created, 1)
	require.Equal(t, "acme_result", created[0]["name_key"])

	// Writes need On-Behalf-Of.
	patch := map[string]any{"custom_fields": []any{
		map[string]any{"name_key": "acme_result", "value": "https://acme.example/r/9"},
		map[string]any{"id": created[0]["id"], "value": "https://acme.example/r/9"},
	}}
	res = b.v1(t, http.MethodPatch, path, key, "", patch)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Contains(t, string(res.body), `"field":"On-Behalf-Of"`)

	res = b.v1(t, http.MethodPatch, path, key, admin, patch)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var v1cand struct {
		CustomFields      map[string]any                         `json:"custom_fields"`
		KeyedCustomFields map[string]greenhouse.CustomFieldValue `json:"keyed_custom_fields"`
	}
	res.decode(t, &v1cand)
	require.Equal(t, "https://acme.example/r/9", v1cand.CustomFields["acme_result"])
	require.Equal(t, "url", v1cand.KeyedCustomFields["acme_result"].Type)
	require.Equal(t, "https://acme.example/r/9", b.fake.CandidateCustomFields(cand.ID)["acme_result"].Value)
	logged := b.fake.Requests()
	require.Equal(t, greenhouse.AdminUserID, logged[len(logged)-1].ActingUserID)
	require.Equal(t, admin, logged[len(logged)-1].OnBehalfOf)

	// v1 rejects null (use delete_value instead).
	res = b.v1(t, http.MethodPatch, path, key, admin, map[string]any{"custom_fields": []any{
		map[string]any{"name_key": "acme_result", "value": nil},
	}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Equal(t, "Validation error", res.errorBody(t).Message)
	res = b.v1(t, http.MethodPatch, path, key, admin, map[string]any{"custom_fields": []any{
		map[string]any{"name_key": "acme_result", "delete_value": "true"},
	}})
	require.Equal(t, http.StatusOK, res.status)
	require.NotContains(t, b.fake.CandidateCustomFields(cand.ID), "acme_result")

	// Activity-feed note, with the legacy misspelled key.
	res = b.v1(t, http.MethodPost, path+"/activity_feed/notes", key, admin, map[string]any{
		"user_id": greenhouse.AdminUserID, "body": "Acme Result: https://acme.example/r/9", "visibility": "admin_only",
	})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var note map[string]any
	res.decode(t, &note)
	require.Equal(t, "admin_only", note["visiblity"])
	require.Equal(t, "admin_only", note["visibility"])
	require.Equal(t, true, note["private"])
	require.Equal(t, "Avery Admin", note["user"].(map[string]any)["name"])

	res = b.v1(t, http.MethodPost, path+"/activity_feed/notes", key, admin, map[string]any{"body": "no user"})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)

	var feed struct {
		Notes []map[string]any `json:"notes"`
	}
	b.v1(t, http.MethodGet, path+"/activity_feed", key, "", nil).decode(t, &feed)
	require.Len(t, feed.Notes, 1)
	notes := b.fake.CandidateNotes(cand.ID)
	require.Len(t, notes, 1)
	require.Equal(t, "admin_only_visible", *notes[0].Visibility, "v1 notes read back through v3 spelling")
	require.True(t, strings.HasPrefix(notes[0].Body, "Acme Result"))
}
