package mailroom.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mailroom.Main} in a child JVM, as a user runs it: on the test JVM's class path without the test classes,
 * so that it logs through the production logback.xml (the tests' logback-test.xml would hide what a user sees).
 */
public final class MailroomProcess {
    /** What a finished child printed and how it ended. */
    public record Ended(int exit, List<String> stdout, List<String> stderr) {}

    private MailroomProcess() {}

    /** The command line of {@code mailroom ARGS...}, run in {@code dir}. */
    public static ProcessBuilder builder(Path dir, String... args) {
        String classPath = String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "test-classes"))).toList());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "mailroom.Main"));
        command.addAll(List.of(args));
        watchData(dir, args);
        return new ProcessBuilder(command).directory(dir.toFile());
    }

    /** Runs {@code mailroom ARGS...} to its end; killed, and an AssertionError, if it still runs after {@code deadline}. */
    public static Ended run(Path dir, Duration deadline, String... args) throws Exception {
        Process child = builder(dir, args).start();
        try {
            child.getOutputStream().close();
            if (!child.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("mailroom " + String.join(" ", args) + " still runs after " + deadline);
            }
            return new Ended(child.exitValue(), lines(child.getInputStream().readAllBytes()), lines(child.getErrorStream().readAllBytes()));
        } finally {
            child.destroyForcibly();
        }
    }

    /** The SQLite data directory a {@code --data DIR} names, scanned for secrets when the test ends ({@link JournalSecrets}). */
    public static void watchData(Path dir, String... args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--data")) JournalSecrets.watch(dir.resolve(args[i + 1]));
        }
    }

    public static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
