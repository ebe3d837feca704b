package mailroom.store;

import static mailroom.store.WriterGates.awaitTrue;
import static mailroom.store.WriterGates.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real SQLite file. A "gate" write holds the writer thread while the test queues more
 * writes behind it, so which writes share a transaction is known rather than left to scheduling.
 */
class SqliteGroupCommitTest {
    @TempDir
    Path dir;

    private SqlStore store;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch gateOpen = new CountDownLatch(1);

    @BeforeEach
    void open() {
        store = SqlStore.openSqlite(dir);
    }

    @AfterEach
    void close() {
        gateOpen.countDown();
        callers.shutdownNow();
        store.close();
    }

    @Test
    void concurrentWritesAllSucceedInFewerCommitsThanWritesEachSeeingTheOnesBefore() throws Exception {
        Future<?> gate = holdTheWriter();
        long commitsBefore = store.commits();
        int writes = 100;
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            String key = "t" + i;
            answers.add(callers.submit(() -> store.write(r -> {
                int before = r.tenants().allTenants().size();
                r.tenants().upsertTenant(tenant(key));
                return before;
            })));
        }
        awaitTrue(() -> store.queuedWrites() == writes);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);

        List<Integer> seen = new ArrayList<>();
        for (Future<Integer> a : answers) seen.add(a.get(30, TimeUnit.SECONDS));
        // One after another: each work saw exactly the tenants of the works that ran before it.
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(writes));
        assertThat(store.<Integer>read(r -> r.tenants().allTenants().size())).isEqualTo(writes);
        // The gate's transaction, then the 100 queued writes in batches of at most MAX_BATCH.
        int batches = (writes + GroupCommit.MAX_BATCH - 1) / GroupCommit.MAX_BATCH;
        assertThat(store.commits() - commitsBefore).isEqualTo(1 + batches).isLessThan(writes);
    }

    @Test
    void aRefusedWorkLeavesNoTraceWhileItsBatchMatesPersistAndItsCallerGetsExactlyItsException() throws Exception {
        Future<?> gate = holdTheWriter();
        long commitsBefore = store.commits();
        DirectoryException refusal = new DirectoryException(Reason.ADDRESS_TAKEN, "taken");
        Future<String> first = queue(r -> {
            r.tenants().upsertTenant(tenant("first"));
            return "first";
        }, 1);
        Future<String> refused = queue(r -> {
            r.tenants().upsertTenant(tenant("refused"));
            throw refusal;
        }, 2);
        Future<String> sqlError = queue(r -> {
            r.tenants().upsertTenant(tenant("sql-error"));
            return sql(r).createQuery("SELECT * FROM no_such_table").mapTo(String.class).one();
        }, 3);
        Future<String> last = queue(r -> {
            r.tenants().upsertTenant(tenant("last"));
            return "last";
        }, 4);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo("last");
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).cause().isSameAs(refusal);
        assertThatThrownBy(() -> sqlError.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(org.jdbi.v3.core.JdbiException.class)
                .hasMessageContaining("no_such_table");
        assertThat(keys()).contains("first", "last").doesNotContain("refused", "sql-error");
        assertThat(store.commits() - commitsBefore).as("the gate, then all four in one transaction").isEqualTo(2);
    }

    @Test
    void journalRowsOfARefusedOrRolledBackWorkVanishWithItAndTheSequenceStaysGapFree() throws Exception {
        Future<?> gate = holdTheWriter();
        Future<String> first = queue(r -> {
            r.journal().append(change("first"));
            return "first";
        }, 1);
        Future<String> refused = queue(r -> {
            r.journal().append(change("refused"));
            throw new DirectoryException(Reason.ADDRESS_TAKEN, "taken");
        }, 2);
        // An entry the table would refuse (no object id) is refused when appended, inside its own work: the
        // numbering at the end of the batch, which every work shares, never meets it.
        Future<String> brokenJournal = queue(r -> {
            r.journal().append(change(null));
            return "broken";
        }, 3);
        Future<String> last = queue(r -> {
            r.journal().append(change("last"));
            return "last";
        }, 4);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo("last");
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> brokenJournal.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object id");

        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 100));
        assertThat(journal).extracting(Change.Entry::seq).containsExactly(1L, 2L);
        assertThat(journal).extracting(e -> e.change().objectId()).containsExactly("first", "last");
        assertThat(store.<Long>read(r -> r.journal().lastSeq())).isEqualTo(2L);
    }

    @Test
    void aResetInTheMiddleOfABatchTakesTheEntriesAndRowsOfTheWorksBeforeItWithTheOldWorld() throws Exception {
        putTenant("old");
        Future<?> gate = holdTheWriter();
        Future<Boolean> before = queue(r -> {
            r.journal().append(change("before-reset"));
            return r.tenants().tenant("old").isPresent(); // remembered by the transaction from here on
        }, 1);
        Future<?> reset = callers.submit(() -> {
            store.makeDisposable();
            return null;
        });
        awaitTrue(() -> store.queuedWrites() == 2);
        Future<Boolean> after = queue(r -> {
            r.journal().append(change("after-reset"));
            return r.tenants().tenant("old").isPresent();
        }, 3);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(before.get(30, TimeUnit.SECONDS)).isTrue();
        reset.get(30, TimeUnit.SECONDS);
        assertThat(after.get(30, TimeUnit.SECONDS)).as("the tenant went with the old world").isFalse();
        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 100));
        assertThat(journal).extracting(e -> e.change().objectId()).containsExactly("after-reset");
    }

    @Test
    void aCounterRememberedInTheBatchIsForgottenWithTheWorkThatMovedItAndThenRolledBack() throws Exception {
        putTenant("acme");
        Future<?> gate = holdTheWriter();
        Future<Integer> created = queue(r -> {
            r.mailGroups().insert(group("g1"), 1);
            return r.mailGroups().count("acme");
        }, 1);
        Future<Integer> rolledBack = queue(r -> {
            r.mailGroups().insert(group("g2"), 1);
            int seen = r.mailGroups().count("acme");
            throw new DirectoryException(Reason.ADDRESS_TAKEN, "after " + seen);
        }, 2);
        Future<Integer> after = queue(r -> r.mailGroups().count("acme"), 3);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(created.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> rolledBack.get(30, TimeUnit.SECONDS)).cause().hasMessage("after 2");
        assertThat(after.get(30, TimeUnit.SECONDS)).as("the rolled-back group is not counted").isEqualTo(1);
        assertThat(store.<Integer>read(r -> r.mailGroups().count("acme"))).isEqualTo(1);
    }

    private static mailroom.directory.mailgroup.MailGroup group(String id) {
        return new mailroom.directory.mailgroup.MailGroup(id, "acme", id + "@acme.test", id, "",
                mailroom.directory.mailgroup.WhoCanSend.ANYONE, 0, false, false);
    }

    @Test
    void aWorkThatReadsTheJournalsPositionSeesTheEntriesOfTheWorksBeforeItEvenWhenItIsThenRolledBack() throws Exception {
        Future<?> gate = holdTheWriter();
        Future<String> first = queue(r -> {
            r.journal().append(change("first"));
            r.journal().append(change("first-again"));
            return "first";
        }, 1);
        // Reads the position (numbering the two entries before it, inside its savepoint), then is refused: the
        // two entries must be numbered again at the end, not lost with the savepoint.
        Future<Long> readsThenRefused = queue(r -> {
            long position = r.journal().lastSeq();
            r.journal().append(change("refused"));
            throw new DirectoryException(Reason.ADDRESS_TAKEN, "at " + position);
        }, 2);
        Future<Long> reads = queue(r -> {
            long position = r.journal().lastSeq();
            r.journal().append(change("reads"));
            return position;
        }, 3);
        Future<String> last = queue(r -> {
            r.journal().append(change("last"));
            return "last";
        }, 4);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThatThrownBy(() -> readsThenRefused.get(30, TimeUnit.SECONDS)).cause().hasMessage("at 2");
        assertThat(reads.get(30, TimeUnit.SECONDS)).as("the position after the two entries before it").isEqualTo(2L);
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo("last");

        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 100));
        assertThat(journal).extracting(Change.Entry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(journal).extracting(e -> e.change().objectId()).containsExactly("first", "first-again", "reads", "last");
    }

    private static Change change(String objectId) {
        return new Change(new Caller("acme", Caller.ActorKind.OPERATOR, "test", null), 1, Change.ObjectKind.TENANT,
                objectId, Change.Op.CREATE, null, java.util.Map.of("key", "value"));
    }

    @Test
    void anErrorThrownByAWorkReachesItsCallerAndTheWriterGoesOn() {
        StackOverflowError error = new StackOverflowError("deep");
        assertThatThrownBy(() -> store.write(r -> {
            r.tenants().upsertTenant(tenant("lost"));
            throw error;
        })).isSameAs(error);
        store.write(r -> {
            r.tenants().upsertTenant(tenant("after"));
            return null;
        });
        assertThat(keys()).containsExactly("after");
    }

    @Test
    void aCommitThatFailsFailsEveryWriteOfItsBatchAndKeepsNoneOfThem() throws Exception {
        // A deferred foreign key is only checked at COMMIT: the one way to make a real commit fail on demand.
        store.write(r -> {
            sql(r).execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            sql(r).execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
            return null;
        });
        Future<?> gate = holdTheWriter();
        Future<String> innocent = queue(r -> {
            r.tenants().upsertTenant(tenant("innocent"));
            return "innocent";
        }, 1);
        Future<String> orphan = queue(r -> {
            sql(r).execute("INSERT INTO child (parent_id) VALUES (42)");
            return "orphan";
        }, 2);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);

        for (Future<String> f : List.of(innocent, orphan)) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).rootCause().hasMessageContaining("FOREIGN KEY");
        }
        assertThat(keys()).doesNotContain("innocent");
        assertThat(store.<Integer>read(r -> sql(r).createQuery("SELECT count(*) FROM child").mapTo(Integer.class).one()))
                .isZero();
        assertThat(store.<String>write(r -> {
            r.tenants().upsertTenant(tenant("next"));
            return "next";
        })).as("the writer survives a failed commit").isEqualTo("next");
        assertThat(keys()).contains("next");
    }

    @Test
    void anAcknowledgedWriteSurvivesClosingAndReopeningTheStore() {
        store.write(r -> {
            r.tenants().upsertTenant(tenant("durable"));
            return null;
        });
        store.close();
        store = SqlStore.openSqlite(dir);
        assertThat(keys()).containsExactly("durable");
    }

    @Test
    void closingLetsQueuedWritesCommitAndAnswerThenRefusesNewOnes() throws Exception {
        Future<?> gate = holdTheWriter();
        Future<String> queued = queue(r -> {
            r.tenants().upsertTenant(tenant("queued"));
            return "queued";
        }, 1);
        Thread closer = Thread.ofPlatform().start(store::close);
        awaitTrue(() -> closer.getState() == Thread.State.TIMED_WAITING); // closed, waiting for the writer
        assertThatThrownBy(() -> store.write(r -> "too late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo("queued");
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();

        store = SqlStore.openSqlite(dir);
        assertThat(keys()).containsExactly("queued");
    }

    @Test
    void aWriteAfterCloseFailsClearly() {
        store.close();
        assertThatThrownBy(() -> store.write(r -> "too late"))
                .isInstanceOf(IllegalStateException.class).hasMessage("the directory store is closed; no more writes");
    }

    @Test
    void aWriteInsideAWriteFailsAtOnceInsteadOfWaitingForItself() {
        assertThatThrownBy(() -> store.write(outer -> store.write(inner -> "nested")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a store write");
    }

    @Test
    void writeTenantStillWorksOnSqliteWhereTheTenantLockIsANoOp() {
        putTenant("acme");
        assertThat(store.<String>writeTenant("acme", r -> r.tenants().tenant("acme").orElseThrow().name())).isEqualTo("acme");
    }

    @Test
    void limitsStayExactInsideABatchThatRemembersItsTenantAndCounter() throws Exception {
        store.write(WriterGates::createLimitedTenant);
        WriterGates.limitsStayExactInOneBatch(store, gateOpen, holdTheWriter(), this::queue);
    }

    /** Holds the writer thread in a write until {@link #gateOpen}; returns once it runs. */
    private Future<?> holdTheWriter() throws InterruptedException {
        return WriterGates.holdTheWriter(callers, gateOpen, work -> store.write(work));
    }

    /** Queues a write from another thread and waits until it is the {@code position}-th one waiting. */
    private <T> Future<T> queue(Function<Records, T> work, int position) {
        Future<T> answer = callers.submit(() -> store.write(r -> work.apply(r)));
        awaitTrue(() -> store.queuedWrites() == position);
        return answer;
    }

    private List<String> keys() {
        return store.read(r -> r.tenants().allTenants().stream().map(Tenant::key).sorted().toList());
    }

    private void putTenant(String key) {
        store.write(r -> {
            r.tenants().upsertTenant(tenant(key));
            return null;
        });
    }

    private static Tenant tenant(String key) {
        return new Tenant(key, key, GeoPolicy.NONE, Limits.DEFAULTS, null, 1, 1);
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i);
        return out;
    }
}
