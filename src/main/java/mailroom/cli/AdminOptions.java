package mailroom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of every online command — where the server is, which operator token, JSON output — mixed into the
 * top command, every command group and every command, so that they are accepted anywhere on the line. Wherever
 * one is given, its value lands in the top command's instance (the one {@link #effective()} answers), and defaults
 * are resolved there, not by picocli, which would reapply them on each command of the line.
 */
public final class AdminOptions {
    /** The mixin's name on every command; how an occurrence finds the top command's instance. */
    public static final String NAME = "admin";
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final Path DEFAULT_TOKEN_FILE = Path.of("data", "admin-token");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private String url;
    private Path tokenFile;
    private boolean json;
    private final Map<String, String> env = System.getenv();

    @Option(names = "--url", paramLabel = "URL",
            description = "The Mailroom server (default: $MAILROOM_URL, else " + DEFAULT_URL + ").")
    void url(String value) {
        effective().url = value;
    }

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File whose first line is an operator token (default: $MAILROOM_ADMIN_TOKEN holding the token itself, "
                    + "else ./data/admin-token when it exists).")
    void tokenFile(Path value) {
        effective().tokenFile = value;
    }

    @Option(names = "--json", description = "Print the admin API's JSON answer instead of a table.")
    void json(boolean value) {
        effective().json = value;
    }

    /** The instance of the top command, which holds what was given anywhere on the line. */
    AdminOptions effective() {
        if (mixee == null) return this;
        CommandSpec top = mixee.root().mixins().get(NAME);
        return top == null || top.userObject() == this ? this : (AdminOptions) top.userObject();
    }

    boolean json() {
        return effective().json;
    }

    /** The server's base URL, without a trailing slash. */
    String baseUrl() {
        AdminOptions o = effective();
        String given = o.url != null ? o.url : present(o.env.get("MAILROOM_URL")) ? o.env.get("MAILROOM_URL") : DEFAULT_URL;
        given = given.strip();
        while (given.endsWith("/")) given = given.substring(0, given.length() - 1);
        if (!given.startsWith("http://") && !given.startsWith("https://")) {
            throw new CliFailure(CliFailure.USAGE, "--url must start with http:// or https:// (got '" + given + "')");
        }
        return given;
    }

    /** The operator token: from --token-file, else $MAILROOM_ADMIN_TOKEN, else ./data/admin-token. */
    String token() {
        AdminOptions o = effective();
        if (o.tokenFile != null) return firstLine(o.tokenFile, "--token-file");
        String fromEnv = o.env.get("MAILROOM_ADMIN_TOKEN");
        if (present(fromEnv)) return fromEnv.strip();
        if (Files.isRegularFile(DEFAULT_TOKEN_FILE)) return firstLine(DEFAULT_TOKEN_FILE, "the default token file");
        throw new CliFailure(CliFailure.USAGE, "no operator token: give --token-file FILE or set MAILROOM_ADMIN_TOKEN "
                + "(./" + DEFAULT_TOKEN_FILE + " does not exist here)");
    }

    /** The first line of a secret's file, stripped; a missing, unreadable or empty file is the user's to fix. */
    static String firstLine(Path file, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read " + what + " " + file + ": no such file");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read " + what + " " + file + ": " + e.getMessage());
        }
        String line = text.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) throw new CliFailure(CliFailure.USAGE, what + " " + file + " is empty");
        return line;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
