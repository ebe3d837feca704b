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
import mailroom.directory.delivery.DeliveryRules;
import mailroom.mta.ClientNetworks;
import mailroom.mta.HostPort;
import mailroom.mta.MtaOptions;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;

/**
 * Starts real Mailroom servers for tests: on a fresh SQLite file, or on a fresh database of one
 * embedded PostgreSQL 15 shared by the whole test JVM. Always seeded with seeds/contract.yaml. Every database made
 * here is scanned for secrets in its journal when its test ends ({@link JournalSecrets}).
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

    /** As {@link #start(Backend)}, with both MTA listeners on 127.0.0.1 at ports of their own choosing. */
    public static MailroomServer startWithMta(Backend backend, DeliveryRules rules, String clients) {
        return MailroomServer.start(options(backend, null).withMta(mta(rules, clients)));
    }

    /** Both listeners on 127.0.0.1, any free port. */
    public static MtaOptions mta(DeliveryRules rules, String clients) {
        HostPort any = new HostPort("127.0.0.1", 0);
        return new MtaOptions(any, any, ClientNetworks.parse(clients), rules);
    }

    /**
     * Breaks a running server's PostgreSQL store for real: its schema is renamed, so every query fails at
     * once (as when a database is gone) while connections stay up; {@link #repairPostgres} undoes it.
     */
    public static void breakPostgres(String jdbcUrl) {
        sql(jdbcUrl, "ALTER SCHEMA public RENAME TO broken_public");
    }

    public static void repairPostgres(String jdbcUrl) {
        sql(jdbcUrl, "ALTER SCHEMA broken_public RENAME TO public");
    }

    private static void sql(String jdbcUrl, String statement) {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MailroomServer.Options options(Backend backend, Path dataDir) {
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("mailroom-test");
            String url = backend == Backend.POSTGRESQL ? newPostgresDatabase() : null;
            if (url == null) JournalSecrets.watch(dir);
            return new MailroomServer.Options("127.0.0.1", 0, dir, url, List.of(contractSeed()), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty, migrated store of the backend, for tests that drive the directory without HTTP. */
    public static mailroom.directory.DirectoryStore openStore(Backend backend) {
        try {
            if (backend == Backend.POSTGRESQL) return mailroom.store.SqlStore.openPostgres(newPostgresDatabase());
            Path dir = Files.createTempDirectory("mailroom-store");
            JournalSecrets.watch(dir);
            return mailroom.store.SqlStore.openSqlite(dir);
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
            String url = postgres.getJdbcUrl("postgres", name);
            JournalSecrets.watch(url);
            return url;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }
}
