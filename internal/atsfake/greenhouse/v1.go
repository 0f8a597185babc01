package greenhouse

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Harvest v1 (deprecated, removed 2026-08-31) is served as the second
// credential type, from the open-source v1 documentation
// (grnhse/greenhouse-api-docs source/includes/harvest/, summarised in
// vendors.md §1): Basic auth with the API key as username, On-Behalf-Of on
// writes, page/per_page paging with a Link header (next, prev, last unless
// skip_count=true), and the {"message":"Validation error","errors":
// [{"message","field"}]} envelope.

type v1FieldError struct {
	Message string `json:"message"`
	Field   string `json:"field"`
}

func v1Validation(errs ...v1FieldError) *response {
	return jsonResponse(http.StatusUnprocessableEntity, struct {
		Message string         `json:"message"`
		Errors  []v1FieldError `json:"errors"`
	}{"Validation error", errs})
}

// serveV1 authenticates the key, spends the v1 budget and, for writes,
// requires a valid On-Behalf-Of user.
func (f *Fake) serveV1(c *call) *response {
	if !f.authenticateV1(c.r) {
		resp := jsonResponse(http.StatusUnauthorized, ErrorBody{Message: "Invalid Basic Auth credentials"})
		f.peekRateHeaders("v1", resp, c.now)
		return resp
	}
	if id, ok := parseInt64(c.r.Header.Get("On-Behalf-Of")); ok {
		c.acting = id
		c.entry.ActingUserID = id
	}
	if resp := f.spend("v1", c.now); resp != nil {
		return resp
	}
	var resp *response
	if c.r.Method != http.MethodGet {
		// The documentation only says the header is required for auditing;
		// the 422 for a missing or unknown user is the fake's choice.
		if u := f.userByID[c.acting]; u == nil || u.u.Deactivated {
			resp = v1Validation(v1FieldError{
				Message: "On-Behalf-Of must be the id of an active user", Field: "On-Behalf-Of",
			})
		}
	}
	if resp == nil {
		resp = c.route.handler(f, c)
	}
	f.peekRateHeaders("v1", resp, c.now)
	return resp
}

// v1Paging is a parsed page/per_page/skip_count request.
type v1Paging struct {
	page, perPage int
	skipCount     bool
}

func parseV1Paging(q url.Values) (v1Paging, []v1FieldError) {
	p := v1Paging{page: 1, perPage: defaultPerPage}
	var errs []v1FieldError
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, v1FieldError{Message: "Must be a positive integer", Field: "page"})
		}
		p.page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPerPage {
			errs = append(errs, v1FieldError{Message: "Must be an integer between 1 and 500", Field: "per_page"})
		}
		p.perPage = n
	}
	p.skipCount = q.Get("skip_count") == "true"
	return p, errs
}

// v1Paginate cuts one page out of items and sets the Link header. nextOnly
// selects the newer scheme that offers only rel="next" (custom fields).
func v1Paginate[T any](c *call, items []T, p v1Paging, nextOnly bool, resp func([]T) *response) *response {
	start := min((p.page-1)*p.perPage, len(items))
	end := min(start+p.perPage, len(items))
	r := resp(items[start:end])
	link := func(page int, rel string) string {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(p.perPage))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", baseURL(c.r), c.r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if end < len(items) {
		links = append(links, link(p.page+1, "next"))
	}
	if !nextOnly {
		if p.page > 1 {
			links = append(links, link(p.page-1, "prev"))
		}
		last := max((len(items)+p.perPage-1)/p.perPage, 1)
		if !p.skipCount && last > 1 {
			links = append(links, link(last, "last"))
		}
	}
	if len(links) > 0 {
		r.header.Set("Link", strings.Join(links, ", "))
	}
	return r
}

