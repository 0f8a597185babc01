package ashby

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
)

// The read shapes of Ashby's OpenAPI document, as far as resultlinks reads them.

type contact struct {
	Value     string `json:"value"`
	Type      string `json:"type"`
	IsPrimary bool   `json:"isPrimary"`
}

type fieldValue struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Value any    `json:"value"`
}

type candidate struct {
	ID                  string       `json:"id"`
	CreatedAt           *time.Time   `json:"createdAt"`
	Name                string       `json:"name"`
	PrimaryEmailAddress *contact     `json:"primaryEmailAddress"`
	EmailAddresses      []contact    `json:"emailAddresses"`
	PrimaryPhoneNumber  *contact     `json:"primaryPhoneNumber"`
	PhoneNumbers        []contact    `json:"phoneNumbers"`
	SocialLinks         []socialLink `json:"socialLinks"`
	Tags                []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"tags"`
	Position     string       `json:"position"`
	Company      string       `json:"company"`
	CustomFields []fieldValue `json:"customFields"`
	ProfileURL   string       `json:"profileUrl"`
	Source       *struct {
		Title string `json:"title"`
	} `json:"source"`
	Location *struct {
		LocationSummary    string `json:"locationSummary"`
		LocationComponents []struct {
			Type string `json:"type"`
			Name string `json:"name"`
		} `json:"locationComponents"`
	} `json:"location"`
}

type socialLink struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type application struct {
	ID           string       `json:"id"`
	CreatedAt    *time.Time   `json:"createdAt"`
	UpdatedAt    *time.Time   `json:"updatedAt"`
	Status       string       `json:"status"`
	CustomFields []fieldValue `json:"customFields"`
	Candidate    struct {
		ID string `json:"id"`
	} `json:"candidate"`
	CurrentInterviewStage *struct {
		ID string `json:"id"`
	} `json:"currentInterviewStage"`
	ArchiveReason *struct {
		Text string `json:"text"`
	} `json:"archiveReason"`
	ArchivedAt *time.Time `json:"archivedAt"`
	Job        struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"job"`
}

type job struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type interviewPlan struct {
	ID         string `json:"id"`
	IsArchived bool   `json:"isArchived"`
}

type interviewStage struct {
	ID                   string `json:"id"`
	Title                string `json:"title"`
	OrderInInterviewPlan int    `json:"orderInInterviewPlan"`
}

// cursor is what Page.Next carries, base64url JSON and opaque to callers.
type cursor struct {
	// Cursor is Ashby's nextCursor.
	Cursor string `json:"c,omitempty"`
	// Commit is the syncToken of a finished listing: the page after the last
	// one stores it, so a token is kept only once the mirror has written
	// every record the listing returned.
	Commit string `json:"k,omitempty"`
	// Model is the model whose listing the cursor continues.
	Model resultlinks.Model `json:"m,omitempty"`
	// Plans are the interview plans whose stages are still to list.
	Plans []plan `json:"p,omitempty"`
}

type plan struct {
	ID       string `json:"i"`
	Archived bool   `json:"a,omitempty"`
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
	if err != nil {
		return c, resultlinks.Errorf(resultlinks.CodeInputInvalid, "ashby: the cursor %q is not one this connector issued", s)
	}
	return c, nil
}

// listMethods are the list endpoints with cursor paging and syncTokens.
var listMethods = map[resultlinks.Model]string{
	resultlinks.ModelJobs:         "job.list",
	resultlinks.ModelCandidates:   "candidate.list",
	resultlinks.ModelApplications: "application.list",
}

func (a *Ashby) pageSize() int {
	if a.deps.PageSize > 0 {
		return min(a.deps.PageSize, PageLimit)
	}
	return PageLimit
}

