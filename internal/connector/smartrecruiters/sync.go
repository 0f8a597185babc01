package smartrecruiters

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// The read shapes of the Customer API, as far as resultlinks reads them.

type listBody struct {
	TotalFound int               `json:"totalFound"`
	NextPageID string            `json:"nextPageId"`
	Content    []json.RawMessage `json:"content"`
}

type ref struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type assignment struct {
	Job       ref    `json:"job"`
	Status    string `json:"status"`
	SubStatus string `json:"subStatus"`
}

type candidate struct {
	ID          string   `json:"id"`
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	Email       string   `json:"email"`
	PhoneNumber string   `json:"phoneNumber"`
	Tags        []string `json:"tags"`
	Location    *struct {
		Country     string `json:"country"`
		CountryCode string `json:"countryCode"`
		Region      string `json:"region"`
		City        string `json:"city"`
	} `json:"location"`
	CreatedOn            *time.Time   `json:"createdOn"`
	UpdatedOn            *time.Time   `json:"updatedOn"`
	PrimaryAssignment    *assignment  `json:"primaryAssignment"`
	SecondaryAssignments []assignment `json:"secondaryAssignments"`
}

// assignments are the candidate's applications, primary first.
func (c candidate) assignments() []assignment {
	var out []assignment
	if c.PrimaryAssignment != nil {
		out = append(out, *c.PrimaryAssignment)
	}
	return append(out, c.SecondaryAssignments...)
}

type appDetail struct {
	Status    string     `json:"status"`
	SubStatus string     `json:"subStatus"`
	CreatedOn *time.Time `json:"createdOn"`
	UpdatedOn *time.Time `json:"updatedOn"`
}

type propertyValue struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

type job struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type hiringProcess struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Active      bool   `json:"active"`
	SubStatuses *struct {
		InReview  []string `json:"inReview"`
		Interview []string `json:"interview"`
		Offered   []string `json:"offered"`
	} `json:"subStatuses"`
}

// cursor is what Page.Next carries, base64url JSON and opaque to callers:
// SmartRecruiters' pageId and the updatedAfter the listing started with.
type cursor struct {
	PageID string `json:"p"`
	Since  string `json:"s,omitempty"`
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || c.PageID == "" {
		return c, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters: the cursor %q is not one this connector issued", s)
	}
	return c, nil
}

// timeLayout is SmartRecruiters' ISO-8601 form.
const timeLayout = "2006-01-02T15:04:05.000Z"

// pageQuery builds the query of a paged list: limit, the updatedAfter of
// the listing (from the cursor on later pages) and pageId.
func pageQuery(req connector.PageRequest, limit int) (url.Values, cursor, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	var cur cursor
	if req.Cursor != "" {
		var err error
		if cur, err = decodeCursor(req.Cursor); err != nil {
			return nil, cur, err
		}
		q.Set("pageId", cur.PageID)
	} else if req.UpdatedSince != nil {
		cur.Since = req.UpdatedSince.UTC().Format(timeLayout)
	}
	if cur.Since != "" {
		q.Set("updatedAfter", cur.Since)
	}
	return q, cur, nil
}

func (s *SmartRecruiters) pageSize(def int) int {
	if s.deps.PageSize > 0 {
		return min(s.deps.PageSize, PageLimit)
	}
	return def
}

