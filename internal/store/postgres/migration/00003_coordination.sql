-- +goose Up
-- The pace of calls to each ATS, shared by every replica: a GCRA
-- theoretical arrival time per budget key, and a block a 429 sets.
CREATE TABLE call_budgets (
    key           text COLLATE "C" PRIMARY KEY,
    tat           timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL
);

-- The writes in flight per integration, shared by every replica. A slot
-- whose holder crashed frees itself when it expires.
CREATE TABLE write_slots (
    integration_id text COLLATE "C" NOT NULL,
    holder         text COLLATE "C" NOT NULL,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (integration_id, holder)
);

-- +goose Down
DROP TABLE write_slots;
DROP TABLE call_budgets;
