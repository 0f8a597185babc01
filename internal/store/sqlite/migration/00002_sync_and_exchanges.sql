-- +goose Up
-- seen_at is when a sync last saw the record; a full sync marks records it
-- did not see as deleted in the ATS.
ALTER TABLE jobs ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE stages ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE candidates ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';
-- The redacted HTTP exchanges of every delivery attempt.
ALTER TABLE result_links ADD COLUMN exchanges TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE result_links DROP COLUMN exchanges;
ALTER TABLE applications DROP COLUMN seen_at;
ALTER TABLE candidates DROP COLUMN seen_at;
ALTER TABLE stages DROP COLUMN seen_at;
ALTER TABLE jobs DROP COLUMN seen_at;
