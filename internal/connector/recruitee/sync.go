package recruitee

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// The core API's read shapes, as far as resultlinks reads them.

// rtime is a Recruitee timestamp: an ISO 8601 string, or null.
type rtime struct{ t *time.Time }

func (r *rtime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		r.t = nil
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return err
	}
	r.t = &t
	return nil
}

type placement struct {
	ID               int64   `json:"id"`
	CandidateID      int64   `json:"candidate_id"`
	OfferID          int64   `json:"offer_id"`
	StageID          *int64  `json:"stage_id"`
	DisqualifyReason *string `json:"disqualify_reason"`
	DisqualifiedAt   rtime   `json:"disqualified_at"`
	HiredAt          rtime   `json:"hired_at"`
	CreatedAt        rtime   `json:"created_at"`
	UpdatedAt        rtime   `json:"updated_at"`
}

type candidate struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Emails     []string    `json:"emails"`
	Phones     []string    `json:"phones"`
	Source     *string     `json:"source"`
	Tags       []string    `json:"tags"`
	Placements []placement `json:"placements"`
	CreatedAt  rtime       `json:"created_at"`
	UpdatedAt  rtime       `json:"updated_at"`
}

type fieldValue struct {
	Text   *string `json:"text,omitempty"`
	Flag   *bool   `json:"flag,omitempty"`
	Number *string `json:"number,omitempty"`
	Date   *string `json:"date,omitempty"`
	Value  *string `json:"value,omitempty"`
}

// value returns the value's one member.
func (v fieldValue) value() any {
	switch {
	case v.Text != nil:
		return *v.Text
	case v.Flag != nil:
		return *v.Flag
	case v.Number != nil:
		return *v.Number
	case v.Date != nil:
		return *v.Date
	case v.Value != nil:
		return *v.Value
	}
	return nil
}

type field struct {
	ID     int64        `json:"id"`
	Name   string       `json:"name"`
	Kind   string       `json:"kind"`
	Values []fieldValue `json:"values"`
}

type candidateDetail struct {
	candidate
	Fields []field `json:"fields"`
}

type offer struct {
	ID               int64  `json:"id"`
	Title            string `json:"title"`
	Kind             string `json:"kind"`
	Status           string `json:"status"`
	PipelineTemplate *struct {
		Stages []struct {
			ID       int64  `json:"id"`
			Name     string `json:"name"`
			Category string `json:"category"`
			Position int    `json:"position"`
		} `json:"stages"`
	} `json:"pipeline_template"`
}

