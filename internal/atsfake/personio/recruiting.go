package personio

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging limits of the v2 recruiting lists.
const (
	defaultLimit = 100
	maxLimit     = 200
)

// item is one record of a list, with its sort key.
type item struct {
	id      string
	updated time.Time
	body    any
}

// cursor is the opaque paging state; the next link carries it alone, so it
// also remembers the list it belongs to, the limit and the filters.
type cursor struct {
	Path    string            `json:"p"`
	Limit   int               `json:"l"`
	Filters map[string]string `json:"f,omitempty"`
	After   int64             `json:"u"`
	AfterID string            `json:"i"`
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Limit < 1 || c.Limit > maxLimit {
		return cursor{}, false
	}
	return c, true
}

// compareItems orders newest update first, then the larger id first (ids
// compare by length, then text, so numeric ids sort numerically).
func compareItems(a, b item) int {
	if d := b.updated.Compare(a.updated); d != 0 {
		return d
	}
	if d := cmp.Compare(len(b.id), len(a.id)); d != 0 {
		return d
	}
	return cmp.Compare(b.id, a.id)
}

// listRequest is a parsed list request: the cursor state (fresh or
// decoded) and the filter values that apply.
type listRequest struct {
	cur cursor
	gt  time.Time
	lt  time.Time
}

// parseList reads limit, cursor and the filters named in allowed
// (updated_at.gt, updated_at.lt, email). With a cursor, the other
// parameters are ignored and the cursor's own are used.
func (f *Fake) parseList(r *http.Request, allowed ...string) (*listRequest, *response) {
	q := r.URL.Query()
	lr := &listRequest{}
	if c := q.Get("cursor"); c != "" {
		cur, ok := decodeCursor(c)
		if !ok || cur.Path != r.URL.Path {
			return nil, f.problem(http.StatusBadRequest, "Invalid cursor", "The cursor is malformed or belongs to another list.")
		}
		lr.cur = cur
	} else {
		lr.cur = cursor{Path: r.URL.Path, Limit: defaultLimit, Filters: map[string]string{}}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxLimit {
				return nil, f.problem(http.StatusBadRequest, "Invalid limit",
					"limit must be an integer from 1 to "+strconv.Itoa(maxLimit)+".")
			}
			lr.cur.Limit = n
		}
		for _, name := range allowed {
			if v := q.Get(name); v != "" {
				lr.cur.Filters[name] = v
			}
		}
	}
	fl := lr.cur.Filters
	if fl["updated_at.gt"] != "" && fl["updated_at.lt"] != "" {
		return nil, f.problem(http.StatusBadRequest, "Invalid filters",
			"updated_at.gt and updated_at.lt cannot be combined.")
	}
	for name, dst := range map[string]*time.Time{"updated_at.gt": &lr.gt, "updated_at.lt": &lr.lt} {
		if v := fl[name]; v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, f.problem(http.StatusBadRequest, "Invalid "+name, name+" must be an RFC 3339 date-time.")
			}
			*dst = t
		}
	}
	return lr, nil
}

// page sorts items, skips past the cursor, cuts one page and renders
// {"_data": [...], "_meta": {"links": {"self", "next"}}}; next is present
// only while more records follow.
func (f *Fake) page(r *http.Request, lr *listRequest, items []item) *response {
	var kept []item
	for _, it := range items {
		if !lr.gt.IsZero() && !it.updated.After(lr.gt) {
			continue
		}
		if !lr.lt.IsZero() && !it.updated.Before(lr.lt) {
			continue
		}
		kept = append(kept, it)
	}
	slices.SortFunc(kept, compareItems)
	start := 0
	if lr.cur.AfterID != "" {
		mark := item{id: lr.cur.AfterID, updated: time.Unix(0, lr.cur.After).UTC()}
		start, _ = slices.BinarySearchFunc(kept, mark, compareItems)
		if start < len(kept) && compareItems(kept[start], mark) == 0 {
			start++
		}
	}
	end := min(start+lr.cur.Limit, len(kept))
	data := make([]any, 0, end-start)
	for _, it := range kept[start:end] {
		data = append(data, it.body)
	}
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	links := map[string]any{"self": map[string]string{"href": base + r.URL.RequestURI()}}
	if end < len(kept) {
		next := lr.cur
		last := kept[end-1]
		next.After, next.AfterID = last.updated.UnixNano(), last.id
		links["next"] = map[string]string{"href": base + r.URL.Path + "?cursor=" + url.QueryEscape(encodeCursor(next))}
	}
	return rawJSON(http.StatusOK, "application/json", map[string]any{
		"_data": data, "_meta": map[string]any{"links": links},
	})
}

