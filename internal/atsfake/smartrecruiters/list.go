package smartrecruiters

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging follows vendors.md §5.6: limit 1–100 (default 10), the first call
// without pageId, and each page naming the next one both in the body
// (nextPageId) and in a Link header with rel="next". The older offset
// parameter is honoured when no pageId is sent. Pages are ordered by
// creation time, so a record changing while a client pages does not move.

const (
	defaultLimit = 10
	maxLimit     = 100
)

// pageToken is what a nextPageId encodes: the sort key of the last record of
// the page. Clients must treat it as opaque.
type pageToken struct {
	T  int64  `json:"t"`
	ID string `json:"i"`
}

// pageItem is one record a list may return, rendered only if it makes the
// page.
type pageItem struct {
	key    time.Time
	id     string
	render func() any
}

type listBody struct {
	TotalFound int    `json:"totalFound"`
	NextPageID string `json:"nextPageId,omitempty"`
	Content    []any  `json:"content"`
}

// page serves one page of items. Called with f.mu held.
func (f *Fake) page(c *call, items []pageItem) *response {
	q := c.r.URL.Query()
	limit := defaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return badRequest("INVALID_PARAMETER", "limit must be an integer between 1 and %d", maxLimit)
		}
		limit = n
	}
	for i := range items {
		items[i].key = items[i].key.Truncate(time.Millisecond)
	}
	slices.SortStableFunc(items, func(a, b pageItem) int {
		if c := a.key.Compare(b.key); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	total := len(items)
	if s := q.Get("pageId"); s != "" {
		var tok pageToken
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || json.Unmarshal(raw, &tok) != nil || tok.ID == "" {
			return badRequest("INVALID_PARAMETER", "pageId is not valid")
		}
		after := time.UnixMilli(tok.T)
		items = slices.DeleteFunc(items, func(it pageItem) bool {
			return it.key.Before(after) || (it.key.Equal(after) && it.id <= tok.ID)
		})
	} else if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return badRequest("INVALID_PARAMETER", "offset must be a non-negative integer")
		}
		items = items[min(n, len(items)):]
	}
	pageItems := items[:min(limit, len(items))]
	body := listBody{TotalFound: total, Content: make([]any, 0, len(pageItems))}
	for _, it := range pageItems {
		body.Content = append(body.Content, it.render())
	}
	var link string
	if len(items) > len(pageItems) {
		last := pageItems[len(pageItems)-1]
		raw, _ := json.Marshal(pageToken{T: last.key.UnixMilli(), ID: last.id})
		body.NextPageID = base64.RawURLEncoding.EncodeToString(raw)
		q.Del("offset")
		q.Set("limit", strconv.Itoa(limit))
		q.Set("pageId", body.NextPageID)
		link = "<" + c.r.URL.Path + "?" + q.Encode() + `>; rel="next"`
	}
	resp := jsonResponse(http.StatusOK, &body)
	if link != "" {
		resp.header.Set("Link", link)
	}
	return resp
}

// updatedAfter reads the optional updatedAfter filter (ISO-8601).
func updatedAfter(c *call) (time.Time, *response) {
	s := c.r.URL.Query().Get("updatedAfter")
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, badRequest("INVALID_PARAMETER", "updatedAfter must be an ISO-8601 date-time such as 2024-01-31T10:00:00.000Z")
	}
	return t, nil
}

// Rendering. Called with f.mu held.

func (f *Fake) assignment(a *appRec) Assignment {
	j := f.jobByID[a.jobID]
	return Assignment{
		Job:    AssignmentJob{ID: j.j.ID, Title: j.j.Title, Actions: map[string]Link{"details": {URL: "/jobs/" + j.j.ID}}},
		Status: a.status, SubStatus: a.subStatus,
	}
}

func (f *Fake) renderCandidate(r *candidateRec) Candidate {
	c := r.c
	c.Tags = slices.Clone(c.Tags)
	if c.Location != nil {
		loc := *c.Location
		c.Location = &loc
	}
	c.SecondaryAssignments = []Assignment{}
	for i, a := range r.apps {
		as := f.assignment(a)
		if i == 0 {
			c.PrimaryAssignment = &as
		} else {
			c.SecondaryAssignments = append(c.SecondaryAssignments, as)
		}
	}
	c.Actions = map[string]Link{"details": {URL: "/candidates/" + c.ID}}
	return c
}

func (f *Fake) renderApplication(r *candidateRec, a *appRec) Application {
	as := f.assignment(a)
	base := "/candidates/" + r.c.ID + "/jobs/" + a.jobID
	return Application{
		CandidateID: r.c.ID, Job: as.Job, Status: a.status, SubStatus: a.subStatus,
		CreatedOn: Time{a.createdOn}, UpdatedOn: Time{a.updatedOn},
		Actions: map[string]Link{"properties": {URL: base + "/properties"}},
	}
}

