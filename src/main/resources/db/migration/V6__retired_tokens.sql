-- Service-account tokens rotated away. A seed file still naming one must not bring it back on the next
-- start: the operator rotated it, perhaps because it leaked. Only hashes are kept, like every token.
CREATE TABLE retired_token (
    token_hash         TEXT PRIMARY KEY,
    service_account_id TEXT NOT NULL,
    retired_at         BIGINT NOT NULL
);