func (f *Fake) renderCandidate(c *Candidate) map[string]any {
	apps := []map[string]any{}
	for _, a := range f.apps {
		if a.CandidateID == c.ID {
			apps = append(apps, map[string]any{"id": a.ID, "application_date": a.ApplicationDate})
		}
	}
	return map[string]any{
		"id": c.ID, "first_name": c.FirstName, "last_name": c.LastName, "email": c.Email,
		"phone": c.Phone, "location": c.Location, "linkedin_profile": nullable(c.LinkedinProfile),
		"applications": apps,
		"created_at":   formatTime(c.CreatedAt), "updated_at": formatTime(c.UpdatedAt),
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func renderStage(s Stage) map[string]any {
	return map[string]any{"id": s.ID, "name": s.Name, "type": s.Type, "kind": s.Kind}
}

func (f *Fake) renderApplication(a *Application) map[string]any {
	c, j := f.candByID[a.CandidateID], f.jobByID[a.JobID]
	return map[string]any{
		"id": a.ID, "application_date": a.ApplicationDate,
		"candidate":     map[string]any{"id": c.ID, "email": c.Email, "first_name": c.FirstName, "last_name": c.LastName},
		"job":           map[string]any{"id": j.ID, "name": j.Name},
		"current_stage": renderStage(f.stageByID[a.StageID]),
		"channel":       map[string]any{"name": a.Channel},
		"is_anonymized": false,
		"created_at":    zonedTime(a.CreatedAt), "updated_at": zonedTime(a.UpdatedAt),
	}
}

func (f *Fake) renderJob(j *Job) map[string]any {
	return map[string]any{
		"id": j.ID, "name": j.Name, "status": j.Status,
		"department": map[string]any{"name": j.Department},
		"category":   map[string]any{"id": j.CategoryID},
		"created_at": zonedTime(j.CreatedAt), "updated_at": zonedTime(j.UpdatedAt),
	}
}

func renderCategory(c *Category) map[string]any {
	stages := make([]map[string]any, 0, len(c.Stages))
	for _, s := range c.Stages {
		stages = append(stages, renderStage(s))
	}
	return map[string]any{"id": c.ID, "name": c.Name, "stages": stages}
}

func (f *Fake) notFound(kind, id string) *response {
	return f.problem(http.StatusNotFound, "Resource not found", "There is no "+kind+" with the id "+id+".")
}

// listCandidates is GET /v2/recruiting/candidates (limit, cursor,
// updated_at.gt or updated_at.lt, email), newest update first.
func (f *Fake) listCandidates(r *http.Request, _ string) *response {
	lr, resp := f.parseList(r, "updated_at.gt", "updated_at.lt", "email")
	if resp != nil {
		return resp
	}
	email := strings.ToLower(lr.cur.Filters["email"])
	var items []item
	for _, c := range f.candidates {
		if email != "" && strings.ToLower(c.Email) != email {
			continue
		}
		items = append(items, item{id: c.ID, updated: c.UpdatedAt, body: f.renderCandidate(c)})
	}
	return f.page(r, lr, items)
}

// getCandidate is GET /v2/recruiting/candidates/{id}; it answers the
// candidate object itself.
func (f *Fake) getCandidate(_ *http.Request, id string) *response {
	c, ok := f.candByID[id]
	if !ok {
		return f.notFound("candidate", id)
	}
	return rawJSON(http.StatusOK, "application/json", f.renderCandidate(c))
}

// listApplications is GET /v2/recruiting/applications (limit, cursor,
// updated_at.gt or updated_at.lt), newest update first.
func (f *Fake) listApplications(r *http.Request, _ string) *response {
	lr, resp := f.parseList(r, "updated_at.gt", "updated_at.lt")
	if resp != nil {
		return resp
	}
	items := make([]item, 0, len(f.apps))
	for _, a := range f.apps {
		items = append(items, item{id: a.ID, updated: a.UpdatedAt, body: f.renderApplication(a)})
	}
	return f.page(r, lr, items)
}

// getApplication is GET /v2/recruiting/applications/{id}.
func (f *Fake) getApplication(_ *http.Request, id string) *response {
	a, ok := f.appByID[id]
	if !ok {
		return f.notFound("application", id)
	}
	return rawJSON(http.StatusOK, "application/json", f.renderApplication(a))
}

// listStageTransitions is GET /v2/recruiting/applications/{id}/stage-transitions,
// oldest first.
func (f *Fake) listStageTransitions(r *http.Request, id string) *response {
	if _, ok := f.appByID[id]; !ok {
		return f.notFound("application", id)
	}
	lr, resp := f.parseList(r)
	if resp != nil {
		return resp
	}
	ts := f.transitions[id]
	items := make([]item, 0, len(ts))
	for i, t := range ts {
		// Lists sort newest first; a sort key that falls with i keeps the
		// transitions in the order they happened.
		items = append(items, item{id: strconv.Itoa(i + 1), updated: seedEpoch.Add(-time.Duration(i) * time.Second),
			body: map[string]any{"stage": renderStage(f.stageByID[t.StageID]), "entered_at": zonedTime(t.EnteredAt)}})
	}
	return f.page(r, lr, items)
}

// listJobs is GET /v2/recruiting/jobs (limit, cursor, updated_at.gt or
// updated_at.lt).
func (f *Fake) listJobs(r *http.Request, _ string) *response {
	lr, resp := f.parseList(r, "updated_at.gt", "updated_at.lt")
	if resp != nil {
		return resp
	}
	items := make([]item, 0, len(f.jobs))
	for _, j := range f.jobs {
		items = append(items, item{id: j.ID, updated: j.UpdatedAt, body: f.renderJob(j)})
	}
	return f.page(r, lr, items)
}

// getJob is GET /v2/recruiting/jobs/{id}.
func (f *Fake) getJob(_ *http.Request, id string) *response {
	j, ok := f.jobByID[id]
	if !ok {
		return f.notFound("job", id)
	}
	return rawJSON(http.StatusOK, "application/json", f.renderJob(j))
}

// listCategories is GET /v2/recruiting/categories, each with its stages.
func (f *Fake) listCategories(r *http.Request, _ string) *response {
	lr, resp := f.parseList(r)
	if resp != nil {
		return resp
	}
	items := make([]item, 0, len(f.categories))
	for i, c := range f.categories {
		items = append(items, item{id: c.ID, updated: seedEpoch.Add(-time.Duration(i) * time.Second), body: renderCategory(c)})
	}
	return f.page(r, lr, items)
}

// getCategory is GET /v2/recruiting/categories/{id}.
func (f *Fake) getCategory(_ *http.Request, id string) *response {
	for _, c := range f.categories {
		if c.ID == id {
			return rawJSON(http.StatusOK, "application/json", renderCategory(c))
		}
	}
	return f.notFound("category", id)
}
