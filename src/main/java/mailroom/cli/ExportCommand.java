package mailroom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mailroom export --tenant KEY --kind KIND [-o FILE]}: a tenant's users, mail groups, members or aliases as CSV. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a tenant's users, mail_groups, members or aliases as CSV, in the import format.")
public final class ExportCommand extends OnlineCommand {
    @Option(names = "--tenant", required = true, paramLabel = "KEY", description = "The tenant to export.")
    String tenant;

    @Option(names = "--kind", required = true, paramLabel = "KIND", description = "users, mail_groups, members or aliases.")
    String kind;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (default: stdout).")
    Path output;

    @Override
    int run(AdminClient client, Output out) {
        AdminClient.Answer answer = client.send("GET", tenantPath(tenant, "export") + "?kind=" + AdminClient.segment(kind),
                null, null, Duration.ofMinutes(10));
        if (output == null) {
            out.out().print(answer.text());
            out.out().flush();
            return 0;
        }
        try {
            Files.write(output, answer.body());
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot write " + output + ": " + e.getMessage());
        }
        done(out, "wrote " + kind + " of " + tenant + " to " + output);
        return 0;
    }
}
