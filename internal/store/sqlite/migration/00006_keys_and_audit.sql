-- +goose Up
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;

-- Who did what, when: integrations, keys and result links. Never a secret.
CREATE TABLE audit_log (
    id             TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    target         TEXT NOT NULL,
    detail         TEXT NOT NULL
);
CREATE INDEX audit_log_environment ON audit_log (environment_id, at);

-- +goose Down
DROP TABLE audit_log;
ALTER TABLE api_keys DROP COLUMN revoked_at;
ALTER TABLE api_keys DROP COLUMN last_used_at;
