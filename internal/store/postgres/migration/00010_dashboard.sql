-- +goose Up
-- Dashboard operators (e-mail and PBKDF2 password hash, one environment
-- each) and the dashboard's sessions, shared by every replica: only the
-- SHA-256 of a session's token is kept. (The SQLite store's migration 00012.)
CREATE TABLE operators (
    id             text COLLATE "C" PRIMARY KEY,
    environment_id text COLLATE "C" NOT NULL,
    email          text COLLATE "C" NOT NULL UNIQUE,
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX operators_environment ON operators (environment_id, created_at);

CREATE TABLE sessions (
    id             text COLLATE "C" PRIMARY KEY,
    token_hash     bytea NOT NULL UNIQUE,
    environment_id text COLLATE "C" NOT NULL,
    api_key_id     text COLLATE "C" NOT NULL,
    operator_id    text COLLATE "C" NOT NULL,
    actor          text NOT NULL,
    csrf           text NOT NULL,
    created_at     timestamptz NOT NULL,
    idle_until     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX sessions_operator ON sessions (operator_id);

-- The dashboard lists the API calls about a result link.
CREATE INDEX interactions_result_link ON interactions (result_link_id, started_at);

-- +goose Down
DROP INDEX interactions_result_link;
DROP TABLE sessions;
DROP TABLE operators;
