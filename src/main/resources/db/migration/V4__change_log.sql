-- The change journal: one row per changed object, written in the same transaction as the change.
-- seq is gap-free and increases in commit order: writers take their numbers from the single
-- change_log_counter row at the end of their transaction and hold its lock until they commit.
-- States are JSON text (before: null for a create; after: null for a delete). No foreign keys: the
-- journal outlives the objects it describes.

CREATE TABLE change_log (
    seq          BIGINT PRIMARY KEY,
    changed_at   BIGINT NOT NULL,
    tenant_key   TEXT NOT NULL,
    actor_kind   TEXT NOT NULL,
    actor_id     TEXT,
    request_id   TEXT,
    object_kind  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    op           TEXT NOT NULL,
    before_state TEXT,
    after_state  TEXT
);
CREATE INDEX change_log_tenant ON change_log (tenant_key, seq);

CREATE TABLE change_log_counter (
    id       INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO change_log_counter (id, last_seq) VALUES (1, 0);
