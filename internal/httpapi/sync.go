package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/mirror"
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
