package personio

import (
	"bytes"
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

// The v2 Recruiting read shapes, as far as resultlinks reads them.

// ptime is a Personio timestamp: an RFC 3339 string, or an object
// {"date-time", "timezone"} whose date-time may lack an offset.
type ptime struct{ t *time.Time }

func (p *ptime) UnmarshalJSON(b []byte) error {
	p.t = nil
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var s string
	zone := ""
	if json.Unmarshal(b, &s) != nil {
		var obj struct {
			DateTime string `json:"date-time"`
			Timezone string `json:"timezone"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("personio: timestamp %s: %w", b, err)
		}
		s, zone = obj.DateTime, obj.Timezone
	}
	if s == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		p.t = &t
		return nil
	}
	loc := time.UTC
	if zone != "" {
		if l, err := time.LoadLocation(zone); err == nil {
			loc = l
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			p.t = &t
			return nil
		}
	}
	return fmt.Errorf("personio: timestamp %q is not a date-time", s)
}

// pid is an id given as a JSON string or number.
type pid string

func (p *pid) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*p = pid(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("personio: id %s: %w", b, err)
	}
	*p = pid(n.String())
	return nil
}

type ref struct {
	ID   pid    `json:"id"`
	Name string `json:"name"`
}

type stage struct {
	ID   pid    `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type candidate struct {
	ID              pid     `json:"id"`
	FirstName       *string `json:"first_name"`
	LastName        *string `json:"last_name"`
	Email           *string `json:"email"`
	Phone           *string `json:"phone"`
	Location        *string `json:"location"`
	LinkedinProfile *string `json:"linkedin_profile"`
	CreatedAt       ptime   `json:"created_at"`
	UpdatedAt       ptime   `json:"updated_at"`
}

type application struct {
	ID           pid    `json:"id"`
	Candidate    ref    `json:"candidate"`
	Job          ref    `json:"job"`
	CurrentStage *stage `json:"current_stage"`
	CreatedAt    ptime  `json:"created_at"`
	UpdatedAt    ptime  `json:"updated_at"`
}

type category struct {
	ID     pid     `json:"id"`
	Name   string  `json:"name"`
	Stages []stage `json:"stages"`
}

// listing is the v2 list envelope: {"_data": [...], "_meta": {"links":
// {"next": {"href"}}}}.
type listing struct {
	Data json.RawMessage `json:"_data"`
	Meta struct {
		Links struct {
			Next *struct {
				Href string `json:"href"`
			} `json:"next"`
		} `json:"links"`
	} `json:"_meta"`
}

var paths = map[resultlinks.Model]string{
	resultlinks.ModelJobs:         "/v2/recruiting/jobs",
	resultlinks.ModelStages:       "/v2/recruiting/categories", // stages live in the jobs' categories
	resultlinks.ModelCandidates:   "/v2/recruiting/candidates",
	resultlinks.ModelApplications: "/v2/recruiting/applications",
}

// ListPage reads one page. The first page asks limit and, for a delta,
// updated_at.gt; later pages follow _meta.links.next, whose cursor carries
// the rest, kept opaque in the page's cursor. Stages come from the
// recruiting categories, which hold the stages their jobs move through.
func (p *Personio) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	path, ok := paths[req.Model]
	if !ok {
		return nil, fmt.Errorf("personio: no model %q", req.Model)
	}
	r := &outbound.Request{Method: http.MethodGet, Path: path}
	if req.Cursor != "" {
		next, err := base64.RawURLEncoding.DecodeString(req.Cursor)
		if err != nil {
			return nil, fmt.Errorf("personio: bad cursor: %w", err)
		}
		r.Path = string(next)
	} else {
		size := PerPage
		if p.deps.PageSize > 0 {
			size = min(p.deps.PageSize, PerPage)
		}
		r.Query = url.Values{"limit": {strconv.Itoa(size)}}
		if req.UpdatedSince != nil && req.Model != resultlinks.ModelStages {
			// updated_at.gt is exclusive and Personio keeps whole seconds: a
			// second earlier keeps a change within since's own second.
			r.Query.Set("updated_at.gt", req.UpdatedSince.UTC().Truncate(time.Second).Add(-time.Second).Format(time.RFC3339))
		}
	}
	var l listing
	if _, err := p.client.JSON(ctx, r, &l); err != nil {
		return nil, err
	}
	page := &connector.Page{}
	if n := l.Meta.Links.Next; n != nil && n.Href != "" {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(n.Href))
	}
	decode := func(v any) error {
		if err := json.Unmarshal(l.Data, v); err != nil {
			return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Personio answered a list that is not the expected JSON", Err: err}
		}
		return nil
	}
	switch req.Model {
	case resultlinks.ModelJobs:
		var list []ref
		if err := decode(&list); err != nil {
			return nil, err
		}
		for _, j := range list {
			page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: string(j.ID), Name: ptr(j.Name)})
		}
	case resultlinks.ModelStages:
		var list []category
		if err := decode(&list); err != nil {
			return nil, err
		}
		seen := map[pid]bool{}
		for _, c := range list {
			for i, s := range c.Stages {
				if seen[s.ID] {
					continue
				}
				seen[s.ID] = true
				page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{RemoteID: string(s.ID), Name: ptr(s.Name), Index: ptr(i)})
			}
		}
	case resultlinks.ModelCandidates:
		var list []candidate
		if err := decode(&list); err != nil {
			return nil, err
		}
		for _, c := range list {
			page.Batch.Candidates = append(page.Batch.Candidates, mapCandidate(c))
		}
	case resultlinks.ModelApplications:
		var list []application
		if err := decode(&list); err != nil {
			return nil, err
		}
		for _, a := range list {
			page.Batch.Applications = append(page.Batch.Applications, mapApplication(a))
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

// mapCandidate maps a candidate. v2 Recruiting returns no custom
// attributes or tags, so those stay empty.
func mapCandidate(c candidate) *resultlinks.Candidate {
	out := &resultlinks.Candidate{
		RemoteID: string(c.ID), FirstName: nonEmpty(c.FirstName), LastName: nonEmpty(c.LastName),
		CustomFields: map[string]any{}, Tags: []resultlinks.Tag{},
		RemoteCreatedAt: c.CreatedAt.t, RemoteUpdatedAt: c.UpdatedAt.t,
	}
	if e := nonEmpty(c.Email); e != nil {
		out.EmailAddresses = []resultlinks.EmailAddress{{EmailAddress: e}}
	}
	if ph := nonEmpty(c.Phone); ph != nil {
		out.PhoneNumbers = []resultlinks.PhoneNumber{{PhoneNumber: *ph}}
	}
	if l := nonEmpty(c.Location); l != nil {
		out.Location = &resultlinks.Location{Raw: l}
	}
	if li := nonEmpty(c.LinkedinProfile); li != nil {
		out.SocialMedia = []resultlinks.SocialMedia{{Link: li, Type: ptr("LINKEDIN")}}
	}
	return out
}

// mapApplication maps an application; its outcome follows its current
// stage's type (ACCEPTED is hired, REJECTED declined).
func mapApplication(a application) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: string(a.ID), CandidateRemoteID: string(a.Candidate.ID), JobRemoteID: string(a.Job.ID),
		RemoteCreatedAt: a.CreatedAt.t, RemoteUpdatedAt: a.UpdatedAt.t,
		CustomFields: map[string]any{}, Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
		Outcome: ptr(resultlinks.OutcomePending),
	}
	if s := a.CurrentStage; s != nil {
		out.CurrentStageRemoteID = string(s.ID)
		switch strings.ToUpper(s.Type) {
		case "ACCEPTED":
			out.Outcome = ptr(resultlinks.OutcomeHired)
		case "REJECTED":
			out.Outcome = ptr(resultlinks.OutcomeDeclined)
		}
	}
	return out
}
