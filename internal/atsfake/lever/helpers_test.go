package lever_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

// clock is a manual clock for Options.Now.
type clock = fakekittest.Clock

func newClock() *clock { return fakekittest.NewClock(fakekittest.Start) }

type bundle struct {
	fake  *lever.Fake
	srv   *httptest.Server
	clock *clock
}

func setup(t *testing.T, opts lever.Options) *bundle {
	t.Helper()
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.RateLimit.Limit == 0 {
		opts.RateLimit.Limit = -1
	}
	f := lever.New(opts)
	return &bundle{fake: f, srv: fakekittest.Serve(t, f), clock: c}
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

func (r result) errorBody(t *testing.T) lever.ErrorBody {
	t.Helper()
	var e lever.ErrorBody
	r.decode(t, &e)
	return e
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	r := fakekittest.Do(t, http.DefaultClient, req)
	return result{status: r.Status, header: r.Header, body: r.Body}
}

func (b *bundle) request(t *testing.T, method, target string, body any, edit func(*http.Request)) *http.Request {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.srv.URL + target
	}
	req := fakekittest.NewRequest(t, method, target, body)
	if edit != nil {
		edit(req)
	}
	return req
}

// call sends a request authenticated with the default API key.
func (b *bundle) call(t *testing.T, method, target string, body any) result {
	t.Helper()
	return send(t, b.request(t, method, target, body, func(r *http.Request) {
		r.SetBasicAuth(lever.DefaultAPIKey, "")
	}))
}

// listAll follows next/hasNext from path until hasNext is false and returns
// the ids of each page.
func (b *bundle) listAll(t *testing.T, path string) [][]string {
	t.Helper()
	var pages [][]string
	offset := ""
	for {
		target := path
		if offset != "" {
			sep := "?"
			if strings.Contains(target, "?") {
				sep = "&"
			}
			target += sep + "offset=" + url.QueryEscape(offset)
		}
		res := b.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", target, res.body)
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			HasNext bool             `json:"hasNext"`
			Next    *json.RawMessage `json:"next"`
		}
		res.decode(t, &page)
		ids := make([]string, 0, len(page.Data))
		for _, d := range page.Data {
			ids = append(ids, d.ID)
		}
		pages = append(pages, ids)
		if !page.HasNext {
			require.Nil(t, page.Next, "the last page carries no next token")
			return pages
		}
		require.NotNil(t, page.Next)
		require.NoError(t, json.Unmarshal(*page.Next, &offset))
		require.NotEmpty(t, offset)
		require.Less(t, len(pages), 1000, "paging does not terminate")
	}
}

func flatten(pages [][]string) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
