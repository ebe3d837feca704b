package mailroom.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import mailroom.store.SqliteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailroom restore}: replaces the SQLite store by a backup; refused while a server holds the data directory. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Replace the SQLite store of a stopped server by a backup; the replaced store is kept as mailroom.db.before-restore.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:restored", "1:refused or failed: a server holds the data directory, or FILE is no sound Mailroom backup; nothing was changed",
            "2:usage error"})
public final class RestoreCommand implements Callable<Integer> {
    public static final int EXIT_REFUSED = 1;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file (as written by mailroom backup).")
    Path from;

    @Option(names = "--data", defaultValue = "./data", description = "The data directory to restore into (default: ${DEFAULT-VALUE}).")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SqliteFiles.Restored restored;
        try {
            restored = SqliteFiles.restore(from, data);
        } catch (SqliteFiles.Refused e) {
            spec.commandLine().getErr().println("mailroom: restore refused: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return EXIT_REFUSED;
        }
        PrintWriter out = spec.commandLine().getOut();
        Path db = data.resolve(SqliteFiles.DATABASE);
        out.println("restored " + db + " from " + from + ": " + BackupCommand.describe(restored.contents()));
        out.println(restored.keptPrevious() ? "the replaced store is kept as " + data.resolve(SqliteFiles.BEFORE_RESTORE)
                : "there was no store to keep");
        out.flush();
        return 0;
    }
}
