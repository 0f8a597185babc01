package lever

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Lever list mechanics (vendors.md §2.4; corbaltcode/lever-data-api-go
// reqresp.go): limit 1–100 (default 100), an opaque next token returned with
// hasNext and passed back as offset, and {"data","hasNext","next"} with next
// left out on the last page. The fake's token is a keyset cursor (the sort
// key and id of the last record served), so records created or deleted
// between pages neither repeat nor shift the rest.

const (
	defaultLimit = 100
	maxLimit     = 100
)

type cursor struct {
	key int64
	id  string
}

func (a cursor) less(b cursor) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.id < b.id
}

func encodeCursor(c cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%s", c.key, c.id))
}

func decodeCursor(s string) (cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	k, id, ok := strings.Cut(string(raw), ".")
	if !ok || id == "" {
		return cursor{}, false
	}
	n, err := strconv.ParseInt(k, 10, 64)
	if err != nil {
		return cursor{}, false
	}
	return cursor{key: n, id: id}, true
}

// parseLimit reads limit: absent means the default, anything but an integer
// from 1 to 100 is a 400 (Lever documents the range, not what it does
// outside it; the fake refuses rather than guess).
func parseLimit(q url.Values) (int, *response) {
	if !q.Has("limit") {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n < 1 || n > maxLimit {
		return 0, badRequest("limit must be an integer between 1 and 100")
	}
	return n, nil
}

// paginate serves one page of items, which must already be filtered. The
// order is by key (descending when desc) then id.
func paginate[T any](q url.Values, items []T, keyOf func(T) cursor, desc bool) (*response, Page[T]) {
	limit, resp := parseLimit(q)
	if resp != nil {
		return resp, Page[T]{}
	}
	before := func(a, b cursor) bool {
		if desc {
			return b.less(a)
		}
		return a.less(b)
	}
	slices.SortStableFunc(items, func(a, b T) int {
		ka, kb := keyOf(a), keyOf(b)
		switch {
		case before(ka, kb):
			return -1
		case before(kb, ka):
			return 1
		}
		return 0
	})
	start := 0
	if q.Has("offset") {
		cur, ok := decodeCursor(q.Get("offset"))
		if !ok {
			return badRequest("offset is not a valid pagination token"), Page[T]{}
		}
		start = len(items)
		for i, it := range items {
			if before(cur, keyOf(it)) {
				start = i
				break
			}
		}
	}
	end := min(start+limit, len(items))
	page := Page[T]{Data: slices.Clone(items[start:end])}
	if page.Data == nil {
		page.Data = []T{}
	}
	if end < len(items) {
		page.HasNext = true
		page.Next = encodeCursor(keyOf(items[end-1]))
	}
	return nil, page
}

// parseMillis reads an optional millisecond-epoch filter.
func parseMillis(q url.Values, name string) (int64, bool, *response) {
	if !q.Has(name) {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(q.Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0, false, badRequest(name + " must be a timestamp in milliseconds since the epoch")
	}
	return n, true, nil
}

// timeRange is a [start, end) filter on one timestamp.
type timeRange struct {
	start, end       int64
	hasStart, hasEnd bool
}

func parseRange(q url.Values, startName, endName string) (timeRange, *response) {
	var tr timeRange
	var resp *response
	if tr.start, tr.hasStart, resp = parseMillis(q, startName); resp != nil {
		return tr, resp
	}
	if tr.end, tr.hasEnd, resp = parseMillis(q, endName); resp != nil {
		return tr, resp
	}
	return tr, nil
}

func (tr timeRange) contains(t int64) bool {
	return (!tr.hasStart || t >= tr.start) && (!tr.hasEnd || t < tr.end)
}

func anyOf(values []string, ok func(string) bool) bool {
	if len(values) == 0 {
		return true
	}
	return slices.ContainsFunc(values, ok)
}

// renderOpportunity builds the wire form of rec. Called with f.mu held.
func (f *Fake) renderOpportunity(rec *oppRec) Opportunity {
	o := rec.o
	o.Links = slices.Clone(rec.contact.links)
	o.Emails = slices.Clone(rec.contact.c.Emails)
	o.Phones = slices.Clone(rec.contact.c.Phones)
	o.Tags = slices.Clone(o.Tags)
	o.Sources = slices.Clone(o.Sources)
	o.StageChanges = slices.Clone(o.StageChanges)
	o.Followers = slices.Clone(o.Followers)
	o.Applications = slices.Clone(o.Applications)
	if o.Archived != nil {
		a := *o.Archived
		o.Archived = &a
	}
	return o
}

// expandOpportunity applies expand=applications|stage|owner|followers|
// sourcedBy, replacing ids by the objects they name. Other expand values are
// ignored.
func (f *Fake) expandOpportunity(rec *oppRec, expand []string) any {
	o := f.renderOpportunity(rec)
	if len(expand) == 0 {
		return o
	}
	raw, _ := json.Marshal(o)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	user := func(id *string) any {
		if id == nil {
			return nil
		}
		if i, ok := f.userBy[*id]; ok {
			return f.users[i]
		}
		return *id
	}
	for _, e := range expand {
		for _, name := range strings.Split(e, ",") {
			switch name {
			case "applications":
				m["applications"] = []Application{rec.app}
			case "stage":
				if i, ok := f.stageIndex[o.Stage]; ok {
					m["stage"] = f.stages[i]
				}
			case "owner":
				m["owner"] = user(o.Owner)
			case "sourcedBy":
				m["sourcedBy"] = user(o.SourcedBy)
			case "followers":
				var fs []any
				for _, id := range o.Followers {
					fs = append(fs, user(&id))
				}
				m["followers"] = fs
			}
		}
	}
	return m
}

// listOpportunities serves GET /v1/opportunities.
func (f *Fake) listOpportunities(c *call) *response {
	q := c.r.URL.Query()
	updated, resp := parseRange(q, "updated_at_start", "updated_at_end")
	if resp != nil {
		return resp
	}
	created, resp := parseRange(q, "created_at_start", "created_at_end")
	if resp != nil {
		return resp
	}
	var archived *bool
	if q.Has("archived") {
		b, err := strconv.ParseBool(q.Get("archived"))
		if err != nil {
			return badRequest("archived must be true or false")
		}
		archived = &b
	}
	var recs []*oppRec
	for _, rec := range f.opps {
		o := &rec.o
		switch {
		case rec.deleted,
			!updated.contains(o.UpdatedAt),
			!created.contains(o.CreatedAt),
			archived != nil && *archived != (o.Archived != nil),
			!anyOf(q["email"], func(e string) bool {
				return slices.ContainsFunc(rec.contact.c.Emails, func(x string) bool { return strings.EqualFold(x, e) })
			}),
			!anyOf(q["posting_id"], func(p string) bool { return rec.app.Posting == p }),
			!anyOf(q["stage_id"], func(s string) bool { return o.Stage == s }),
			!anyOf(q["contact_id"], func(id string) bool { return o.Contact == id }),
			!anyOf(q["tag"], func(t string) bool { return slices.Contains(o.Tags, t) }):
			continue
		}
		recs = append(recs, rec)
	}
	resp, page := paginate(q, recs, func(r *oppRec) cursor { return cursor{r.o.CreatedAt, r.o.ID} }, true)
	if resp != nil {
		return resp
	}
	out := Page[any]{Data: make([]any, 0, len(page.Data)), HasNext: page.HasNext, Next: page.Next}
	for _, rec := range page.Data {
		out.Data = append(out.Data, f.expandOpportunity(rec, q["expand"]))
	}
	return jsonResponse(http.StatusOK, out)
}

// listDeletedOpportunities serves GET /v1/opportunities/deleted: the
// opportunities removed since deleted_at_start, each carrying deletedAt and
// deletedBy.
func (f *Fake) listDeletedOpportunities(c *call) *response {
	q := c.r.URL.Query()
	tr, resp := parseRange(q, "deleted_at_start", "deleted_at_end")
	if resp != nil {
		return resp
	}
	var items []Opportunity
	for _, rec := range f.opps {
		if rec.deleted && tr.contains(rec.o.DeletedAt) {
			items = append(items, f.renderOpportunity(rec))
		}
	}
	resp, page := paginate(q, items, func(o Opportunity) cursor { return cursor{o.DeletedAt, o.ID} }, true)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, page)
}

// liveOpportunity finds a non-deleted opportunity or builds the 404.
func (f *Fake) liveOpportunity(id string) (*oppRec, *response) {
	rec, ok := f.oppBy[id]
	if !ok || rec.deleted {
		return nil, notFound("Opportunity " + id + " not found")
	}
	return rec, nil
}

// getOpportunity serves GET /v1/opportunities/{id}.
func (f *Fake) getOpportunity(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, Item[any]{Data: f.expandOpportunity(rec, c.r.URL.Query()["expand"])})
}

