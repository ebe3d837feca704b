package mailroom.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;

/**
 * Starts real Mailroom servers for tests: on a fresh SQLite file, or on a fresh database of one
 * embedded PostgreSQL 15 shared by the whole test JVM. Always seeded with seeds/contract.yaml.
 */
public final class TestServers {
    public enum Backend { SQLITE, POSTGRESQL }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestServers() {}

    public static SeedFile contractSeed() {
        try (InputStream in = TestServers.class.getResourceAsStream("/seeds/contract.yaml")) {
            return Seeder.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new server on a new, empty database of the given backend, seeded with the contract seed. */
    public static MailroomServer start(Backend backend) {
        return MailroomServer.start(options(backend, null));
    }

    public static MailroomServer.Options options(Backend backend, Path dataDir) {
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("mailroom-test");
            String url = backend == Backend.POSTGRESQL ? newPostgresDatabase() : null;
            return new MailroomServer.Options("127.0.0.1", 0, dir, url, List.of(contractSeed()), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty, migrated store of the backend, for tests that drive the directory without HTTP. */
    public static mailroom.directory.DirectoryStore openStore(Backend backend) {
        try {
            return backend == Backend.SQLITE ? mailroom.store.SqlStore.openSqlite(Files.createTempDirectory("mailroom-store"))
                    : mailroom.store.SqlStore.openPostgres(newPostgresDatabase());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory over the store, provisioned with the contract seed. */
    public static mailroom.directory.Directory seededDirectory(mailroom.directory.DirectoryStore store,
                                                               java.time.Clock clock) {
        mailroom.directory.Directory directory = new mailroom.directory.Directory(store, clock);
        new Seeder(directory.tenants()).apply(contractSeed());
        return directory;
    }

    /** Creates an empty database on the shared embedded PostgreSQL and answers its JDBC URL. */
    public static synchronized String newPostgresDatabase() {
        try {
            if (postgres == null) postgres = EmbeddedPostgres.builder().start();
            String name = "mailroom_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return postgres.getJdbcUrl("postgres", name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }
}
