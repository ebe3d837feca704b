-- issue 4, the Hybridbox door: a per-tenant limit on user mailboxes in service (bulk code
-- limit_reached). Existing tenants get the default of 10000.
ALTER TABLE tenant ADD COLUMN limit_user_mailboxes INTEGER NOT NULL DEFAULT 10000;