// listApplications serves GET /v1/opportunities/{id}/applications.
func (f *Fake) listApplications(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, Page[Application]{Data: []Application{rec.app}})
}

// getApplication serves GET /v1/opportunities/{id}/applications/{appId}.
func (f *Fake) getApplication(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	if rec.app.ID != c.params[1] {
		return notFound("Application " + c.params[1] + " not found")
	}
	return jsonResponse(http.StatusOK, Item[Application]{Data: rec.app})
}

// listNotes serves GET /v1/opportunities/{id}/notes, oldest first.
func (f *Fake) listNotes(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	var items []Note
	for _, n := range f.notes {
		if n.oppID == rec.o.ID {
			items = append(items, cloneNote(n.n))
		}
	}
	resp, page := paginate(c.r.URL.Query(), items, func(n Note) cursor { return cursor{n.CreatedAt, n.ID} }, false)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, page)
}

// getNote serves GET /v1/opportunities/{id}/notes/{noteId}.
func (f *Fake) getNote(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	n, ok := f.noteBy[c.params[1]]
	if !ok || n.oppID != rec.o.ID {
		return notFound("Note " + c.params[1] + " not found")
	}
	return jsonResponse(http.StatusOK, Item[Note]{Data: cloneNote(n.n)})
}

func cloneNote(n Note) Note {
	n.Fields = slices.Clone(n.Fields)
	return n
}

