-- +goose Up
ALTER TABLE webhook_events ADD COLUMN integration_id TEXT NOT NULL DEFAULT '';

-- One row per event and endpoint that takes it: the send's state, its
-- claim, and its place in the order of the integration's events.
CREATE TABLE webhook_sends (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id     TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    integration_id TEXT NOT NULL,
    state          TEXT NOT NULL,
    claimed_until  TEXT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_sends_order ON webhook_sends (webhook_id, integration_id, state, seq);
CREATE INDEX webhook_sends_event ON webhook_sends (event_id);
-- Claims that ran out: their worker died mid-send.
CREATE INDEX webhook_sends_claimed ON webhook_sends (claimed_until) WHERE state = 'pending' AND claimed_until IS NOT NULL;

-- +goose Down
DROP TABLE webhook_sends;
ALTER TABLE webhook_events DROP COLUMN integration_id;
