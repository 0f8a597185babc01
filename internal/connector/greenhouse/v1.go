package greenhouse

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// harvestV1 speaks Harvest v1 (HTTP Basic with the API key as user name;
// On-Behalf-Of naming the acting user on every write; page/per_page paging
// with a Link header), for customers who have not moved to v3. Greenhouse
// announced v1's retirement for 2026-08-31; the connector answers whatever
// Greenhouse answers after that (401 or 404), so migrating is the cure.
// Shapes: Greenhouse's open-source Harvest v1 documentation
// (grnhse/greenhouse-api-docs, harvest includes: candidates, applications,
// custom fields, activity feed).
type harvestV1 struct {
	creds  Credentials
	deps   connector.Deps
	client *outbound.Client
}

var _ connector.Connector = (*harvestV1)(nil)

func newV1(c Credentials, deps connector.Deps) (connector.Connector, error) {
	if c.APIKey == "" {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: api_key is required for api_version v1")
	}
	if c.OnBehalfOf != "" {
		if _, err := strconv.ParseInt(c.OnBehalfOf, 10, 64); err != nil {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "greenhouse credentials: on_behalf_of must be a numeric Greenhouse user ID")
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	h := &harvestV1{creds: c, deps: deps}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(c.APIKey+":"))
	var err error
	// Harvest v1 meters 50 requests per 10 seconds in its documentation's example.
	info := Info()
	info.RateLimit = connector.RateLimit{Requests: 50, Per: 10 * time.Second}
	h.client, err = deps.Outbound(info, outbound.Config{
		BaseURL: c.BaseURL, Secrets: []string{c.APIKey, auth}, ErrorMessage: v1ErrorMessage,
		Auth: func(_ context.Context, req *http.Request, _ bool) error {
			req.Header.Set("Authorization", auth)
			return nil
		},
	})
	return h, err
}

// v1ErrorMessage reads v1's envelope, {"message", "errors": [{"message", "field"}]}.
func v1ErrorMessage(status int, body []byte) string {
	return errorMessage(status, body)
}

func (h *harvestV1) CheckCredentials(ctx context.Context) error {
	_, err := h.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/candidates", Query: url.Values{"per_page": {"1"}, "skip_count": {"true"}}})
	return err
}

type v1Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type v1Application struct {
	ID           int64                       `json:"id"`
	CandidateID  int64                       `json:"candidate_id"`
	AppliedAt    *time.Time                  `json:"applied_at"`
	RejectedAt   *time.Time                  `json:"rejected_at"`
	LastActivity *time.Time                  `json:"last_activity_at"`
	Jobs         []v1Ref                     `json:"jobs"`
	Status       string                      `json:"status"`
	CurrentStage *v1Ref                      `json:"current_stage"`
	Keyed        map[string]customFieldValue `json:"keyed_custom_fields"`
}

type v1Candidate struct {
	ID             int64                       `json:"id"`
	CreatedAt      *time.Time                  `json:"created_at"`
	UpdatedAt      *time.Time                  `json:"updated_at"`
	FirstName      *string                     `json:"first_name"`
	LastName       *string                     `json:"last_name"`
	Company        *string                     `json:"company"`
	Title          *string                     `json:"title"`
	IsPrivate      bool                        `json:"is_private"`
	Tags           []string                    `json:"tags"`
	PhoneNumbers   []typedValue                `json:"phone_numbers"`
	Addresses      []typedValue                `json:"addresses"`
	EmailAddresses []typedValue                `json:"email_addresses"`
	SocialMedia    []struct{ Value string }    `json:"social_media_addresses"`
	Keyed          map[string]customFieldValue `json:"keyed_custom_fields"`
}

// v3 returns the candidate in the v3 shape the mapping reads.
func (c v1Candidate) v3() candidate {
	return candidate{ID: c.ID, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, FirstName: c.FirstName, LastName: c.LastName,
		Company: c.Company, Title: c.Title, Private: &c.IsPrivate, Tags: c.Tags, PhoneNumbers: c.PhoneNumbers,
		Addresses: c.Addresses, EmailAddresses: c.EmailAddresses, SocialMedia: c.SocialMedia, CustomFields: c.Keyed}
}

