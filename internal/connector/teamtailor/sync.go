package teamtailor

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
)

// The attribute shapes resultlinks reads.

type candidateAttrs struct {
	FirstName   *string  `json:"first-name"`
	LastName    *string  `json:"last-name"`
	Email       *string  `json:"email"`
	Phone       *string  `json:"phone"`
	LinkedinURL *string  `json:"linkedin-url"`
	Tags        []string `json:"tags"`
	CreatedAt   ttime    `json:"created-at"`
	UpdatedAt   ttime    `json:"updated-at"`
}

type applicationAttrs struct {
	RejectedAt ttime `json:"rejected-at"`
	CreatedAt  ttime `json:"created-at"`
	UpdatedAt  ttime `json:"updated-at"`
}

type jobAttrs struct {
	Title string `json:"title"`
}

type stageAttrs struct {
	Name      string `json:"name"`
	StageType string `json:"stage-type"`
	RowOrder  *int   `json:"row-order"`
}

type valueAttrs struct {
	Value     any    `json:"value"`
	FieldType string `json:"field-type"`
}

// customField is a custom field definition.
type customField struct {
	ID        string
	Name      string `json:"name"`
	APIName   string `json:"api-name"`
	FieldType string `json:"field-type"`
	OwnerType string `json:"owner-type"`
}

// lists are the collections of the synced models.
var lists = map[resultlinks.Model]struct {
	path    string
	include string
	delta   bool
}{
	resultlinks.ModelJobs:         {path: "/v1/jobs", delta: true},
	resultlinks.ModelStages:       {path: "/v1/stages"}, // no updated-at filter; a handful of records
	resultlinks.ModelCandidates:   {path: "/v1/candidates", include: "custom-field-values", delta: true},
	resultlinks.ModelApplications: {path: "/v1/job-applications", include: "candidate,job,stage", delta: true},
}

// ListPage reads one page. The first page asks page[size] (30 at most) and,
// for a delta, filter[updated-at][from]; later pages follow links.next,
// which the cursor carries. Candidates come with their custom field values
// and applications with their candidate, job and stage, since Teamtailor
// gives a relationship's linkage only when it is included.
func (t *Teamtailor) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	l, ok := lists[req.Model]
	if !ok {
		return nil, fmt.Errorf("teamtailor: no model %q", req.Model)
	}
	path, q := l.path, url.Values{}
	if req.Cursor != "" {
		next, err := base64.RawURLEncoding.DecodeString(req.Cursor)
		if err != nil {
			return nil, fmt.Errorf("teamtailor: bad cursor: %w", err)
		}
		path, q = string(next), nil
	} else {
		size := PerPage
		if t.deps.PageSize > 0 {
			size = min(t.deps.PageSize, PerPage)
		}
		q.Set("page[size]", strconv.Itoa(size))
		if l.include != "" {
			q.Set("include", l.include)
		}
		if req.UpdatedSince != nil && l.delta {
			// Teamtailor's ranges are inclusive; whole seconds, rounded down.
			q.Set("filter[updated-at][from]", req.UpdatedSince.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z"))
		}
	}
	doc, err := t.get(ctx, path, q)
	if err != nil {
		return nil, err
	}
	list, err := doc.list()
	if err != nil {
		return nil, err
	}
	page := &connector.Page{}
	if n := doc.next(); n != "" {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(n))
	}
	included := map[string]resource{}
	for _, r := range doc.Included {
		included[r.Type+"/"+r.ID] = r
	}
	for _, r := range list {
		switch req.Model {
		case resultlinks.ModelJobs:
			var a jobAttrs
			if err := r.decode(&a); err != nil {
				return nil, err
			}
			page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: r.ID, Name: ptr(a.Title)})
		case resultlinks.ModelStages:
			var a stageAttrs
			if err := r.decode(&a); err != nil {
				return nil, err
			}
			page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{RemoteID: r.ID, Name: ptr(a.Name), Index: a.RowOrder})
		case resultlinks.ModelCandidates:
			c, err := t.mapCandidate(ctx, r, included)
			if err != nil {
				return nil, err
			}
			page.Batch.Candidates = append(page.Batch.Candidates, c)
		case resultlinks.ModelApplications:
			a, err := mapApplication(r, included)
			if err != nil {
				return nil, err
			}
			page.Batch.Applications = append(page.Batch.Applications, a)
		}
	}
	return page, nil
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