// ListPage reads one page. Jobs, candidates and applications page with
// Ashby's cursor; a delta (UpdatedSince set) sends the syncToken the last
// complete listing of the model ended with, kept in the connector state,
// and lists everything when there is none or Ashby says it expired. The
// token stands in for UpdatedSince: it returns everything changed since that
// listing began, which the mirror's previous sync covered. Stages are listed
// one interview plan per page and always whole (Ashby has no delta for
// them). Ashby reports no deletions: deleted candidates simply stop being
// listed, which a full sync notices.
func (a *Ashby) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	var cur cursor
	if req.Cursor != "" {
		var err error
		if cur, err = decodeCursor(req.Cursor); err != nil {
			return nil, err
		}
		if cur.Model != req.Model {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "ashby: the cursor continues a listing of %s, not of %s", cur.Model, req.Model)
		}
	}
	if req.Model == resultlinks.ModelStages {
		return a.listStages(ctx, req, cur)
	}
	method, ok := listMethods[req.Model]
	if !ok {
		return nil, fmt.Errorf("ashby: no model %q", req.Model)
	}
	if cur.Commit != "" {
		if err := a.saveToken(ctx, req.Model, cur.Commit); err != nil {
			return nil, err
		}
		return &connector.Page{}, nil
	}
	params := map[string]any{"limit": a.pageSize()}
	switch {
	case cur.Cursor != "":
		params["cursor"] = cur.Cursor
	case req.UpdatedSince != nil:
		tok, err := a.loadToken(ctx, req.Model)
		if err != nil {
			return nil, err
		}
		if tok != "" {
			params["syncToken"] = tok
		} else {
			a.log.Info("ashby: no sync token kept for this model; listing everything", "integration", a.deps.IntegrationID, "model", req.Model)
		}
	}
	var raw []json.RawMessage
	env, err := a.list(ctx, method, params, &raw)
	if tokenExpired(err) && params["syncToken"] != nil {
		// Ashby no longer knows the token: list everything once more.
		a.log.Info("ashby: sync token expired; listing everything", "integration", a.deps.IntegrationID, "model", req.Model)
		delete(params, "syncToken")
		raw = nil
		env, err = a.list(ctx, method, params, &raw)
	}
	if err != nil {
		return nil, err
	}
	page := &connector.Page{}
	for _, r := range raw {
		if err := a.mapRecord(req.Model, r, &page.Batch); err != nil {
			return nil, err
		}
	}
	switch {
	case env.MoreDataAvailable && env.NextCursor != "":
		page.Next = encodeCursor(cursor{Model: req.Model, Cursor: env.NextCursor})
	case env.MoreDataAvailable:
		return nil, resultlinks.Errorf(resultlinks.CodeRemoteUnknown, "Ashby answered %s with moreDataAvailable but no nextCursor", method)
	case env.SyncToken != "" && a.deps.State != nil:
		page.Next = encodeCursor(cursor{Model: req.Model, Commit: env.SyncToken})
	}
	return page, nil
}

func (a *Ashby) mapRecord(m resultlinks.Model, raw json.RawMessage, b *resultlinks.Batch) error {
	bad := func(err error) error {
		return &resultlinks.Error{Code: resultlinks.CodeRemoteUnknown, Message: "Ashby listed a " + string(m) + " record that is not the expected JSON", Err: err}
	}
	switch m {
	case resultlinks.ModelJobs:
		var j job
		if err := json.Unmarshal(raw, &j); err != nil {
			return bad(err)
		}
		b.Jobs = append(b.Jobs, &resultlinks.Job{RemoteID: j.ID, Name: nonEmpty(j.Title)})
	case resultlinks.ModelCandidates:
		var c candidate
		if err := json.Unmarshal(raw, &c); err != nil {
			return bad(err)
		}
		b.Candidates = append(b.Candidates, mapCandidate(c))
	case resultlinks.ModelApplications:
		var ap application
		if err := json.Unmarshal(raw, &ap); err != nil {
			return bad(err)
		}
		b.Applications = append(b.Applications, mapApplication(ap))
	}
	return nil
}

// listStages lists the interview plans (archived ones too, whose stages
// are INACTIVE) on the first page and one plan's stages per page. A key
// without interviewsRead gets no stages rather than a failed sync;
// applications still name their stage by ID.
func (a *Ashby) listStages(ctx context.Context, req connector.PageRequest, cur cursor) (*connector.Page, error) {
	page := &connector.Page{}
	plans := cur.Plans
	if req.Cursor == "" {
		var list []interviewPlan
		if _, err := a.list(ctx, "interviewPlan.list", map[string]any{"includeArchived": true}, &list); err != nil {
			if resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing {
				a.log.Warn("ashby: the API key lacks interviewsRead; stages are not mirrored", "integration", a.deps.IntegrationID, "error", err)
				return page, nil
			}
			return nil, err
		}
		for _, p := range list {
			plans = append(plans, plan{ID: p.ID, Archived: p.IsArchived})
		}
	}
	if len(plans) == 0 {
		return page, nil
	}
	p := plans[0]
	var stages []interviewStage
	if _, err := a.list(ctx, "interviewStage.list", map[string]any{"interviewPlanId": p.ID}, &stages); err != nil {
		return nil, err
	}
	status := resultlinks.StageActive
	if p.Archived {
		status = resultlinks.StageInactive
	}
	for _, s := range stages {
		page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{
			RemoteID: s.ID, Name: nonEmpty(s.Title), Index: ptr(s.OrderInInterviewPlan), Status: ptr(status),
		})
	}
	if len(plans) > 1 {
		page.Next = encodeCursor(cursor{Model: req.Model, Plans: plans[1:]})
	}
	return page, nil
}

// savedToken is what the state store keeps per model.
type savedToken struct {
	Token   string    `json:"token"`
	SavedAt time.Time `json:"saved_at"`
}

func tokenKey(m resultlinks.Model) string { return "ashby/sync_token/" + string(m) }

func (a *Ashby) loadToken(ctx context.Context, m resultlinks.Model) (string, error) {
	if a.deps.State == nil {
		return "", nil
	}
	raw, err := a.deps.State.GetState(ctx, a.deps.IntegrationID, tokenKey(m))
	if err != nil || raw == nil {
		return "", err
	}
	var st savedToken
	if err := json.Unmarshal(raw, &st); err != nil {
		a.log.Warn("ashby: unreadable sync token in state; listing everything", "integration", a.deps.IntegrationID, "model", m, "error", err)
		return "", nil
	}
	return st.Token, nil
}

