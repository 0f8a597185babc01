package greenhouse

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// The Harvest v3 read shapes, as far as resultlinks reads them.

type typedValue struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

type customFieldValue struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

type candidate struct {
	ID             int64                       `json:"id"`
	CreatedAt      *time.Time                  `json:"created_at"`
	UpdatedAt      *time.Time                  `json:"updated_at"`
	FirstName      *string                     `json:"first_name"`
	LastName       *string                     `json:"last_name"`
	Company        *string                     `json:"company"`
	Title          *string                     `json:"title"`
	Private        *bool                       `json:"private"`
	Tags           []string                    `json:"tags"`
	PhoneNumbers   []typedValue                `json:"phone_numbers"`
	Addresses      []typedValue                `json:"addresses"`
	EmailAddresses []typedValue                `json:"email_addresses"`
	SocialMedia    []struct{ Value string }    `json:"social_media_addresses"`
	CustomFields   map[string]customFieldValue `json:"custom_fields"`
	// Message is set instead of the fields when Harvest reports a record
	// still being processed.
	Message string `json:"message"`
}

type application struct {
	ID                  int64                       `json:"id"`
	CreatedAt           *time.Time                  `json:"created_at"`
	UpdatedAt           *time.Time                  `json:"updated_at"`
	RejectedAt          *time.Time                  `json:"rejected_at"`
	CandidateID         int64                       `json:"candidate_id"`
	JobID               *int64                      `json:"job_id"`
	StageID             *int64                      `json:"stage_id"`
	JobInterviewStageID *int64                      `json:"job_interview_stage_id"`
	Status              string                      `json:"status"`
	CustomFields        map[string]customFieldValue `json:"custom_fields"`
}

type job struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type stage struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	SortOrder int    `json:"sort_order"`
	Active    bool   `json:"active"`
}

var paths = map[resultlinks.Model]string{
	resultlinks.ModelJobs:         "/v3/jobs",
	resultlinks.ModelStages:       "/v3/job_interview_stages",
	resultlinks.ModelCandidates:   "/v3/candidates",
	resultlinks.ModelApplications: "/v3/applications",
}

