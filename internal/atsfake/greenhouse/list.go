package greenhouse

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Harvest v3 list mechanics [P][L][OAS][W6][AB]: bare JSON arrays, records in
// descending id order, per_page 1–500 (default 100, 422 above), an opaque
// URL-safe Base64 cursor that embeds the first request's filters and page
// size, a Link header carrying only rel="next" and absent on the last page,
// and a 422 when anything accompanies a cursor.

const (
	defaultPerPage = 100
	maxPerPage     = 500
	maxListItems   = 50
)

type paramKind int

const (
	paramIDs paramKind = iota + 1
	paramDate
	paramBool
	paramString
	paramEnum
	paramInt
)

type paramSpec struct {
	kind paramKind
	enum []string
}

// commonParams are the universal filters of every v3 list [L][OAS]; per_page,
// fields and cursor are handled separately.
var commonParams = map[string]paramSpec{
	"ids":        {kind: paramIDs},
	"created_at": {kind: paramDate},
	"updated_at": {kind: paramDate},
}

func withCommon(extra map[string]paramSpec) map[string]paramSpec {
	out := map[string]paramSpec{}
	for k, v := range commonParams {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

var (
	candidateParams = withCommon(map[string]paramSpec{
		"last_activity_at":       {kind: paramDate},
		"private":                {kind: paramBool},
		"email":                  {kind: paramString},
		"tag":                    {kind: paramString},
		"custom_field_option_id": {kind: paramInt},
	})
	applicationParams = withCommon(map[string]paramSpec{
		"last_activity_at":       {kind: paramDate},
		"candidate_ids":          {kind: paramIDs},
		"job_ids":                {kind: paramIDs},
		"prospective_job_ids":    {kind: paramIDs},
		"job_post_ids":           {kind: paramIDs},
		"source_ids":             {kind: paramIDs},
		"referrer_ids":           {kind: paramIDs},
		"stage_ids":              {kind: paramIDs},
		"status":                 {kind: paramEnum, enum: []string{"active", "rejected", "hired", "converted"}},
		"stage_name":             {kind: paramString},
		"custom_field_option_id": {kind: paramInt},
		"prospect":               {kind: paramBool},
	})
	jobParams = withCommon(map[string]paramSpec{
		"status": {kind: paramEnum, enum: []string{"open", "closed", "draft"}},
	})
	stageParams = withCommon(map[string]paramSpec{
		"job_ids": {kind: paramIDs},
	})
	userParams = withCommon(map[string]paramSpec{
		"primary_email":         {kind: paramString},
		"show_service_accounts": {kind: paramBool},
	})
	customFieldParams = withCommon(map[string]paramSpec{
		"field_type": {kind: paramEnum, enum: fieldTypes},
		"active":     {kind: paramBool},
		"name_key":   {kind: paramString},
	})
	customFieldOptionParams = withCommon(map[string]paramSpec{
		"custom_field_ids": {kind: paramIDs},
		"active":           {kind: paramBool},
	})
	noteParams = withCommon(map[string]paramSpec{
		"candidate_ids":   {kind: paramIDs},
		"application_ids": {kind: paramIDs},
		"user_ids":        {kind: paramIDs},
		"type":            {kind: paramEnum, enum: noteTypes},
		"visibility":      {kind: paramEnum, enum: []string{"admin_only_visible", "privately_visible", "publicly_visible"}},
	})
)

var (
	fieldTypes = []string{"candidate", "application", "job", "offer", "opening", "standard",
		"compensation_frequency", "referral_question", "rejection_question", "form", "agency_question", "user_attribute"}
	valueTypes = []string{"short_text", "long_text", "yes_no", "single_select", "multi_select", "currency",
		"number", "date", "url", "currency_range", "number_range", "user", "linked", "header", "statement",
		"attachment", "rich_text", "date_of_birth"}
	noteTypes = []string{"NOTE", "ACTIVITY", "INTERVIEW", "EMAIL", "FOLLOW_UP", "TAKE_HOME_TEST", "LINKEDIN_NOTE",
		"LINKEDIN_INMAIL", "AVAILABILITY_REQUEST", "MIGRATION_ERROR", "TOUCHPOINT", "FORM", "FEEDBACK"}
)

type dateCond struct {
	op string
	t  time.Time
}

// listQuery is a parsed list request: its filters (as first sent, even when
// the request carried only a cursor), page size and position.
type listQuery struct {
	raw     url.Values
	after   int64
	perPage int
	fields  []string
	ids     map[string]map[int64]bool
	dates   map[string][]dateCond
	bools   map[string]bool
	strs    map[string]string
	ints    map[string]int64
}

type cursorState struct {
	Path  string `json:"p"`
	Query string `json:"q"`
	After int64  `json:"a"`
}

func encodeCursor(cs cursorState) string {
	b, _ := json.Marshal(cs)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursorState, bool) {
	var cs cursorState
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &cs) != nil || cs.After <= 0 {
		return cs, false
	}
	return cs, true
}

// parseList validates the query of a list request against specs. Unknown
// parameters are ignored. sample is the record type, whose JSON keys are the
// names fields= may select.
func parseList(c *call, specs map[string]paramSpec, sample any) (*listQuery, *response) {
	q := c.r.URL.Query()
	var after int64
	if _, has := q["cursor"]; has {
		if len(q) != 1 || len(q["cursor"]) != 1 {
			return nil, unprocessable("When passing a cursor, do not include other query params.")
		}
		cs, ok := decodeCursor(q.Get("cursor"))
		if !ok || cs.Path != c.r.URL.Path {
			return nil, unprocessable(fieldError("cursor", "is invalid"))
		}
		parsed, err := url.ParseQuery(cs.Query)
		if err != nil {
			return nil, unprocessable(fieldError("cursor", "is invalid"))
		}
		q, after = parsed, cs.After
	}
	lq := &listQuery{
		raw: q, after: after, perPage: defaultPerPage,
		ids: map[string]map[int64]bool{}, dates: map[string][]dateCond{},
		bools: map[string]bool{}, strs: map[string]string{}, ints: map[string]int64{},
	}
	var errs []any
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			errs = append(errs, fieldError("per_page", fmt.Sprintf("`%s` is not an integer", v)))
		case n > maxPerPage:
			errs = append(errs, fieldError("per_page", fmt.Sprintf("`%d` number is greater than: %d", n, maxPerPage)))
		case n < 1:
			errs = append(errs, fieldError("per_page", fmt.Sprintf("`%d` number is less than: 1", n)))
		default:
			lq.perPage = n
		}
	}
	if v := q.Get("fields"); v != "" {
		known := jsonKeys(sample)
		names := splitList(v)
		if len(names) > maxListItems {
			errs = append(errs, fieldError("fields", fmt.Sprintf("must contain at most %d items", maxListItems)))
		}
		for _, name := range names {
			if !known[name] {
				errs = append(errs, fieldError("fields", fmt.Sprintf("`%s` is not a field of this resource", name)))
			}
		}
		lq.fields = names
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		spec, ok := specs[name]
		if !ok {
			continue
		}
		v := q.Get(name)
		switch spec.kind {
		case paramIDs:
			set, msg := parseIDs(v)
			if msg != "" {
				errs = append(errs, fieldError(name, msg))
			}
			lq.ids[name] = set
		case paramDate:
			conds, ok := parseDateFilter(v)
			if !ok {
				errs = append(errs, fieldError(name, fmt.Sprintf(
					"`%s` is not a valid filter; expected <op>|<ISO-8601 time>[|<op>|<ISO-8601 time>] with op gte, lte, gt or lt", v)))
			}
			lq.dates[name] = conds
		case paramBool:
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fieldError(name, fmt.Sprintf("`%s` is not a boolean", v)))
			}
			lq.bools[name] = b
		case paramEnum:
			if !slices.Contains(spec.enum, v) {
				errs = append(errs, fieldError(name, fmt.Sprintf("`%s` is not one of: %s", v, strings.Join(spec.enum, ", "))))
			}
			lq.strs[name] = v
		case paramString:
			lq.strs[name] = v
		case paramInt:
			n, ok := parseInt64(v)
			if !ok {
				errs = append(errs, fieldError(name, fmt.Sprintf("`%s` is not an integer", v)))
			}
			lq.ints[name] = n
		}
	}
	if len(errs) > 0 {
		return nil, unprocessable(errs...)
	}
	return lq, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseIDs parses a comma-separated id list (explode:false) of at most 50.
