-- Webhooks: a tenant's receivers of its journal entries, and the deliveries made to them.
-- secret is the signing key itself (a receiver checks the HMAC with it, so it cannot be kept as a hash);
-- previous_secret signs beside it until previous_until after a rotation, so that receivers can switch
-- without refusing deliveries in between.
-- cursor_seq: every journal entry up to it is decided for this webhook (delivered, queued, or not
-- subscribed). lease_owner/lease_until: the node delivering for it, until when; another node may take
-- the webhook over only after lease_until, so each delivery is attempted by one node at a time.
CREATE TABLE webhook (
    id              TEXT PRIMARY KEY,
    tenant_key      TEXT NOT NULL,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,
    description     TEXT,
    secret          TEXT NOT NULL,
    previous_secret TEXT,
    previous_until  BIGINT,
    enabled         BOOLEAN NOT NULL,
    disabled_reason TEXT,
    failing_since   BIGINT,
    cursor_seq      BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX webhook_tenant ON webhook (tenant_key, id);

-- One row per journal entry a webhook subscribed to, once it was first attempted. status: pending (to be
-- attempted at next_attempt_at), succeeded, failed (retries exhausted). No foreign key to change_log:
-- the journal is pruned on its own schedule.
CREATE TABLE webhook_delivery (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    seq              BIGINT NOT NULL,
    event_type       TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    last_status_code INTEGER,
    last_error       TEXT,
    last_attempt_at  BIGINT,
    next_attempt_at  BIGINT,
    created_at       BIGINT NOT NULL,
    UNIQUE (webhook_id, seq)
);
CREATE INDEX webhook_delivery_status ON webhook_delivery (webhook_id, status, seq);
CREATE INDEX webhook_delivery_created ON webhook_delivery (created_at);
