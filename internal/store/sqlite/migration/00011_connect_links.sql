-- +goose Up
-- Single-use links a vendor's customer opens to connect their ATS. Only
-- SHA-256 hashes of the link's token and of the integration token are kept.
CREATE TABLE connect_links (
    id                     TEXT PRIMARY KEY,
    environment_id         TEXT NOT NULL REFERENCES environments (id),
    token_hash             BLOB NOT NULL UNIQUE,
    end_user               TEXT NOT NULL,
    tool                   TEXT NOT NULL,
    language               TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL,
    used_at                TEXT,
    integration_id         TEXT NOT NULL,
    integration_token_hash BLOB UNIQUE,
    failed_checks          INTEGER NOT NULL
);
CREATE INDEX connect_links_expires ON connect_links (expires_at);

-- +goose Down
DROP TABLE connect_links;