func parseIDs(v string) (map[int64]bool, string) {
	parts := splitList(v)
	if len(parts) > maxListItems {
		return nil, fmt.Sprintf("must contain at most %d ids", maxListItems)
	}
	set := map[int64]bool{}
	for _, p := range parts {
		n, ok := parseInt64(p)
		if !ok {
			return nil, fmt.Sprintf("`%s` is not an integer", p)
		}
		set[n] = true
	}
	return set, ""
}

// parseDateFilter parses the pipe-delimited form "gte|<t>" or
// "gte|<t1>|lte|<t2>" [L][AB][ML]. A '+' of a UTC offset that arrived
// unescaped (decoded as a space) is repaired.
func parseDateFilter(v string) ([]dateCond, bool) {
	parts := strings.Split(v, "|")
	if len(parts) < 2 || len(parts)%2 != 0 {
		return nil, false
	}
	var conds []dateCond
	for i := 0; i < len(parts); i += 2 {
		op := parts[i]
		switch op {
		case "gte", "lte", "gt", "lt":
		default:
			return nil, false
		}
		raw := strings.ReplaceAll(strings.TrimSpace(parts[i+1]), " ", "+")
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, raw); err != nil {
				return nil, false
			}
		}
		conds = append(conds, dateCond{op: op, t: t})
	}
	return conds, true
}