func (t *Teamtailor) mapCandidate(ctx context.Context, r resource, included map[string]resource) (*resultlinks.Candidate, error) {
	var a candidateAttrs
	if err := r.decode(&a); err != nil {
		return nil, err
	}
	out := &resultlinks.Candidate{
		RemoteID: r.ID, FirstName: nonEmpty(a.FirstName), LastName: nonEmpty(a.LastName),
		RemoteCreatedAt: a.CreatedAt.t, RemoteUpdatedAt: a.UpdatedAt.t, Tags: []resultlinks.Tag{},
	}
	if e := nonEmpty(a.Email); e != nil {
		out.EmailAddresses = []resultlinks.EmailAddress{{EmailAddress: e}}
	}
	if p := nonEmpty(a.Phone); p != nil {
		out.PhoneNumbers = []resultlinks.PhoneNumber{{PhoneNumber: *p}}
	}
	if l := nonEmpty(a.LinkedinURL); l != nil {
		out.SocialMedia = []resultlinks.SocialMedia{{Link: l, Type: ptr("LINKEDIN")}}
	}
	for _, tag := range a.Tags {
		// Teamtailor lists tags by name; the name is their identity.
		out.Tags = append(out.Tags, resultlinks.Tag{RemoteID: tag, Name: ptr(tag)})
	}
	fields, err := t.candidateFields(ctx, r, included)
	if err != nil {
		return nil, err
	}
	out.CustomFields = fields
	return out, nil
}

// candidateFields names a listed candidate's included custom field values
// by their field's name. A value names its field only in its custom-field
// relationship, which Teamtailor does not link inside an include, so the
// field of each value is remembered (it never changes) and read once per
// candidate with values not seen before.
func (t *Teamtailor) candidateFields(ctx context.Context, r resource, included map[string]resource) (map[string]any, error) {
	out := map[string]any{}
	valueIDs := r.Relationships["custom-field-values"].ids()
	if len(valueIDs) == 0 {
		return out, nil
	}
	values := map[string]any{}
	unknown := false
	for _, vid := range valueIDs {
		if v, ok := included["custom-field-values/"+vid]; ok {
			var a valueAttrs
			if err := v.decode(&a); err != nil {
				return nil, err
			}
			values[vid] = a.Value
		}
		fid, err := t.fieldOfValue(ctx, vid)
		if err != nil {
			return nil, err
		}
		unknown = unknown || fid == ""
	}
	if unknown || len(values) < len(valueIDs) {
		vals, err := t.candidateValues(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			values[v.id] = v.value
		}
	}
	for vid, val := range values {
		fid, err := t.fieldOfValue(ctx, vid)
		if err != nil {
			return nil, err
		}
		def, err := t.fieldDef(ctx, fid)
		if err != nil {
			return nil, err
		}
		if def.Name != "" && val != nil {
			out[def.Name] = val
		}
	}
	return out, nil
}

