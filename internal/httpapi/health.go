package httpapi

import (
	"context"
	"net/http"
	"time"
)

// healthz answers while the process runs.
func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": a.version})
	return nil
}

// readyz answers 200 when the database answers, its schema is current and
// the job workers run; 503 with the reason otherwise.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "migrations": "ok", "workers": "ok"}
	reason := ""
	if err := a.store.Ping(ctx); err != nil {
		checks["database"], reason = "unreachable", "the database does not answer"
	} else if err := a.store.CheckMigrations(ctx); err != nil {
		checks["migrations"], reason = "pending", "database migrations are pending"
	}
	if a.workers != nil && !a.workers() {
		checks["workers"] = "stopped"
		if reason == "" {
			reason = "the job workers are not running"
		}
	}
	if reason != "" {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": reason, "checks": checks, "version": a.version})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": checks, "version": a.version})
	return nil
}