// parseV1Time reads an ISO-8601 filter such as updated_after.
func parseV1Time(q url.Values, key string, errs *[]v1FieldError) (time.Time, bool) {
	v := q.Get(key)
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, strings.ReplaceAll(v, " ", "+"))
	if err != nil {
		*errs = append(*errs, v1FieldError{Message: "Must be an ISO-8601 timestamp", Field: key})
		return time.Time{}, false
	}
	return t, true
}

type v1Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type v1Source struct {
	ID         int64  `json:"id"`
	PublicName string `json:"public_name"`
}

type v1Application struct {
	ID                    int64                       `json:"id"`
	CandidateID           int64                       `json:"candidate_id"`
	Prospect              bool                        `json:"prospect"`
	AppliedAt             Time                        `json:"applied_at"`
	RejectedAt            Time                        `json:"rejected_at"`
	LastActivityAt        Time                        `json:"last_activity_at"`
	Location              any                         `json:"location"`
	Source                *v1Source                   `json:"source"`
	CreditedTo            any                         `json:"credited_to"`
	RejectionReason       any                         `json:"rejection_reason"`
	RejectionDetails      any                         `json:"rejection_details"`
	Jobs                  []v1Ref                     `json:"jobs"`
	JobPostID             *int64                      `json:"job_post_id"`
	Status                string                      `json:"status"`
	CurrentStage          *v1Ref                      `json:"current_stage"`
	Answers               []Answer                    `json:"answers"`
	ProspectiveOffice     any                         `json:"prospective_office"`
	ProspectiveDepartment any                         `json:"prospective_department"`
	CustomFields          map[string]any              `json:"custom_fields"`
	KeyedCustomFields     map[string]CustomFieldValue `json:"keyed_custom_fields"`
	Attachments           []any                       `json:"attachments"`
}

type v1Candidate struct {
	ID                   int64                       `json:"id"`
	FirstName            *string                     `json:"first_name"`
	LastName             *string                     `json:"last_name"`
	Company              *string                     `json:"company"`
	Title                *string                     `json:"title"`
	CreatedAt            Time                        `json:"created_at"`
	UpdatedAt            Time                        `json:"updated_at"`
	LastActivity         Time                        `json:"last_activity"`
	IsPrivate            bool                        `json:"is_private"`
	PhotoURL             *string                     `json:"photo_url"`
	Attachments          []any                       `json:"attachments"`
	ApplicationIDs       []int64                     `json:"application_ids"`
	PhoneNumbers         []TypedValue                `json:"phone_numbers"`
	Addresses            []TypedValue                `json:"addresses"`
	EmailAddresses       []TypedValue                `json:"email_addresses"`
	WebsiteAddresses     []TypedValue                `json:"website_addresses"`
	SocialMediaAddresses []SocialMediaAddress        `json:"social_media_addresses"`
	Recruiter            any                         `json:"recruiter"`
	Coordinator          any                         `json:"coordinator"`
	CanEmail             bool                        `json:"can_email"`
	Tags                 []string                    `json:"tags"`
	Applications         []v1Application             `json:"applications"`
	Educations           []any                       `json:"educations"`
	Employments          []any                       `json:"employments"`
	LinkedUserIDs        []int64                     `json:"linked_user_ids"`
	CustomFields         map[string]any              `json:"custom_fields"`
	KeyedCustomFields    map[string]CustomFieldValue `json:"keyed_custom_fields"`
}

// v1Values renders v1's two custom-field views: custom_fields maps name_key
// to the bare value, keyed_custom_fields to {name, type, value}.
func (f *Fake) v1Values(fieldType string, values map[int64]any) (map[string]any, map[string]CustomFieldValue) {
	keyed := f.renderCustomFields(fieldType, values)
	plain := make(map[string]any, len(keyed))
	for k, v := range keyed {
		plain[k] = v.Value
	}
	return plain, keyed
}