func mapApplication(r resource, included map[string]resource) (*resultlinks.Application, error) {
	var a applicationAttrs
	if err := r.decode(&a); err != nil {
		return nil, err
	}
	out := &resultlinks.Application{
		RemoteID: r.ID, CandidateRemoteID: r.rel("candidate"), JobRemoteID: r.rel("job"), CurrentStageRemoteID: r.rel("stage"),
		RemoteCreatedAt: a.CreatedAt.t, RemoteUpdatedAt: a.UpdatedAt.t, RejectedAt: a.RejectedAt.t,
		CustomFields: map[string]any{}, Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	var stage stageAttrs
	if s, ok := included["stages/"+out.CurrentStageRemoteID]; ok {
		if err := s.decode(&stage); err != nil {
			return nil, err
		}
	}
	switch {
	case a.RejectedAt.t != nil:
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
	case stage.StageType == "hired":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	default:
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out, nil
}

// candidateValue is one custom field value on a candidate.
type candidateValue struct {
	id, fieldID string
	value       any
}

// candidateValues reads a candidate's custom field values with their fields
// (GET /v1/candidates/{id}/custom-field-values?include=custom-field) and
// remembers which field each value belongs to.
func (t *Teamtailor) candidateValues(ctx context.Context, candID string) ([]candidateValue, error) {
	var out []candidateValue
	err := t.each(ctx, "/v1/candidates/"+candID+"/custom-field-values",
		url.Values{"include": {"custom-field"}, "page[size]": {strconv.Itoa(PerPage)}},
		func(doc *document, list []resource) error {
			for _, inc := range doc.Included {
				if inc.Type == "custom-fields" {
					var def customField
					if err := inc.decode(&def); err != nil {
						return err
					}
					def.ID = inc.ID
					t.mu.Lock()
					t.defs[def.ID] = def
					t.mu.Unlock()
				}
			}
			for _, v := range list {
				var a valueAttrs
				if err := v.decode(&a); err != nil {
					return err
				}
				cv := candidateValue{id: v.ID, fieldID: v.rel("custom-field"), value: a.Value}
				if cv.fieldID != "" {
					if err := t.rememberValue(ctx, cv.id, cv.fieldID); err != nil {
						return err
					}
				}
				out = append(out, cv)
			}
			return nil
		})
	return out, err
}

func valueKey(valueID string) string { return "teamtailor/value-field/" + valueID }

// fieldOfValue returns the remembered field of a value, or "".
func (t *Teamtailor) fieldOfValue(ctx context.Context, valueID string) (string, error) {
	t.mu.Lock()
	fid, ok := t.valueField[valueID]
	t.mu.Unlock()
	if ok || t.deps.State == nil {
		return fid, nil
	}
	raw, err := t.deps.State.GetState(ctx, t.deps.IntegrationID, valueKey(valueID))
	if err != nil || raw == nil {
		return "", err
	}
	t.mu.Lock()
	t.valueField[valueID] = string(raw)
	t.mu.Unlock()
	return string(raw), nil
}

// rememberValue records which field a value belongs to.
func (t *Teamtailor) rememberValue(ctx context.Context, valueID, fieldID string) error {
	t.mu.Lock()
	known := t.valueField[valueID] == fieldID
	t.valueField[valueID] = fieldID
	t.mu.Unlock()
	if known || t.deps.State == nil {
		return nil
	}
	return t.deps.State.PutState(ctx, t.deps.IntegrationID, valueKey(valueID), []byte(fieldID))
}

// loadDefs reads every custom field definition (GET /v1/custom-fields).
func (t *Teamtailor) loadDefs(ctx context.Context) (map[string]customField, error) {
	defs := map[string]customField{}
	err := t.each(ctx, "/v1/custom-fields", url.Values{"page[size]": {strconv.Itoa(PerPage)}}, func(_ *document, list []resource) error {
		for _, r := range list {
			var def customField
			if err := r.decode(&def); err != nil {
				return err
			}
			def.ID = r.ID
			defs[def.ID] = def
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.defs = defs
	t.mu.Unlock()
	return defs, nil
}

// fieldDef returns a definition by id, reading the definitions when it is
// not known yet (once per connector, and again for a field made since).
func (t *Teamtailor) fieldDef(ctx context.Context, id string) (customField, error) {
	if id == "" {
		return customField{}, nil
	}
	t.mu.Lock()
	def, ok := t.defs[id]
	t.mu.Unlock()
	if ok {
		return def, nil
	}
	defs, err := t.loadDefs(ctx)
	if err != nil {
		return customField{}, err
	}
	if _, ok := defs[id]; !ok {
		// Gone since: remember so, rather than reading the list again.
		t.mu.Lock()
		t.defs[id] = customField{ID: id}
		t.mu.Unlock()
	}
	return defs[id], nil
}
