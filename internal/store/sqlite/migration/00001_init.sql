-- +goose Up
CREATE TABLE environments (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments (id),
    name           TEXT NOT NULL,
    prefix         TEXT NOT NULL,
    hash           BLOB NOT NULL UNIQUE,
    created_at     TEXT NOT NULL
);

CREATE TABLE integrations (
    id               TEXT PRIMARY KEY,
    environment_id   TEXT NOT NULL REFERENCES environments (id),
    tool             TEXT NOT NULL,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL,
    setup_status     TEXT NOT NULL,
    credentials      BLOB NOT NULL,
    end_user         TEXT NOT NULL,
    disabled_actions TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_synced_at   TEXT,
    deleted_at       TEXT
);
CREATE INDEX integrations_environment ON integrations (environment_id, created_at);

CREATE TABLE connector_state (
    integration_id TEXT NOT NULL,
    key            TEXT NOT NULL,
    value          BLOB NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (integration_id, key)
);

CREATE TABLE jobs (
    integration_id TEXT NOT NULL,
    id             TEXT NOT NULL,
    remote_id      TEXT NOT NULL,
    doc            TEXT NOT NULL,
    hash           TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    PRIMARY KEY (integration_id, id)
);

CREATE TABLE stages (
    integration_id TEXT NOT NULL,
    id             TEXT NOT NULL,
    remote_id      TEXT NOT NULL,
    doc            TEXT NOT NULL,
    hash           TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    PRIMARY KEY (integration_id, id)
);

-- touched_at is when the record's own data or data nested in it changed;
-- updated_after filters on it.
CREATE TABLE candidates (
    integration_id    TEXT NOT NULL,
    id                TEXT NOT NULL,
    remote_id         TEXT NOT NULL,
    first_name_lc     TEXT NOT NULL,
    last_name_lc      TEXT NOT NULL,
    emails            TEXT NOT NULL,
    doc               TEXT NOT NULL,
    hash              TEXT NOT NULL,
    changed_at        TEXT NOT NULL,
    touched_at        TEXT NOT NULL,
    remote_deleted_at TEXT,
    PRIMARY KEY (integration_id, id)
);
CREATE INDEX candidates_remote_id ON candidates (integration_id, remote_id);
CREATE INDEX candidates_touched ON candidates (integration_id, touched_at);

CREATE TABLE applications (
    integration_id    TEXT NOT NULL,
    id                TEXT NOT NULL,
    remote_id         TEXT NOT NULL,
    candidate_id      TEXT,
    job_id            TEXT,
    stage_id          TEXT,
    outcome           TEXT,
    doc               TEXT NOT NULL,
    hash              TEXT NOT NULL,
    changed_at        TEXT NOT NULL,
    touched_at        TEXT NOT NULL,
    remote_deleted_at TEXT,
    PRIMARY KEY (integration_id, id)
);
CREATE INDEX applications_remote_id ON applications (integration_id, remote_id);
CREATE INDEX applications_candidate ON applications (integration_id, candidate_id);
CREATE INDEX applications_job ON applications (integration_id, job_id);

CREATE TABLE result_links (
    id               TEXT PRIMARY KEY,
    environment_id   TEXT NOT NULL,
    integration_id   TEXT NOT NULL,
    model            TEXT NOT NULL,
    target_id        TEXT NOT NULL,
    target_remote_id TEXT NOT NULL,
    input            TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    receipt          TEXT NOT NULL,
    warnings         TEXT NOT NULL,
    error_code       TEXT NOT NULL,
    error_message    TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE UNIQUE INDEX result_links_idempotency ON result_links (integration_id, idempotency_key)
    WHERE idempotency_key <> '';
CREATE INDEX result_links_integration ON result_links (integration_id, created_at);

-- +goose Down
DROP TABLE result_links;
DROP TABLE applications;
DROP TABLE candidates;
DROP TABLE stages;
DROP TABLE jobs;
DROP TABLE connector_state;
DROP TABLE integrations;
DROP TABLE api_keys;
DROP TABLE environments;
