-- +goose Up
-- One row per logged API call (actions and errors): what error.log_url
-- points at. Its outgoing exchanges live with the result link it touched.
-- (The SQLite store's migration 00005.)
CREATE TABLE interactions (
    id             text COLLATE "C" PRIMARY KEY,
    environment_id text COLLATE "C" NOT NULL,
    integration_id text COLLATE "C" NOT NULL,
    method         text NOT NULL,
    route          text NOT NULL,
    path           text NOT NULL,
    status         integer NOT NULL,
    error_code     text NOT NULL,
    error_message  text NOT NULL,
    result_link_id text NOT NULL,
    started_at     timestamptz NOT NULL,
    duration_ms    bigint NOT NULL
);
CREATE INDEX interactions_environment ON interactions (environment_id, started_at);

-- +goose Down
DROP TABLE interactions;
