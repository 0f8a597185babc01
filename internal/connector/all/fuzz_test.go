package all_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/all"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
)

// credentials returns credentials of each tool that point it at base.
func credentials(tool, base string) json.RawMessage {
	c := map[string]any{"base_url": base}
	switch tool {
	case "sandbox":
		return json.RawMessage(`{}`)
	case "ashby", "lever", "smartrecruiters", "teamtailor":
		c["api_key"] = "fuzz-key"
	case "greenhouse":
		c["client_id"], c["client_secret"], c["auth_url"] = "fuzz-1", "fuzz-secret", base
	case "personio":
		c["client_id"], c["client_secret"] = "fuzz-id", "fuzz-secret"
	case "recruitee":
		c["company_id"], c["api_token"] = "1", "fuzz-token"
	case "workable":
		c["subdomain"], c["access_token"], c["member_id"] = "fuzz", "fuzz-token", "m1"
	}
	b, _ := json.Marshal(c)
	return b
}

// FuzzConnectorResponses answers every call of every connector with the
// same arbitrary body: whatever an ATS (or something posing as one) sends,
// a connector returns a page, a receipt or an error, and never panics.
func FuzzConnectorResponses(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `null`, `"x"`, `{"data":[]}`, `[{"id":1}]`, `{"data":{"id":"1"}}`,
		`{"success":true,"results":[{"id":"a"}],"moreDataAvailable":true,"nextCursor":"c"}`,
		`{"success":false,"errors":["x"]}`, `{"content":[{"id":"1"}],"nextPageId":"p"}`,
		`{"candidates":[{"id":1,"name":"A"}],"paging":{"next":"http://127.0.0.1:1/x"}}`,
		`{"access_token":"t","expires_at":"2099-01-01T00:00:00Z","token_type":"Bearer"}`,
		`{"data":[{"id":"1","type":"candidates","attributes":{}}],"links":{"next":null}}`,
		`[{"id":1,"candidate_id":2,"custom_fields":{"a":{"name":"A","value":null}}}]`,
		"\x00\xff{[", `{"_data":[],"_meta":{"links":{"next":{"href":"/x"}}}}`,
	} {
		f.Add([]byte(seed), uint16(200))
	}
	f.Add([]byte(`{"message":"no"}`), uint16(422))
	f.Add([]byte(`<html>`), uint16(503))
	registry := all.Registry()
	f.Fuzz(func(t *testing.T, body []byte, status uint16) {
		code := int(status)%500 + 100
		if code < 200 {
			code = 200
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			w.Write(body)
		}))
		defer srv.Close()
		store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "fuzz.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		for _, info := range registry.Tools() {
			in := &resultlinks.Integration{ID: info.Tool + ":" + resultlinks.NewID(), Tool: info.Tool, Credentials: credentials(info.Tool, srv.URL)}
			c, _, err := registry.Open(in, connector.Deps{State: store, Now: time.Now, Limiters: unpaced{}})
			if err != nil {
				t.Fatalf("%s: credentials for the fuzz test are refused: %v", info.Tool, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			for _, m := range connector.SyncModels {
				_, _ = c.ListPage(ctx, connector.PageRequest{Model: m})
			}
			w := connector.Write{ResultLinkID: resultlinks.NewID(), Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: "1", CandidateRemoteID: "2"},
				Input: resultlinks.ResultLinkInput{Label: "L", URL: "https://x.example", Details: &resultlinks.Details{CustomFieldNamePrefix: "P:", Attributes: []resultlinks.Attribute{{Key: "k", Value: "v"}}}}}
			if info.CanWriteResultLinks() {
				_, _ = c.WriteResultLink(ctx, w)
				_, _ = c.FindResultLink(ctx, w)
			}
			_ = c.CheckCredentials(ctx)
			cancel()
		}
	})
}

// unpaced lets the fuzzer call as fast as it can: pacing is not under test.
type unpaced struct{}

func (unpaced) For(string, int, time.Duration) outbound.Pacer { return unpacer{} }

type unpacer struct{}

func (unpacer) Wait(ctx context.Context) error { return ctx.Err() }
func (unpacer) Block(time.Time)                {}
