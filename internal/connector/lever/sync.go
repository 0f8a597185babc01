package lever

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

// The Lever read shapes, as far as resultlinks reads them.

// page is the envelope of every Lever list.
type page[T any] struct {
	Data    []T    `json:"data"`
	HasNext bool   `json:"hasNext"`
	Next    string `json:"next"`
}

type phone struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type archived struct {
	Reason     string `json:"reason"`
	ArchivedAt *int64 `json:"archivedAt"`
}

type opportunity struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Contact         string   `json:"contact"`
	Stage           string   `json:"stage"`
	Confidentiality string   `json:"confidentiality"`
	Location        string   `json:"location"`
	Phones          []phone  `json:"phones"`
	Emails          []string `json:"emails"`
	Links           []string `json:"links"`
	Tags            []string `json:"tags"`
	Sources         []string `json:"sources"`
	// Applications are IDs, or objects with expand=applications.
	Applications []json.RawMessage `json:"applications"`
	Archived     *archived         `json:"archived"`
	CreatedAt    *int64            `json:"createdAt"`
	UpdatedAt    *int64            `json:"updatedAt"`
	DeletedAt    *int64            `json:"deletedAt"`
	URLs         struct {
		Show string `json:"show"`
	} `json:"urls"`
}

type posting struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type stage struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type archiveReason struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// Type is "hired" or "non-hired".
	Type string `json:"type"`
}

// cursor continues a listing: the phase (the live opportunities, then for
// a delta sync the deleted ones), Lever's offset token, and the delta
// window fixed on the first page.
type cursor struct {
	Phase  string `json:"p,omitempty"`
	Offset string `json:"o,omitempty"`
	Since  int64  `json:"s,omitempty"`
	Upper  int64  `json:"u,omitempty"`
	// Index is the position of the page's first stage in the pipeline.
	Index int `json:"i,omitempty"`
}

const phaseDeleted = "deleted"

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || (c.Phase != "" && c.Phase != phaseDeleted) {
		return c, resultlinks.Errorf(resultlinks.CodeInputInvalid, "lever: the page cursor is not one this connector issued")
	}
	return c, nil
}

func (l *Lever) pageSize() string {
	if l.deps.PageSize > 0 {
		return strconv.Itoa(min(l.deps.PageSize, PerPage))
	}
	return strconv.Itoa(PerPage)
}

