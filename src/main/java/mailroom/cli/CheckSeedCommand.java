package mailroom.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import mailroom.seed.SeedCheck;
import mailroom.seed.SeedRules;
import mailroom.server.StartupFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom check-seed FILE}: checks a seed file without a server or a database and prints every problem
 * as {@code FILE:LINE:COLUMN: FIELD.PATH: message}, with the rules a server start applies.
 */
@Command(name = "check-seed", mixinStandardHelpOptions = true,
        description = "Check a YAML or JSON seed file and print every problem with its line and field path; no server needed.",
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:no problems", "1:problems found, or the file cannot be read", "2:usage error"})
public final class CheckSeedCommand implements Callable<Integer> {
    public static final int EXIT_PROBLEMS = 1;

    @Parameters(index = "0", paramLabel = "FILE", description = "The seed file, as given to mailroom serve --seed.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String name = file.toString();
        SeedCheck.Result result;
        try {
            if (!Files.isRegularFile(file)) throw new IOException(Files.exists(file) ? "not a file" : "no such file");
            result = SeedCheck.check(file, SeedRules.standard());
        } catch (IOException e) {
            spec.commandLine().getErr().println("mailroom: cannot read seed file " + name + ": "
                    + (e.getCause() == null && e.getClass() == IOException.class ? e.getMessage() : StartupFailure.reason(e)));
            spec.commandLine().getErr().flush();
            return EXIT_PROBLEMS;
        }
        for (SeedCheck.Problem problem : result.problems()) out.println(problem.render(name));
        int n = result.problems().size();
        String counts = plural(result.tenants(), "tenant") + ", " + plural(result.users(), "user") + ", " + plural(result.apps(), "app");
        out.println(name + ": " + (result.seed() == null ? "" : counts + " " + dash() + " ") + (n == 0 ? "no errors" : plural(n, "error")));
        out.flush();
        return n == 0 ? 0 : EXIT_PROBLEMS;
    }

    /** An em dash where picocli's output charset (sun.stdout.encoding, else the default: UTF-8) has one, else a hyphen. */
    private static String dash() {
        try {
            String encoding = System.getProperty("sun.stdout.encoding");
            Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
            return charset.newEncoder().canEncode('\u2014') ? "\u2014" : "-";
        } catch (IllegalArgumentException e) {
            return "-";
        }
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