func (f *Fake) v1RenderApplication(r *applicationRec) v1Application {
	a := r.a
	status := a.Status
	if status == "in_process" {
		status = "active"
	}
	out := v1Application{
		ID: a.ID, CandidateID: a.CandidateID, Prospect: a.Prospect, AppliedAt: a.CreatedAt,
		RejectedAt: a.RejectedAt, LastActivityAt: a.LastActivityAt, Jobs: []v1Ref{},
		JobPostID: a.JobPostID, Status: status, Answers: slices.Clone(a.Answers), Attachments: []any{},
	}
	if a.SourceID != nil {
		out.Source = &v1Source{ID: *a.SourceID, PublicName: fmt.Sprintf("Source %d", *a.SourceID)}
	}
	if a.JobID != nil {
		out.Jobs = append(out.Jobs, v1Ref{ID: *a.JobID, Name: f.jobByID[*a.JobID].j.Name})
	}
	if a.StageID != nil {
		out.CurrentStage = &v1Ref{ID: *a.StageID, Name: *a.StageName}
	}
	out.CustomFields, out.KeyedCustomFields = f.v1Values("application", r.values)
	return out
}

func (f *Fake) v1RenderCandidate(r *candidateRec) v1Candidate {
	c := f.renderCandidate(r)
	out := v1Candidate{
		ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Company: c.Company, Title: c.Title,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, LastActivity: c.LastActivityAt,
		IsPrivate: c.Private != nil && *c.Private, Attachments: []any{}, ApplicationIDs: []int64{},
		PhoneNumbers: c.PhoneNumbers, Addresses: c.Addresses, EmailAddresses: c.EmailAddresses,
		WebsiteAddresses: c.WebsiteAddresses, SocialMediaAddresses: c.SocialMediaAddresses,
		CanEmail: c.CanEmail, Tags: c.Tags, Applications: []v1Application{}, Educations: []any{},
		Employments: []any{}, LinkedUserIDs: c.LinkedUserIDs,
	}
	for _, a := range f.applications {
		if a.a.CandidateID == c.ID && !a.deleted {
			out.ApplicationIDs = append(out.ApplicationIDs, a.a.ID)
			out.Applications = append(out.Applications, f.v1RenderApplication(a))
		}
	}
	out.CustomFields, out.KeyedCustomFields = f.v1Values("candidate", r.values)
	return out
}

func (f *Fake) v1ListCandidates(c *call) *response {
	q := c.r.URL.Query()
	p, errs := parseV1Paging(q)
	createdBefore, hasCB := parseV1Time(q, "created_before", &errs)
	createdAfter, hasCA := parseV1Time(q, "created_after", &errs)
	updatedBefore, hasUB := parseV1Time(q, "updated_before", &errs)
	updatedAfter, hasUA := parseV1Time(q, "updated_after", &errs)
	var ids map[int64]bool
	if v := q.Get("candidate_ids"); v != "" {
		var msg string
		if ids, msg = parseIDs(v); msg != "" {
			errs = append(errs, v1FieldError{Message: msg, Field: "candidate_ids"})
		}
	}
	jobID, hasJob := parseInt64(q.Get("job_id"))
	if q.Get("job_id") != "" && !hasJob {
		errs = append(errs, v1FieldError{Message: "Must be an integer", Field: "job_id"})
	}
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	email := q.Get("email")
	var matches []*candidateRec
	for _, r := range f.candidates {
		cd := &r.c
		if r.deleted ||
			(hasCB && !cd.CreatedAt.Before(createdBefore)) || (hasCA && cd.CreatedAt.Before(createdAfter)) ||
			(hasUB && !cd.UpdatedAt.Before(updatedBefore)) || (hasUA && cd.UpdatedAt.Before(updatedAfter)) ||
			(ids != nil && !ids[cd.ID]) {
			continue
		}
		if email != "" && !slices.ContainsFunc(cd.EmailAddresses, func(e TypedValue) bool { return strings.EqualFold(e.Value, email) }) {
			continue
		}
		if hasJob && !slices.ContainsFunc(f.applications, func(a *applicationRec) bool {
			return a.a.CandidateID == cd.ID && a.a.JobID != nil && *a.a.JobID == jobID
		}) {
			continue
		}
		matches = append(matches, r)
	}
	return v1Paginate(c, matches, p, false, func(page []*candidateRec) *response {
		out := make([]v1Candidate, 0, len(page))
		for _, r := range page {
			out = append(out, f.v1RenderCandidate(r))
		}
		return jsonResponse(http.StatusOK, out)
	})
}

