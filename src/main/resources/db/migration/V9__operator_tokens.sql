-- Operator tokens: the bearer credentials of the operator door. Like every token only a hash is kept;
-- the token itself is shown once. tenant_key NULL means every tenant; a key scopes the token to that
-- tenant alone. No foreign key to tenant: a token scoped to a tenant that is later deleted stays
-- listable and revocable (it then sees nothing), and a tenant is not kept alive by its tokens.
CREATE TABLE operator_token (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    tenant_key TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
