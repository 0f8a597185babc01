// Package sandbox is the built-in demo ATS. Each sandbox integration holds
// the same generated dataset (NumCandidates candidates with one to three
// applications each, six jobs, six stages), readable right after it is
// created, and takes result links the way a real ATS with custom fields
// would: one custom field holding the link, named by the label, and one per
// attribute, named "<prefix> <key>", on the application or candidate written
// to. What it writes is kept in the integration's connector state, so it
// shows in the record's custom_fields after the write and after every sync.
package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
)

// Tool is the sandbox's tool slug.
const Tool = "sandbox"

// PageSize is the number of records the sandbox returns per page.
const PageSize = 25

// Credentials are the sandbox's credentials: it needs none, but the
// organisation name can be set to tell sandboxes apart.
type Credentials struct {
	// OrganizationName names the demo customer.
	OrganizationName string `json:"organization_name,omitempty"`
}

// Info describes the sandbox connector.
func Info() connector.Info {
	return connector.Info{
		Tool:      Tool,
		Label:     "Sandbox",
		Channels:  []resultlinks.Channel{resultlinks.ChannelCustomFields},
		RateLimit: connector.RateLimit{Requests: 100, Per: time.Second},
		Setup:     setup,
		New:       New,
	}
}

// Sandbox is the connector of one sandbox integration.
type Sandbox struct {
	deps  connector.Deps
	creds Credentials
}

var _ connector.Connector = (*Sandbox)(nil)

// New builds a sandbox connector.
func New(credentials json.RawMessage, deps connector.Deps) (connector.Connector, error) {
	var c Credentials
	if err := connector.DecodeCredentials(Tool, credentials, &c); err != nil {
		return nil, err
	}
	return &Sandbox{deps: deps, creds: c}, nil
}

// CheckCredentials always succeeds: the sandbox needs no credentials.
func (s *Sandbox) CheckCredentials(context.Context) error { return nil }

// recordState is what the sandbox remembers of one record.
type recordState struct {
	CustomFields map[string]any `json:"custom_fields"`
	UpdatedAt    time.Time      `json:"updated_at"`
	Markers      []string       `json:"markers"`
}

func stateKey(m resultlinks.Model, remoteID string) string {
	return "record/" + string(m) + "/" + remoteID
}

func (s *Sandbox) loadState(ctx context.Context, m resultlinks.Model, remoteID string) (*recordState, error) {
	raw, err := s.deps.State.GetState(ctx, s.deps.IntegrationID, stateKey(m, remoteID))
	if err != nil || raw == nil {
		return nil, err
	}
	var st recordState
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("sandbox: state of %s: %w", remoteID, err)
	}
	return &st, nil
}

// ListPage returns a page of the demo dataset, with what was written merged in.
func (s *Sandbox) ListPage(ctx context.Context, req connector.PageRequest) (*connector.Page, error) {
	offset := 0
	if req.Cursor != "" {
		n, err := strconv.Atoi(req.Cursor)
		if err != nil || n < 0 {
			return nil, resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "sandbox: bad cursor %q", req.Cursor)
		}
		offset = n
	}
	size := PageSize
	if s.deps.PageSize > 0 {
		size = s.deps.PageSize
	}
	page := &connector.Page{}
	var total int
	switch req.Model {
	case resultlinks.ModelJobs:
		jobs := demoJobs()
		total = len(jobs)
		page.Batch.Jobs = jobs[min(offset, total):min(offset+size, total)]
	case resultlinks.ModelStages:
		stages := demoStages()
		total = len(stages)
		page.Batch.Stages = stages[min(offset, total):min(offset+size, total)]
	case resultlinks.ModelCandidates, resultlinks.ModelApplications:
		// Pages count candidates; an applications page holds the
		// applications of those candidates.
		total = NumCandidates
		for i := offset; i < min(offset+size, total); i++ {
			c, apps := demoCandidate(i)
			if req.Model == resultlinks.ModelCandidates {
				if err := s.merge(ctx, resultlinks.ModelCandidates, c.RemoteID, &c.CustomFields, &c.RemoteUpdatedAt); err != nil {
					return nil, err
				}
				if req.UpdatedSince == nil || c.RemoteUpdatedAt.After(*req.UpdatedSince) {
					page.Batch.Candidates = append(page.Batch.Candidates, c)
				}
				continue
			}
			for _, a := range apps {
				if err := s.merge(ctx, resultlinks.ModelApplications, a.RemoteID, &a.CustomFields, &a.RemoteUpdatedAt); err != nil {
					return nil, err
				}
				if req.UpdatedSince == nil || a.RemoteUpdatedAt.After(*req.UpdatedSince) {
					page.Batch.Applications = append(page.Batch.Applications, a)
				}
			}
		}
	default:
		return nil, resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "sandbox: no model %q", req.Model)
	}
	if offset+size < total {
		page.Next = strconv.Itoa(offset + size)
	}
	return page, nil
}

