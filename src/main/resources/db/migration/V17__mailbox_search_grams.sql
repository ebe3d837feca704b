-- SQLite only (PostgreSQL's pg_trgm indexes are left as they are): a second index for the mailbox list's search,
-- of five-character grams, for searches of five characters or more (ADR 0039). A trigram sits in thousands of rows
-- at a million mailboxes, so proving a long search's one match read long lists; a five-character gram is rare.
-- The list still applies its LIKE to the candidates, so what matches does not change.
--
-- The grams come from SQL alone, so every writer keeps the index, Mailroom or an operator's sqlite3 alike. A view
-- gives each mailbox's grams: every five characters of LOWER(field) (SQLite's LOWER, as the list's LIKE folds),
-- hex-encoded so that FTS5's ascii tokenizer sees each gram as one word. A recursive WITH numbers the characters
-- (a trigger may not hold one, but the view it reads may; FTS5 cannot read a view through json_each, which it
-- qualifies with the schema). group_concat's order is arbitrary, which does not matter: the index keeps no
-- positions (detail = none) and a search asks for all of its grams.
${sqlite_only} CREATE VIEW user_mailbox_grams AS SELECT b.seq,
${sqlite_only}     (SELECT group_concat(hex(substr(LOWER(b.email), p.key + 1, 5)), ' ')
${sqlite_only}         FROM (WITH RECURSIVE n (key) AS (SELECT 0 UNION ALL SELECT key + 1 FROM n WHERE key < length(b.email) - 5)
${sqlite_only}             SELECT key FROM n) p WHERE p.key <= length(b.email) - 5) AS email,
${sqlite_only}     (SELECT group_concat(hex(substr(LOWER(b.first_name), p.key + 1, 5)), ' ')
${sqlite_only}         FROM (WITH RECURSIVE n (key) AS (SELECT 0 UNION ALL SELECT key + 1 FROM n WHERE key < length(b.first_name) - 5)
${sqlite_only}             SELECT key FROM n) p WHERE p.key <= length(b.first_name) - 5) AS first_name,
${sqlite_only}     (SELECT group_concat(hex(substr(LOWER(b.last_name), p.key + 1, 5)), ' ')
${sqlite_only}         FROM (WITH RECURSIVE n (key) AS (SELECT 0 UNION ALL SELECT key + 1 FROM n WHERE key < length(b.last_name) - 5)
${sqlite_only}             SELECT key FROM n) p WHERE p.key <= length(b.last_name) - 5) AS last_name
${sqlite_only}     FROM user_mailbox b;
-- External content (the view): nothing is stored twice, and 'rebuild' and 'integrity-check' read the view. No
-- column sizes: nothing ranks the candidates.
${sqlite_only} CREATE VIRTUAL TABLE user_mailbox_search_grams USING fts5 (email, first_name, last_name,
${sqlite_only}     content = 'user_mailbox_grams', content_rowid = 'seq', tokenize = 'ascii', detail = 'none',
${sqlite_only}     columnsize = 0);
${sqlite_only} INSERT INTO user_mailbox_search_grams (user_mailbox_search_grams) VALUES ('rebuild');
${sqlite_only} INSERT INTO user_mailbox_search_grams (user_mailbox_search_grams) VALUES ('optimize');
-- A row's grams are taken from the view while the row is there: after an insert, before a delete.
${sqlite_only} CREATE TRIGGER user_mailbox_search_grams_insert AFTER INSERT ON user_mailbox BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search_grams (rowid, email, first_name, last_name)
${sqlite_only}         SELECT seq, email, first_name, last_name FROM user_mailbox_grams WHERE seq = new.seq;
${sqlite_only} END;
${sqlite_only} CREATE TRIGGER user_mailbox_search_grams_delete BEFORE DELETE ON user_mailbox BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search_grams (user_mailbox_search_grams, rowid, email, first_name, last_name)
${sqlite_only}         SELECT 'delete', seq, email, first_name, last_name FROM user_mailbox_grams WHERE seq = old.seq;
${sqlite_only} END;
-- Only a real change of the three columns re-indexes the row, as for the trigram index (V8).
${sqlite_only} CREATE TRIGGER user_mailbox_search_grams_unindex BEFORE UPDATE OF seq, email, first_name, last_name
${sqlite_only}     ON user_mailbox WHEN old.seq IS NOT new.seq OR old.email IS NOT new.email
${sqlite_only}         OR old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search_grams (user_mailbox_search_grams, rowid, email, first_name, last_name)
${sqlite_only}         SELECT 'delete', seq, email, first_name, last_name FROM user_mailbox_grams WHERE seq = old.seq;
${sqlite_only} END;
${sqlite_only} CREATE TRIGGER user_mailbox_search_grams_reindex AFTER UPDATE OF seq, email, first_name, last_name
${sqlite_only}     ON user_mailbox WHEN old.seq IS NOT new.seq OR old.email IS NOT new.email
${sqlite_only}         OR old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name BEGIN
${sqlite_only}     INSERT INTO user_mailbox_search_grams (rowid, email, first_name, last_name)
${sqlite_only}         SELECT seq, email, first_name, last_name FROM user_mailbox_grams WHERE seq = new.seq;
${sqlite_only} END;
