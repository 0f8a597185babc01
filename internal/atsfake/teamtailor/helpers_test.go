package teamtailor_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

type testBundle struct {
	fake  *teamtailor.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts teamtailor.Options) *testBundle {
	t.Helper()
	c := fakekittest.NewClock(fakekittest.Start)
	if opts.Now == nil {
		opts.Now = c.Now
	}
	f := teamtailor.New(opts)
	srv := fakekittest.Serve(t, f)
	return &testBundle{fake: f, srv: srv, clock: c}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	fakekittest.Decode(t, r.body, v)
}

// listDoc is a list document as a client decodes it.
type listDoc struct {
	Data     []teamtailor.Resource `json:"data"`
	Included []teamtailor.Resource `json:"included"`
	Links    map[string]string     `json:"links"`
	Meta     map[string]any        `json:"meta"`
}

type oneDoc struct {
	Data teamtailor.Resource `json:"data"`
}

// request builds a request with the default key, API version and (for a
// body) the JSON:API content type; edit may change any of it.
func (b *testBundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + target
	}
	req := fakekittest.NewRequest(t, method, target, body)
	req.Header.Set("Authorization", "Token token="+teamtailor.DefaultAPIKey)
	req.Header.Set("X-Api-Version", teamtailor.DefaultAPIVersion)
	if body != nil {
		req.Header.Set("Content-Type", teamtailor.MediaType)
	}
	if edit != nil {
		edit(req)
	}
	return req
}

func (b *testBundle) call(t *testing.T, method, target string, body any) result {
	t.Helper()
	return send(t, http.DefaultClient, b.request(t, method, target, body, nil))
}

func send(t *testing.T, client *http.Client, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, client, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

func errorsOf(t *testing.T, r result) []teamtailor.ErrorObject {
	t.Helper()
	var e teamtailor.ErrorsBody
	r.decode(t, &e)
	require.NotEmpty(t, e.Errors, "errors document: %s", r.body)
	require.Equal(t, teamtailor.MediaType, r.header.Get("Content-Type"))
	return e.Errors
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// rel builds a to-one relationship member for a write.
func rel(typ string, id int64) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": itoa(id)}}
}

// walk follows links.next from target until it is absent and returns the
// ids per page.
func (b *testBundle) walk(t *testing.T, target string) (pages [][]string) {
	t.Helper()
	for target != "" {
		res := b.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var doc listDoc
		res.decode(t, &doc)
		var ids []string
		for _, r := range doc.Data {
			ids = append(ids, r.ID)
		}
		pages = append(pages, ids)
		target = doc.Links["next"]
		require.Less(t, len(pages), 500, "paging does not terminate")
	}
	return pages
}

// list GETs target, requires 200 and decodes a fresh list document.
func (b *testBundle) list(t *testing.T, target string) listDoc {
	t.Helper()
	res := b.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
	var doc listDoc
	res.decode(t, &doc)
	return doc
}