func (f *Fake) renderJob(r *jobRec) Job {
	j := r.j
	j.Actions = map[string]Link{"details": {URL: "/jobs/" + j.ID}}
	return j
}

// propertyValue renders a stored value in read form.
func (p *propRec) propertyValue(v any) CandidatePropertyValue {
	out := CandidatePropertyValue{ID: p.def.ID, Label: p.def.Label, Type: p.def.Type, Value: v}
	if p.def.Type == PropertySingleSelect {
		for _, o := range p.options {
			if o.ID == v {
				out.Value = o
			}
		}
	}
	return out
}

// propertyValues renders the values set in values, in definition order.
func (f *Fake) propertyValues(values map[string]any) []CandidatePropertyValue {
	out := []CandidatePropertyValue{}
	for _, p := range f.props {
		if v, ok := values[p.def.ID]; ok {
			out = append(out, p.propertyValue(v))
		}
	}
	return out
}

// lookups

func (f *Fake) liveCandidate(id string) (*candidateRec, *response) {
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return nil, notFound("CANDIDATE_NOT_FOUND", "Candidate "+id+" not found")
	}
	return r, nil
}

func (f *Fake) application(c *call) (*candidateRec, *appRec, *response) {
	r, resp := f.liveCandidate(c.params["cid"])
	if resp != nil {
		return nil, nil, resp
	}
	for _, a := range r.apps {
		if a.jobID == c.params["jid"] {
			return r, a, nil
		}
	}
	return nil, nil, notFound("APPLICATION_NOT_FOUND", "Candidate "+r.c.ID+" has not applied to job "+c.params["jid"])
}

// Endpoints.

// listCandidates is GET /candidates with limit, pageId (or offset),
// updatedAfter, q, jobId, status and tag (the last three repeatable). It
// returns only candidates with at least one application.
func (f *Fake) listCandidates(c *call) *response {
	since, resp := updatedAfter(c)
	if resp != nil {
		return resp
	}
	q := c.r.URL.Query()
	text := strings.ToLower(q.Get("q"))
	jobIDs, statuses, tags := q["jobId"], q["status"], q["tag"]
	var items []pageItem
	for _, r := range f.candidates {
		if r.deleted || len(r.apps) == 0 || (!since.IsZero() && !r.c.UpdatedOn.After(since)) {
			continue
		}
		if text != "" && !strings.Contains(strings.ToLower(r.c.FirstName+" "+r.c.LastName+" "+r.c.Email), text) {
			continue
		}
		if len(jobIDs) > 0 && !slices.ContainsFunc(r.apps, func(a *appRec) bool { return slices.Contains(jobIDs, a.jobID) }) {
			continue
		}
		if len(statuses) > 0 && !slices.ContainsFunc(r.apps, func(a *appRec) bool { return slices.Contains(statuses, a.status) }) {
			continue
		}
		if len(tags) > 0 && !slices.ContainsFunc(r.c.Tags, func(t string) bool {
			return slices.ContainsFunc(tags, func(w string) bool { return strings.EqualFold(w, t) })
		}) {
			continue
		}
		items = append(items, pageItem{key: r.c.CreatedOn.Time, id: r.c.ID, render: func() any { return f.renderCandidate(r) }})
	}
	return f.page(c, items)
}

// getCandidate is GET /candidates/{id}.
func (f *Fake) getCandidate(c *call) *response {
	r, resp := f.liveCandidate(c.params["cid"])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, f.renderCandidate(r))
}

// getApplication is GET /candidates/{id}/jobs/{jobId}.
func (f *Fake) getApplication(c *call) *response {
	r, a, resp := f.application(c)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, f.renderApplication(r, a))
}

// getJobProperties is GET /candidates/{id}/jobs/{jobId}/properties: the
// property values set on this application.
func (f *Fake) getJobProperties(c *call) *response {
	_, a, resp := f.application(c)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, map[string]any{"content": f.propertyValues(a.props)})
}

// getCandidateProperties is GET /candidates/{id}/properties: the values set
// on the candidate outside any job.
func (f *Fake) getCandidateProperties(c *call) *response {
	r, resp := f.liveCandidate(c.params["cid"])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, map[string]any{"content": f.propertyValues(r.props)})
}

// listPropertyDefinitions is GET /configuration/candidate-properties.
func (f *Fake) listPropertyDefinitions(c *call) *response {
	defs := make([]CandidatePropertyDefinition, 0, len(f.props))
	for _, p := range f.props {
		defs = append(defs, p.def)
	}
	return jsonResponse(http.StatusOK, map[string]any{"totalFound": len(defs), "content": defs})
}

