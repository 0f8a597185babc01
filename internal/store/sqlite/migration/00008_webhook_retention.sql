-- +goose Up
CREATE INDEX webhook_events_created ON webhook_events (created_at);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (at);

-- +goose Down
DROP INDEX webhook_deliveries_at;
DROP INDEX webhook_events_created;