func (lq *listQuery) matchDate(name string, t time.Time) bool {
	conds := lq.dates[name]
	if len(conds) == 0 {
		return true
	}
	if t.IsZero() {
		return false
	}
	for _, c := range conds {
		var ok bool
		switch c.op {
		case "gte":
			ok = !t.Before(c.t)
		case "lte":
			ok = !t.After(c.t)
		case "gt":
			ok = t.After(c.t)
		case "lt":
			ok = t.Before(c.t)
		}
		if !ok {
			return false
		}
	}
	return true
}

func (lq *listQuery) matchIDs(name string, id int64) bool {
	set, ok := lq.ids[name]
	return !ok || set[id]
}

func (lq *listQuery) matchAnyID(name string, ids []int64) bool {
	set, ok := lq.ids[name]
	if !ok {
		return true
	}
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

func (lq *listQuery) matchOptID(name string, id *int64) bool {
	set, ok := lq.ids[name]
	return !ok || (id != nil && set[*id])
}

func (lq *listQuery) matchBool(name string, v bool) bool {
	b, ok := lq.bools[name]
	return !ok || b == v
}

// matchCommon applies ids, created_at and updated_at.
func (lq *listQuery) matchCommon(id int64, created, updated time.Time) bool {
	return lq.matchIDs("ids", id) && lq.matchDate("created_at", created) && lq.matchDate("updated_at", updated)
}

// pageOf walks recs (stored in ascending id order) from the highest id down,
// starting below the cursor position, and returns one page of matches and
// whether more remain.
func pageOf[T any](lq *listQuery, recs []T, id func(T) int64, keep func(T) bool) ([]T, bool) {
	var out []T
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if lq.after > 0 && id(r) >= lq.after {
			continue
		}
		if !keep(r) {
			continue
		}
		if len(out) == lq.perPage {
			return out, true
		}
		out = append(out, r)
	}
	return out, false
}

// listResponse writes a page: the bare array (sparse when fields= was sent)
// and, when more records remain, Link: <...?cursor=...>; rel="next".
func listResponse[T any](c *call, lq *listQuery, page []T, id func(T) int64, render func(T) any, more bool) *response {
	items := make([]any, 0, len(page))
	for _, r := range page {
		v := render(r)
		if len(lq.fields) > 0 {
			v = sparse(v, lq.fields)
		}
		items = append(items, v)
	}
	resp := jsonResponse(http.StatusOK, items)
	if more && len(page) > 0 {
		cur := encodeCursor(cursorState{Path: c.r.URL.Path, Query: lq.raw.Encode(), After: id(page[len(page)-1])})
		resp.header.Set("Link", fmt.Sprintf("<%s%s?cursor=%s>; rel=\"next\"", baseURL(c.r), c.r.URL.Path, cur))
	}
	return resp
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sparse keeps only the named top-level keys of v's JSON object.
func sparse(v any, fields []string) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return v
	}
	out := map[string]json.RawMessage{}
	for _, f := range fields {
		if raw, ok := m[f]; ok {
			out[f] = raw
		}
	}
	return out
}

// jsonKeys returns the JSON member names of a struct value.
func jsonKeys(sample any) map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeOf(sample)
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

// --- v3 list handlers (called with f.mu held) ---

func (f *Fake) v3ListCandidates(c *call) *response {
	lq, resp := parseList(c, candidateParams, Candidate{})
	if resp != nil {
		return resp
	}
	page, more := pageOf(lq, f.candidates, candID, func(r *candidateRec) bool {
		return !r.deleted &&
			lq.matchCommon(r.c.ID, r.c.CreatedAt.Time, r.c.UpdatedAt.Time) &&
			lq.matchDate("last_activity_at", r.c.LastActivityAt.Time) &&
			lq.matchBool("private", r.c.Private != nil && *r.c.Private) &&
			matchEmail(lq, r.c.EmailAddresses) &&
			matchTag(lq, r.c.Tags) &&
			f.matchOption(lq, r.values)
	})
	return listResponse(c, lq, page, candID, func(r *candidateRec) any { return f.renderCandidate(r) }, more)
}

