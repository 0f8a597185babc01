package workable

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Workable list mechanics (vendors.md §3.6; Nango fixture list-candidates):
// records in ascending id order, limit 1–100 (default 50), and
// paging.next, an absolute URL to follow verbatim, whose since_id is the id
// of the first record of the next page (since_id is inclusive). When the
// list was narrowed to one job by shortcode, next points at
// /spi/v3/jobs/{shortcode}/candidates, as in recorded traffic.

const (
	defaultLimit = 50
	maxLimit     = 100
)

type listQuery struct {
	limit            int
	since, max       uint64
	hasSince, hasMax bool
}

func parseHexID(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 16, 64)
	return n, err == nil && s != ""
}

// parseListQuery reads limit, since_id and max_id. A limit outside 1–100 is
// a 422 rather than silently clamped.
func parseListQuery(q url.Values) (listQuery, *response) {
	lq := listQuery{limit: defaultLimit}
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > maxLimit {
			return lq, unprocessable("limit must be an integer between 1 and 100")
		}
		lq.limit = n
	}
	var ok bool
	if q.Has("since_id") {
		if lq.since, ok = parseHexID(q.Get("since_id")); !ok {
			return lq, unprocessable("since_id is not a valid id")
		}
		lq.hasSince = true
	}
	if q.Has("max_id") {
		if lq.max, ok = parseHexID(q.Get("max_id")); !ok {
			return lq, unprocessable("max_id is not a valid id")
		}
		lq.hasMax = true
	}
	return lq, nil
}

// parseAfter reads a created_after / updated_after bound: ISO 8601 or Unix
// seconds. Records match when their timestamp is strictly later.
func parseAfter(q url.Values, name string) (time.Time, bool, *response) {
	if !q.Has(name) {
		return time.Time{}, false, nil
	}
	v := q.Get(name)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false, unprocessable(name + " must be an ISO 8601 timestamp")
	}
	return t, true, nil
}

// page cuts one page out of items (already filtered) and builds paging.next
// against nextPath, keeping the other query parameters of the request.
func page[T any](c *call, items []T, num func(T) uint64, nextPath string) ([]T, *Paging, *response) {
	q := c.r.URL.Query()
	lq, resp := parseListQuery(q)
	if resp != nil {
		return nil, nil, resp
	}
	slices.SortStableFunc(items, func(a, b T) int {
		na, nb := num(a), num(b)
		switch {
		case na < nb:
			return -1
		case na > nb:
			return 1
		}
		return 0
	})
	var in []T
	for _, it := range items {
		n := num(it)
		if (lq.hasSince && n < lq.since) || (lq.hasMax && n > lq.max) {
			continue
		}
		in = append(in, it)
	}
	if len(in) <= lq.limit {
		if in == nil {
			in = []T{}
		}
		return in, nil, nil
	}
	next := url.Values{}
	for k, v := range q {
		if k != "since_id" && k != "shortcode" && k != "limit" {
			next[k] = v
		}
	}
	next.Set("limit", strconv.Itoa(lq.limit))
	next.Set("since_id", strconv.FormatUint(num(in[lq.limit]), 16))
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: c.r.Host, Path: apiPrefix + nextPath, RawQuery: next.Encode()}
	return in[:lq.limit], &Paging{Next: u.String()}, nil
}

type candidateList struct {
	Candidates []Candidate `json:"candidates"`
	Paging     *Paging     `json:"paging,omitempty"`
}

// listCandidates serves GET /candidates.
func (f *Fake) listCandidates(c *call) *response {
	return f.candidatesFor(c, c.r.URL.Query().Get("shortcode"))
}

// listJobCandidates serves GET /jobs/{shortcode}/candidates.
func (f *Fake) listJobCandidates(c *call) *response {
	if _, ok := f.jobBy[c.params[0]]; !ok {
		return notFound()
	}
	return f.candidatesFor(c, c.params[0])
}

func (f *Fake) candidatesFor(c *call, shortcode string) *response {
	q := c.r.URL.Query()
	created, hasCreated, resp := parseAfter(q, "created_after")
	if resp != nil {
		return resp
	}
	updated, hasUpdated, resp := parseAfter(q, "updated_after")
	if resp != nil {
		return resp
	}
	stage, email := q.Get("stage"), q.Get("email")
	var recs []*candidateRec
	for _, rec := range f.candidates {
		d := &rec.d
		switch {
		case rec.deleted,
			shortcode != "" && d.Job.Shortcode != shortcode,
			stage != "" && !strings.EqualFold(stage, f.stages[f.stageIndexByName(d.Stage)].Slug),
			email != "" && !strings.EqualFold(email, d.Email),
			hasCreated && !d.CreatedAt.After(created),
			hasUpdated && !d.UpdatedAt.After(updated):
			continue
		}
		recs = append(recs, rec)
	}
	nextPath := "/candidates"
	if shortcode != "" {
		nextPath = "/jobs/" + shortcode + "/candidates"
	}
	got, paging, resp := page(c, recs, func(r *candidateRec) uint64 { return r.num }, nextPath)
	if resp != nil {
		return resp
	}
	out := candidateList{Candidates: make([]Candidate, 0, len(got)), Paging: paging}
	for _, rec := range got {
		out.Candidates = append(out.Candidates, rec.d.Candidate)
	}
	return jsonResponse(http.StatusOK, out)
}