func (f *Fake) v1GetCandidate(c *call) *response {
	r, ok := f.candByID[c.id]
	if !ok || r.deleted {
		return notFound()
	}
	return jsonResponse(http.StatusOK, f.v1RenderCandidate(r))
}

func (f *Fake) v1ListApplications(c *call) *response {
	q := c.r.URL.Query()
	p, errs := parseV1Paging(q)
	createdBefore, hasCB := parseV1Time(q, "created_before", &errs)
	createdAfter, hasCA := parseV1Time(q, "created_after", &errs)
	activityAfter, hasLA := parseV1Time(q, "last_activity_after", &errs)
	jobID, hasJob := parseInt64(q.Get("job_id"))
	if q.Get("job_id") != "" && !hasJob {
		errs = append(errs, v1FieldError{Message: "Must be an integer", Field: "job_id"})
	}
	status := q.Get("status")
	if status != "" && !slices.Contains([]string{"active", "converted", "hired", "rejected"}, status) {
		errs = append(errs, v1FieldError{Message: "Must be one of: active, converted, hired, rejected", Field: "status"})
	}
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	if status == "active" {
		status = "in_process"
	}
	var matches []*applicationRec
	for _, r := range f.applications {
		a := &r.a
		if r.deleted || f.candByID[a.CandidateID].deleted ||
			(hasCB && !a.CreatedAt.Before(createdBefore)) || (hasCA && a.CreatedAt.Before(createdAfter)) ||
			(hasLA && a.LastActivityAt.Before(activityAfter)) ||
			(hasJob && (a.JobID == nil || *a.JobID != jobID)) || (status != "" && a.Status != status) {
			continue
		}
		matches = append(matches, r)
	}
	return v1Paginate(c, matches, p, false, func(page []*applicationRec) *response {
		out := make([]v1Application, 0, len(page))
		for _, r := range page {
			out = append(out, f.v1RenderApplication(r))
		}
		return jsonResponse(http.StatusOK, out)
	})
}

type v1CustomFieldOption struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Priority   int     `json:"priority"`
	ExternalID *string `json:"external_id"`
}

type v1CustomField struct {
	ID                  int64                 `json:"id"`
	Name                string                `json:"name"`
	Active              bool                  `json:"active"`
	FieldType           string                `json:"field_type"`
	Priority            int                   `json:"priority"`
	ValueType           string                `json:"value_type"`
	Private             bool                  `json:"private"`
	Required            bool                  `json:"required"`
	RequireApproval     bool                  `json:"require_approval"`
	TriggerNewVersion   bool                  `json:"trigger_new_version"`
	NameKey             string                `json:"name_key"`
	Description         *string               `json:"description"`
	ExposeInJobBoardAPI bool                  `json:"expose_in_job_board_api"`
	APIOnly             bool                  `json:"api_only"`
	Offices             []any                 `json:"offices"`
	Departments         []any                 `json:"departments"`
	TemplateTokenString *string               `json:"template_token_string"`
	CustomFieldOptions  []v1CustomFieldOption `json:"custom_field_options"`
}

func v1RenderField(fr *fieldRec) v1CustomField {
	d := fr.def
	out := v1CustomField{
		ID: d.ID, Name: d.Name, Active: d.Active, FieldType: d.FieldType, Priority: fr.priority,
		ValueType: d.ValueType, Private: d.Private, Required: d.Required, NameKey: d.NameKey,
		Description: d.Description, Offices: []any{}, Departments: []any{},
		TemplateTokenString: d.TemplateTokenString, CustomFieldOptions: []v1CustomFieldOption{},
	}
	for _, o := range fr.options {
		out.CustomFieldOptions = append(out.CustomFieldOptions, v1CustomFieldOption{
			ID: o.ID, Name: o.Name, Priority: o.SortOrder, ExternalID: o.ExternalID,
		})
	}
	return out
}