func candID(r *candidateRec) int64 { return r.c.ID }

func matchEmail(lq *listQuery, emails []TypedValue) bool {
	want, ok := lq.strs["email"]
	if !ok {
		return true
	}
	for _, e := range emails {
		if strings.EqualFold(e.Value, want) {
			return true
		}
	}
	return false
}

func matchTag(lq *listQuery, tags []string) bool {
	want, ok := lq.strs["tag"]
	return !ok || slices.Contains(tags, want)
}

// matchOption applies custom_field_option_id: the record holds that option
// in one of its select values.
func (f *Fake) matchOption(lq *listQuery, values map[int64]any) bool {
	want, ok := lq.ints["custom_field_option_id"]
	if !ok {
		return true
	}
	for _, v := range values {
		switch x := v.(type) {
		case int64:
			if x == want {
				return true
			}
		case []int64:
			if slices.Contains(x, want) {
				return true
			}
		}
	}
	return false
}

func (f *Fake) v3ListApplications(c *call) *response {
	lq, resp := parseList(c, applicationParams, Application{})
	if resp != nil {
		return resp
	}
	status := lq.strs["status"]
	if status == "active" {
		status = "in_process"
	}
	stageName, hasStageName := lq.strs["stage_name"]
	page, more := pageOf(lq, f.applications, appID, func(r *applicationRec) bool {
		a := &r.a
		return !r.deleted && !f.candByID[a.CandidateID].deleted &&
			lq.matchCommon(a.ID, a.CreatedAt.Time, a.UpdatedAt.Time) &&
			lq.matchDate("last_activity_at", a.LastActivityAt.Time) &&
			lq.matchIDs("candidate_ids", a.CandidateID) &&
			lq.matchOptID("job_ids", a.JobID) &&
			lq.matchAnyID("prospective_job_ids", a.ProspectiveJobIDs) &&
			lq.matchOptID("job_post_ids", a.JobPostID) &&
			lq.matchOptID("source_ids", a.SourceID) &&
			lq.matchOptID("referrer_ids", a.ReferrerID) &&
			lq.matchOptID("stage_ids", a.StageID) &&
			(status == "" || a.Status == status) &&
			(!hasStageName || (a.StageName != nil && *a.StageName == stageName)) &&
			lq.matchBool("prospect", a.Prospect) &&
			f.matchOption(lq, r.values)
	})
	return listResponse(c, lq, page, appID, func(r *applicationRec) any { return f.renderApplication(r) }, more)
}

func appID(r *applicationRec) int64 { return r.a.ID }

func (f *Fake) v3ListJobs(c *call) *response {
	lq, resp := parseList(c, jobParams, Job{})
	if resp != nil {
		return resp
	}
	status, hasStatus := lq.strs["status"]
	id := func(r *jobRec) int64 { return r.j.ID }
	page, more := pageOf(lq, f.jobs, id, func(r *jobRec) bool {
		return lq.matchCommon(r.j.ID, r.j.CreatedAt.Time, r.j.UpdatedAt.Time) && (!hasStatus || r.j.Status == status)
	})
	return listResponse(c, lq, page, id, func(r *jobRec) any { return f.renderJob(r) }, more)
}

func (f *Fake) v3ListStages(c *call) *response {
	lq, resp := parseList(c, stageParams, JobInterviewStage{})
	if resp != nil {
		return resp
	}
	id := func(s JobInterviewStage) int64 { return s.ID }
	page, more := pageOf(lq, f.stages, id, func(s JobInterviewStage) bool {
		return lq.matchCommon(s.ID, s.CreatedAt.Time, s.UpdatedAt.Time) && lq.matchIDs("job_ids", s.JobID)
	})
	return listResponse(c, lq, page, id, func(s JobInterviewStage) any { return s }, more)
}

func (f *Fake) v3ListUsers(c *call) *response {
	lq, resp := parseList(c, userParams, User{})
	if resp != nil {
		return resp
	}
	email, hasEmail := lq.strs["primary_email"]
	showService := lq.bools["show_service_accounts"]
	id := func(r *userRec) int64 { return r.u.ID }
	page, more := pageOf(lq, f.users, id, func(r *userRec) bool {
		return (showService || !r.service) &&
			lq.matchCommon(r.u.ID, r.u.CreatedAt.Time, r.u.UpdatedAt.Time) &&
			(!hasEmail || strings.EqualFold(r.u.PrimaryEmail, email))
	})
	return listResponse(c, lq, page, id, func(r *userRec) any { return cloneUser(r.u) }, more)
}

