package mailroom.directory.bulk;

import mailroom.directory.DirectoryException;

/** One row of an import that was not applied: its number in the file and the directory's refusal of it. */
public record RowFailure(int row, DirectoryException refusal) {}
