package workable

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// The SPI v3 read shapes, as far as resultlinks reads them.

type candidate struct {
	ID                     string     `json:"id"`
	Firstname              *string    `json:"firstname"`
	Lastname               *string    `json:"lastname"`
	Headline               *string    `json:"headline"`
	Job                    jobRef     `json:"job"`
	Stage                  string     `json:"stage"`
	StageKind              string     `json:"stage_kind"`
	Disqualified           bool       `json:"disqualified"`
	DisqualificationReason *string    `json:"disqualification_reason"`
	DisqualifiedAt         *time.Time `json:"disqualified_at"`
	HiredAt                *time.Time `json:"hired_at"`
	ProfileURL             string     `json:"profile_url"`
	Address                *string    `json:"address"`
	Phone                  *string    `json:"phone"`
	Email                  *string    `json:"email"`
	Domain                 *string    `json:"domain"`
	CreatedAt              *time.Time `json:"created_at"`
	UpdatedAt              *time.Time `json:"updated_at"`
}

type jobRef struct {
	Shortcode string `json:"shortcode"`
	Title     string `json:"title"`
}

type job struct {
	Shortcode string `json:"shortcode"`
	Title     string `json:"title"`
}

type stage struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Position *int   `json:"position"`
}

// list is the envelope of the lists resultlinks reads.
type list struct {
	Candidates []candidate `json:"candidates"`
	Jobs       []job       `json:"jobs"`
	Stages     []stage     `json:"stages"`
	Paging     paging      `json:"paging"`
}

func (w *Workable) pageSize() int {
	if w.deps.PageSize > 0 {
		return min(w.deps.PageSize, PerPage)
	}
	return PerPage
}

// ListPage reads one page. The first page of a model asks its list
// (GET /jobs, /stages, /candidates) with limit, and for candidates in a
// delta updated_after; later pages follow paging.next verbatim, the cursor
// being that URL. Jobs have no updated-since filter in what resultlinks
// can rely on, and stages none at all: every sync reads them whole (there
// are few). Candidates and applications are both the candidate list (see
// the package doc); an applications page also carries the jobs its records
// name, so that every referenced job is mirrored even where GET /jobs
// leaves it out.
func (w *Workable) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	var path string
	if req.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(req.Cursor)
		if err != nil {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "workable: the page cursor is not one this connector issued")
		}
		if path, err = w.follow(string(raw)); err != nil {
			return nil, err
		}
	} else {
		q := url.Values{"limit": {strconv.Itoa(w.pageSize())}}
		switch req.Model {
		case resultlinks.ModelJobs:
			path = api("/jobs")
		case resultlinks.ModelStages:
			path, q = api("/stages"), nil
		case resultlinks.ModelCandidates, resultlinks.ModelApplications:
			path = api("/candidates")
			if req.UpdatedSince != nil {
				// Workable renders whole seconds and compares strictly: step
				// back a second so a change in the same second is not lost.
				q.Set("updated_after", req.UpdatedSince.UTC().Truncate(time.Second).Add(-time.Second).Format(time.RFC3339))
			}
		default:
			return nil, fmt.Errorf("workable: no model %q", req.Model)
		}
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
	}
	var got list
	if _, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: path}, &got); err != nil {
		return nil, err
	}
	out := &connector.Page{}
	next, err := w.follow(got.Paging.Next)
	if err != nil {
		return nil, err
	}
	if next != "" {
		out.Next = base64.RawURLEncoding.EncodeToString([]byte(next))
	}
	switch req.Model {
	case resultlinks.ModelJobs:
		for _, j := range got.Jobs {
			out.Batch.Jobs = append(out.Batch.Jobs, &resultlinks.Job{RemoteID: j.Shortcode, Name: nonEmpty(&j.Title)})
		}
	case resultlinks.ModelStages:
		names := map[string]string{}
		for i, s := range got.Stages {
			index := i
			if s.Position != nil {
				index = *s.Position
			}
			out.Batch.Stages = append(out.Batch.Stages, &resultlinks.Stage{RemoteID: s.Slug, Name: nonEmpty(&s.Name), Index: &index})
			names[s.Name] = s.Slug
		}
		w.mu.Lock()
		w.stages = names
		w.mu.Unlock()
	case resultlinks.ModelCandidates:
		for _, c := range got.Candidates {
			fields, err := w.written(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			out.Batch.Candidates = append(out.Batch.Candidates, mapCandidate(c, fields))
		}
	case resultlinks.ModelApplications:
		stages, err := w.stageSlugs(ctx)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, c := range got.Candidates {
			fields, err := w.written(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			out.Batch.Applications = append(out.Batch.Applications, mapApplication(c, stages[c.Stage], fields))
			if j := c.Job; j.Shortcode != "" && !seen[j.Shortcode] {
				seen[j.Shortcode] = true
				out.Batch.Jobs = append(out.Batch.Jobs, &resultlinks.Job{RemoteID: j.Shortcode, Name: nonEmpty(&j.Title)})
			}
		}
	}
	return out, nil
}

// stageSlugs returns the account's stages by name (candidates name their
// stage), read once per connector. A token that may not read them gives
// none, and applications go without a stage.
func (w *Workable) stageSlugs(ctx context.Context) (map[string]string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stages != nil {
		return w.stages, nil
	}
	var got list
	_, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: api("/stages")}, &got)
	if outbound.Status(err) == http.StatusForbidden {
		w.stages = map[string]string{}
		return w.stages, nil
	}
	if err != nil {
		return nil, err
	}
	w.stages = map[string]string{}
	for _, s := range got.Stages {
		w.stages[s.Name] = s.Slug
	}
	return w.stages, nil
}

