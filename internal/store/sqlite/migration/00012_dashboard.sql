-- +goose Up
-- Dashboard operators (e-mail and PBKDF2 password hash, one environment
-- each) and the dashboard's sessions, shared by every replica: only the
-- SHA-256 of a session's token is kept.
CREATE TABLE operators (
    id             TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL,
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX operators_environment ON operators (environment_id, created_at);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    token_hash     BLOB NOT NULL UNIQUE,
    environment_id TEXT NOT NULL,
    api_key_id     TEXT NOT NULL,
    operator_id    TEXT NOT NULL,
    actor          TEXT NOT NULL,
    csrf           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    idle_until     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX sessions_operator ON sessions (operator_id);

-- The dashboard lists the API calls about a result link.
CREATE INDEX interactions_result_link ON interactions (result_link_id, started_at);

-- +goose Down
DROP INDEX interactions_result_link;
DROP TABLE sessions;
DROP TABLE operators;
