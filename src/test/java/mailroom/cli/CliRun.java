package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code mailroom ARGS} as a user does: the real {@code mailroom.Main} in a child JVM started the way the
 * {@code ./mailroom} launcher starts it (its last line is {@code java ... -jar mailroom.jar "$@"}), on the main
 * classes and libraries of this build rather than on a jar the launcher would first build with Maven.
 */
final class CliRun {
    private static final long DEADLINE_SECONDS = 60;

    /** What a finished command printed and how it ended. */
    record Ended(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        List<String> errors() {
            return stderr.lines().toList();
        }
    }

    private CliRun() {}

    /**
     * Runs in {@code dir} with the given environment variables only added to a copy of ours that has none of
     * Mailroom's own; stdin is closed and stdout and stderr are pipes, so nothing is a terminal.
     */
    static Ended run(Path dir, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(List.of(args))).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MAILROOM_"));
        builder.environment().putAll(env);
        Process child = builder.start();
        try {
            child.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(child.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
            boolean ended = child.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(ended).as("mailroom %s ended within %d s", String.join(" ", args), DEADLINE_SECONDS).isTrue();
            return new Ended(child.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child's command line: this JVM, the launcher's options for a short run, the main class path. */
    static List<String> command(List<String> args) {
        String classPath = String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "test-classes"))).toList());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xms16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, "mailroom.Main"));
        command.addAll(args);
        return command;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
