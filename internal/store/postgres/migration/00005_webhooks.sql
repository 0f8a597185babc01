-- +goose Up
CREATE TABLE webhooks (
    id              text COLLATE "C" PRIMARY KEY,
    environment_id  text COLLATE "C" NOT NULL,
    url             text NOT NULL,
    events          text[] NOT NULL,
    secret          bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    failures        integer NOT NULL DEFAULT 0,
    disabled_at     timestamptz,
    disabled_reason text NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_environment ON webhooks (environment_id, created_at);

CREATE TABLE webhook_events (
    id             text COLLATE "C" PRIMARY KEY,
    environment_id text COLLATE "C" NOT NULL,
    type           text NOT NULL,
    data           jsonb NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          text COLLATE "C" PRIMARY KEY,
    event_id    text COLLATE "C" NOT NULL,
    event_type  text NOT NULL,
    webhook_id  text COLLATE "C" NOT NULL,
    attempt     integer NOT NULL,
    status_code integer NOT NULL,
    error       text NOT NULL,
    at          timestamptz NOT NULL,
    duration_ms bigint NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhooks;
