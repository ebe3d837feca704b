package mailroom.store;

import static mailroom.store.WriterGates.awaitTrue;
import static mailroom.store.WriterGates.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Records;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.testing.TestServers;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on the embedded PostgreSQL: writes of tenants' data share transactions, their batch takes the
 * tenant locks first and in order, so two nodes on one database writing across tenants neither deadlock nor
 * lose a write, and a deadlock's victim runs again instead of failing. A "gate" write holds the writer thread
 * while the test queues more behind it, so which writes share a transaction is known.
 */
class PostgresGroupCommitTest {
    private static final List<String> TENANTS = List.of("t0", "t1", "t2", "t3");

    private String url;
    private SqlStore store;
    private final List<SqlStore> others = new ArrayList<>();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch gateOpen = new CountDownLatch(1);

    @BeforeEach
    void open() {
        url = TestServers.newPostgresDatabase();
        store = SqlStore.openPostgres(url);
        store.write(r -> {
            for (String key : TENANTS) r.tenants().upsertTenant(new Tenant(key, key, GeoPolicy.NONE, Limits.DEFAULTS, null, 1, 1));
            sql(r).execute("CREATE TABLE tally (tenant_key TEXT PRIMARY KEY, n INTEGER NOT NULL)");
            for (String key : TENANTS) sql(r).execute("INSERT INTO tally VALUES (?, 0)", key);
            return null;
        });
    }

    @AfterEach
    void close() {
        gateOpen.countDown();
        callers.shutdownNow();
        others.forEach(SqlStore::close);
        store.close();
    }

