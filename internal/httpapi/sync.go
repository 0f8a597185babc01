package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/wire"
)

// forceSyncData is the data of POST /force-sync.
type forceSyncData struct {
	AlreadyQueued bool   `json:"already_queued"`
	SyncID        string `json:"sync_id"`
	Type          string `json:"type"`
}

// forceSync queues a sync of the integration now. Only one sync of an
// integration waits or runs at a time; a second request answers that one.
func (a *API) forceSync(w http.ResponseWriter, r *http.Request) error {
	in := integrationOf(r.Context())
	body, err := readBody(r)
	if err != nil {
		return err
	}
	req := struct {
		Type *string `json:"type"`
	}{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "body: must be a JSON object like {\"type\": \"FULL\"}")
		}
	}
	kind := "FULL"
	if req.Type != nil {
		kind = *req.Type
	}
	if kind != "FULL" && kind != "DELTA" {
		return resultlinks.Errorf(resultlinks.CodeInputInvalid, "type: must be FULL or DELTA, got %q", kind)
	}
	if a.syncs == nil {
		return resultlinks.Errorf(resultlinks.CodeUnknown, "This server runs no job queue.")
	}
	if kind == "DELTA" && in.LastSyncedAt == nil {
		kind = "FULL" // a first sync is always full
	}
	id, queued, err := a.syncs.EnqueueSync(r.Context(), mirror.SyncArgs{IntegrationID: in.ID, Full: kind == "FULL", SyncID: resultlinks.NewID()})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "success", "data": forceSyncData{AlreadyQueued: queued, SyncID: id, Type: kind}, "warnings": []any{},
	})
	return nil
}

// syncToWire returns a sync's record as the API shows it.
func syncToWire(s *resultlinks.Sync) wire.Sync {
	out := wire.Sync{ID: s.ID, IntegrationID: s.IntegrationID, Type: "DELTA", State: string(s.State), StartedAt: wire.Time(s.StartedAt),
		EndedAt: wire.TimePtr(s.EndedAt), Pages: s.Pages, Records: s.Records, Vanished: s.Vanished, Changes: map[string]int{}}
	if s.Full {
		out.Type = "FULL"
	}
	for m, n := range s.Changes {
		out.Changes[string(m)] = n
	}
	if s.ErrorCode != "" {
		out.Error = &wire.LedgerError{Code: string(s.ErrorCode), Message: s.ErrorMessage}
	}
	return out
}

// getSync answers the record of one sync of the caller's environment: what
// sync-finished's log_url points at.
func (a *API) getSync(w http.ResponseWriter, r *http.Request) error {
	s, err := a.store.FindSync(r.Context(), environmentID(r.Context()), r.PathValue("sync_id"))
	if err != nil {
		return err
	}
	writeData(w, syncToWire(s))
	return nil
}

// listSyncs answers the integration's syncs, newest first.
func (a *API) listSyncs(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageSize(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := a.store.ListSyncs(r.Context(), integrationOf(r.Context()).ID, limit)
	if err != nil {
		return err
	}
	out := wire.Syncs{Results: []wire.Sync{}}
	for _, s := range list {
		out.Results = append(out.Results, syncToWire(s))
	}
	writeData(w, out)
	return nil
}
