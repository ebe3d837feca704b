package mailroom.cli;

import java.util.concurrent.CountDownLatch;
import mailroom.seed.Seeder;
import mailroom.store.SqlStore;

/**
 * What a server start needs once its command line is parsed — logging's configuration, the seed reader (the
 * demo seed is read once, which builds Jackson's readers of every seed field), the JSON mapper of the first
 * answer, Flyway — made ready on another thread while picocli parses it. Picocli's classes are Java 5 class
 * files: verified the slow way and never from the start-up cache, they take a few hundred milliseconds that
 * the other core can use.
 */
public final class Preload {
    /** Counted down once logging is configured; SLF4J warns about calls made while another thread configures it. */
    private static final CountDownLatch LOGGING = new CountDownLatch(1);
    private static volatile boolean started;

    private Preload() {}

    /** For {@code serve} only; each step is one the start takes anyway, a little later. */
    public static void start() {
        started = true;
        Thread.ofPlatform().name("mailroom-preload").daemon(true).start(() -> {
            try {
                quietly(() -> load("mailroom.server.MailroomServer")); // logging, and java.util.logging bridged to it
            } finally {
                LOGGING.countDown();
            }
            quietly(Seeder::demo);
            quietly(() -> load("mailroom.http.Json"));
            quietly(() -> load("org.flywaydb.core.Flyway"));
        });
    }

    /** Waits, if {@link #start} ran, until logging is configured: call it before anything may log. */
    static void awaitLogging() {
        if (!started) return;
        boolean interrupted = false;
        while (true) {
            try {
                LOGGING.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void load(String name) {
        try {
            Class.forName(name, true, Preload.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step that fails here fails again where the start needs it, and is reported there. */
    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            // reported by the start itself
        }
    }

    /** SQLite's native library, unpacked and loaded as the first connection would; only for a SQLite start. */
    static void sqlite() {
        Thread.ofPlatform().name("mailroom-preload-sqlite").daemon(true).start(() -> quietly(SqlStore::loadSqliteLibrary));
    }
}
