-- +goose Up
-- Single-use links a vendor's customer opens to connect their ATS. Only
-- SHA-256 hashes of the link's token and of the integration token are kept.
-- (The SQLite store's migration 00011.)
CREATE TABLE connect_links (
    id                     text COLLATE "C" PRIMARY KEY,
    environment_id         text COLLATE "C" NOT NULL REFERENCES environments (id),
    token_hash             bytea NOT NULL UNIQUE,
    end_user               jsonb NOT NULL,
    tool                   text NOT NULL,
    language               text NOT NULL,
    created_at             timestamptz NOT NULL,
    expires_at             timestamptz NOT NULL,
    used_at                timestamptz,
    integration_id         text COLLATE "C" NOT NULL,
    integration_token_hash bytea UNIQUE,
    failed_checks          integer NOT NULL
);
CREATE INDEX connect_links_expires ON connect_links (expires_at);

-- +goose Down
DROP TABLE connect_links;
