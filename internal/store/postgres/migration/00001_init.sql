-- +goose Up
-- The PostgreSQL schema of resultlinks, equivalent to the SQLite store's
-- migrations 00001..00004 taken together. Identifiers use the "C" collation
-- so that ORDER BY id and keyset paging (id > $after) follow byte order, as
-- in SQLite and Go, whatever the database's default collation.
CREATE TABLE environments (
    id         text COLLATE "C" PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id             text COLLATE "C" PRIMARY KEY,
    environment_id text COLLATE "C" NOT NULL REFERENCES environments (id),
    name           text NOT NULL,
    prefix         text NOT NULL,
    hash           bytea NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL
);

-- credentials are the connector's bytes, kept exactly as given.
CREATE TABLE integrations (
    id                  text COLLATE "C" PRIMARY KEY,
    environment_id      text COLLATE "C" NOT NULL REFERENCES environments (id),
    tool                text NOT NULL,
    name                text NOT NULL,
    status              text NOT NULL,
    setup_status        text NOT NULL,
    credentials         bytea NOT NULL,
    end_user            jsonb NOT NULL,
    disabled_actions    text[] NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    last_synced_at      timestamptz,
    last_full_synced_at timestamptz,
    sync_error          text NOT NULL DEFAULT '',
    deleted_at          timestamptz
);
CREATE INDEX integrations_environment ON integrations (environment_id, created_at);

CREATE TABLE connector_state (
    integration_id text COLLATE "C" NOT NULL,
    key            text NOT NULL,
    value          bytea NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (integration_id, key)
);

-- seen_at is when a sync last saw the record; a full sync marks records it
-- did not see as deleted in the ATS.
CREATE TABLE jobs (
    integration_id text COLLATE "C" NOT NULL,
    id             text COLLATE "C" NOT NULL,
    remote_id      text COLLATE "C" NOT NULL,
    doc            jsonb NOT NULL,
    hash           text NOT NULL,
    changed_at     timestamptz NOT NULL,
    seen_at        timestamptz NOT NULL,
    PRIMARY KEY (integration_id, id)
);

CREATE TABLE stages (
    integration_id text COLLATE "C" NOT NULL,
    id             text COLLATE "C" NOT NULL,
    remote_id      text COLLATE "C" NOT NULL,
    doc            jsonb NOT NULL,
    hash           text NOT NULL,
    changed_at     timestamptz NOT NULL,
    seen_at        timestamptz NOT NULL,
    PRIMARY KEY (integration_id, id)
);

-- touched_at is when the record's own data or data nested in it changed;
-- updated_after filters on it. emails holds the lower-cased addresses for
-- the e-mail filter (emails @> ARRAY[$1]), served by a GIN index.
CREATE TABLE candidates (
    integration_id    text COLLATE "C" NOT NULL,
    id                text COLLATE "C" NOT NULL,
    remote_id         text COLLATE "C" NOT NULL,
    first_name_lc     text NOT NULL,
    last_name_lc      text NOT NULL,
    emails            text[] NOT NULL,
    doc               jsonb NOT NULL,
    hash              text NOT NULL,
    changed_at        timestamptz NOT NULL,
    touched_at        timestamptz NOT NULL,
    remote_deleted_at timestamptz,
    seen_at           timestamptz NOT NULL,
    PRIMARY KEY (integration_id, id)
);
CREATE INDEX candidates_remote_id ON candidates (integration_id, remote_id);
CREATE INDEX candidates_touched ON candidates (integration_id, touched_at);
CREATE INDEX candidates_emails ON candidates USING gin (emails);

CREATE TABLE applications (
    integration_id    text COLLATE "C" NOT NULL,
    id                text COLLATE "C" NOT NULL,
    remote_id         text COLLATE "C" NOT NULL,
    candidate_id      text COLLATE "C",
    job_id            text COLLATE "C",
    stage_id          text COLLATE "C",
    outcome           text,
    doc               jsonb NOT NULL,
    hash              text NOT NULL,
    changed_at        timestamptz NOT NULL,
    touched_at        timestamptz NOT NULL,
    remote_deleted_at timestamptz,
    seen_at           timestamptz NOT NULL,
    PRIMARY KEY (integration_id, id)
);
CREATE INDEX applications_remote_id ON applications (integration_id, remote_id);
CREATE INDEX applications_candidate ON applications (integration_id, candidate_id);
CREATE INDEX applications_job ON applications (integration_id, job_id);
-- A stage change touches the applications in that stage.
CREATE INDEX applications_stage ON applications (integration_id, stage_id);

CREATE TABLE result_links (
    id                  text COLLATE "C" PRIMARY KEY,
    environment_id      text COLLATE "C" NOT NULL,
    integration_id      text COLLATE "C" NOT NULL,
    model               text NOT NULL,
    target_id           text NOT NULL,
    target_remote_id    text NOT NULL,
    input               jsonb NOT NULL,
    idempotency_key     text NOT NULL,
    request_hash        text NOT NULL,
    status              text NOT NULL,
    attempts            bigint NOT NULL,
    receipt             jsonb NOT NULL,
    warnings            jsonb NOT NULL,
    error_code          text NOT NULL,
    error_message       text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    delivered_at        timestamptz,
    -- The redacted HTTP exchanges of every delivery attempt.
    exchanges           jsonb NOT NULL DEFAULT '[]',
    -- A delivery attempt holds its result link until lease_until; a crashed
    -- attempt's lease runs out and the next attempt may take the link over.
    lease_until         timestamptz,
    -- The target's candidate in the ATS, for connectors that write there.
    candidate_remote_id text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX result_links_idempotency ON result_links (integration_id, idempotency_key)
    WHERE idempotency_key <> '';
CREATE INDEX result_links_integration ON result_links (integration_id, created_at);
CREATE INDEX result_links_status ON result_links (status, updated_at);
-- ListResultLinks: an environment's links, newest first, keyset paged.
CREATE INDEX result_links_environment ON result_links (environment_id, created_at DESC, id DESC);

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
