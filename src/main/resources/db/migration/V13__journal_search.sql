-- The audit log searches the journal of one tenant, newest first, by actor, by object, by address and by time
-- (ADR 0019). Each search is a range of one index below, walked backwards from the newest entry (or the cursor):
-- the tenant's entries (change_log_tenant, from V4), an actor's, an object's (by id: the kind is checked on the
-- rows found, so that an id alone finds it too), an address's, and where a time window starts.
--
-- object_address is the address an entry is about (Change.address(): the object's own, or for a member or a
-- manager its group's or public mailbox's), written with the entry. Entries journalled before this version get
-- it here from their states, so that every entry of a journal is found by its address the same way.

ALTER TABLE change_log ADD COLUMN object_address TEXT;

${sqlite_only} UPDATE change_log SET object_address = json_extract(COALESCE(after_state, before_state), '$.address')
${sqlite_only}     WHERE object_kind IN ('MAIL_GROUP', 'USER_MAILBOX', 'PUBLIC_MAILBOX', 'USER_MAILBOX_ALIAS',
${sqlite_only}                           'PUBLIC_MAILBOX_ALIAS', 'MAIL_GROUP_ALIAS');
${sqlite_only} UPDATE change_log SET object_address = json_extract(COALESCE(after_state, before_state), '$.mail_group')
${sqlite_only}     WHERE object_kind IN ('MAIL_GROUP_MEMBER', 'MAIL_GROUP_PERMISSION_MEMBER', 'MAIL_GROUP_MANAGER');
${sqlite_only} UPDATE change_log SET object_address = json_extract(COALESCE(after_state, before_state), '$.public_mailbox')
${sqlite_only}     WHERE object_kind = 'PUBLIC_MAILBOX_MEMBER';

${postgresql_only} UPDATE change_log SET object_address = CAST(COALESCE(after_state, before_state) AS jsonb) ->> 'address'
${postgresql_only}     WHERE object_kind IN ('MAIL_GROUP', 'USER_MAILBOX', 'PUBLIC_MAILBOX', 'USER_MAILBOX_ALIAS',
${postgresql_only}                           'PUBLIC_MAILBOX_ALIAS', 'MAIL_GROUP_ALIAS');
${postgresql_only} UPDATE change_log SET object_address = CAST(COALESCE(after_state, before_state) AS jsonb) ->> 'mail_group'
${postgresql_only}     WHERE object_kind IN ('MAIL_GROUP_MEMBER', 'MAIL_GROUP_PERMISSION_MEMBER', 'MAIL_GROUP_MANAGER');
${postgresql_only} UPDATE change_log SET object_address = CAST(COALESCE(after_state, before_state) AS jsonb) ->> 'public_mailbox'
${postgresql_only}     WHERE object_kind = 'PUBLIC_MAILBOX_MEMBER';

CREATE INDEX change_log_actor ON change_log (tenant_key, actor_id, seq);
CREATE INDEX change_log_object ON change_log (tenant_key, object_id, seq);
CREATE INDEX change_log_address ON change_log (tenant_key, object_address, seq);
CREATE INDEX change_log_time ON change_log (tenant_key, changed_at, seq);