// ListPage reads one page. Candidates and jobs page with SmartRecruiters'
// pageId and filter by updatedAfter; candidate listings hold the
// credential's single GET /candidates slot. An applications page lists one
// page of candidates (changed since UpdatedSince, for a delta) and reads
// each of their applications with GET /candidates/{id}/jobs/{jobId} and
// its properties, so memory stays bounded by the page. Stages are the
// fixed statuses and the hiring processes' sub-statuses, always whole in
// one page. SmartRecruiters reports no deletions; a full sync notices
// candidates that stopped being listed.
func (s *SmartRecruiters) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	switch req.Model {
	case resultlinks.ModelStages:
		return s.listStages(ctx)
	case resultlinks.ModelJobs, resultlinks.ModelCandidates, resultlinks.ModelApplications:
	default:
		return nil, fmt.Errorf("smartrecruiters: no model %q", req.Model)
	}
	limit := s.pageSize(PageLimit)
	if req.Model == resultlinks.ModelApplications {
		limit = s.pageSize(ApplicationsPageLimit)
	}
	q, cur, err := pageQuery(req, limit)
	if err != nil {
		return nil, err
	}
	var body listBody
	if req.Model == resultlinks.ModelJobs {
		_, err = s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/jobs", Query: q}, &body)
	} else {
		err = s.listCandidates(ctx, q, &body)
	}
	if err != nil {
		return nil, err
	}
	page := &connector.Page{}
	if body.NextPageID != "" && len(body.Content) > 0 {
		page.Next = encodeCursor(cursor{PageID: body.NextPageID, Since: cur.Since})
	}
	switch req.Model {
	case resultlinks.ModelJobs:
		for _, raw := range body.Content {
			var j job
			if err := json.Unmarshal(raw, &j); err != nil {
				return nil, badRecord(req.Model, err)
			}
			page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: j.ID, Name: nonEmpty(j.Title)})
		}
	case resultlinks.ModelCandidates:
		for _, raw := range body.Content {
			var c candidate
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, badRecord(req.Model, err)
			}
			page.Batch.Candidates = append(page.Batch.Candidates, mapCandidate(c))
		}
	case resultlinks.ModelApplications:
		var cands []candidate
		for _, raw := range body.Content {
			var c candidate
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, badRecord(req.Model, err)
			}
			cands = append(cands, c)
		}
		apps, err := s.applications(ctx, cands)
		if err != nil {
			return nil, err
		}
		page.Batch.Applications = apps
	}
	return page, nil
}

func badRecord(m resultlinks.Model, err error) error {
	return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "SmartRecruiters listed a " + string(m) + " record that is not the expected JSON", Err: err}
}

// applicationWorkers bounds the application reads in flight (the
// credential may have 8; the rest stay free for other work).
const applicationWorkers = 4

// applications reads the applications of a page of candidates.
func (s *SmartRecruiters) applications(ctx context.Context, cands []candidate) ([]*resultlinks.Application, error) {
	type item struct {
		cand string
		as   assignment
	}
	var items []item
	for _, c := range cands {
		for _, a := range c.assignments() {
			if a.Job.ID != "" {
				items = append(items, item{c.ID, a})
			}
		}
	}
	out := make([]*resultlinks.Application, len(items))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		sem      = make(chan struct{}, applicationWorkers)
	)
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			app, err := s.application(ctx, it.cand, it.as)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				return
			}
			out[i] = app
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Applications that vanished between the listing and their read are left out.
	return slices.DeleteFunc(out, func(a *resultlinks.Application) bool { return a == nil }), nil
}

func (s *SmartRecruiters) flag(p *bool) bool {
	s.flagMu.Lock()
	defer s.flagMu.Unlock()
	return *p
}

func (s *SmartRecruiters) setFlag(p *bool, what string, err error) {
	s.flagMu.Lock()
	defer s.flagMu.Unlock()
	if !*p {
		s.log.Warn("smartrecruiters: "+what, "integration", s.deps.IntegrationID, "error", err)
	}
	*p = true
}

