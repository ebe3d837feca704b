-- The mailbox list's free-text search (a case-insensitive substring of the address, the first or the last
-- name) was a LIKE '%...%' scan of every mailbox of the tenant. A trigram index finds the few candidate
-- rows instead; the list still applies the same LIKE to them, so what matches does not change (ADR 0008).
-- The two databases have no common spelling for such an index, so each line below runs on one of them
-- only: the other reads it as a comment (${sqlite_only} and ${postgresql_only} are '' or '--').
--
-- SQLite: an FTS5 table over user_mailbox (external content, rowid = seq, nothing stored twice) with the
-- trigram tokenizer, case-folded. Triggers keep it in step with every write of the three columns, so no
-- writer can forget it; 'rebuild' indexes the rows that exist already and 'optimize' merges what it wrote
-- into one segment (later writes are merged by FTS5's automerge as they come).
${sqlite_only} CREATE VIRTUAL TABLE user_mailbox_search USING fts5 (email, first_name, last_name,
${sqlite_only}     content = 'user_mailbox', content_rowid = 'seq', tokenize = 'trigram case_sensitive 0');
${sqlite_only} INSERT INTO user_mailbox_search (user_mailbox_search) VALUES ('rebuild');
${sqlite_only} INSERT INTO user_mailbox_search (user_mailbox_search) VALUES ('optimize');
${sqlite_only} CREATE TRIGGER user_mailbox_search_insert AFTER INSERT ON user_mailbox BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search (rowid, email, first_name, last_name)
${sqlite_only}         VALUES (new.seq, new.email, new.first_name, new.last_name);
${sqlite_only} END;
${sqlite_only} CREATE TRIGGER user_mailbox_search_delete AFTER DELETE ON user_mailbox BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search (user_mailbox_search, rowid, email, first_name, last_name)
${sqlite_only}         VALUES ('delete', old.seq, old.email, old.first_name, old.last_name);
${sqlite_only} END;
-- Every update names the three columns (SqlMailboxRecords writes the whole row); only a real change of
-- one of them re-indexes the row.
${sqlite_only} CREATE TRIGGER user_mailbox_search_update AFTER UPDATE OF seq, email, first_name, last_name ON user_mailbox
${sqlite_only}     WHEN old.seq IS NOT new.seq OR old.email IS NOT new.email OR old.first_name IS NOT new.first_name
${sqlite_only}         OR old.last_name IS NOT new.last_name BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search (user_mailbox_search, rowid, email, first_name, last_name)
${sqlite_only}         VALUES ('delete', old.seq, old.email, old.first_name, old.last_name);
${sqlite_only}     INSERT INTO user_mailbox_search (rowid, email, first_name, last_name)
${sqlite_only}         VALUES (new.seq, new.email, new.first_name, new.last_name);
${sqlite_only} END;
--
-- PostgreSQL: pg_trgm GIN indexes on exactly the expressions the list's LIKE compares, which the planner
-- uses for LIKE '%...%' and PostgreSQL keeps in step itself. pg_trgm ships with PostgreSQL (contrib) and
-- is a trusted extension: the database owner may create it; an operator may also create it beforehand.
-- fastupdate = off: a write updates the index at once instead of queueing in a pending list that every
-- search must then read in full until VACUUM merges it (tens of milliseconds after a bulk import).
${postgresql_only} CREATE EXTENSION IF NOT EXISTS pg_trgm;
${postgresql_only} CREATE INDEX user_mailbox_email_trgm ON user_mailbox USING gin (LOWER(email) gin_trgm_ops)
${postgresql_only}     WITH (fastupdate = off);
${postgresql_only} CREATE INDEX user_mailbox_first_name_trgm ON user_mailbox USING gin (LOWER(first_name) gin_trgm_ops)
${postgresql_only}     WITH (fastupdate = off);
${postgresql_only} CREATE INDEX user_mailbox_last_name_trgm ON user_mailbox USING gin (LOWER(last_name) gin_trgm_ops)
${postgresql_only}     WITH (fastupdate = off);
