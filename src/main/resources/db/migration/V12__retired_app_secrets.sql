-- App secrets that an app no longer takes: rotated away, or its app deleted, through the operator door.
-- A seed file still naming such a secret must not bring it back on the next start (the operator rotated
-- it, perhaps because it leaked), and the id of a deleted app is not given to a new app: an access token
-- names only its app id and tenant, so a new app under the old id would make the old app's tokens valid
-- again. Only the hashes are kept, like every secret. The rows go when their tenant is deleted.
CREATE TABLE retired_app_secret (
    app_id      TEXT NOT NULL,
    tenant_key  TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    retired_at  BIGINT NOT NULL,
    PRIMARY KEY (app_id, secret_hash)
);
