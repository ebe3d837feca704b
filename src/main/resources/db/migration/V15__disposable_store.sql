-- The mark of a disposable store: one whose data may be replaced whole at any time (the sandbox's, which
-- empties its store at every start and returns it to the seeds at every reset). A sandbox refuses a store
-- that holds data without this mark, so that pointing it at a real store changes nothing. Images of the
-- store (DirectoryStore.capture) never hold this table.
CREATE TABLE disposable_store (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    marked_at BIGINT NOT NULL
);
