package mailroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's data directory: made in the temporary directory, deleted with all it holds when the run is over. */
final class BenchData implements AutoCloseable {
    private final Path dir;

    private BenchData(Path dir) {
        this.dir = dir;
    }

    static BenchData create(String prefix) throws IOException {
        return new BenchData(Files.createTempDirectory(prefix));
    }

    Path dir() {
        return dir;
    }

    /** Deletes the directory; a million mailboxes take a few hundred MB, and runs are repeated. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
