// Package connector defines how resultlinks talks to an ATS: the small
// Connector interface every ATS package implements, the Info a connector
// declares about itself, and the Registry that lists the connectors a server
// knows.
package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// Connector is one integration's connection to its ATS.
type Connector interface {
	// CheckCredentials asks the ATS whether the credentials work. It answers
	// CodeIntegrationAuthInvalid when the ATS rejects them.
	CheckCredentials(ctx context.Context) error
	// ListPage returns one page of one model's records from the ATS.
	// Records reference each other by remote IDs.
	ListPage(ctx context.Context, req PageRequest) (*Page, error)
	// WriteResultLink writes a result link to a candidate or application in
	// the ATS through the first channel of the connector's chain that works,
	// and reports what it did.
	WriteResultLink(ctx context.Context, w Write) (*resultlinks.Receipt, error)
	// FindResultLink looks in the ATS for an earlier write of the same
	// result link (by the marker its write carries, or by the values it
	// set) and returns its receipt, or nil when there is none. A delivery
	// whose earlier attempt may have landed asks this before writing again.
	FindResultLink(ctx context.Context, w Write) (*resultlinks.Receipt, error)
}

// Marker returns the text a connector puts into what it writes (a note's
// body) so that a later FindResultLink recognises the write.
func Marker(resultLinkID string) string { return "[resultlinks:" + resultLinkID + "]" }

// SyncModels is the order in which a sync walks the models, so that
// references point at records already mirrored.
var SyncModels = []resultlinks.Model{
	resultlinks.ModelJobs, resultlinks.ModelStages, resultlinks.ModelCandidates, resultlinks.ModelApplications,
}

// PageRequest asks for one page of one model.
type PageRequest struct {
	// Model is the kind of record to list.
	Model resultlinks.Model
	// Cursor continues from the page before; empty for the first page.
	Cursor string
	// UpdatedSince, when set, asks only for records changed since then,
	// where the ATS can filter so.
	UpdatedSince *time.Time
}

// Page is one page of records from the ATS.
type Page struct {
	// Batch holds the page's records.
	Batch resultlinks.Batch
	// Next continues the listing; empty on the last page.
	Next string
}

// Target is the record a result link is written to.
type Target struct {
	// Model is ModelApplications or ModelCandidates.
	Model resultlinks.Model
	// RemoteID is the record's ID in the ATS.
	RemoteID string
	// CandidateRemoteID is the candidate of an application target (or the
	// candidate itself), for ATSs that keep results on the candidate.
	CandidateRemoteID string
}

// Write is one result link to write.
type Write struct {
	// ResultLinkID is the ledger ID of the result link.
	ResultLinkID string
	// Target is where to write it.
	Target Target
	// Input is what the caller asked to write.
	Input resultlinks.ResultLinkInput
}

// RateLimit is an ATS's documented request budget for one account.
type RateLimit struct {
	// Requests may be made per Per.
	Requests int
	// Per is the window of the budget.
	Per time.Duration
}

// Deps are what a connector may use besides its credentials.
type Deps struct {
	// IntegrationID is the integration the connector serves.
	IntegrationID string
	// State keeps what the connector must remember between calls.
	State resultlinks.StateStore
	// Logger logs the connector's work; never credentials.
	Logger *slog.Logger
	// Now is the clock.
	Now func() time.Time
	// Limiters hold each integration's request budget, shared by every
	// call of the process; nil gives each connector its own.
	Limiters outbound.Pacers
	// Recorder receives every outgoing exchange, redacted; nil records nothing.
	Recorder outbound.Recorder
	// HTTPClient overrides the outbound transport (tests); nil is the default.
	HTTPClient *http.Client
	// DenyPrivate refuses calls to private and loopback addresses.
	DenyPrivate bool
	// PageSize, when positive, overrides the page size a connector asks of
	// its ATS (tests use small pages to cross page boundaries).
	PageSize int
}

// Outbound returns an HTTP client for the connector's ATS, paced by the
// integration's limiter at the connector's documented rate limit.
func (d Deps) Outbound(info Info, cfg outbound.Config) (*outbound.Client, error) {
	cfg.Tool, cfg.IntegrationID = info.Tool, d.IntegrationID
	if d.Limiters != nil {
		cfg.Limiter = d.Limiters.For(d.IntegrationID, info.RateLimit.Requests, info.RateLimit.Per)
	} else {
		cfg.Limiter = outbound.NewLimiter(info.RateLimit.Requests, info.RateLimit.Per)
	}
	cfg.Recorder, cfg.Logger, cfg.HTTPClient = d.Recorder, d.Logger, d.HTTPClient
	cfg.DenyPrivate = d.DenyPrivate
	if d.Now != nil {
		cfg.Now = d.Now
	}
	return outbound.New(cfg)
}

// Info is what a connector declares about itself.
type Info struct {
	// Tool is the slug that starts the integration IDs, e.g. "greenhouse".
	Tool string
	// Label is the ATS's name for people.
	Label string
	// Channels is the channel chain, most native first. A connector with no
	// channel cannot take result links.
	Channels []resultlinks.Channel
	// RateLimit is the ATS's documented request budget.
	RateLimit RateLimit
	// Setup tells a customer how to create and enter the credentials.
	Setup Setup
	// New builds a connector from the integration's credentials JSON.
	New func(credentials json.RawMessage, deps Deps) (Connector, error)
}

// CanWriteResultLinks reports whether the connector can take result links.
func (i Info) CanWriteResultLinks() bool { return len(i.Channels) > 0 }

// Registry lists the connectors a server knows, by tool slug.
type Registry struct {
	infos []Info
}

// NewRegistry returns a registry of the given connectors. It panics on a
// duplicate tool slug, a programming error.
func NewRegistry(infos ...Info) *Registry {
	r := &Registry{}
	for _, in := range infos {
		if _, ok := r.Lookup(in.Tool); ok {
			panic("connector: duplicate tool " + in.Tool)
		}
		r.infos = append(r.infos, in)
	}
	slices.SortFunc(r.infos, func(a, b Info) int { return strings.Compare(a.Tool, b.Tool) })
	return r
}

// Lookup returns the connector of a tool.
func (r *Registry) Lookup(tool string) (Info, bool) {
	for _, in := range r.infos {
		if in.Tool == tool {
			return in, true
		}
	}
	return Info{}, false
}

// Tools returns every connector, by slug.
func (r *Registry) Tools() []Info { return slices.Clone(r.infos) }

// Open builds the connector of an integration.
func (r *Registry) Open(in *resultlinks.Integration, deps Deps) (Connector, Info, error) {
	info, ok := r.Lookup(in.Tool)
	if !ok {
		return nil, Info{}, fmt.Errorf("connector: no connector for tool %q", in.Tool)
	}
	deps.IntegrationID = in.ID
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	c, err := info.New(in.Credentials, deps)
	if err != nil {
		return nil, info, err
	}
	return c, info, nil
}

// DecodeCredentials decodes credentials JSON strictly into v: unknown
// fields, wrong types and trailing data are refused with a CodeInputInvalid
// error that names the field. An empty input decodes as {}.
func DecodeCredentials(tool string, raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field == "":
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s credentials: not a JSON object", tool)
		case errors.As(err, &te):
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s credentials: field %q must be a %s", tool, te.Field, te.Type.String())
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s credentials: unknown field %s", tool, strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s credentials: not a JSON object: %v", tool, err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s credentials: unexpected data after the JSON object", tool)
	}
	return nil
}