func (s *Sandbox) merge(ctx context.Context, m resultlinks.Model, remoteID string, fields *map[string]any, updated **time.Time) error {
	st, err := s.loadState(ctx, m, remoteID)
	if err != nil || st == nil {
		return err
	}
	maps.Copy(*fields, st.CustomFields)
	if (*updated).Before(st.UpdatedAt) {
		t := st.UpdatedAt
		*updated = &t
	}
	return nil
}

// find reports whether the dataset holds a live (not deleted) record.
func find(m resultlinks.Model, remoteID string) bool {
	for i := 0; i < NumCandidates-DeletedCandidates; i++ {
		c, apps := demoCandidate(i)
		if m == resultlinks.ModelCandidates && c.RemoteID == remoteID {
			return true
		}
		for _, a := range apps {
			if m == resultlinks.ModelApplications && a.RemoteID == remoteID {
				return true
			}
		}
	}
	return false
}

// FindResultLink reports the earlier write of the same result link.
func (s *Sandbox) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	st, err := s.loadState(ctx, w.Target.Model, w.Target.RemoteID)
	if err != nil || st == nil || !slices.Contains(st.Markers, w.ResultLinkID) {
		return nil, err
	}
	return &resultlinks.Receipt{
		Channels: []resultlinks.Channel{resultlinks.ChannelCustomFields}, RemoteIDs: []string{w.Target.RemoteID},
		Warnings: []string{fmt.Sprintf("The sandbox already held result link %s; nothing was written again.", w.ResultLinkID)},
	}, nil
}

// writeMu serialises the read-modify-write of record state.
var writeMu sync.Mutex

// WriteResultLink writes the link and its attributes as custom fields of
// the target record. A second write of the same result link writes nothing.
func (s *Sandbox) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	m, remoteID := w.Target.Model, w.Target.RemoteID
	noun := "application"
	if m == resultlinks.ModelCandidates {
		noun = "candidate"
	}
	if !find(m, remoteID) {
		return nil, resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "sandbox: %s %s does not exist in the sandbox (it may have been deleted)", noun, remoteID)
	}
	fields := map[string]any{w.Input.Label: w.Input.URL}
	names := []string{}
	if d := w.Input.Details; d != nil {
		for _, a := range d.Attributes {
			name := d.FieldName(a.Key)
			fields[name] = a.Value
			names = append(names, strconv.Quote(name))
		}
	}
	writeMu.Lock()
	defer writeMu.Unlock()
	st, err := s.loadState(ctx, m, remoteID)
	if err != nil {
		return nil, err
	}
	if st == nil {
		st = &recordState{CustomFields: map[string]any{}}
	}
	receipt := &resultlinks.Receipt{
		Channels:     []resultlinks.Channel{resultlinks.ChannelCustomFields},
		RemoteIDs:    []string{remoteID},
		CustomFields: fields,
	}
	if slices.Contains(st.Markers, w.ResultLinkID) {
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("The sandbox already holds result link %s on %s %s; nothing was written again.", w.ResultLinkID, noun, remoteID))
		return receipt, nil
	}
	maps.Copy(st.CustomFields, fields)
	st.UpdatedAt = s.deps.Now().UTC()
	st.Markers = append(st.Markers, w.ResultLinkID)
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if err := s.deps.State.PutState(ctx, s.deps.IntegrationID, stateKey(m, remoteID), raw); err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("Sandbox: wrote the link to the custom field %q of %s %s", w.Input.Label, noun, remoteID)
	if len(names) > 0 {
		msg += fmt.Sprintf(", and %d attribute(s) as custom fields %s", len(names), strings.Join(names, ", "))
	}
	receipt.Warnings = append(receipt.Warnings, msg+".")
	rf := w.Input.RemoteFields
	for tool, set := range map[string]bool{
		"icims":      rf.ICIMSAssessmentPackageID != nil,
		"oracle":     rf.OracleDocumentCategory != nil || rf.OracleMultiPost != nil,
		"greenhouse": rf.GreenhouseOnBehalfOf != nil,
		"workable":   rf.WorkableOnBehalfOf != nil,
	} {
		if set {
			receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("remote_fields.%s applies to another ATS and was not used by the sandbox.", tool))
		}
	}
	slices.Sort(receipt.Warnings[1:])
	return receipt, nil
}