// ListPage reads one page. Jobs and stages have no list of their own in
// what v1 credentials usually may read; they come embedded in applications.
func (h *harvestV1) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	page := &connector.Page{}
	var path, since string
	switch req.Model {
	case resultlinks.ModelCandidates:
		path, since = "/v1/candidates", "updated_after"
	case resultlinks.ModelApplications:
		path, since = "/v1/applications", "last_activity_after"
	default:
		return page, nil
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
		if h.deps.PageSize > 0 {
			size = h.deps.PageSize
		}
		r.Query = url.Values{"per_page": {strconv.Itoa(size)}, "page": {"1"}, "skip_count": {"true"}}
		if req.UpdatedSince != nil {
			r.Query.Set(since, req.UpdatedSince.UTC().Format(time.RFC3339))
		}
	}
	res, err := h.client.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	if m := nextLink.FindStringSubmatch(res.Header.Get("Link")); m != nil {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(m[1]))
	}
	if req.Model == resultlinks.ModelCandidates {
		var list []v1Candidate
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, c := range list {
			page.Batch.Candidates = append(page.Batch.Candidates, mapCandidate(c.v3()))
		}
		return page, nil
	}
	var list []v1Application
	if err := res.Decode(&list); err != nil {
		return nil, err
	}
	jobs, stages := map[int64]bool{}, map[int64]bool{}
	for _, a := range list {
		v3 := application{ID: a.ID, CandidateID: a.CandidateID, CreatedAt: a.AppliedAt, UpdatedAt: a.LastActivity,
			RejectedAt: a.RejectedAt, Status: a.Status, CustomFields: a.Keyed}
		if len(a.Jobs) > 0 {
			v3.JobID = &a.Jobs[0].ID
			if !jobs[a.Jobs[0].ID] {
				jobs[a.Jobs[0].ID] = true
				page.Batch.Jobs = append(page.Batch.Jobs, &resultlinks.Job{RemoteID: id(a.Jobs[0].ID), Name: ptr(a.Jobs[0].Name)})
			}
		}
		if a.CurrentStage != nil {
			v3.StageID = &a.CurrentStage.ID
			if !stages[a.CurrentStage.ID] {
				stages[a.CurrentStage.ID] = true
				page.Batch.Stages = append(page.Batch.Stages, &resultlinks.Stage{RemoteID: id(a.CurrentStage.ID), Name: ptr(a.CurrentStage.Name)})
			}
		}
		page.Batch.Applications = append(page.Batch.Applications, mapApplication(v3))
	}
	return page, nil
}

// actingUser is the On-Behalf-Of user every v1 write needs.
func (h *harvestV1) actingUser(in resultlinks.ResultLinkInput) (string, error) {
	user := h.creds.OnBehalfOf
	if v := in.RemoteFields.GreenhouseOnBehalfOf; v != nil && *v != "" {
		user = *v
	}
	if user == "" {
		return "", resultlinks.Errorf(resultlinks.CodeInputInvalid,
			"remote_fields.greenhouse.post_headers.On-Behalf-Of: Harvest v1 writes need an acting Greenhouse user; send one, or set on_behalf_of in the integration's credentials")
	}
	if _, err := strconv.ParseInt(user, 10, 64); err != nil {
		return "", resultlinks.Errorf(resultlinks.CodeInputInvalid, "remote_fields.greenhouse.post_headers.On-Behalf-Of: %q is not a numeric Greenhouse user ID", user)
	}
	return user, nil
}

