package mailroom.directory.bulk;

import java.util.List;

/**
 * What an import did (or, rehearsed, would do): how many rows it read, created and updated, and each row it
 * did not apply, in file order. Rows neither created, updated nor failed were already as the file says.
 */
public record ImportResult(boolean dryRun, int rows, int created, int updated, List<RowFailure> failed) {
    public ImportResult {
        failed = List.copyOf(failed);
    }
}
