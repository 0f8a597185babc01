-- +goose Up
-- One row per logged API call (actions and errors): what error.log_url
-- points at. Its outgoing exchanges live with the result link it touched.
CREATE TABLE interactions (
    id             TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL,
    integration_id TEXT NOT NULL,
    method         TEXT NOT NULL,
    route          TEXT NOT NULL,
    path           TEXT NOT NULL,
    status         INTEGER NOT NULL,
    error_code     TEXT NOT NULL,
    error_message  TEXT NOT NULL,
    result_link_id TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    duration_ms    INTEGER NOT NULL
);
CREATE INDEX interactions_environment ON interactions (environment_id, started_at);

-- +goose Down
DROP TABLE interactions;