// v1ListCustomFields is GET /v1/custom_fields and /v1/custom_fields/{type}
// (include_inactive=true adds archived fields); it pages with next links only.
func (f *Fake) v1ListCustomFields(c *call) *response {
	q := c.r.URL.Query()
	p, errs := parseV1Paging(q)
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	fieldType := strings.TrimPrefix(strings.TrimSuffix(c.r.URL.Path, "/"), "/v1/custom_fields")
	fieldType = strings.TrimPrefix(fieldType, "/")
	if fieldType != "" && !slices.Contains(fieldTypes, fieldType) {
		return notFound()
	}
	inactive := q.Get("include_inactive") == "true"
	var matches []*fieldRec
	for _, fr := range f.fields {
		if (fieldType == "" || fr.def.FieldType == fieldType) && (inactive || fr.def.Active) {
			matches = append(matches, fr)
		}
	}
	return v1Paginate(c, matches, p, true, func(page []*fieldRec) *response {
		out := make([]v1CustomField, 0, len(page))
		for _, fr := range page {
			out = append(out, v1RenderField(fr))
		}
		return jsonResponse(http.StatusOK, out)
	})
}

// v1CreateCustomField is POST /v1/custom_fields. The documentation's example
// answers 201 with the new field wrapped in an array, which the fake copies.
func (f *Fake) v1CreateCustomField(c *call) *response {
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	def, options, errs := f.customFieldFromBody(body)
	if len(errs) > 0 {
		return v1Validation(v1Errors(errs)...)
	}
	def.UpdatedByID = ptr(c.acting)
	fr := f.addField(def, options, stamp(c.now).Time)
	return jsonResponse(http.StatusCreated, []v1CustomField{v1RenderField(fr)})
}

// v1Errors converts v3-style {"field": "msg"} entries to v1 entries.
func v1Errors(errs []any) []v1FieldError {
	out := make([]v1FieldError, 0, len(errs))
	for _, e := range errs {
		if m, ok := e.(map[string]string); ok {
			for field, msg := range m {
				out = append(out, v1FieldError{Message: msg, Field: field})
			}
		}
	}
	return out
}

