package mailroom.directory;

/** Where a listing continues (null: from the start) and how many items it answers. */
public record PageRequest(String afterCursor, int size) {}
