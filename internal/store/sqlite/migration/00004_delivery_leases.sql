-- +goose Up
-- A delivery attempt holds its result link until lease_until; a crashed
-- attempt's lease runs out and the next attempt may take the link over.
ALTER TABLE result_links ADD COLUMN lease_until TEXT;
-- The target's candidate in the ATS, for connectors that write there.
ALTER TABLE result_links ADD COLUMN candidate_remote_id TEXT NOT NULL DEFAULT '';
CREATE INDEX result_links_status ON result_links (status, updated_at);

-- +goose Down
DROP INDEX result_links_status;
ALTER TABLE result_links DROP COLUMN candidate_remote_id;
ALTER TABLE result_links DROP COLUMN lease_until;