// getPropertyDefinition is GET /configuration/candidate-properties/{id}.
func (f *Fake) getPropertyDefinition(c *call) *response {
	p, ok := f.propByID[c.params["pid"]]
	if !ok {
		return notFound("PROPERTY_NOT_FOUND", "Candidate property "+c.params["pid"]+" not found")
	}
	return jsonResponse(http.StatusOK, p.def)
}

// listPropertyOptions is GET /configuration/candidate-properties/{id}/values,
// served for SINGLE_SELECT properties only.
func (f *Fake) listPropertyOptions(c *call) *response {
	p, ok := f.propByID[c.params["pid"]]
	if !ok {
		return notFound("PROPERTY_NOT_FOUND", "Candidate property "+c.params["pid"]+" not found")
	}
	if p.def.Type != PropertySingleSelect {
		return badRequest("INVALID_PROPERTY_TYPE", "values are listed only for SINGLE_SELECT properties")
	}
	return jsonResponse(http.StatusOK, map[string]any{"totalFound": len(p.options), "content": slices.Clone(p.options)})
}

// listHiringProcesses is GET /configuration/hiring-processes (without
// sub-statuses, which GET .../{id} returns).
func (f *Fake) listHiringProcesses(c *call) *response {
	out := make([]HiringProcess, 0, len(f.processes))
	for _, hp := range f.processes {
		hp.SubStatuses = nil
		out = append(out, hp)
	}
	return jsonResponse(http.StatusOK, map[string]any{"totalFound": len(out), "content": out})
}

// getHiringProcess is GET /configuration/hiring-processes/{id}.
func (f *Fake) getHiringProcess(c *call) *response {
	for _, hp := range f.processes {
		if hp.ID == c.params["hid"] {
			return jsonResponse(http.StatusOK, hp)
		}
	}
	return notFound("HIRING_PROCESS_NOT_FOUND", "Hiring process "+c.params["hid"]+" not found")
}

// listJobs is GET /jobs with limit, pageId (or offset), updatedAfter, status
// (repeatable) and q.
func (f *Fake) listJobs(c *call) *response {
	since, resp := updatedAfter(c)
	if resp != nil {
		return resp
	}
	q := c.r.URL.Query()
	statuses, text := q["status"], strings.ToLower(q.Get("q"))
	var items []pageItem
	for _, r := range f.jobs {
		if (!since.IsZero() && !r.j.UpdatedOn.After(since)) || (len(statuses) > 0 && !slices.Contains(statuses, r.j.Status)) ||
			(text != "" && !strings.Contains(strings.ToLower(r.j.Title), text)) {
			continue
		}
		items = append(items, pageItem{key: r.j.CreatedOn.Time, id: r.j.ID, render: func() any { return f.renderJob(r) }})
	}
	return f.page(c, items)
}

// getJob is GET /jobs/{id}.
func (f *Fake) getJob(c *call) *response {
	r, ok := f.jobByID[c.params["jid"]]
	if !ok {
		return notFound("JOB_NOT_FOUND", "Job "+c.params["jid"]+" not found")
	}
	return jsonResponse(http.StatusOK, f.renderJob(r))
}

// listUsers is GET /users with limit and pageId (or offset).
func (f *Fake) listUsers(c *call) *response {
	var items []pageItem
	for _, u := range f.users {
		items = append(items, pageItem{key: u.UpdatedOn.Time, id: u.ID, render: func() any { return *u }})
	}
	return f.page(c, items)
}

// listMessages is GET /messages?candidateId=...[&jobId=...]: the messages
// mentioning the candidate, optionally only those shared with a job's hiring
// team, oldest first and paged like the other lists. Only ADMINISTRATOR users
// may call it.
func (f *Fake) listMessages(c *call) *response {
	q := c.r.URL.Query()
	candID := q.Get("candidateId")
	if candID == "" {
		return badRequest("INVALID_PARAMETER", "candidateId is required")
	}
	if c.user == nil || c.user.SystemRole.ID != "ADMINISTRATOR" {
		return errorResponse(http.StatusForbidden, "FORBIDDEN", "Only users with the ADMINISTRATOR role may list messages")
	}
	if _, resp := f.liveCandidate(candID); resp != nil {
		return resp
	}
	jobID := q.Get("jobId")
	var items []pageItem
	for _, m := range f.messages {
		if !slices.Contains(m.candidates, candID) || (jobID != "" && !slices.Contains(m.m.ShareWith.HiringTeamOf, jobID)) {
			continue
		}
		items = append(items, pageItem{key: m.m.CreatedOn.Time, id: m.m.ID, render: func() any { return cloneMessage(m.m) }})
	}
	return f.page(c, items)
}

func cloneMessage(m Message) Message {
	m.ShareWith.Users = slices.Clone(m.ShareWith.Users)
	m.ShareWith.HiringTeamOf = slices.Clone(m.ShareWith.HiringTeamOf)
	return m
}
