package wire

// Sync is the record of one sync of an integration (GET /syncs/{id}).
type Sync struct {
	ID            string `json:"id"`
	IntegrationID string `json:"integration_id"`
	// Type is FULL or DELTA.
	Type string `json:"type"`
	// State is RUNNING, or the sync_state of sync-finished once it ended.
	State     string `json:"state"`
	StartedAt Time   `json:"started_at"`
	EndedAt   *Time  `json:"ended_at"`
	Pages     int    `json:"pages"`
	Records   int    `json:"records"`
	Vanished  int    `json:"vanished"`
	// Changes counts the records changed per model (ats_candidates, ...).
	Changes map[string]int `json:"changes"`
	Error   *LedgerError   `json:"error"`
}

// Syncs is the answer of GET /syncs.
type Syncs struct {
	Results []Sync `json:"results"`
}
