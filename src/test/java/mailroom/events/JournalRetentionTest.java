package mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import mailroom.directory.Change;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.server.MailroomServer;
import mailroom.store.SqlStore;
import mailroom.testing.AdminHttp;
import mailroom.testing.TestCallers;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.Together;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Journal retention on SQLite and PostgreSQL: a server prunes what is older than its retention at start and then
 * periodically, oldest first, keeping everything younger and numbering on; pruning goes in short batches that
 * directory writes pass between; two nodes pruning one PostgreSQL at once delete each entry once.
 */
class JournalRetentionTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofSeconds(100);

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still not: %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<Change.Entry> everything(Directory directory) {
        return directory.journal().after(0, 100_000);
    }

    @Test
    void theIntervalIsAHundredthOfTheRetentionBetweenASecondAndAnHour() {
        assertThat(JournalRetention.interval(EventOptions.DEFAULT_RETENTION)).isEqualTo(Duration.ofHours(1));
        assertThat(JournalRetention.interval(Duration.ofHours(10))).isEqualTo(Duration.ofMinutes(6));
        assertThat(JournalRetention.interval(RETENTION)).isEqualTo(Duration.ofSeconds(1));
        assertThat(JournalRetention.interval(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aServerPrunesWhatIsOlderThanItsRetentionAndKeepsTheRest(Backend backend) throws Exception {
        TestClock clock = TestClock.movable(T0);
        try (AdminHttp admin = AdminHttp.start(backend,
                o -> o.withEvents(EventOptions.DEFAULT.withJournalRetention(RETENTION)), clock)) {
            Directory directory = admin.server().directory();
            List<Change.Entry> seeded = everything(directory);
            long lastSeeded = directory.journal().lastSeq();
            assertThat(seeded).hasSize((int) lastSeeded);

            clock.advance(RETENTION.plusSeconds(1));
            assertThat(admin.send("PATCH", "/admin/v1/tenants/tiny", "{\"name\":\"Tiny Limited\"}").status()).isEqualTo(200);
            eventually("the seed's entries are pruned", () -> everything(directory).size() == 1);
            List<Change.Entry> kept = everything(directory);
            assertThat(kept).singleElement().satisfies(e -> {
                assertThat(e.seq()).as("numbering goes on").isEqualTo(lastSeeded + 1);
                assertThat(e.change().objectKind()).isEqualTo(Change.ObjectKind.TENANT);
                assertThat(e.change().time()).isEqualTo(T0.plus(RETENTION).plusSeconds(1).toEpochMilli());
            });
            assertThat(admin.send("GET", "/admin/v1/tenants/tiny/audit", null).json().path("items")).hasSize(1);
            assertThat(admin.send("GET", "/admin/v1/tenants/acme/audit", null).json().path("items")).isEmpty();
            // The feed's slice resumes after the oldest kept entry as it did before; before it, it starts at it.
            assertThat(directory.journal().slice(0, 10, null).items()).isEqualTo(kept);

            clock.advance(RETENTION.dividedBy(2));
            Thread.sleep(2_500);
            assertThat(everything(directory)).as("younger than the retention, still kept").isEqualTo(kept);
        }
    }

    @Test
    void aServerStartedLongAfterItsEntriesPrunesThemAtStart() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-retention");
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, dir).withEvents(EventOptions.DEFAULT.withJournalRetention(
                Duration.ofDays(30)));
        long seeded;
        try (MailroomServer first = MailroomServer.start(options, TestClock.movable(T0))) {
            seeded = first.directory().journal().lastSeq();
            assertThat(everything(first.directory())).hasSize((int) seeded);
        }
        TestClock later = TestClock.movable(T0.plus(Duration.ofDays(31)));
        try (MailroomServer second = MailroomServer.start(options, later)) {
            eventually("pruned at start", () -> everything(second.directory()).isEmpty());
            assertThat(second.directory().journal().lastSeq()).isEqualTo(seeded);
        }
    }

    /** A fresh, migrated database whose journal holds {@code old} entries made long before T0, written straight into it. */
    private record Database(Path dir, String url) {
        static Database withOldEntries(Backend backend, int old) throws Exception {
            Database db;
            if (backend == Backend.SQLITE) {
                Path dir = Files.createTempDirectory("mailroom-prune");
                SqlStore.openSqlite(dir).close();
                db = new Database(dir, "jdbc:sqlite:" + dir.resolve("mailroom.db"));
            } else {
                String url = TestServers.newPostgresDatabase();
                SqlStore.openPostgres(url).close();
                db = new Database(null, url);
            }
            fill(db.url(), backend, old);
            return db;
        }

        DirectoryStore open() {
            return dir != null ? SqlStore.openSqlite(dir) : SqlStore.openPostgres(url);
        }
    }

    private static void fill(String url, Backend backend, int old) {
        String numbers = backend == Backend.SQLITE
                ? "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + old + ") SELECT x FROM g"
                : "SELECT x FROM generate_series(1, " + old + ") AS g(x)";
        Jdbi.create(url).useHandle(h -> {
            h.execute("INSERT INTO change_log (seq, changed_at, tenant_key, actor_kind, actor_id, request_id, object_kind, object_id,"
                    + " object_address, op, before_state, after_state) SELECT x, " + T0.minus(Duration.ofDays(500)).toEpochMilli()
                    + " + x, 'acme', 'SEED', 'seed', NULL, 'DOMAIN', 'd' || x, NULL, 'CREATE', NULL, '{}' FROM (" + numbers + ") n");
            h.execute("UPDATE change_log_counter SET last_seq = " + old + " WHERE id = 1");
        });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void writesPassBetweenThePruningsBatches(Backend backend) throws Exception {
        int old = 30_000;
        try (DirectoryStore store = Database.withOldEntries(backend, old).open()) {
            TestClock clock = TestClock.movable(T0);
            Directory directory = TestServers.seededDirectory(store, clock);
            long seeded = directory.journal().lastSeq() - old;
            Instant before = T0.minus(Duration.ofDays(400));
            List<Long> pruned = Collections.synchronizedList(new ArrayList<>());
            List<Long> written = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean pruning = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            Together.run(List.of(() -> {
                try {
                    int n;
                    do {
                        n = directory.journal().prune(before, 200);
                        pruned.add(System.nanoTime());
                    } while (n > 0);
                } finally {
                    pruning.set(false);
                }
                return null;
            }, () -> {
                while (pruning.get()) {
                    int i = writes.incrementAndGet();
                    directory.departments().create(TestCallers.as("acme"), "P" + i, null, "Pruning " + i, null);
                    written.add(System.nanoTime());
                }
                return null;
            }));

            assertThat(pruned).hasSizeGreaterThan(old / 200);
            long start = pruned.getFirst();
            long end = pruned.get(pruned.size() - 2);
            long between = written.stream().filter(t -> t > start && t < end).count();
            assertThat(between).as("writes done while the pruning went on (%d batches)", pruned.size()).isGreaterThanOrEqualTo(10);
            List<Change.Entry> kept = everything(directory);
            assertThat(kept).as("only the old entries went").hasSize((int) seeded + writes.get());
            assertThat(kept.getFirst().seq()).isEqualTo(old + 1);
        }
    }

    @Test
    void twoNodesPruningOnePostgresqlAtOnceDeleteEachOldEntryOnce() throws Exception {
        int old = 20_000;
        Database db = Database.withOldEntries(Backend.POSTGRESQL, old);
        try (DirectoryStore first = db.open()) {
            try (DirectoryStore second = db.open()) {
                Directory a = new Directory(first, TestClock.movable(T0));
                Directory b = new Directory(second, TestClock.movable(T0));
                Instant before = T0.minus(Duration.ofDays(400));
                AtomicInteger deleted = new AtomicInteger();
                List<java.util.concurrent.Callable<Object>> nodes = new ArrayList<>();
                for (Directory node : List.of(a, b, a, b)) {
                    nodes.add(() -> {
                        int n;
                        do {
                            n = node.journal().prune(before, 300);
                            deleted.addAndGet(n);
                        } while (n > 0);
                        return null;
                    });
                }
                Together.run(nodes);
                assertThat(deleted.get()).isEqualTo(old);
                assertThat(everything(a)).isEmpty();
                assertThat(a.journal().lastSeq()).isEqualTo(old);
            }
        }
    }
}