    @Test
    void writesOfTenantsShareTransactionsAndEachSeesTheOnesBefore() throws Exception {
        Future<?> gate = holdTheWriter();
        long commitsBefore = store.commits();
        int writes = 100;
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            String key = TENANTS.get(i % TENANTS.size());
            answers.add(callers.submit(() -> store.writeTenant(key, r -> bump(r, key))));
        }
        awaitTrue(() -> store.queuedWrites() == writes);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);

        List<Integer> seen = new ArrayList<>();
        for (Future<Integer> a : answers) seen.add(a.get(30, TimeUnit.SECONDS));
        // One after another: per tenant, each work saw exactly the bumps of the works that ran before it.
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < writes / TENANTS.size(); i++) for (int t = 0; t < TENANTS.size(); t++) expected.add(i);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tallies(store)).isEqualTo(Map.of("t0", 25, "t1", 25, "t2", 25, "t3", 25));
        int batches = (writes + GroupCommit.MAX_BATCH - 1) / GroupCommit.MAX_BATCH;
        assertThat(store.commits() - commitsBefore).isEqualTo(1 + batches).isLessThan(writes);
        // The journal: one entry per write, numbered without a gap.
        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 1000));
        assertThat(journal).hasSize(writes);
        assertThat(journal.get(writes - 1).seq() - journal.get(0).seq()).isEqualTo(writes - 1);
    }

    @Test
    void twoNodesWritingAcrossTenantsAtOnceNeitherDeadlockNorLoseAWrite() throws Exception {
        SqlStore second = SqlStore.openPostgres(url);
        others.add(second);
        int perNode = 400;
        List<Future<Integer>> answers = new ArrayList<>();
        for (SqlStore node : List.of(store, second)) {
            for (int i = 0; i < perNode; i++) {
                // Random tenants in random order on each node: batches of both nodes hold several tenants at once.
                String key = TENANTS.get(ThreadLocalRandom.current().nextInt(TENANTS.size()));
                answers.add(callers.submit(() -> node.writeTenant(key, r -> bump(r, key))));
            }
        }
        for (Future<Integer> a : answers) a.get(120, TimeUnit.SECONDS);
        assertThat(store.deadlockVictims() + second.deadlockVictims()).as("deadlocks PostgreSQL had to break").isZero();
        Map<String, Integer> tallies = tallies(store);
        assertThat(tallies.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * perNode);
        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 10_000));
        assertThat(journal).hasSize(2 * perNode);
        assertThat(journal).extracting(Change.Entry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(journal.get(journal.size() - 1).seq() - journal.get(0).seq()).isEqualTo(2 * perNode - 1);
        for (String key : TENANTS) {
            assertThat(journal.stream().filter(e -> e.change().objectId().equals(key)).count())
                    .as("journal entries of " + key).isEqualTo(tallies.get(key).longValue());
        }
    }

    @Test
    void aDeadlockVictimRunsAgainInTheNextTransactionWhileItsBatchMatesCommit() throws Exception {
        Future<?> gate = holdTheWriter();
        long commitsBefore = store.commits();
        AtomicInteger attempts = new AtomicInteger();
        Future<Integer> first = queue("t0", r -> bump(r, "t0"), 1);
        Future<Integer> victim = queue("t1", r -> {
            int n = bump(r, "t1");
            if (attempts.incrementAndGet() == 1) throw deadlock();
            return n;
        }, 2);
        Future<Integer> last = queue("t2", r -> bump(r, "t2"), 3);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);

        assertThat(first.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(last.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(victim.get(30, TimeUnit.SECONDS)).as("its first bump was rolled back with its savepoint").isZero();
        assertThat(attempts).hasValue(2);
        assertThat(store.deadlockVictims()).isEqualTo(1);
        assertThat(tallies(store)).isEqualTo(Map.of("t0", 1, "t1", 1, "t2", 1, "t3", 0));
        assertThat(store.commits() - commitsBefore).as("the gate, the three, then the victim again").isEqualTo(3);
    }

    @Test
    void aWorkThatKeepsDeadlockingGetsTheErrorAfterItsRetriesAndLeavesNoTrace() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> store.writeTenant("t0", r -> {
            bump(r, "t0");
            attempts.incrementAndGet();
            throw deadlock();
        })).isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("deadlock detected");
        assertThat(attempts).hasValue(1 + GroupCommit.DEADLOCK_RETRIES);
        assertThat(tallies(store).get("t0")).isZero();
    }

    @Test
    void aWorkMayLockOnlyTheTenantItsBatchLocked() {
        assertThatThrownBy(() -> store.writeTenant("t0", r -> {
            r.lockTenant("t1");
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessage("tenant t1 was not locked with the batch of its write");
        assertThat(store.<String>writeTenant("t0", r -> {
            r.lockTenant("t0");
            return "again";
        })).isEqualTo("again");
    }

    @Test
    void aWriteOfNoOneTenantRunsInATransactionOfItsOwnBesideTheWriter() throws Exception {
        Future<?> gate = holdTheWriter();
        long commitsBefore = store.commits();
        // The writer thread is held, yet a plain write goes through: it does not queue for it.
        assertThat(store.<String>write(r -> {
            r.tenants().upsertTenant(new Tenant("plain", "plain", GeoPolicy.NONE, Limits.DEFAULTS, null, 1, 1));
            return "plain";
        })).isEqualTo("plain");
        assertThat(store.commits()).isEqualTo(commitsBefore);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
    }

    /** Adds one to the tenant's tally and journals it; answers the tally before. */
    private static int bump(Records r, String key) {
        int before = sql(r).createQuery("SELECT n FROM tally WHERE tenant_key = :k").bind("k", key).mapTo(Integer.class).one();
        sql(r).execute("UPDATE tally SET n = n + 1 WHERE tenant_key = ?", key);
        r.journal().append(new Change(new Caller(key, Caller.ActorKind.OPERATOR, "test", null), 1, Change.ObjectKind.TENANT,
                key, Change.Op.UPDATE, null, Map.of("n", before + 1)));
        return before;
    }

    private static UnableToExecuteStatementException deadlock() {
        return new UnableToExecuteStatementException(new SQLException("ERROR: deadlock detected", "40P01"), null);
    }

    private static Map<String, Integer> tallies(SqlStore s) {
        return s.read(r -> {
            Map<String, Integer> out = new java.util.TreeMap<>();
            sql(r).createQuery("SELECT tenant_key, n FROM tally").map((rs, c) -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    @Test
    void limitsStayExactInsideABatchThatRemembersItsTenantAndCounter() throws Exception {
        store.write(WriterGates::createLimitedTenant);
        WriterGates.limitsStayExactInOneBatch(store, gateOpen, holdTheWriter(), this::queueOfLim);
    }

    @Test
    void addingWritesOfOneTenantShareItsLockInOneBatchAndStillStopExactlyAtItsLimit() throws Exception {
        store.write(WriterGates::createLimitedTenant); // room for three mail groups
        Future<?> gate = holdTheWriter();
        long sharedBefore = store.sharedLocks();
        long commitsBefore = store.commits();
        List<Future<String>> answers = new ArrayList<>();
        answers.add(queueAdding(r -> WriterGates.create(r, "a"), 1));
        answers.add(queueAdding(r -> {
            WriterGates.create(r, "b");
            throw new mailroom.directory.DirectoryException(mailroom.directory.Reason.ADDRESS_TAKEN, "rolled back after its create");
        }, 2));
        answers.add(queueAdding(r -> WriterGates.create(r, "c"), 3));
        answers.add(queueAdding(r -> WriterGates.create(r, "d"), 4));
        answers.add(queueAdding(r -> WriterGates.create(r, "e"), 5));
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        List<String> outcomes = new ArrayList<>();
        for (Future<String> a : answers) outcomes.add(WriterGates.outcome(a));
        // b's one was taken back with its savepoint: c and d still fit, e does not.
        assertThat(outcomes).containsExactly("a", "ADDRESS_TAKEN", "c", "d", "MAIL_GROUP_LIMIT_REACHED");
        assertThat(store.commits() - commitsBefore).as("the gate, then the five in one transaction").isEqualTo(2);
        assertThat(store.sharedLocks() - sharedBefore).as("lim locked shared, once").isEqualTo(1);
        assertThat(store.countRaces()).isZero();
        assertThat(groupsOfLim()).containsExactly("a", "c", "d");
        assertThat(counterOfLim()).isEqualTo(3);
    }

    @Test
    void anAddingWriteBesideAnotherWriteOfItsTenantInOneBatchLocksItExclusively() throws Exception {
        store.write(WriterGates::createLimitedTenant);
        Future<?> gate = holdTheWriter();
        long sharedBefore = store.sharedLocks();
        Future<String> adding = queueAdding(r -> WriterGates.create(r, "a"), 1);
        Future<String> other = queue("lim", r -> WriterGates.create(r, "b"), 2);
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        assertThat(WriterGates.outcome(adding)).isEqualTo("a");
        assertThat(WriterGates.outcome(other)).isEqualTo("b");
        assertThat(store.sharedLocks() - sharedBefore).isZero();
        assertThat(counterOfLim()).isEqualTo(2);
    }

    @Test
    void addingWritesOnTwoNodesRunBesideEachOtherAndACountThatMovedMeanwhileSendsTheBatchRoundAgainExclusively() throws Exception {
        SqlStore second = limitedTenantAndASecondNode();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Future<String> first = callers.submit(() -> store.addToTenant("lim", r -> {
            int attempt = attempts.incrementAndGet();
            String name = WriterGates.create(r, "a"); // room: 0 of 3 committed (the first time)
            if (attempt == 1) {
                checked.countDown();
                awaitQuietly(release);
            }
            return name;
        }));
        assertThat(checked.await(30, TimeUnit.SECONDS)).isTrue();
        // Node 1's batch holds lim shared and waits: node 2's adding writes of lim pass beside it and fill the limit.
        for (String name : List.of("b", "c", "d")) {
            assertThat(callers.submit(() -> second.addToTenant("lim", r -> WriterGates.create(r, name))).get(30, TimeUnit.SECONDS))
                    .isEqualTo(name);
        }
        release.countDown();
        // Node 1's count no longer holds as it settles (3 + its 1 > 3): rolled back unanswered, run again exclusively.
        assertThat(WriterGates.outcome(first)).isEqualTo("MAIL_GROUP_LIMIT_REACHED");
        assertThat(attempts).hasValue(2);
        assertThat(store.countRaces()).isEqualTo(1);
        assertThat(second.sharedLocks()).isEqualTo(3);
        assertThat(second.countRaces()).isZero();
        assertThat(groupsOfLim()).containsExactly("b", "c", "d");
        assertThat(counterOfLim()).isEqualTo(3);
        List<Change.Entry> journal = store.read(r -> r.journal().after(0, 1000));
        assertThat(journal).filteredOn(e -> e.change().objectKind() == Change.ObjectKind.MAIL_GROUP).hasSize(3);
    }

    @Test
    void addingWritesRacingOnTwoNodesStopExactlyAtTheTenantsLimit() throws Exception {
        SqlStore second = limitedTenantAndASecondNode();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            SqlStore node = i % 2 == 0 ? store : second;
            String name = "g" + i;
            answers.add(callers.submit(() -> {
                go.await();
                return node.addToTenant("lim", r -> WriterGates.create(r, name));
            }));
        }
        go.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> a : answers) outcomes.add(WriterGates.outcome(a));
        assertThat(outcomes).filteredOn(o -> o.startsWith("g")).hasSize(3);
        assertThat(outcomes).filteredOn(o -> !o.startsWith("g")).containsOnly("MAIL_GROUP_LIMIT_REACHED").hasSize(29);
        assertThat(groupsOfLim()).hasSize(3).isSubsetOf(outcomes);
        assertThat(counterOfLim()).isEqualTo(3);
        assertThat(store.deadlockVictims() + second.deadlockVictims()).isZero();
    }

    @Test
    void anAddingWriteReadsNoCountButItsTenantsOwn() {
        store.write(WriterGates::createLimitedTenant);
        assertThatThrownBy(() -> store.addToTenant("lim", r -> r.mailGroups().countMembers(
                mailroom.directory.mailgroup.MemberList.MEMBERS, "some-group")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("an adding write reads no count but its tenant's own, through a room check: GROUP_MEMBERS of some-group");
    }

    /** The tenant lim with room for three mail groups, and a second node on the same database. */
    private SqlStore limitedTenantAndASecondNode() {
        store.write(WriterGates::createLimitedTenant);
        SqlStore second = SqlStore.openPostgres(url);
        others.add(second);
        return second;
    }

    private List<String> groupsOfLim() {
        return store.read(r -> sql(r).createQuery("SELECT name FROM mail_group WHERE tenant_key = 'lim' ORDER BY name")
                .mapTo(String.class).list());
    }

    /** The stored counter of lim's mail groups, and that it equals their rows. */
    private long counterOfLim() {
        long counter = store.read(r -> sql(r).createQuery(
                "SELECT value FROM usage_counter WHERE counted = 'TENANT_MAIL_GROUPS' AND scope_id = 'lim'").mapTo(Long.class).one());
        assertThat(counter).as("the counter against its rows").isEqualTo(groupsOfLim().size());
        return counter;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues an adding write of lim ({@code addToTenant}) and waits until it is the {@code position}-th one waiting. */
    private <T> Future<T> queueAdding(Function<Records, T> work, int position) {
        Future<T> answer = callers.submit(() -> store.addToTenant("lim", work));
        awaitTrue(() -> store.queuedWrites() == position);
        return answer;
    }

    private <T> Future<T> queueOfLim(Function<Records, T> work, int position) {
        return queue("lim", work, position);
    }

    /** Holds the writer thread in a write until {@link #gateOpen}; returns once it runs. */
    private Future<?> holdTheWriter() throws InterruptedException {
        return WriterGates.holdTheWriter(callers, gateOpen, work -> store.writeTenant("t3", work));
    }

    /** Queues a write of {@code key}'s data and waits until it is the {@code position}-th one waiting. */
    private <T> Future<T> queue(String key, Function<Records, T> work, int position) {
        Future<T> answer = callers.submit(() -> store.writeTenant(key, work));
        awaitTrue(() -> store.queuedWrites() == position);
        return answer;
    }
}
