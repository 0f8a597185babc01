package ashby

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Paging follows developers.ashbyhq.com/docs/pagination-and-incremental-sync:
// a first call without cursor returns up to limit results plus
// moreDataAvailable and, while more remain, nextCursor; the caller repeats
// with cursor until moreDataAvailable is false, and that last page carries a
// syncToken. Sending the syncToken later returns only the records changed
// since the sync it ended began, paged the same way and ending in a new
// syncToken.

const (
	defaultLimit = 100
	maxLimit     = 100
)

// cursorState is what a nextCursor encodes. The fake's cursors are
// base64url JSON; clients must treat them as opaque.
type cursorState struct {
	Kind    string `json:"k"`
	Since   int64  `json:"s,omitempty"` // ms; 0 means a full sync
	Started int64  `json:"b"`           // ms; when the first page was served
	AfterT  int64  `json:"t"`
	AfterID string `json:"i"`
}

// syncState is what a syncToken encodes.
type syncState struct {
	Kind   string `json:"k"`
	At     int64  `json:"a"` // ms; changes at or after this are returned
	Issued int64  `json:"n"` // ms; for expiry
}

func encodeToken(v any) string {
	raw, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeToken(s string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}

// listItem is one candidate record for a list page, rendered only if it
// makes the page.
type listItem struct {
	created, updated time.Time
	id               string
	render           func() any
}

type listResponse struct {
	Success           bool   `json:"success"`
	Results           []any  `json:"results"`
	MoreDataAvailable bool   `json:"moreDataAvailable"`
	NextCursor        string `json:"nextCursor,omitempty"`
	SyncToken         string `json:"syncToken,omitempty"`
}

// paginate serves one page of items for the list endpoint kind. allowSync
// says whether the endpoint takes a syncToken. Called with f.mu held.
func (f *Fake) paginate(c *call, kind string, items []listItem, allowSync bool) *response {
	limit := defaultLimit
	if _, ok := c.params["limit"]; ok {
		n, ok := c.integer("limit")
		if !ok || n < 1 {
			return f.invalidInput("limit must be a positive integer")
		}
		limit = min(int(n), maxLimit) // larger pages are capped, not refused
	}
	nowMs := c.now.UnixMilli()
	cur := cursorState{Kind: kind, Started: nowMs}
	if raw, ok := c.params["cursor"]; ok && raw != nil {
		s, isStr := raw.(string)
		var got cursorState
		if !isStr || !decodeToken(s, &got) || got.Kind != kind {
			return f.logical("invalid_cursor", "The cursor is not valid for "+kind)
		}
		cur = got
	} else if raw, ok := c.params["syncToken"]; ok && raw != nil {
		if !allowSync {
			return f.invalidInput("%s does not support syncToken", kind)
		}
		s, isStr := raw.(string)
		var st syncState
		if !isStr || !decodeToken(s, &st) || st.Kind != kind {
			return f.logical("invalid_sync_token", "The syncToken is not valid for "+kind)
		}
		if f.syncTokenExpired(st, c.now) {
			return f.logical("sync_token_expired", "The syncToken has expired; run a full sync without it.")
		}
		cur.Since = st.At
	}

	// Keys have the millisecond precision of the wire, so that a cursor
	// (which stores milliseconds) resumes exactly where the page ended.
	key := func(it listItem) time.Time { return it.created.Truncate(time.Millisecond) }
	if cur.Since > 0 {
		since := time.UnixMilli(cur.Since)
		key = func(it listItem) time.Time { return it.updated.Truncate(time.Millisecond) }
		items = slices.DeleteFunc(items, func(it listItem) bool { return key(it).Before(since) })
	}
	slices.SortStableFunc(items, func(a, b listItem) int {
		if c := key(a).Compare(key(b)); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	if cur.AfterID != "" {
		after := time.UnixMilli(cur.AfterT)
		items = slices.DeleteFunc(items, func(it listItem) bool {
			k := key(it)
			return k.Before(after) || (k.Equal(after) && it.id <= cur.AfterID)
		})
	}
	page := items[:min(limit, len(items))]
	out := listResponse{Success: true, Results: make([]any, 0, len(page)), MoreDataAvailable: len(items) > len(page)}
	for _, it := range page {
		out.Results = append(out.Results, it.render())
	}
	if out.MoreDataAvailable {
		last := page[len(page)-1]
		next := cur
		next.AfterT, next.AfterID = key(last).UnixMilli(), last.id
		out.NextCursor = encodeToken(next)
	} else if allowSync {
		out.SyncToken = encodeToken(syncState{Kind: kind, At: cur.Started, Issued: nowMs})
	}
	return jsonResponse(http.StatusOK, out)
}

func (f *Fake) syncTokenExpired(st syncState, now time.Time) bool {
	issued := time.UnixMilli(st.Issued)
	if !f.tokensNotAfter.IsZero() && !issued.After(f.tokensNotAfter) {
		return true
	}
	return f.opts.SyncTokenTTL > 0 && now.Sub(issued) > f.opts.SyncTokenTTL
}

// Parameter helpers. Each reports whether the parameter was present with the
// right JSON type.

func (c *call) str(name string) (string, bool) {
	s, ok := c.params[name].(string)
	return s, ok
}

func (c *call) integer(name string) (int64, bool) {
	n, ok := c.params[name].(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Int64()
	return v, err == nil
}

// optBool returns a boolean parameter, def when absent, and false ok when
// present with another type.
func (c *call) optBool(name string, def bool) (bool, bool) {
	raw, present := c.params[name]
	if !present || raw == nil {
		return def, true
	}
	b, ok := raw.(bool)
	return b, ok
}

// requiredID reads a required string id parameter.
func (f *Fake) requiredID(c *call, name string) (string, *response) {
	id, ok := c.str(name)
	if !ok || id == "" {
		return "", f.invalidInput("%s is required and must be a string", name)
	}
	return id, nil
}

// Rendering. Called with f.mu held.

func (f *Fake) fieldValues(values map[string]any) []CustomFieldValue {
	out := []CustomFieldValue{}
	for _, fr := range f.fields {
		if v, ok := values[fr.def.ID]; ok {
			out = append(out, CustomFieldValue{ID: fr.def.ID, Title: fr.def.Title, Value: cloneValue(v)})
		}
	}
	return out
}

func cloneValue(v any) any {
	if s, ok := v.([]string); ok {
		return slices.Clone(s)
	}
	return v
}

func cloneUser(u *User) *User {
	if u == nil {
		return nil
	}
	c := *u
	return &c
}

func (f *Fake) renderCandidate(r *candidateRec) Candidate {
	c := r.c
	c.EmailAddresses = slices.Clone(c.EmailAddresses)
	c.PhoneNumbers = slices.Clone(c.PhoneNumbers)
	c.SocialLinks = slices.Clone(c.SocialLinks)
	c.Tags = slices.Clone(c.Tags)
	c.FileHandles = slices.Clone(c.FileHandles)
	c.CreditedToUser = cloneUser(c.CreditedToUser)
	c.CustomFields = f.fieldValues(r.values)
	c.ApplicationIDs = []string{}
	for _, a := range f.applications {
		if !a.deleted && a.a.Candidate.ID == c.ID {
			c.ApplicationIDs = append(c.ApplicationIDs, a.a.ID)
		}
	}
	return c
}

func (f *Fake) renderApplication(r *applicationRec) Application {
	a := r.a
	a.CustomFields = f.fieldValues(r.values)
	a.HiringTeam = slices.Clone(a.HiringTeam)
	a.CreditedToUser = cloneUser(a.CreditedToUser)
	if a.CurrentInterviewStage != nil {
		st := *a.CurrentInterviewStage
		a.CurrentInterviewStage = &st
	}
	return a
}

func (f *Fake) renderJob(r *jobRec) Job {
	j := r.j
	j.CustomFields = f.fieldValues(r.values)
	j.InterviewPlanIDs = slices.Clone(j.InterviewPlanIDs)
	j.JobPostingIDs = slices.Clone(j.JobPostingIDs)
	j.HiringTeam = slices.Clone(j.HiringTeam)
	return j
}

func (f *Fake) liveApplication(r *applicationRec) bool {
	if r.deleted {
		return false
	}
	c := f.candByID[r.a.Candidate.ID]
	return c != nil && !c.deleted
}

// Endpoints.

// candidateList is POST /candidate.list {limit, cursor, syncToken,
// createdAfter}.
func (f *Fake) candidateList(c *call) *response {
	createdAfter, resp := f.optMillis(c, "createdAfter")
	if resp != nil {
		return resp
	}
	var items []listItem
	for _, r := range f.candidates {
		if r.deleted || r.c.CreatedAt.Before(createdAfter) {
			continue
		}
		items = append(items, listItem{created: r.c.CreatedAt.Time, updated: r.updatedAt, id: r.c.ID,
			render: func() any { return f.renderCandidate(r) }})
	}
	return f.paginate(c, "candidate.list", items, true)
}

// optMillis reads an optional ms-epoch timestamp parameter such as
// createdAfter; absent means the zero time.
func (f *Fake) optMillis(c *call, name string) (time.Time, *response) {
	if raw, ok := c.params[name]; !ok || raw == nil {
		return time.Time{}, nil
	}
	ms, ok := c.integer(name)
	if !ok || ms < 0 {
		return time.Time{}, f.invalidInput("%s must be a timestamp in milliseconds since the epoch", name)
	}
	return time.UnixMilli(ms), nil
}

// candidateInfo is POST /candidate.info {id}.
func (f *Fake) candidateInfo(c *call) *response {
	id, resp := f.requiredID(c, "id")
	if resp != nil {
		return resp
	}
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return f.logical("candidate_not_found", "No candidate with id "+id)
	}
	return success(f.renderCandidate(r))
}

var applicationStatuses = []string{"Hired", "Archived", "Active", "Lead"}

// applicationList is POST /application.list {limit, cursor, syncToken,
// createdAfter, status, jobId}.
func (f *Fake) applicationList(c *call) *response {
	createdAfter, resp := f.optMillis(c, "createdAfter")
	if resp != nil {
		return resp
	}
	status, _ := c.str("status")
	if raw, ok := c.params["status"]; ok && raw != nil && !slices.Contains(applicationStatuses, status) {
		return f.invalidInput("status must be one of %s", strings.Join(applicationStatuses, ", "))
	}
	jobID, _ := c.str("jobId")
	var items []listItem
	for _, r := range f.applications {
		if !f.liveApplication(r) || r.a.CreatedAt.Before(createdAfter) ||
			(status != "" && r.a.Status != status) || (jobID != "" && r.a.Job.ID != jobID) {
			continue
		}
		items = append(items, listItem{created: r.a.CreatedAt.Time, updated: r.a.UpdatedAt.Time, id: r.a.ID,
			render: func() any { return f.renderApplication(r) }})
	}
	return f.paginate(c, "application.list", items, true)
}

// applicationInfo is POST /application.info {applicationId}.
func (f *Fake) applicationInfo(c *call) *response {
	id, resp := f.requiredID(c, "applicationId")
	if resp != nil {
		return resp
	}
	r, ok := f.appByID[id]
	if !ok || !f.liveApplication(r) {
		return f.logical("application_not_found", "No application with id "+id)
	}
	return success(f.renderApplication(r))
}

// jobList is POST /job.list {limit, cursor, syncToken, status}; status is an
// optional array of job statuses.
func (f *Fake) jobList(c *call) *response {
	var statuses []string
	if raw, ok := c.params["status"]; ok && raw != nil {
		list, isList := raw.([]any)
		if !isList {
			return f.invalidInput("status must be an array of job statuses")
		}
		for _, s := range list {
			str, isStr := s.(string)
			if !isStr || !slices.Contains([]string{"Draft", "Open", "Closed", "Archived"}, str) {
				return f.invalidInput("status entries must be Draft, Open, Closed or Archived")
			}
			statuses = append(statuses, str)
		}
	}
	var items []listItem
	for _, r := range f.jobs {
		if len(statuses) > 0 && !slices.Contains(statuses, r.j.Status) {
			continue
		}
		items = append(items, listItem{created: r.j.CreatedAt.Time, updated: r.j.UpdatedAt.Time, id: r.j.ID,
			render: func() any { return f.renderJob(r) }})
	}
	return f.paginate(c, "job.list", items, true)
}

// jobInfo is POST /job.info {id}.
func (f *Fake) jobInfo(c *call) *response {
	id, resp := f.requiredID(c, "id")
	if resp != nil {
		return resp
	}
	r, ok := f.jobByID[id]
	if !ok {
		return f.logical("job_not_found", "No job with id "+id)
	}
	return success(f.renderJob(r))
}

// interviewPlanList is POST /interviewPlan.list {includeArchived}; it is not
// paged.
func (f *Fake) interviewPlanList(c *call) *response {
	includeArchived, ok := c.optBool("includeArchived", false)
	if !ok {
		return f.invalidInput("includeArchived must be a boolean")
	}
	out := []InterviewPlan{}
	for _, p := range f.plans {
		if includeArchived || !p.IsArchived {
			out = append(out, p)
		}
	}
	return jsonResponse(http.StatusOK, listResponse{Success: true, Results: anySlice(out)})
}

func anySlice[T any](in []T) []any {
	out := make([]any, 0, len(in))
	for _, v := range in {
		out = append(out, v)
	}
	return out
}

// interviewStageList is POST /interviewStage.list {interviewPlanId}: every
// stage of one plan in pipeline order, in a single page.
func (f *Fake) interviewStageList(c *call) *response {
	planID, resp := f.requiredID(c, "interviewPlanId")
	if resp != nil {
		return resp
	}
	if !slices.ContainsFunc(f.plans, func(p InterviewPlan) bool { return p.ID == planID }) {
		return f.logical("interview_plan_not_found", "No interview plan with id "+planID)
	}
	return jsonResponse(http.StatusOK, listResponse{Success: true, Results: anySlice(f.stagesOf(planID))})
}

// userList is POST /user.list {limit, cursor, syncToken,
// includeDeactivated}.
func (f *Fake) userList(c *call) *response {
	includeDeactivated, ok := c.optBool("includeDeactivated", false)
	if !ok {
		return f.invalidInput("includeDeactivated must be a boolean")
	}
	var items []listItem
	for _, u := range f.users {
		if !u.IsEnabled && !includeDeactivated {
			continue
		}
		items = append(items, listItem{created: u.UpdatedAt.Time, updated: u.UpdatedAt.Time, id: u.ID,
			render: func() any { return *u }})
	}
	return f.paginate(c, "user.list", items, true)
}

// customFieldList is POST /customField.list {limit, cursor, syncToken,
// includeArchived}.
func (f *Fake) customFieldList(c *call) *response {
	includeArchived, ok := c.optBool("includeArchived", false)
	if !ok {
		return f.invalidInput("includeArchived must be a boolean")
	}
	var items []listItem
	for _, fr := range f.fields {
		if fr.def.IsArchived && !includeArchived {
			continue
		}
		items = append(items, listItem{created: fr.createdAt, updated: fr.updatedAt, id: fr.def.ID,
			render: func() any { return cloneField(fr.def) }})
	}
	return f.paginate(c, "customField.list", items, true)
}

func cloneField(d CustomField) CustomField {
	d.SelectableValues = slices.Clone(d.SelectableValues)
	return d
}

// candidateListNotes is POST /candidate.listNotes {candidateId, limit,
// cursor}: the candidate's notes oldest first, paged by cursor (no
// syncToken).
func (f *Fake) candidateListNotes(c *call) *response {
	id, resp := f.requiredID(c, "candidateId")
	if resp != nil {
		return resp
	}
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return f.logical("candidate_not_found", "No candidate with id "+id)
	}
	var items []listItem
	for _, n := range f.notes {
		if n.candidateID == id {
			items = append(items, listItem{created: n.n.CreatedAt.Time, updated: n.n.CreatedAt.Time, id: n.n.ID,
				render: func() any { return n.n }})
		}
	}
	return f.paginate(c, "candidate.listNotes:"+id, items, false)
}

// apiKeyInfo is POST /apiKey.info: the key's title and creation time.
func (f *Fake) apiKeyInfo(c *call) *response {
	return success(APIKeyInfo{Title: "atsfake key", CreatedAt: Time{seedEpoch.Add(-30 * 24 * time.Hour)}})
}