// WriteResultLink fills candidate custom fields that exist with the
// result's names (v1 credentials rarely may create fields), and writes a
// note with the whole result when any part found no field.
func (h *harvestV1) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" {
		cand = w.Target.RemoteID
	}
	user, err := h.actingUser(w.Input)
	if err != nil {
		return nil, err
	}
	hdr := http.Header{"On-Behalf-Of": {user}}
	defs, err := h.candidateFields(ctx)
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates, CustomFields: map[string]any{}}
	var items []map[string]any
	var placed, missing []string
	for _, v := range wanted(w.Input) {
		def, ok := defs[strings.ToLower(v.name)]
		if !ok || !fits(def, v) {
			missing = append(missing, v.name)
			continue
		}
		items = append(items, map[string]any{"id": def.ID, "value": v.value})
		placed = append(placed, v.name)
		receipt.CustomFields[v.name] = v.value
	}
	if len(items) > 0 {
		if _, err := h.client.Do(ctx, &outbound.Request{Method: http.MethodPatch, Path: "/v1/candidates/" + cand, Header: hdr,
			JSON: map[string]any{"custom_fields": items}}); err != nil {
			return nil, err
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "candidate:"+cand)
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Greenhouse (Harvest v1): wrote %s to custom fields of candidate %s.", quoteAll(placed), cand))
	}
	if len(missing) > 0 {
		uid, _ := strconv.ParseInt(user, 10, 64)
		var note struct {
			ID int64 `json:"id"`
		}
		if _, err := h.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: "/v1/candidates/" + cand + "/activity_feed/notes", Header: hdr,
			JSON: map[string]any{"user_id": uid, "body": w.Input.Text() + "\n\n" + connector.Marker(w.ResultLinkID), "visibility": "public"}}, &note); err != nil {
			return nil, err
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+id(note.ID))
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
			"Greenhouse (Harvest v1): wrote the result as note %d on candidate %s, because %s had no matching candidate custom field.", note.ID, cand, quoteAll(missing)))
	}
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// candidateFields lists the active candidate custom fields, cached for a
// minute per integration.
func (h *harvestV1) candidateFields(ctx context.Context) (map[string]customField, error) {
	key := h.deps.IntegrationID + "#v1"
	now := time.Now()
	if h.deps.Now != nil {
		now = h.deps.Now()
	}
	if defs, ok := cachedDefs(key, now); ok {
		return defs, nil
	}
	res, err := h.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/custom_fields/candidate"})
	if err != nil {
		return nil, err
	}
	var list []customField
	if err := res.Decode(&list); err != nil {
		return nil, err
	}
	defs := map[string]customField{}
	for _, f := range list {
		if f.Active {
			defs[strings.ToLower(f.Name)] = f
		}
	}
	fieldCache.Store(key, cachedFields{defs: maps.Clone(defs), fetched: now})
	return defs, nil
}

// FindResultLink finds a note carrying the marker in the candidate's
// activity feed, or custom fields already holding every value.
func (h *harvestV1) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" {
		cand = w.Target.RemoteID
	}
	var feed struct {
		Notes []struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
		} `json:"notes"`
	}
	if _, err := h.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/candidates/" + cand + "/activity_feed"}, &feed); err != nil {
		return nil, err
	}
	for _, n := range feed.Notes {
		if strings.Contains(n.Body, connector.Marker(w.ResultLinkID)) {
			return &resultlinks.Receipt{Channels: []resultlinks.Channel{resultlinks.ChannelNote}, RemoteIDs: []string{"note:" + id(n.ID)},
				Warnings: []string{fmt.Sprintf("Greenhouse already held this result as note %d on candidate %s; nothing was written again.", n.ID, cand)}}, nil
		}
	}
	var c v1Candidate
	if _, err := h.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v1/candidates/" + cand}, &c); err != nil {
		return nil, err
	}
	have := fields(c.Keyed)
	got := map[string]any{}
	for _, v := range wanted(w.Input) {
		if fmt.Sprint(have[v.name]) != v.value {
			return nil, nil
		}
		got[v.name] = v.value
	}
	return &resultlinks.Receipt{Channels: []resultlinks.Channel{resultlinks.ChannelCustomFields}, RemoteIDs: []string{"candidate:" + cand},
		CustomFields: got, FieldsOn: resultlinks.ModelCandidates,
		Warnings: []string{fmt.Sprintf("Greenhouse already held these values in candidate %s's custom fields; nothing was written again.", cand)}}, nil
}