func (a *Ashby) saveToken(ctx context.Context, m resultlinks.Model, tok string) error {
	if a.deps.State == nil {
		return nil
	}
	raw, err := json.Marshal(savedToken{Token: tok, SavedAt: a.now().UTC()})
	if err != nil {
		return err
	}
	return a.deps.State.PutState(ctx, a.deps.IntegrationID, tokenKey(m), raw)
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// fields maps custom field values to the contract's custom_fields, keyed
// by the field's display name (its title).
func fields(list []fieldValue) map[string]any {
	out := map[string]any{}
	for _, v := range list {
		if v.Value == nil {
			continue
		}
		name := v.Title
		if name == "" {
			name = v.ID
		}
		out[name] = v.Value
	}
	return out
}

// splitName splits Ashby's single name into first name and the rest.
func splitName(name string) (first, last *string) {
	name = strings.TrimSpace(name)
	f, l, _ := strings.Cut(name, " ")
	return nonEmpty(f), nonEmpty(l)
}

// candidateURL is the candidate's page in Ashby.
func candidateURL(id string) string { return "https://app.ashbyhq.com/candidates/" + id }

func mapCandidate(c candidate) *resultlinks.Candidate {
	first, last := splitName(c.Name)
	out := &resultlinks.Candidate{
		RemoteID: c.ID, FirstName: first, LastName: last, Company: nonEmpty(c.Company), Title: nonEmpty(c.Position),
		CustomFields: fields(c.CustomFields), RemoteCreatedAt: c.CreatedAt, Tags: []resultlinks.Tag{},
		// Ashby's candidate has no updatedAt; changes are found by syncToken.
	}
	if c.ProfileURL != "" {
		out.RemoteURL = ptr(c.ProfileURL)
	} else {
		out.RemoteURL = ptr(candidateURL(c.ID))
	}
	if c.Source != nil {
		out.Source = nonEmpty(c.Source.Title)
	}
	emails := c.EmailAddresses
	if len(emails) == 0 && c.PrimaryEmailAddress != nil {
		emails = []contact{*c.PrimaryEmailAddress}
	}
	for _, e := range emails {
		if e.Value != "" {
			out.EmailAddresses = append(out.EmailAddresses, resultlinks.EmailAddress{EmailAddress: ptr(e.Value), Type: emailType(e.Type)})
		}
	}
	phones := c.PhoneNumbers
	if len(phones) == 0 && c.PrimaryPhoneNumber != nil {
		phones = []contact{*c.PrimaryPhoneNumber}
	}
	for _, p := range phones {
		if p.Value != "" {
			out.PhoneNumbers = append(out.PhoneNumbers, resultlinks.PhoneNumber{PhoneNumber: p.Value, Type: phoneType(p.Type)})
		}
	}
	for _, s := range c.SocialLinks {
		out.SocialMedia = append(out.SocialMedia, resultlinks.SocialMedia{Link: nonEmpty(s.URL), Type: nonEmpty(s.Type)})
	}
	for _, t := range c.Tags {
		out.Tags = append(out.Tags, resultlinks.Tag{RemoteID: t.ID, Name: nonEmpty(t.Title)})
	}
	if l := c.Location; l != nil {
		loc := &resultlinks.Location{Raw: nonEmpty(l.LocationSummary)}
		for _, comp := range l.LocationComponents {
			switch comp.Type {
			case "City":
				loc.City = nonEmpty(comp.Name)
			case "Region":
				loc.State = nonEmpty(comp.Name)
			case "Country":
				loc.Country = nonEmpty(comp.Name)
			}
		}
		out.Location = loc
	}
	return out
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

func phoneType(t string) *string {
	switch strings.ToLower(t) {
	case "mobile":
		return ptr("MOBILE")
	case "work":
		return ptr("WORK")
	case "personal", "home":
		return ptr("HOME")
	case "":
		return nil
	}
	return ptr("OTHER")
}

func mapApplication(a application) *resultlinks.Application {
	out := &resultlinks.Application{
		RemoteID: a.ID, CandidateRemoteID: a.Candidate.ID, JobRemoteID: a.Job.ID, CustomFields: fields(a.CustomFields),
		// Ashby shows an application on its candidate's page.
		RemoteURL:       ptr(candidateURL(a.Candidate.ID)),
		RemoteCreatedAt: a.CreatedAt, RemoteUpdatedAt: a.UpdatedAt,
		Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	if a.CurrentInterviewStage != nil {
		out.CurrentStageRemoteID = a.CurrentInterviewStage.ID
	}
	switch a.Status {
	case "Hired":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case "Archived":
		// Archiving is how Ashby rejects (or withdraws) an application.
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
		out.RejectedAt = a.ArchivedAt
		if a.ArchiveReason != nil {
			out.RejectionReasonName = nonEmpty(a.ArchiveReason.Text)
		}
	default: // Active, Lead
		out.Outcome = ptr(resultlinks.OutcomePending)
	}
	return out
}