var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="?next"?`)

// ListPage reads one page. The first page asks per_page=500 and, for a
// delta, updated_at=gte|<since>|lte|<now>; later pages follow the Link
// header's next URL verbatim, as Harvest requires.
func (g *Greenhouse) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	path, ok := paths[req.Model]
	if !ok {
		return nil, fmt.Errorf("greenhouse: no model %q", req.Model)
	}
	r := &outbound.Request{Method: http.MethodGet, Path: path}
	if req.Cursor != "" {
		next, err := base64.RawURLEncoding.DecodeString(req.Cursor)
		if err != nil {
			return nil, fmt.Errorf("greenhouse: bad cursor: %w", err)
		}
		r.Path = string(next)
	} else {
		size := PerPage
		if g.deps.PageSize > 0 {
			size = g.deps.PageSize
		}
		r.Query = url.Values{"per_page": {strconv.Itoa(size)}}
		if req.UpdatedSince != nil && req.Model != resultlinks.ModelJobs && req.Model != resultlinks.ModelStages {
			// A closed window (Harvest pages run newest id first, so records
			// changing during the walk would shift pages); the upper bound
			// rounds up so a change within this second is included, and the
			// next delta starts from this sync's start.
			upper := g.now().UTC().Add(time.Second)
			r.Query.Set("updated_at", "gte|"+req.UpdatedSince.UTC().Format(time.RFC3339)+"|lte|"+upper.Format(time.RFC3339))
		}
	}
	res, err := g.client.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	page := &connector.Page{}
	if m := nextLink.FindStringSubmatch(res.Header.Get("Link")); m != nil {
		// The cursor is the next URL itself, kept opaque.
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(m[1]))
	}
	switch req.Model {
	case resultlinks.ModelJobs:
		var list []job
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, j := range list {
			page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: id(j.ID), Name: ptr(j.Name)})
		}
	case resultlinks.ModelStages:
		var list []stage
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, s := range list {
			status := resultlinks.StageActive
			if !s.Active {
				status = resultlinks.StageInactive
			}
			page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{
				RemoteID: id(s.ID), Name: ptr(s.Name), Index: ptr(s.SortOrder), Status: &status,
			})
		}
	case resultlinks.ModelCandidates:
		var list []candidate
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, c := range list {
			if c.ID == 0 {
				continue // a "still processing" message instead of a record
			}
			page.Batch.Candidates = append(page.Batch.Candidates, mapCandidate(c))
		}
	case resultlinks.ModelApplications:
		var list []application
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, a := range list {
			page.Batch.Applications = append(page.Batch.Applications, mapApplication(a))
		}
	}
	return page, nil
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// fields maps Harvest custom fields (keyed by name_key) to the contract's
// custom_fields, keyed by the field's display name.
func fields(m map[string]customFieldValue) map[string]any {
	out := map[string]any{}
	for key, v := range m {
		if v.Value == nil {
			continue
		}
		name := v.Name
		if name == "" {
			name = key
		}
		out[name] = v.Value
	}
	return out
}

func mapCandidate(c candidate) *resultlinks.Candidate {
	out := &resultlinks.Candidate{
		RemoteID: id(c.ID), FirstName: c.FirstName, LastName: c.LastName, Company: c.Company, Title: c.Title,
		Confidential: c.Private, CustomFields: fields(c.CustomFields),
		RemoteURL:       ptr("https://app.greenhouse.io/people/" + id(c.ID)),
		RemoteCreatedAt: c.CreatedAt, RemoteUpdatedAt: c.UpdatedAt,
		Tags: []resultlinks.Tag{},
	}
	for _, p := range c.PhoneNumbers {
		out.PhoneNumbers = append(out.PhoneNumbers, resultlinks.PhoneNumber{PhoneNumber: p.Value, Type: phoneType(p.Type)})
	}
	for _, e := range c.EmailAddresses {
		out.EmailAddresses = append(out.EmailAddresses, resultlinks.EmailAddress{EmailAddress: nonEmpty(e.Value), Type: emailType(e.Type)})
	}
	for _, s := range c.SocialMedia {
		out.SocialMedia = append(out.SocialMedia, resultlinks.SocialMedia{Link: nonEmpty(s.Value)})
	}
	if len(c.Addresses) > 0 {
		out.Location = &resultlinks.Location{Raw: nonEmpty(c.Addresses[0].Value)}
	}
	for _, t := range c.Tags {
		// Harvest v3 gives tags by name only; the name is their identity.
		out.Tags = append(out.Tags, resultlinks.Tag{RemoteID: t, Name: ptr(t)})
	}
	return out
}

func phoneType(t string) *string {
	switch strings.ToLower(t) {
	case "mobile":
		return ptr("MOBILE")
	case "home":
		return ptr("HOME")
	case "work":
		return ptr("WORK")
	case "":
		return nil
	}
	return ptr("OTHER")
}

func emailType(t string) *string {
	switch strings.ToLower(t) {
	case "personal":
		return ptr("PERSONAL")
	case "work":
		return ptr("WORK")
	case "":
		return nil
	}
	return ptr("OTHER")
}

func mapApplication(a application) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: id(a.ID), CandidateRemoteID: id(a.CandidateID), CustomFields: fields(a.CustomFields),
		RemoteURL:       ptr(fmt.Sprintf("https://app.greenhouse.io/people/%d/applications/%d", a.CandidateID, a.ID)),
		RemoteCreatedAt: a.CreatedAt, RemoteUpdatedAt: a.UpdatedAt, RejectedAt: a.RejectedAt,
		Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	if a.JobID != nil {
		out.JobRemoteID = id(*a.JobID)
	}
	if a.JobInterviewStageID != nil {
		out.CurrentStageRemoteID = id(*a.JobInterviewStageID)
	} else if a.StageID != nil {
		out.CurrentStageRemoteID = id(*a.StageID)
	}
	switch a.Status {
	case "hired":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case "rejected":
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
	default: // in_process, converted
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out
}
