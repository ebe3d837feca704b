package mailroom.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import mailroom.store.SqliteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailroom backup}: a consistent copy of the SQLite store, safe to take while the server runs and writes. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Copy the SQLite store to one file, consistent as of one moment, while the server may run and write.",
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the backup was written", "1:refused or failed; nothing was written", "2:usage error"})
public final class BackupCommand implements Callable<Integer> {
    public static final int EXIT_FAILED = 1;

    @Option(names = "--data", defaultValue = "./data", description = "The server's data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file to write.")
    Path to;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SqliteFiles.Contents copy;
        try {
            copy = SqliteFiles.backup(data, to, force);
        } catch (SqliteFiles.Refused e) {
            spec.commandLine().getErr().println("mailroom: backup refused: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return EXIT_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + to + ": " + describe(copy));
        out.flush();
        return 0;
    }

    /** "126976 bytes, 3 tenants, 17 addresses". */
    static String describe(SqliteFiles.Contents c) {
        return c.bytes() + " bytes, " + c.tenants() + " tenant" + (c.tenants() == 1 ? "" : "s") + ", "
                + c.addresses() + " address" + (c.addresses() == 1 ? "" : "es");
    }
}