func profileURL(c candidate) *string {
	if c.ProfileURL == "" {
		return nil
	}
	return ptr(c.ProfileURL)
}

func mapCandidate(c candidate, fields map[string]any) *resultlinks.Candidate {
	out := &resultlinks.Candidate{
		RemoteID: c.ID, FirstName: nonEmpty(c.Firstname), LastName: nonEmpty(c.Lastname), Title: nonEmpty(c.Headline),
		Source: nonEmpty(c.Domain), CustomFields: fields, RemoteURL: profileURL(c),
		RemoteCreatedAt: c.CreatedAt, RemoteUpdatedAt: c.UpdatedAt, Tags: []resultlinks.Tag{},
	}
	if e := nonEmpty(c.Email); e != nil {
		out.EmailAddresses = []resultlinks.EmailAddress{{EmailAddress: e}}
	}
	if p := nonEmpty(c.Phone); p != nil {
		out.PhoneNumbers = []resultlinks.PhoneNumber{{PhoneNumber: *p}}
	}
	if a := nonEmpty(c.Address); a != nil {
		out.Location = &resultlinks.Location{Raw: a}
	}
	return out
}

func mapApplication(c candidate, stageSlug string, fields map[string]any) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: c.ID, CandidateRemoteID: c.ID, JobRemoteID: c.Job.Shortcode, CurrentStageRemoteID: stageSlug,
		CustomFields: fields, RemoteURL: profileURL(c), RemoteCreatedAt: c.CreatedAt, RemoteUpdatedAt: c.UpdatedAt,
		Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	switch {
	case c.HiredAt != nil || c.StageKind == "hired":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case c.Disqualified:
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
		out.RejectionReasonName = nonEmpty(c.DisqualificationReason)
		out.RejectedAt = c.DisqualifiedAt
	default:
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out
}

// The values resultlinks wrote to a candidate's custom attributes, kept
// because Workable's candidate list does not carry them.

func stateKey(candidateID string) string { return "custom_attributes/" + candidateID }

// written returns the custom attribute values resultlinks wrote to a
// candidate, by attribute label; nil when none (or without a state store).
func (w *Workable) written(ctx context.Context, candidateID string) (map[string]any, error) {
	if w.deps.State == nil {
		return nil, nil
	}
	raw, err := w.deps.State.GetState(ctx, w.deps.IntegrationID, stateKey(candidateID))
	if err != nil || raw == nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("workable: state of candidate %s: %w", candidateID, err)
	}
	return m, nil
}

// remember adds written values to a candidate's state.
func (w *Workable) remember(ctx context.Context, candidateID string, values map[string]any) error {
	if w.deps.State == nil || len(values) == 0 {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	m, err := w.written(ctx, candidateID)
	if err != nil {
		return err
	}
	if m == nil {
		m = map[string]any{}
	}
	maps.Copy(m, values)
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return w.deps.State.PutState(ctx, w.deps.IntegrationID, stateKey(candidateID), raw)
}
