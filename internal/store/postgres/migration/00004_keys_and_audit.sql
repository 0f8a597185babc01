-- +goose Up
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_keys ADD COLUMN revoked_at timestamptz;

-- Who did what, when: integrations, keys and result links. Never a secret.
CREATE TABLE audit_log (
    id             text COLLATE "C" PRIMARY KEY,
    environment_id text COLLATE "C" NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    action         text NOT NULL,
    target         text NOT NULL,
    detail         text NOT NULL
);
CREATE INDEX audit_log_environment ON audit_log (environment_id, at);

-- +goose Down
DROP TABLE audit_log;
ALTER TABLE api_keys DROP COLUMN revoked_at;
ALTER TABLE api_keys DROP COLUMN last_used_at;
