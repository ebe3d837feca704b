-- Releasing, renaming or deleting an owner drops the OTHER_MEMBER entries that name its addresses
-- (DELETE ... WHERE type = 'OTHER_MEMBER' AND email IN (...)); without these indexes that scans every
-- tenant's member rows while the tenant lock is held.
CREATE INDEX mail_group_member_email ON mail_group_member (type, email);
CREATE INDEX mail_group_permission_member_email ON mail_group_permission_member (type, email);
