-- +goose Up
-- One row per sync of an integration: its progress while it runs and its
-- outcome once it ended; what sync-finished's log_url points at.
CREATE TABLE syncs (
    id             TEXT PRIMARY KEY,
    integration_id TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    full_sync      INTEGER NOT NULL,
    state          TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    pages          INTEGER NOT NULL,
    records        INTEGER NOT NULL,
    vanished       INTEGER NOT NULL,
    changes        TEXT NOT NULL,
    error_code     TEXT NOT NULL,
    error_message  TEXT NOT NULL
);
CREATE INDEX syncs_integration ON syncs (integration_id, started_at);

-- +goose Down
DROP TABLE syncs;