// ListPage reads one page. Postings are the jobs and GET /v1/stages the
// stages (Lever has no updated-since filter on either, so every sync
// reads them whole; there are few). Candidates and applications are both
// read from GET /v1/opportunities (see the package doc), a delta with
// updated_at_start and, so that records changing during the walk cannot
// shift pages, updated_at_end fixed when the walk starts; a delta then
// continues with GET /v1/opportunities/deleted over the same window, whose
// records carry RemoteDeletedAt. Pages follow Lever's next token, passed
// back as offset.
func (l *Lever) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	var cur cursor
	if req.Cursor != "" {
		var err error
		if cur, err = decodeCursor(req.Cursor); err != nil {
			return nil, err
		}
	} else if req.UpdatedSince != nil {
		cur.Since = req.UpdatedSince.UnixMilli()
		// The upper bound rounds up so a change within this second is
		// included; the next delta starts from this sync's start.
		cur.Upper = l.now().Add(time.Second).UnixMilli()
	}
	q := url.Values{"limit": {l.pageSize()}}
	if cur.Offset != "" {
		q.Set("offset", cur.Offset)
	}
	if l.creds.IncludeConfidential {
		q.Set("confidentiality", "all")
	}
	out := &connector.Page{}
	switch req.Model {
	case resultlinks.ModelJobs:
		var list page[posting]
		if err := l.list(ctx, "/v1/postings", q, &list); err != nil {
			return nil, err
		}
		for _, p := range list.Data {
			out.Batch.Jobs = append(out.Batch.Jobs, &resultlinks.Job{RemoteID: p.ID, Name: nonEmpty(p.Text)})
		}
		out.Next = list.next(cur)
	case resultlinks.ModelStages:
		q.Del("confidentiality")
		var list page[stage]
		if err := l.list(ctx, "/v1/stages", q, &list); err != nil {
			return nil, err
		}
		// Lever lists the pipeline in order; the index counts across pages.
		for i, s := range list.Data {
			out.Batch.Stages = append(out.Batch.Stages, &resultlinks.Stage{RemoteID: s.ID, Name: nonEmpty(s.Text), Index: ptr(cur.Index + i)})
		}
		cur.Index += len(list.Data)
		out.Next = list.next(cur)
	case resultlinks.ModelCandidates, resultlinks.ModelApplications:
		path := "/v1/opportunities"
		if cur.Phase == phaseDeleted {
			path = "/v1/opportunities/deleted"
			q.Set("deleted_at_start", strconv.FormatInt(cur.Since, 10))
			q.Set("deleted_at_end", strconv.FormatInt(cur.Upper, 10))
			q.Del("confidentiality")
		} else if cur.Upper != 0 {
			q.Set("updated_at_start", strconv.FormatInt(cur.Since, 10))
			q.Set("updated_at_end", strconv.FormatInt(cur.Upper, 10))
		}
		if req.Model == resultlinks.ModelApplications && cur.Phase != phaseDeleted {
			q.Set("expand", "applications")
		}
		var list page[opportunity]
		if err := l.list(ctx, path, q, &list); err != nil {
			return nil, err
		}
		for _, o := range list.Data {
			if req.Model == resultlinks.ModelCandidates {
				out.Batch.Candidates = append(out.Batch.Candidates, mapCandidate(o))
				continue
			}
			a, err := l.mapApplication(ctx, o)
			if err != nil {
				return nil, err
			}
			out.Batch.Applications = append(out.Batch.Applications, a)
		}
		out.Next = list.next(cur)
		if out.Next == "" && cur.Phase == "" && cur.Upper != 0 {
			// A delta continues with the opportunities deleted in its window.
			out.Next = cursor{Phase: phaseDeleted, Since: cur.Since, Upper: cur.Upper}.encode()
		}
	default:
		return nil, fmt.Errorf("lever: no model %q", req.Model)
	}
	return out, nil
}

// next returns the cursor of the following page of the same phase, or "".
func (p page[T]) next(cur cursor) string {
	if !p.HasNext || p.Next == "" {
		return ""
	}
	cur.Offset = p.Next
	return cur.encode()
}

func (l *Lever) list(ctx context.Context, path string, q url.Values, out any) error {
	_, err := l.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: path, Query: q}, out)
	return err
}

// remoteURL is the opportunity's page in Lever's UI.
func remoteURL(o opportunity) *string {
	if o.URLs.Show != "" {
		return &o.URLs.Show
	}
	return ptr("https://hire.lever.co/candidates/" + url.PathEscape(o.ID))
}