// application reads one application (its dates and status) and its
// property values; nil when the candidate or application is gone.
func (s *SmartRecruiters) application(ctx context.Context, cand string, as assignment) (*resultlinks.Application, error) {
	base := "/candidates/" + url.PathEscape(cand) + "/jobs/" + url.PathEscape(as.Job.ID)
	detail := appDetail{Status: as.Status, SubStatus: as.SubStatus}
	if !s.flag(&s.noDetails) {
		_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: base}, &detail)
		switch {
		case err == nil:
		case outbound.Status(err) == http.StatusNotFound:
			return nil, nil
		case resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing:
			s.setFlag(&s.noDetails, "the credentials may not read applications; mirroring their status only", err)
			detail = appDetail{Status: as.Status, SubStatus: as.SubStatus}
		default:
			return nil, err
		}
	}
	props := map[string]any{}
	if !s.flag(&s.noProperties) {
		var body struct {
			Content []propertyValue `json:"content"`
		}
		_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: base + "/properties"}, &body)
		switch {
		case err == nil:
			props = propertyFields(body.Content)
		case outbound.Status(err) == http.StatusNotFound:
			return nil, nil
		case resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing:
			s.setFlag(&s.noProperties, "the credentials may not read candidate properties; application custom fields are not mirrored", err)
		default:
			return nil, err
		}
	}
	return mapApplication(cand, as.Job.ID, detail, props), nil
}

// propertyFields maps property values to custom_fields keyed by label: a
// SINGLE_SELECT value by its label, everything else as SmartRecruiters
// gives it.
func propertyFields(list []propertyValue) map[string]any {
	out := map[string]any{}
	for _, p := range list {
		if p.Value == nil {
			continue
		}
		name := p.Label
		if name == "" {
			name = p.ID
		}
		out[name] = displayValue(p)
	}
	return out
}

func displayValue(p propertyValue) any {
	if m, ok := p.Value.(map[string]any); ok && p.Type == "SINGLE_SELECT" {
		if l, ok := m["label"].(string); ok {
			return l
		}
	}
	return p.Value
}

// statuses are SmartRecruiters' fixed application statuses in pipeline
// order, with the names the UI shows, and the sub-status list of a hiring
// process that refines each.
var statuses = []struct{ id, name, sub string }{
	{"LEAD", "Lead", ""}, {"NEW", "New", ""}, {"IN_REVIEW", "In Review", "inReview"}, {"INTERVIEW", "Interview", "interview"},
	{"OFFER", "Offer", "offered"}, {"HIRED", "Hired", ""}, {"REJECTED", "Rejected", ""}, {"WITHDRAWN", "Withdrawn", ""},
	{"TRANSFERRED", "Transferred", ""},
}

// stageID is the stage of an application: its sub-status within its
// status when it has one, else the status.
func stageID(status, subStatus string) string {
	if subStatus == "" {
		return status
	}
	return status + "/" + subStatus
}

// listStages returns every status and, after each, the sub-statuses the
// hiring processes give it (INACTIVE when only inactive processes use it).
// Credentials without access to the configuration get the statuses only.
func (s *SmartRecruiters) listStages(ctx context.Context) (*connector.Page, error) {
	var list struct {
		Content []hiringProcess `json:"content"`
	}
	_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/configuration/hiring-processes"}, &list)
	switch {
	case resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing:
		// Without configuration access only the fixed statuses are known.
		s.log.Warn("smartrecruiters: the credentials may not read hiring processes; mirroring the statuses without sub-statuses", "integration", s.deps.IntegrationID, "error", err)
		list.Content = nil
	case err != nil:
		return nil, err
	}
	type sub struct {
		name   string
		active bool
	}
	subs := map[string][]*sub{} // status → sub-statuses in first-seen order
	for _, hp := range list.Content {
		var full hiringProcess
		if _, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/configuration/hiring-processes/" + url.PathEscape(hp.ID)}, &full); err != nil {
			return nil, err
		}
		if full.SubStatuses == nil {
			continue
		}
		for status, names := range map[string][]string{
			"IN_REVIEW": full.SubStatuses.InReview, "INTERVIEW": full.SubStatuses.Interview, "OFFER": full.SubStatuses.Offered,
		} {
			for _, n := range names {
				i := slices.IndexFunc(subs[status], func(x *sub) bool { return x.name == n })
				if i < 0 {
					subs[status] = append(subs[status], &sub{name: n})
					i = len(subs[status]) - 1
				}
				subs[status][i].active = subs[status][i].active || hp.Active || full.Active
			}
		}
	}
	page := &connector.Page{}
	add := func(id, name string, active bool) {
		st := resultlinks.StageActive
		if !active {
			st = resultlinks.StageInactive
		}
		page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{
			RemoteID: id, Name: ptr(name), Index: ptr(len(page.Batch.Stages)), Status: ptr(st),
		})
	}
	for _, st := range statuses {
		add(st.id, st.name, true)
		for _, sb := range subs[st.id] {
			add(stageID(st.id, sb.name), sb.name, sb.active)
		}
	}
	return page, nil
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// candidateURL is the candidate's page in SmartRecruiters.
func candidateURL(id string) string {
	return "https://www.smartrecruiters.com/app/people/candidates/" + id
}