// v1PatchCandidate is PATCH /v1/candidates/{id}: profile members and
// custom_fields items {id|name_key, value} or {id|name_key,
// delete_value:"true"}; null or blank values are rejected (send delete_value
// instead). Answers 200 with the candidate.
func (f *Fake) v1PatchCandidate(c *call) *response {
	rec, ok := f.candByID[c.id]
	if !ok || rec.deleted {
		return notFound()
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	var errs []v1FieldError
	updates := map[int64]any{}
	if raw, ok := body["custom_fields"]; ok {
		items, _ := raw.([]any)
		if items == nil {
			errs = append(errs, v1FieldError{Message: "Must be an array", Field: "custom_fields"})
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			var fr *fieldRec
			if nk, ok := m["name_key"].(string); ok {
				fr = f.lookupField("candidate", &nk, nil)
			} else if id, ok := asInt64(m["id"]); ok {
				fr = f.lookupField("candidate", nil, &id)
			}
			if fr == nil {
				errs = append(errs, v1FieldError{Message: "Unknown or inactive custom field (give id or name_key)", Field: "custom_fields"})
				continue
			}
			if del, _ := m["delete_value"].(string); del == "true" {
				updates[fr.def.ID] = nil
				continue
			}
			v := m["value"]
			if s, isString := v.(string); v == nil || (isString && strings.TrimSpace(s) == "") {
				errs = append(errs, v1FieldError{Message: "Value cannot be blank; use delete_value to clear", Field: fr.def.NameKey})
				continue
			}
			stored, msg := f.normalize(fr, v)
			if msg != "" {
				errs = append(errs, v1FieldError{Message: msg, Field: fr.def.NameKey})
				continue
			}
			updates[fr.def.ID] = stored
		}
	}
	next := rec.c
	var v3errs []any
	for _, key := range []string{"first_name", "last_name", "company", "title"} {
		s, present := stringOrNull(body, key, &v3errs)
		if !present {
			continue
		}
		switch key {
		case "first_name":
			next.FirstName = s
		case "last_name":
			next.LastName = s
		case "company":
			next.Company = s
		case "title":
			next.Title = s
		}
	}
	if v, ok := body["is_private"]; ok {
		if b, ok := v.(bool); ok {
			next.Private = &b
		} else {
			errs = append(errs, v1FieldError{Message: "Must be a boolean", Field: "is_private"})
		}
	}
	if v, ok := body["tags"]; ok {
		if tags, ok := stringList(v); ok {
			next.Tags = tags
		} else {
			errs = append(errs, v1FieldError{Message: "Must be an array of strings", Field: "tags"})
		}
	}
	errs = append(errs, v1Errors(v3errs)...)
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	rec.c = next
	applyValues(rec.values, updates)
	rec.c.UpdatedAt = stamp(c.now)
	rec.c.LastActivityAt = rec.c.UpdatedAt
	return jsonResponse(http.StatusOK, f.v1RenderCandidate(rec))
}

type v1User struct {
	ID         int64   `json:"id"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Name       string  `json:"name"`
	EmployeeID *string `json:"employee_id"`
}

type v1Note struct {
	ID        int64  `json:"id"`
	CreatedAt Time   `json:"created_at"`
	Body      string `json:"body"`
	User      v1User `json:"user"`
	Private   bool   `json:"private"`
	// Visiblity keeps the v1 API's legacy misspelled duplicate of
	// visibility, which real clients may read.
	Visiblity  string `json:"visiblity"`
	Visibility string `json:"visibility"`
}

func (f *Fake) v1RenderNote(n *noteRec) v1Note {
	out := v1Note{
		ID: n.n.ID, CreatedAt: n.n.CreatedAt, Body: n.n.Body, Private: n.writeVisibility != "public",
		Visiblity: n.writeVisibility, Visibility: n.writeVisibility,
	}
	if n.n.UserID != nil {
		if u := f.userByID[*n.n.UserID]; u != nil {
			out.User = v1User{ID: u.u.ID, FirstName: u.u.FirstName, LastName: u.u.LastName, Name: u.u.Name, EmployeeID: u.u.EmployeeID}
		}
	}
	return out
}

// v1CreateNote is POST /v1/candidates/{id}/activity_feed/notes: user_id, body
// and visibility (admin_only, private or public) are required; answers 201.
func (f *Fake) v1CreateNote(c *call) *response {
	rec, ok := f.candByID[c.id]
	if !ok || rec.deleted {
		return notFound()
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	var errs []v1FieldError
	userID, ok := asInt64(body["user_id"])
	if u := f.userByID[userID]; !ok || u == nil || u.u.Deactivated {
		errs = append(errs, v1FieldError{Message: "Must be the id of an active user", Field: "user_id"})
	}
	text, _ := body["body"].(string)
	if strings.TrimSpace(text) == "" {
		errs = append(errs, v1FieldError{Message: "Can't be blank", Field: "body"})
	}
	visibility, _ := body["visibility"].(string)
	if _, ok := readVisibility[visibility]; !ok {
		errs = append(errs, v1FieldError{Message: "Must be one of: admin_only, private, public", Field: "visibility"})
	}
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	n := f.addNote(rec, nil, userID, text, "NOTE", visibility, nil, c.now)
	return jsonResponse(http.StatusCreated, f.v1RenderNote(n))
}

// v1ActivityFeed is GET /v1/candidates/{id}/activity_feed with the notes
// written through either API version.
func (f *Fake) v1ActivityFeed(c *call) *response {
	rec, ok := f.candByID[c.id]
	if !ok || rec.deleted {
		return notFound()
	}
	type v1Activity struct {
		ID        int64   `json:"id"`
		CreatedAt Time    `json:"created_at"`
		Subject   *string `json:"subject"`
		Body      string  `json:"body"`
		User      v1User  `json:"user"`
	}
	type v1Email struct {
		ID        int64    `json:"id"`
		CreatedAt Time     `json:"created_at"`
		Subject   *string  `json:"subject"`
		Body      string   `json:"body"`
		To        *string  `json:"to"`
		From      *string  `json:"from"`
		CC        []string `json:"cc"`
		User      v1User   `json:"user"`
	}
	feed := struct {
		Notes      []v1Note     `json:"notes"`
		Emails     []v1Email    `json:"emails"`
		Activities []v1Activity `json:"activities"`
	}{[]v1Note{}, []v1Email{}, []v1Activity{}}
	for i := len(f.notes) - 1; i >= 0; i-- {
		n := f.notes[i]
		if n.n.CandidateID != rec.c.ID {
			continue
		}
		vn := f.v1RenderNote(n)
		switch n.n.Type {
		case "EMAIL":
			feed.Emails = append(feed.Emails, v1Email{ID: n.n.ID, CreatedAt: n.n.CreatedAt, Subject: n.n.Subject,
				Body: n.n.Body, To: n.n.EmailTo, From: n.n.EmailFrom, CC: slices.Clone(n.n.EmailCC), User: vn.User})
		case "ACTIVITY":
			feed.Activities = append(feed.Activities, v1Activity{ID: n.n.ID, CreatedAt: n.n.CreatedAt,
				Subject: n.n.Subject, Body: n.n.Body, User: vn.User})
		default:
			feed.Notes = append(feed.Notes, vn)
		}
	}
	return jsonResponse(http.StatusOK, feed)
}

// v1ListUsers is GET /v1/users, the list an integrator picks On-Behalf-Of
// ids from.
func (f *Fake) v1ListUsers(c *call) *response {
	p, errs := parseV1Paging(c.r.URL.Query())
	if len(errs) > 0 {
		return v1Validation(errs...)
	}
	type user struct {
		ID                  int64    `json:"id"`
		Name                string   `json:"name"`
		FirstName           string   `json:"first_name"`
		LastName            string   `json:"last_name"`
		PrimaryEmailAddress string   `json:"primary_email_address"`
		UpdatedAt           Time     `json:"updated_at"`
		CreatedAt           Time     `json:"created_at"`
		Disabled            bool     `json:"disabled"`
		SiteAdmin           bool     `json:"site_admin"`
		Emails              []string `json:"emails"`
		EmployeeID          *string  `json:"employee_id"`
		LinkedCandidateIDs  []int64  `json:"linked_candidate_ids"`
	}
	var visible []*userRec
	for _, u := range f.users {
		if !u.service {
			visible = append(visible, u)
		}
	}
	return v1Paginate(c, visible, p, false, func(page []*userRec) *response {
		out := make([]user, 0, len(page))
		for _, r := range page {
			u := r.u
			out = append(out, user{ID: u.ID, Name: u.Name, FirstName: u.FirstName, LastName: u.LastName,
				PrimaryEmailAddress: u.PrimaryEmail, UpdatedAt: u.UpdatedAt, CreatedAt: u.CreatedAt,
				Disabled: u.Deactivated, SiteAdmin: u.SiteAdmin, Emails: slices.Clone(u.Emails),
				EmployeeID: u.EmployeeID, LinkedCandidateIDs: slices.Clone(u.LinkedCandidateIDs)})
		}
		return jsonResponse(http.StatusOK, out)
	})
}