func mapCandidate(o opportunity) *resultlinks.Candidate {
	out := &resultlinks.Candidate{
		RemoteID: o.ID, Confidential: ptr(o.Confidentiality == "confidential"),
		RemoteURL: remoteURL(o), RemoteCreatedAt: millis(o.CreatedAt), RemoteUpdatedAt: millis(o.UpdatedAt),
		RemoteDeletedAt: millis(o.DeletedAt), Tags: []resultlinks.Tag{},
	}
	// Lever holds one name; the first word is taken as the first name.
	if first, last, _ := strings.Cut(strings.TrimSpace(o.Name), " "); first != "" {
		out.FirstName, out.LastName = &first, nonEmpty(strings.TrimSpace(last))
	}
	if len(o.Sources) > 0 {
		out.Source = nonEmpty(o.Sources[0])
	}
	for _, e := range o.Emails {
		out.EmailAddresses = append(out.EmailAddresses, resultlinks.EmailAddress{EmailAddress: nonEmpty(e)})
	}
	for _, p := range o.Phones {
		if p.Value != "" {
			out.PhoneNumbers = append(out.PhoneNumbers, resultlinks.PhoneNumber{PhoneNumber: p.Value, Type: phoneType(p.Type)})
		}
	}
	for _, link := range o.Links {
		out.SocialMedia = append(out.SocialMedia, resultlinks.SocialMedia{Link: nonEmpty(link)})
	}
	if o.Location != "" {
		out.Location = &resultlinks.Location{Raw: &o.Location}
	}
	for _, t := range o.Tags {
		// Lever's tags are plain strings; the text is their identity.
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

// offerStage is the ID of Lever's built-in Offer stage.
const offerStage = "offer"

func (l *Lever) mapApplication(ctx context.Context, o opportunity) (*resultlinks.Application, error) {
	out := &resultlinks.Application{
		RemoteID: o.ID, CandidateRemoteID: o.ID, CurrentStageRemoteID: o.Stage,
		RemoteURL: remoteURL(o), RemoteCreatedAt: millis(o.CreatedAt), RemoteUpdatedAt: millis(o.UpdatedAt),
		RemoteDeletedAt: millis(o.DeletedAt), Interviews: []resultlinks.Interview{}, Offers: []resultlinks.Offer{},
	}
	for _, raw := range o.Applications {
		var app struct {
			Posting *string `json:"posting"`
		}
		if json.Unmarshal(raw, &app) == nil && app.Posting != nil && *app.Posting != "" {
			out.JobRemoteID = *app.Posting
			break
		}
	}
	if o.Archived == nil {
		out.Outcome = ptr(resultlinks.OutcomePending)
		return out, nil
	}
	reasons, err := l.archiveReasons(ctx)
	if err != nil {
		return nil, err
	}
	r, known := reasons[o.Archived.Reason]
	switch {
	case known && r.Type == "hired":
		out.Outcome = ptr(resultlinks.OutcomeHired)
	case known:
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
	case o.Stage == offerStage:
		// Without the archive reasons (the key may not read them), an
		// opportunity archived from the Offer stage is taken as a hire.
		out.Outcome = ptr(resultlinks.OutcomeHired)
	default:
		out.Outcome = ptr(resultlinks.OutcomeDeclined)
	}
	if *out.Outcome == resultlinks.OutcomeDeclined {
		out.RejectedAt = millis(o.Archived.ArchivedAt)
		if known {
			out.RejectionReasonName = nonEmpty(r.Text)
		}
	}
	return out, nil
}

// archiveReasons returns the account's archive reasons by ID, read once per
// connector. A key that may not read them (403), or a Lever that does not
// serve them (404), gives none, and outcomes fall back to the stage.
func (l *Lever) archiveReasons(ctx context.Context) (map[string]archiveReason, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.reasons != nil {
		return l.reasons, nil
	}
	out := map[string]archiveReason{}
	q := url.Values{"limit": {strconv.Itoa(PerPage)}}
	for {
		var list page[archiveReason]
		err := l.list(ctx, "/v1/archive_reasons", q, &list)
		if s := outbound.Status(err); s == http.StatusForbidden || s == http.StatusNotFound {
			if l.deps.Logger != nil {
				l.deps.Logger.Warn("lever: archive reasons unavailable; outcomes of archived opportunities follow their stage",
					"integration", l.deps.IntegrationID, "error", err)
			}
			l.reasons = map[string]archiveReason{}
			return l.reasons, nil
		}
		if err != nil {
			return nil, err
		}
		for _, r := range list.Data {
			out[r.ID] = r
		}
		if !list.HasNext || list.Next == "" {
			break
		}
		q.Set("offset", list.Next)
	}
	l.reasons = out
	return out, nil
}