func (f *Fake) v3ListCustomFields(c *call) *response {
	lq, resp := parseList(c, customFieldParams, CustomField{})
	if resp != nil {
		return resp
	}
	fieldType, hasType := lq.strs["field_type"]
	key, hasKey := lq.strs["name_key"]
	id := func(r *fieldRec) int64 { return r.def.ID }
	page, more := pageOf(lq, f.fields, id, func(r *fieldRec) bool {
		return lq.matchCommon(r.def.ID, r.def.CreatedAt.Time, r.def.UpdatedAt.Time) &&
			(!hasType || r.def.FieldType == fieldType) &&
			(!hasKey || r.def.NameKey == key) &&
			lq.matchBool("active", r.def.Active)
	})
	return listResponse(c, lq, page, id, func(r *fieldRec) any { return r.def }, more)
}

func (f *Fake) v3ListCustomFieldOptions(c *call) *response {
	lq, resp := parseList(c, customFieldOptionParams, CustomFieldOption{})
	if resp != nil {
		return resp
	}
	type opt struct {
		o     CustomFieldOption
		field *fieldRec
	}
	var all []opt
	for _, fr := range f.fields {
		for _, o := range fr.options {
			all = append(all, opt{o, fr})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].o.ID < all[j].o.ID })
	id := func(o opt) int64 { return o.o.ID }
	page, more := pageOf(lq, all, id, func(o opt) bool {
		return lq.matchCommon(o.o.ID, o.field.def.CreatedAt.Time, o.field.def.UpdatedAt.Time) &&
			lq.matchIDs("custom_field_ids", o.o.CustomFieldID) &&
			lq.matchBool("active", o.o.Active)
	})
	return listResponse(c, lq, page, id, func(o opt) any { return o.o }, more)
}

func (f *Fake) v3ListNotes(c *call) *response {
	lq, resp := parseList(c, noteParams, Note{})
	if resp != nil {
		return resp
	}
	typ, hasType := lq.strs["type"]
	vis, hasVis := lq.strs["visibility"]
	id := func(r *noteRec) int64 { return r.n.ID }
	page, more := pageOf(lq, f.notes, id, func(r *noteRec) bool {
		n := &r.n
		return !f.candByID[n.CandidateID].deleted &&
			lq.matchCommon(n.ID, n.CreatedAt.Time, n.UpdatedAt.Time) &&
			lq.matchIDs("candidate_ids", n.CandidateID) &&
			lq.matchOptID("application_ids", n.ApplicationID) &&
			lq.matchOptID("user_ids", n.UserID) &&
			(!hasType || n.Type == typ) &&
			(!hasVis || (n.Visibility != nil && *n.Visibility == vis))
	})
	return listResponse(c, lq, page, id, func(r *noteRec) any { return cloneNote(r.n) }, more)
}

// --- rendering: deep copies, so callers never share the fake's slices ---

func (f *Fake) renderCandidate(r *candidateRec) Candidate {
	c := r.c
	c.Tags = slices.Clone(c.Tags)
	c.LinkedUserIDs = slices.Clone(c.LinkedUserIDs)
	c.PhoneNumbers = slices.Clone(c.PhoneNumbers)
	c.Addresses = slices.Clone(c.Addresses)
	c.EmailAddresses = slices.Clone(c.EmailAddresses)
	c.WebsiteAddresses = slices.Clone(c.WebsiteAddresses)
	c.SocialMediaAddresses = slices.Clone(c.SocialMediaAddresses)
	c.CustomFields = f.renderCustomFields("candidate", r.values)
	return c
}

func (f *Fake) renderApplication(r *applicationRec) Application {
	a := r.a
	a.Answers = slices.Clone(a.Answers)
	a.ProspectiveJobIDs = slices.Clone(a.ProspectiveJobIDs)
	a.CustomFields = f.renderCustomFields("application", r.values)
	return a
}

func (f *Fake) renderJob(r *jobRec) Job {
	j := r.j
	j.OfficeIDs = slices.Clone(j.OfficeIDs)
	j.CustomFields = f.renderCustomFields("job", r.values)
	return j
}

func cloneUser(u User) User {
	u.Emails = slices.Clone(u.Emails)
	u.DepartmentIDs = slices.Clone(u.DepartmentIDs)
	u.OfficeIDs = slices.Clone(u.OfficeIDs)
	u.LinkedCandidateIDs = slices.Clone(u.LinkedCandidateIDs)
	u.InterviewerTags = slices.Clone(u.InterviewerTags)
	u.CustomFields = map[string]CustomFieldValue{}
	return u
}

func cloneNote(n Note) Note {
	n.EmailCC = slices.Clone(n.EmailCC)
	return n
}
