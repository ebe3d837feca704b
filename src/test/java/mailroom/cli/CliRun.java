package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import mailroom.testing.MailroomProcess;

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
        MailroomProcess.watchData(dir, args);
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

    /**
     * The child's command line: this JVM, the launcher's options and a class-data archive for a short run, the
     * main classes (as a jar, which the archive needs: it skips classes of a directory) and the libraries.
     */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xms16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(Cached.ARCHIVE);
        command.addAll(List.of("-cp", Cached.CLASS_PATH, "mailroom.Main"));
        command.addAll(args);
        return command;
    }

    /**
     * Made once per test run: the jar of target/classes and the place of the archive the first child writes at
     * its exit (-XX:+AutoCreateSharedArchive; the JVM remakes it when the jar changes). Every later child
     * starts in about half the CPU time; without a jar (no target/classes) the children run without one.
     */
    private static final class Cached {
        static final List<String> ARCHIVE;
        static final String CLASS_PATH;

        static {
            List<String> entries = new ArrayList<>();
            List<String> archive = List.of();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (p.endsWith(Path.of("target", "test-classes"))) continue;
                if (p.endsWith(Path.of("target", "classes")) && Files.isDirectory(p)) {
                    Path dir = p.getParent().resolve("cli-test");
                    try {
                        Files.createDirectories(dir);
                        Path jar = dir.resolve("mailroom-classes.jar");
                        jar(p, jar);
                        entries.add(jar.toString());
                        archive = List.of("-XX:SharedArchiveFile=" + dir.resolve("children.jsa"), "-XX:+AutoCreateSharedArchive",
                                "-Xlog:cds*=off");
                        continue;
                    } catch (IOException e) {
                        archive = List.of();
                    }
                }
                entries.add(entry);
            }
            ARCHIVE = archive;
            CLASS_PATH = String.join(File.pathSeparator, entries);
        }

        private static void jar(Path classes, Path jar) throws IOException {
            Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp)); Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
