-- Usage counters: for each tenant limit, how many rows it counts in one scope (a tenant, a group, an
-- address owner, a user), so that a write checks its limit with one primary-key read instead of counting
-- the rows (which made every write cost as much as the rows already there, and bulk loads quadratic).
-- The store moves a counter in the same transaction as the rows it counts; this script fills them from
-- the rows already there, so an upgraded database starts exact. A scope without a row counts 0.
--   TENANT_MAIL_GROUPS        scope tenant_key: mail_group rows
--   TENANT_USER_MAILBOXES     scope tenant_key: user_mailbox rows in service (not in the recycle bin)
--   TENANT_PUBLIC_MAILBOXES   scope tenant_key: public_mailbox rows, the recycle bin included
--   GROUP_MEMBERS             scope mail_group.id: mail_group_member rows
--   GROUP_PERMISSION_MEMBERS  scope mail_group.id: mail_group_permission_member rows
--   OWNER_ALIASES             scope address.owner_id: alias rows of the address table
--   USER_PUBLIC_MAILBOXES     scope person.id: public_mailbox_member rows of mailboxes in service
-- No foreign keys: one column holds ids of several tables; the store drops a scope's rows when it goes.

CREATE TABLE usage_counter (
    counted  TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    value    BIGINT NOT NULL CHECK (value >= 0),
    PRIMARY KEY (counted, scope_id)
);

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'TENANT_MAIL_GROUPS', tenant_key, COUNT(*) FROM mail_group GROUP BY tenant_key;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'TENANT_USER_MAILBOXES', tenant_key, COUNT(*) FROM user_mailbox WHERE status <> 'RECYCLED' GROUP BY tenant_key;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'TENANT_PUBLIC_MAILBOXES', tenant_key, COUNT(*) FROM public_mailbox GROUP BY tenant_key;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'GROUP_MEMBERS', mail_group_id, COUNT(*) FROM mail_group_member GROUP BY mail_group_id;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'GROUP_PERMISSION_MEMBERS', mail_group_id, COUNT(*) FROM mail_group_permission_member GROUP BY mail_group_id;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'OWNER_ALIASES', owner_id, COUNT(*) FROM address
WHERE kind IN ('USER_ALIAS', 'PUBLIC_ALIAS', 'GROUP_ALIAS') GROUP BY owner_id;

INSERT INTO usage_counter (counted, scope_id, value)
SELECT 'USER_PUBLIC_MAILBOXES', m.person_id, COUNT(*)
FROM public_mailbox_member m JOIN public_mailbox b ON b.id = m.public_mailbox_id
WHERE b.status <> 'RECYCLED' GROUP BY m.person_id;