// cursor is the paging state kept in Page.Next: the next offset.
type cursor struct {
	Offset int `json:"o"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Offset < 0 {
		return cursor{}, fmt.Errorf("recruitee: bad cursor %q", s)
	}
	return c, nil
}

// ListPage reads one page. Jobs and stages come from the offers, each with
// its pipeline's stages (one page). Candidates and applications come from
// the candidate list, limit/offset paged; an application is a candidate's
// placement on an offer. Recruitee's candidate list has no updated-since
// filter, so a delta sync still reads every page and keeps the records
// whose own updated_at (or, for a placement, its candidate's) is not
// before UpdatedSince.
func (r *Recruitee) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	switch req.Model {
	case resultlinks.ModelJobs, resultlinks.ModelStages:
		return r.listOffers(ctx, req.Model)
	case resultlinks.ModelCandidates, resultlinks.ModelApplications:
	default:
		return nil, fmt.Errorf("recruitee: no model %q", req.Model)
	}
	cur := cursor{}
	if req.Cursor != "" {
		var err error
		if cur, err = decodeCursor(req.Cursor); err != nil {
			return nil, err
		}
	}
	limit := PerPage
	if r.deps.PageSize > 0 {
		limit = r.deps.PageSize
	}
	var list struct {
		Candidates []candidate `json:"candidates"`
	}
	if _, err := r.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: r.path("/candidates"),
		Query: url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(cur.Offset)}}}, &list); err != nil {
		return nil, err
	}
	page := &connector.Page{}
	if len(list.Candidates) >= limit {
		page.Next = encodeCursor(cursor{Offset: cur.Offset + len(list.Candidates)})
	}
	since := req.UpdatedSince
	changed := func(t rtime) bool { return since == nil || (t.t != nil && !t.t.Before(*since)) }
	for _, c := range list.Candidates {
		if req.Model == resultlinks.ModelCandidates {
			if !changed(c.UpdatedAt) {
				continue
			}
			fields, err := r.profileFields(ctx, c)
			if err != nil {
				return nil, err
			}
			page.Batch.Candidates = append(page.Batch.Candidates, r.mapCandidate(c, fields))
			continue
		}
		for _, p := range c.Placements {
			if changed(p.UpdatedAt) || changed(c.UpdatedAt) {
				page.Batch.Applications = append(page.Batch.Applications, r.mapPlacement(c, p))
			}
		}
	}
	return page, nil
}

// listOffers lists the offers (jobs) or their pipeline stages.
func (r *Recruitee) listOffers(ctx context.Context, m resultlinks.Model) (*connector.Page, error) {
	var list struct {
		Offers []offer `json:"offers"`
	}
	if _, err := r.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: r.path("/offers")}, &list); err != nil {
		return nil, err
	}
	page := &connector.Page{}
	seen := map[int64]bool{}
	for _, o := range list.Offers {
		if o.Kind != "" && o.Kind != "job" {
			continue // a talent pool, not a job
		}
		if m == resultlinks.ModelJobs {
			page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: id(o.ID), Name: ptr(o.Title)})
			continue
		}
		if o.PipelineTemplate == nil {
			continue
		}
		for _, s := range o.PipelineTemplate.Stages {
			if seen[s.ID] {
				continue
			}
			seen[s.ID] = true
			page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{
				RemoteID: id(s.ID), Name: ptr(s.Name), Index: ptr(s.Position), Status: ptr(resultlinks.StageActive),
			})
		}
	}
	return page, nil
}

// fieldsState is what the connector remembers of a candidate's profile
// fields, which only the single-candidate read returns: the fields as of
// the candidate's updated_at (every field write moves it).
type fieldsState struct {
	UpdatedAt time.Time      `json:"updated_at"`
	Fields    map[string]any `json:"fields"`
}

func fieldsKey(candidateID int64) string { return "recruitee/fields/" + id(candidateID) }

// profileFields returns a candidate's profile fields by name: remembered
// when the candidate has not changed since they were read, read afresh
// (GET /candidates/{id}) otherwise.
func (r *Recruitee) profileFields(ctx context.Context, c candidate) (map[string]any, error) {
	st := r.deps.State
	if st != nil && c.UpdatedAt.t != nil {
		raw, err := st.GetState(ctx, r.deps.IntegrationID, fieldsKey(c.ID))
		if err != nil {
			return nil, err
		}
		var fs fieldsState
		if raw != nil && json.Unmarshal(raw, &fs) == nil && fs.UpdatedAt.Equal(*c.UpdatedAt.t) {
			return fs.Fields, nil
		}
	}
	d, err := r.candidate(ctx, id(c.ID))
	if err != nil {
		if resultlinks.IsNotFound(err) || outbound.Status(err) == http.StatusNotFound {
			return map[string]any{}, nil // deleted since it was listed
		}
		return nil, err
	}
	fields := fieldMap(d.Fields)
	if st != nil && d.UpdatedAt.t != nil {
		raw, _ := json.Marshal(fieldsState{UpdatedAt: *d.UpdatedAt.t, Fields: fields})
		if err := st.PutState(ctx, r.deps.IntegrationID, fieldsKey(c.ID), raw); err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// candidate reads one candidate with its profile fields.
func (r *Recruitee) candidate(ctx context.Context, candID string) (*candidateDetail, error) {
	var out struct {
		Candidate candidateDetail `json:"candidate"`
	}
	if _, err := r.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: r.path("/candidates/" + candID)}, &out); err != nil {
		return nil, err
	}
	return &out.Candidate, nil
}

// fieldMap maps profile fields to custom fields by name: a field with one
// value gives that value, with several a list.
func fieldMap(fields []field) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		var vals []any
		for _, v := range f.Values {
			if x := v.value(); x != nil {
				vals = append(vals, x)
			}
		}
		switch len(vals) {
		case 0:
		case 1:
			out[f.Name] = vals[0]
		default:
			out[f.Name] = vals
		}
	}
	return out
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// candidateURL is the candidate's page in Recruitee's web app.
func (r *Recruitee) candidateURL(candID int64) *string {
	u := "https://app.recruitee.com/#/dashboard/overview?candidate=" + id(candID)
	if _, err := strconv.ParseInt(string(r.creds.CompanyID), 10, 64); err == nil {
		u += "&company=" + string(r.creds.CompanyID)
	}
	return &u
}

func (r *Recruitee) mapCandidate(c candidate, fields map[string]any) *resultlinks.Candidate {
	first, last, _ := strings.Cut(strings.TrimSpace(c.Name), " ")
	out := &resultlinks.Candidate{
		RemoteID: id(c.ID), FirstName: nonEmpty(first), LastName: nonEmpty(last), Source: c.Source,
		CustomFields: fields, RemoteURL: r.candidateURL(c.ID),
		RemoteCreatedAt: c.CreatedAt.t, RemoteUpdatedAt: c.UpdatedAt.t,
		Tags: []resultlinks.Tag{},
	}
	if out.CustomFields == nil {
		out.CustomFields = map[string]any{}
	}
	for _, e := range c.Emails {
		out.EmailAddresses = append(out.EmailAddresses, resultlinks.EmailAddress{EmailAddress: nonEmpty(e)})
	}
	for _, p := range c.Phones {
		if p = strings.TrimSpace(p); p != "" {
			out.PhoneNumbers = append(out.PhoneNumbers, resultlinks.PhoneNumber{PhoneNumber: p})
		}
	}
	for _, t := range c.Tags {
		// Recruitee lists tags by name; the name is their identity.
		out.Tags = append(out.Tags, resultlinks.Tag{RemoteID: t, Name: ptr(t)})
	}
	return out
}

// mapPlacement maps a placement (a candidate on an offer) to an application.
func (r *Recruitee) mapPlacement(c candidate, p placement) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: id(p.ID), CandidateRemoteID: id(c.ID), JobRemoteID: id(p.OfferID),
		RemoteURL: r.candidateURL(c.ID), RemoteCreatedAt: p.CreatedAt.t, RemoteUpdatedAt: p.UpdatedAt.t,
		CustomFields: map[string]any{}, Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	if p.CandidateID != 0 {
		out.CandidateRemoteID = id(p.CandidateID)
	}
	if p.StageID != nil {
		out.CurrentStageRemoteID = id(*p.StageID)
	}
	switch {
	case p.HiredAt.t != nil:
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case p.DisqualifiedAt.t != nil || p.DisqualifyReason != nil:
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
		out.RejectedAt = p.DisqualifiedAt.t
		out.RejectionReasonName = p.DisqualifyReason
	default:
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out
}