// liveCandidate finds a candidate that has not been deleted.
func (f *Fake) liveCandidate(id string) (*candidateRec, *response) {
	rec, ok := f.candBy[id]
	if !ok || rec.deleted {
		return nil, notFound()
	}
	return rec, nil
}

// renderDetail builds GET /candidates/{id}'s candidate. Called with f.mu
// held.
func (f *Fake) renderDetail(rec *candidateRec) CandidateDetail {
	d := rec.d
	d.Tags = slices.Clone(d.Tags)
	d.CustomAttributes = []AttributeValue{}
	for _, a := range f.attrs {
		if v, ok := rec.values[a.ID]; ok {
			d.CustomAttributes = append(d.CustomAttributes, AttributeValue{Key: a.ID, Label: a.Label, Type: a.Type, Value: v})
		}
	}
	return d
}

// getCandidate serves GET /candidates/{id} as {"candidate": {...}}.
func (f *Fake) getCandidate(c *call) *response {
	rec, resp := f.liveCandidate(c.params[0])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, map[string]CandidateDetail{"candidate": f.renderDetail(rec)})
}

type activityList struct {
	Activities []Activity `json:"activities"`
	Paging     *Paging    `json:"paging,omitempty"`
}

// listActivities serves GET /candidates/{id}/activities, oldest first;
// comments appear here with action "comment".
func (f *Fake) listActivities(c *call) *response {
	rec, resp := f.liveCandidate(c.params[0])
	if resp != nil {
		return resp
	}
	var items []*Comment
	for _, a := range f.activities {
		if a.CandidateID == rec.d.ID {
			items = append(items, a)
		}
	}
	got, paging, resp := page(c, items, func(a *Comment) uint64 { n, _ := parseHexID(a.ID); return n },
		"/candidates/"+rec.d.ID+"/activities")
	if resp != nil {
		return resp
	}
	out := activityList{Activities: make([]Activity, 0, len(got)), Paging: paging}
	for _, a := range got {
		out.Activities = append(out.Activities, a.Activity)
	}
	return jsonResponse(http.StatusOK, out)
}

type jobList struct {
	Jobs   []Job   `json:"jobs"`
	Paging *Paging `json:"paging,omitempty"`
}

// listJobs serves GET /jobs, filtered by state and created_after.
func (f *Fake) listJobs(c *call) *response {
	q := c.r.URL.Query()
	created, hasCreated, resp := parseAfter(q, "created_after")
	if resp != nil {
		return resp
	}
	var items []Job
	for _, j := range f.jobs {
		if (q.Has("state") && j.State != q.Get("state")) || (hasCreated && !j.CreatedAt.After(created)) {
			continue
		}
		items = append(items, j)
	}
	got, paging, resp := page(c, items, func(j Job) uint64 { n, _ := parseHexID(j.ID); return n }, "/jobs")
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, jobList{Jobs: got, Paging: paging})
}

type stageList struct {
	Stages []Stage `json:"stages"`
}

// listStages serves GET /stages, the account's pipeline.
func (f *Fake) listStages(*call) *response {
	return jsonResponse(http.StatusOK, stageList{Stages: slices.Clone(f.stages)})
}

// listJobStages serves GET /jobs/{shortcode}/stages. Every seeded job uses
// the account pipeline.
func (f *Fake) listJobStages(c *call) *response {
	if _, ok := f.jobBy[c.params[0]]; !ok {
		return notFound()
	}
	return jsonResponse(http.StatusOK, stageList{Stages: slices.Clone(f.stages)})
}

type memberList struct {
	Members []Member `json:"members"`
	Paging  *Paging  `json:"paging,omitempty"`
}

// listMembers serves GET /members, filtered by role, email and status
// (active or inactive; both when absent).
func (f *Fake) listMembers(c *call) *response {
	q := c.r.URL.Query()
	status := q.Get("status")
	if status != "" && status != "active" && status != "inactive" {
		return unprocessable("status must be active or inactive")
	}
	var items []Member
	for _, m := range f.members {
		switch {
		case status == "active" && !m.Active,
			status == "inactive" && m.Active,
			q.Has("role") && m.Role != q.Get("role"),
			q.Has("email") && !strings.EqualFold(m.Email, q.Get("email")):
			continue
		}
		m.Roles = slices.Clone(m.Roles)
		items = append(items, m)
	}
	got, paging, resp := page(c, items, func(m Member) uint64 { n, _ := parseHexID(m.ID); return n }, "/members")
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, memberList{Members: got, Paging: paging})
}

type attributeList struct {
	CustomAttributes []CustomAttribute `json:"custom_attributes"`
}

// listCustomAttributes serves GET /custom_attributes: every definition,
// disabled ones included.
func (f *Fake) listCustomAttributes(*call) *response {
	out := attributeList{CustomAttributes: make([]CustomAttribute, 0, len(f.attrs))}
	for _, a := range f.attrs {
		out.CustomAttributes = append(out.CustomAttributes, cloneAttribute(a))
	}
	return jsonResponse(http.StatusOK, out)
}

func cloneAttribute(a CustomAttribute) CustomAttribute {
	a.Choices = slices.Clone(a.Choices)
	return a
}
