-- +goose Up
-- One row per sync of an integration: its progress while it runs and its
-- outcome once it ended; what sync-finished's log_url points at.
-- (The SQLite store's migration 00010.)
CREATE TABLE syncs (
    id             text COLLATE "C" PRIMARY KEY,
    integration_id text COLLATE "C" NOT NULL,
    environment_id text COLLATE "C" NOT NULL,
    full_sync      boolean NOT NULL,
    state          text NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    pages          integer NOT NULL,
    records        integer NOT NULL,
    vanished       integer NOT NULL,
    changes        jsonb NOT NULL,
    error_code     text NOT NULL,
    error_message  text NOT NULL
);
CREATE INDEX syncs_integration ON syncs (integration_id, started_at);

-- +goose Down
DROP TABLE syncs;
