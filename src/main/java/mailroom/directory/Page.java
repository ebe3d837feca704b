package mailroom.directory;

import java.util.List;

/** One page of a listing, and the cursor to continue after it (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {}