// getContact serves GET /v1/contacts/{id}.
func (f *Fake) getContact(c *call) *response {
	cr, ok := f.contactBy[c.params[0]]
	if !ok || !slices.ContainsFunc(cr.opps, func(r *oppRec) bool { return !r.deleted }) {
		return notFound("Contact " + c.params[0] + " not found")
	}
	return jsonResponse(http.StatusOK, Item[Contact]{Data: cloneContact(cr.c)})
}

func cloneContact(c Contact) Contact {
	c.Emails = slices.Clone(c.Emails)
	c.Phones = slices.Clone(c.Phones)
	return c
}

// listPostings serves GET /v1/postings, newest first, filtered by state.
func (f *Fake) listPostings(c *call) *response {
	q := c.r.URL.Query()
	var items []Posting
	for _, p := range f.postings {
		if anyOf(q["state"], func(s string) bool { return p.State == s }) {
			items = append(items, p)
		}
	}
	resp, page := paginate(q, items, func(p Posting) cursor { return cursor{p.CreatedAt, p.ID} }, true)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, page)
}

// getPosting serves GET /v1/postings/{id}.
func (f *Fake) getPosting(c *call) *response {
	i, ok := f.postingBy[c.params[0]]
	if !ok {
		return notFound("Posting " + c.params[0] + " not found")
	}
	return jsonResponse(http.StatusOK, Item[Posting]{Data: f.postings[i]})
}

// listStages serves GET /v1/stages: the account's pipeline in order, always
// on one page.
func (f *Fake) listStages(*call) *response {
	return jsonResponse(http.StatusOK, Page[Stage]{Data: slices.Clone(f.stages)})
}

// listUsers serves GET /v1/users; deactivated users only with
// includeDeactivated=true.
func (f *Fake) listUsers(c *call) *response {
	q := c.r.URL.Query()
	inactive := q.Get("includeDeactivated") == "true"
	var items []User
	for _, u := range f.users {
		if u.DeactivatedAt != nil && !inactive {
			continue
		}
		if !anyOf(q["email"], func(e string) bool { return strings.EqualFold(u.Email, e) }) ||
			!anyOf(q["access_role"], func(r string) bool { return u.AccessRole == r }) {
			continue
		}
		items = append(items, u)
	}
	resp, page := paginate(q, items, func(u User) cursor { return cursor{u.CreatedAt, u.ID} }, false)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, page)
}

// getUser serves GET /v1/users/{id}.
func (f *Fake) getUser(c *call) *response {
	i, ok := f.userBy[c.params[0]]
	if !ok {
		return notFound("User " + c.params[0] + " not found")
	}
	return jsonResponse(http.StatusOK, Item[User]{Data: f.users[i]})
}
