-- +goose Up
-- Where a running sync goes on from (JSON: model and cursor), so that a
-- long sync runs as a chain of short jobs and survives its process.
ALTER TABLE syncs ADD COLUMN resume text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE syncs DROP COLUMN resume;
