-- How many times the data was replaced whole (a restore, a sandbox reset), beside the journal's last sequence
-- number in the counter row that every journalling write updates last: their sum moves with every committed
-- change of any node and never moves back, so a node may keep an answer while the sum it read before reading
-- the answer is unchanged. Images of the store never hold this row.
ALTER TABLE change_log_counter ADD COLUMN replacements BIGINT NOT NULL DEFAULT 0;
