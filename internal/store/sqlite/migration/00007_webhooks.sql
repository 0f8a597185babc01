-- +goose Up
CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,
    secret          BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 0,
    disabled_at     TEXT,
    disabled_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_environment ON webhooks (environment_id, created_at);

CREATE TABLE webhook_events (
    id             TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL,
    type           TEXT NOT NULL,
    data           TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    webhook_id  TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status_code INTEGER NOT NULL,
    error       TEXT NOT NULL,
    at          TEXT NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhooks;
