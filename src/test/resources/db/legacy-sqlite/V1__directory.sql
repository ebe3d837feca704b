-- Mailroom directory schema. One table per aggregate; `address` is the single namespace of every
-- deliverable address, its primary key is the uniqueness guarantee that decides every race.
-- Timestamps are epoch milliseconds (portable across SQLite and PostgreSQL).

CREATE TABLE tenant (
    tenant_key                      TEXT PRIMARY KEY,
    name                            TEXT NOT NULL,
    multi_geo                       BOOLEAN NOT NULL,
    allowed_geos                    TEXT NOT NULL,
    default_geo                     TEXT,
    limit_public_mailboxes          INTEGER NOT NULL,
    limit_mail_groups               INTEGER NOT NULL,
    limit_mail_group_members        INTEGER NOT NULL,
    limit_aliases_per_address       INTEGER NOT NULL,
    limit_public_mailboxes_per_user INTEGER NOT NULL,
    hybridbox_account_id            TEXT UNIQUE,
    created_at                      BIGINT NOT NULL,
    updated_at                      BIGINT NOT NULL
);

CREATE TABLE tenant_rate_limit (
    tenant_key TEXT NOT NULL REFERENCES tenant (tenant_key),
    endpoint   TEXT NOT NULL,
    limits     TEXT NOT NULL,
    PRIMARY KEY (tenant_key, endpoint)
);

CREATE TABLE domain (
    id         TEXT PRIMARY KEY,
    tenant_key TEXT NOT NULL REFERENCES tenant (tenant_key),
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE department (
    tenant_key           TEXT NOT NULL REFERENCES tenant (tenant_key),
    department_id        TEXT NOT NULL,
    open_department_id   TEXT NOT NULL,
    name                 TEXT NOT NULL,
    parent_department_id TEXT,
    PRIMARY KEY (tenant_key, department_id),
    UNIQUE (tenant_key, open_department_id)
);

CREATE TABLE person (
    id         TEXT PRIMARY KEY,
    tenant_key TEXT NOT NULL REFERENCES tenant (tenant_key),
    user_id    TEXT NOT NULL,
    open_id    TEXT NOT NULL,
    union_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    UNIQUE (tenant_key, user_id),
    UNIQUE (tenant_key, open_id),
    UNIQUE (tenant_key, union_id)
);

CREATE TABLE person_department (
    person_id     TEXT NOT NULL REFERENCES person (id),
    department_id TEXT NOT NULL,
    PRIMARY KEY (person_id, department_id)
);

CREATE TABLE app (
    app_id      TEXT PRIMARY KEY,
    tenant_key  TEXT NOT NULL REFERENCES tenant (tenant_key),
    secret_hash TEXT NOT NULL,
    scopes      TEXT NOT NULL
);

CREATE TABLE signing_secret (
    id     INTEGER PRIMARY KEY,
    secret TEXT NOT NULL
);

CREATE TABLE address (
    address      TEXT PRIMARY KEY,
    tenant_key   TEXT NOT NULL REFERENCES tenant (tenant_key),
    domain_id    TEXT NOT NULL REFERENCES domain (id),
    kind         TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    is_catch_all BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX address_owner ON address (owner_id);
CREATE UNIQUE INDEX address_one_catch_all_per_domain ON address (domain_id) WHERE is_catch_all;

CREATE TABLE mail_group (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    tenant_key        TEXT NOT NULL REFERENCES tenant (tenant_key),
    email             TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL,
    who_can_send_mail TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX mail_group_tenant ON mail_group (tenant_key, seq);

CREATE TABLE mail_group_member (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    mail_group_id TEXT NOT NULL REFERENCES mail_group (id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    ref_id       TEXT,
    email        TEXT,
    identity     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (mail_group_id, identity)
);
CREATE INDEX mail_group_member_ref ON mail_group_member (type, ref_id);

CREATE TABLE mail_group_permission_member (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    mail_group_id TEXT NOT NULL REFERENCES mail_group (id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    ref_id       TEXT,
    email        TEXT,
    identity     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (mail_group_id, identity)
);
CREATE INDEX mail_group_permission_member_ref ON mail_group_permission_member (type, ref_id);

CREATE TABLE mail_group_manager (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_group_id TEXT NOT NULL REFERENCES mail_group (id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL REFERENCES person (id),
    created_at    BIGINT NOT NULL,
    UNIQUE (mail_group_id, person_id)
);
CREATE INDEX mail_group_manager_person ON mail_group_manager (person_id);

CREATE TABLE user_mailbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    tenant_key    TEXT NOT NULL REFERENCES tenant (tenant_key),
    email         TEXT NOT NULL UNIQUE,
    domain_id     TEXT NOT NULL REFERENCES domain (id),
    person_id     TEXT UNIQUE REFERENCES person (id),
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    status        TEXT NOT NULL,
    quota_allowed BIGINT NOT NULL,
    quota_used    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX user_mailbox_tenant ON user_mailbox (tenant_key, seq);

CREATE TABLE public_mailbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    tenant_key      TEXT NOT NULL REFERENCES tenant (tenant_key),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    geo             TEXT,
    status          TEXT NOT NULL,
    to_mail_address TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX public_mailbox_tenant ON public_mailbox (tenant_key, seq);

CREATE TABLE public_mailbox_member (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    public_mailbox_id TEXT NOT NULL REFERENCES public_mailbox (id) ON DELETE CASCADE,
    person_id         TEXT NOT NULL REFERENCES person (id),
    created_at        BIGINT NOT NULL,
    UNIQUE (public_mailbox_id, person_id)
);
CREATE INDEX public_mailbox_member_person ON public_mailbox_member (person_id);

CREATE TABLE service_account (
    id              TEXT PRIMARY KEY,
    tenant_key      TEXT NOT NULL REFERENCES tenant (tenant_key),
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    token_prefix    TEXT NOT NULL,
    token_last4     TEXT NOT NULL,
    token_public_id TEXT NOT NULL,
    permissions     TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    expires_at      BIGINT,
    last_used_at    BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX service_account_tenant ON service_account (tenant_key, created_at);