func mapCandidate(c candidate) *resultlinks.Candidate {
	out := &resultlinks.Candidate{
		RemoteID: c.ID, FirstName: nonEmpty(c.FirstName), LastName: nonEmpty(c.LastName),
		RemoteURL: ptr(candidateURL(c.ID)), RemoteCreatedAt: c.CreatedOn, RemoteUpdatedAt: c.UpdatedOn,
		// Candidate properties are job-scoped (the candidate-level ones are
		// deprecated); they are mirrored on the applications.
		CustomFields: map[string]any{}, Tags: []resultlinks.Tag{},
	}
	if c.Email != "" {
		out.EmailAddresses = []resultlinks.EmailAddress{{EmailAddress: ptr(c.Email)}}
	}
	if c.PhoneNumber != "" {
		out.PhoneNumbers = []resultlinks.PhoneNumber{{PhoneNumber: c.PhoneNumber}}
	}
	if l := c.Location; l != nil {
		loc := &resultlinks.Location{City: nonEmpty(l.City), State: nonEmpty(l.Region), Country: nonEmpty(strings.ToUpper(l.CountryCode))}
		if loc.Country == nil {
			loc.Country = nonEmpty(l.Country)
		}
		parts := []string{}
		for _, p := range []string{l.City, l.Region, l.Country} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		loc.Raw = nonEmpty(strings.Join(parts, ", "))
		out.Location = loc
	}
	for _, t := range c.Tags {
		// Tags are plain strings; the text is their identity.
		out.Tags = append(out.Tags, resultlinks.Tag{RemoteID: t, Name: ptr(t)})
	}
	return out
}

// applicationID is the remote ID of an application: SmartRecruiters names
// an application by its candidate and job.
func applicationID(cand, jobID string) string { return cand + ":" + jobID }

// splitApplicationID undoes applicationID.
func splitApplicationID(id string) (cand, jobID string, ok bool) {
	cand, jobID, ok = strings.Cut(id, ":")
	return cand, jobID, ok && cand != "" && jobID != ""
}

func mapApplication(cand, jobID string, d appDetail, props map[string]any) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: applicationID(cand, jobID), CandidateRemoteID: cand, JobRemoteID: jobID,
		CurrentStageRemoteID: stageID(d.Status, d.SubStatus), CustomFields: props,
		// SmartRecruiters shows applications on the candidate's page.
		RemoteURL:       ptr(candidateURL(cand)),
		RemoteCreatedAt: d.CreatedOn, RemoteUpdatedAt: d.UpdatedOn,
		Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	if d.Status == "" {
		out.CurrentStageRemoteID = ""
	}
	switch d.Status {
	case "HIRED":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case "REJECTED", "WITHDRAWN", "TRANSFERRED":
		// A transferred application was moved to another job; this one
		// ended without a hire.
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
	default: // LEAD, NEW, IN_REVIEW, INTERVIEW, OFFER
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out
}
