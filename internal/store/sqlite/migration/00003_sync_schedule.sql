-- +goose Up
-- When the last full sync (the one that finds deletions) finished, and the
-- last sync error, for the sync planner and for people.
ALTER TABLE integrations ADD COLUMN last_full_synced_at TEXT;
ALTER TABLE integrations ADD COLUMN sync_error TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE integrations DROP COLUMN sync_error;
ALTER TABLE integrations DROP COLUMN last_full_synced_at;
