package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/wire"
)

func exchangesToWire(list []resultlinks.Exchange) []wire.Exchange {
	out := make([]wire.Exchange, 0, len(list))
	for _, e := range list {
		x := wire.Exchange{Time: wire.Time(e.Time), Attempt: e.Attempt, Method: e.Method, URL: e.URL,
			RequestHeaders: e.RequestHeaders, RequestBody: e.RequestBody, Status: e.Status,
			ResponseHeaders: e.ResponseHeaders, ResponseBody: e.ResponseBody, DurationMS: e.Duration.Milliseconds()}
		if e.Error != "" {
			x.Error = ptr(e.Error)
		}
		out = append(out, x)
	}
	return out
}

func resultLinkToWire(rl *resultlinks.ResultLink) wire.ResultLink {
	out := wire.ResultLink{
		ID: rl.ID, IntegrationID: rl.IntegrationID, Model: string(rl.Model), TargetID: rl.TargetID, TargetRemoteID: rl.TargetRemoteID,
		Label: rl.Input.Label, URL: rl.Input.URL, Status: string(rl.Status), Attempts: rl.Attempts,
		Channels: []string{}, RemoteIDs: []string{}, Warnings: []wire.Warning{},
		CreatedAt: wire.Time(rl.CreatedAt), UpdatedAt: wire.Time(rl.UpdatedAt), DeliveredAt: wire.TimePtr(rl.DeliveredAt),
		Exchanges: exchangesToWire(rl.Exchanges),
	}
	if d := rl.Input.Details; d != nil {
		out.Details = &wire.ResultDetails{CustomFieldNamePrefix: d.CustomFieldNamePrefix, Attributes: []wire.Attribute{}}
		for _, a := range d.Attributes {
			out.Details.Attributes = append(out.Details.Attributes, wire.Attribute{Key: a.Key, Value: a.Value})
		}
	}
	for _, c := range rl.Receipt.Channels {
		out.Channels = append(out.Channels, string(c))
	}
	out.RemoteIDs = append(out.RemoteIDs, rl.Receipt.RemoteIDs...)
	for _, m := range append(append([]string{}, rl.Warnings...), rl.Receipt.Warnings...) {
		out.Warnings = append(out.Warnings, wire.Warning{Message: m})
	}
	if rl.ErrorCode != "" {
		out.Error = &wire.LedgerError{Code: string(rl.ErrorCode), Message: rl.ErrorMessage}
	}
	if rl.IdempotencyKey != "" {
		out.IdempotencyKey = ptr(rl.IdempotencyKey)
	}
	return out
}

// getResultLink answers one ledger entry with its attempts' exchanges.
func (a *API) getResultLink(w http.ResponseWriter, r *http.Request) error {
	rl, err := a.store.FindResultLink(r.Context(), environmentID(r.Context()), r.PathValue("result_link_id"))
	if err != nil {
		return err
	}
	writeData(w, resultLinkToWire(rl))
	return nil
}

// ledgerCursor is the paging cursor of GET /result-links.
type ledgerCursor struct {
	CreatedAt time.Time `json:"created_at"`
	ID        string    `json:"id"`
}

// listResultLinks answers the ledger, newest first.
func (a *API) listResultLinks(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := pageSize(q)
	if err != nil {
		return err
	}
	f := resultlinks.ResultLinkFilter{IntegrationID: q.Get("integration_id"), Limit: limit}
	switch cand, app := q.Get("candidate_id"), q.Get("application_id"); {
	case cand != "" && app != "":
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "candidate_id and application_id: give one or the other")
	case cand != "":
		f.TargetID = cand
	case app != "":
		f.TargetID = app
	}
	if s := q.Get("status"); s != "" {
		switch st := resultlinks.DeliveryStatus(s); st {
		case resultlinks.DeliveryQueued, resultlinks.DeliveryDelivering, resultlinks.DeliveryDelivered, resultlinks.DeliveryFailed:
			f.Status = st
		default:
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "status: must be QUEUED, DELIVERING, DELIVERED or FAILED, got %q", s)
		}
	}
	if c := q.Get("cursor"); c != "" {
		var cur ledgerCursor
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || json.Unmarshal(b, &cur) != nil || !resultlinks.IsID(cur.ID) {
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "cursor: not a cursor this server issued")
		}
		f.BeforeCreatedAt, f.BeforeID = &cur.CreatedAt, cur.ID
	}
	size := f.Limit
	f.Limit++
	list, err := a.store.ListResultLinks(r.Context(), environmentID(r.Context()), f)
	if err != nil {
		return err
	}
	page := wire.Page[wire.ResultLink]{Results: []wire.ResultLink{}}
	if len(list) > size {
		list = list[:size]
		last := list[len(list)-1]
		b, _ := json.Marshal(ledgerCursor{CreatedAt: last.CreatedAt, ID: last.ID})
		page.Next = ptr(base64.RawURLEncoding.EncodeToString(b))
	}
	for _, rl := range list {
		page.Results = append(page.Results, resultLinkToWire(rl))
	}
	writeData(w, page)
	return nil
}

// retryResultLink queues a FAILED result link for another delivery.
func (a *API) retryResultLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var queue delivery.Queue
	if a.deliveries != nil {
		queue = a.deliveries
	}
	rl, err := delivery.RetryFailed(ctx, a.store, queue, environmentID(ctx), r.PathValue("result_link_id"), a.now())
	if rl != nil {
		callOf(ctx).resultLinkID, callOf(ctx).integrationID = rl.ID, rl.IntegrationID
	}
	if err != nil {
		return err
	}
	a.writeReceipt(w, rl)
	return nil
}

// getInteraction answers the log of one API call.
func (a *API) getInteraction(w http.ResponseWriter, r *http.Request) error {
	in, err := a.store.FindInteraction(r.Context(), environmentID(r.Context()), r.PathValue("interaction_id"))
	if err != nil {
		return err
	}
	out := wire.Interaction{ID: in.ID, Method: in.Method, Route: in.Route, Path: in.Path, Status: in.Status,
		StartedAt: wire.Time(in.StartedAt), DurationMS: in.Duration.Milliseconds(), Exchanges: []wire.Exchange{}}
	if in.IntegrationID != "" {
		out.IntegrationID = ptr(in.IntegrationID)
	}
	if in.ErrorCode != "" {
		out.Error = &wire.LedgerError{Code: string(in.ErrorCode), Message: in.ErrorMessage}
	}
	if in.ResultLinkID != "" {
		out.ResultLinkID = ptr(in.ResultLinkID)
		if rl, err := a.store.FindResultLink(r.Context(), in.EnvironmentID, in.ResultLinkID); err == nil {
			out.Exchanges = exchangesToWire(rl.Exchanges)
		}
	}
	writeData(w, out)
	return nil
}
