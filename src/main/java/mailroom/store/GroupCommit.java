package mailroom.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Records;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit (ADR 0001, ADR 0027): every durable commit costs an fsync, so one writer thread runs the works
 * that queued up meanwhile in ONE transaction, each inside its own savepoint (a refusal rolls back only its own
 * part), commits once, and only then answers their callers. The works run one after another, so the outcome is
 * the one they would have had in separate transactions.
 *
 * <p>On PostgreSQL every work names its tenant, and the batch takes all its tenants' locks first, in key order,
 * before any work runs: a work then takes no tenant lock after a work before it took the journal's counter,
 * so two nodes' batches cannot wait for each other in a cycle. A work that PostgreSQL still picks as a deadlock's
 * victim (two tenants claiming one address at once) is rolled back to its savepoint and run again in the next
 * transaction, like a write that came a little later.
 *
 * <p>The works of a batch share one {@link WriteTransaction} (ADR 0028): the rows its locks guard are read once,
 * and the journal is numbered once, after the last work.
 *
 * <p>A tenant whose works in the batch all only add is locked shared (ADR 0040), so that other nodes' adding batches
 * of it run at the same time; the counts its works checked are settled just before the journal is numbered. Should
 * one no longer hold (another node's adds landed in between), nobody has been answered: the whole batch runs again
 * with every tenant locked exclusively, where no count can move under it.
 */
final class GroupCommit implements AutoCloseable {
    /** Most works per transaction: bounds how long the first caller of a batch waits for the last. */
    static final int MAX_BATCH = 64;
    private static final String SAVEPOINT = "mailroom_work";
    private static final Pending<?> STOP = new Pending<>(null, false, r -> null, kinds -> { });
    /** Times a work chosen as a deadlock's victim runs again before its caller gets the error. */
    static final int DEADLOCK_RETRIES = 3;

    private final Jdbi writer;
    private final Dialect dialect;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /** Makes "not closed yet" and "queued" one step, so nothing is queued behind STOP and left waiting. */
    private final ReentrantLock admission = new ReentrantLock();
    private boolean closed;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong deadlockVictims = new AtomicLong();
    private final AtomicLong sharedLocks = new AtomicLong();
    private final AtomicLong countRaces = new AtomicLong();
    private final Thread thread;

    GroupCommit(Jdbi writer, Dialect dialect) {
        this.writer = writer;
        this.dialect = dialect;
        // A platform thread: it spends its time in native SQLite calls, fsync or socket reads, which would pin a carrier.
        String name = "mailroom-" + dialect.name().toLowerCase(java.util.Locale.ROOT) + "-writer";
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Runs {@code work} in the next batch; returns its result, or throws its exception, once durable. */
    <T> T write(Function<Records, T> work) {
        return write(null, work, kinds -> { });
    }

    /**
     * As {@link #write(Function)} for a work of {@code tenantKey}'s data (null: of no one tenant; SQLite only),
     * telling {@code journalled} (on the writer thread) which kinds of objects it changed.
     */
    <T> T write(String tenantKey, Function<Records, T> work, Consumer<Set<ObjectKind>> journalled) {
        return write(tenantKey, false, work, journalled);
    }

    /**
     * As {@link #write(String, Function, Consumer)}; {@code adding}: the work only adds to its tenant
     * ({@code DirectoryStore.addToTenant}), so on PostgreSQL its tenant may be locked shared.
     */
    <T> T write(String tenantKey, boolean adding, Function<Records, T> work, Consumer<Set<ObjectKind>> journalled) {
        if (tenantKey == null && dialect == Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("a batched PostgreSQL write must name its tenant, whose lock the batch takes");
        }
        if (Thread.currentThread() == thread) {
            // The caller's batch cannot commit before this write does: it would wait for itself forever.
            throw new IllegalStateException("a store write inside a store write; use the Records at hand");
        }
        Pending<T> pending = new Pending<>(tenantKey, adding, work, journalled);
        admission.lock();
        try {
            if (closed) throw new IllegalStateException("the directory store is closed; no more writes");
            queue.add(pending);
        } finally {
            admission.unlock();
        }
        return pending.await();
    }

    /** Transactions committed so far (each one fsync); fewer than writes when batching happened. */
    long commits() {
        return commits.get();
    }

    /** Works run again so far because PostgreSQL chose them as a deadlock's victim. */
    long deadlockVictims() {
        return deadlockVictims.get();
    }

    /** Tenants locked shared so far, once per batch each (ADR 0040). */
    long sharedLocks() {
        return sharedLocks.get();
    }

    /** Batches run again with exclusive locks because a count their adding works checked had moved meanwhile. */
    long countRaces() {
        return countRaces.get();
    }

    /** Works queued and not yet taken by the writer thread. */
    int queued() {
        return queue.size();
    }

    /** Stops accepting writes, lets the writer finish every write already queued, and waits for it. */
    @Override
    public void close() {
        admission.lock();
        try {
            if (!closed) {
                closed = true;
                queue.add(STOP); // the last element: admission refuses everything after it
            }
        } finally {
            admission.unlock();
        }
        if (Thread.currentThread() == thread) return;
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                Pending<?> first;
                try {
                    first = queue.take();
                } catch (InterruptedException e) {
                    continue; // only close() ends this thread, through STOP, so that no queued write is lost
                }
                if (first == STOP) return;
                batch.add(first);
                boolean stop = false;
                while (batch.size() < MAX_BATCH) {
                    Pending<?> next = queue.poll();
                    if (next == null) break;
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    batch.add(next);
                }
                runBatch(batch);
                batch.clear();
                if (stop) return;
            }
        } catch (Throwable unexpected) {
            // Should not happen (runBatch answers every work); never leave a caller waiting forever.
            IllegalStateException gone = new IllegalStateException("the SQLite writer stopped", unexpected);
            admission.lock();
            try {
                closed = true;
            } finally {
                admission.unlock();
            }
            for (Pending<?> p : batch) p.fail(gone);
            for (Pending<?> p; (p = queue.poll()) != null; ) p.fail(gone);
            throw unexpected;
        }
    }

    /**
     * One transaction for the works of {@code batch} (and, if it breaks after some ran, another for the
     * rest). Every work is answered exactly once, and only after its fate is final.
     */
    private void runBatch(List<Pending<?>> batch) {
        List<Pending<?>> rest = batch;
        int numberingDeadlocks = 0;
        boolean exclusive = false; // every tenant locked exclusively, after a count race
        while (!rest.isEmpty()) {
            int[] ran = {0}; // works started in this transaction
            boolean[] atEnd = {false}; // the works ran; the batch is settling its counters or numbering its journal
            List<Pending<?>> works = rest;
            boolean exclusiveNow = exclusive;
            List<Pending<?>> again = new ArrayList<>(); // deadlock victims, for the next transaction
            try {
                writer.useTransaction(handle -> {
                    WriteTransaction tx = begin(handle, works, exclusiveNow);
                    if (works.size() == 1) {
                        // Alone, a work needs no savepoint (which costs SQLite a sub-journal for every page it
                        // changes): its refusal rolls back the whole transaction, as before group commit.
                        ran[0] = 1;
                        runAlone(tx, works.get(0));
                    } else {
                        boolean open = false; // a savepoint of an earlier work is still open
                        for (Pending<?> p : works) {
                            ran[0]++;
                            if (!runInSavepoint(tx, p, open)) again.add(p);
                            open = true;
                        }
                    }
                    // The batch's end: counters of tenants locked shared, then the journal's, in this one order on
                    // every node; a lock cycle lost here (should one close) sends the whole batch round again.
                    atEnd[0] = true;
                    if (!tx.settleCounters()) throw new CountRace();
                    // The works' journal entries, numbered together: the counter row is locked only from here on.
                    tx.numberJournal();
                });
                commits.incrementAndGet();
                for (Pending<?> p : works) if (!again.contains(p)) p.publish();
                rest = again;
            } catch (Throwable broken) {
                if (broken instanceof CountRace && !exclusiveNow) {
                    // Rolled back whole, nobody answered: run the batch again where no count can move under it.
                    exclusive = true;
                    countRaces.incrementAndGet();
                    for (Pending<?> p : works) p.forgetOutcome();
                    continue;
                }
                // A lone work was refused, the commit failed, or the transaction could not be opened or
                // broke under a savepoint: nothing of it is durable. Works that ran are answered with that failure (a refused
                // work keeps its own exception, which is still true); works that did not run yet get
                // their own transaction, unless nothing ran at all (then the database is not usable).
                if (works.size() == 1 && ran[0] == 1 && works.get(0).retryAfterDeadlock(broken, deadlockVictims)) continue;
                if (works.size() > 1 && atEnd[0] && deadlocked(broken) && numberingDeadlocks < DEADLOCK_RETRIES) {
                    // The batch's end lost a lock cycle: a work of this batch (or another node's) had taken the journal's
                    // counter early to read its position. Nobody was answered; the whole batch runs again.
                    numberingDeadlocks++;
                    deadlockVictims.incrementAndGet();
                    for (Pending<?> p : works) p.forgetOutcome();
                    continue;
                }
                for (Pending<?> p : works.subList(0, ran[0])) p.failUnlessRefused(broken);
                if (ran[0] == 0) {
                    for (Pending<?> p : works) p.fail(broken);
                    return;
                }
                rest = works.subList(ran[0], works.size());
            }
        }
    }

    /**
     * The batch's transaction. On PostgreSQL it first locks the tenants of the batch's works in key order,
     * before any of them runs, and keeps their rows; SQLite's one writer needs no lock.
     */
    private WriteTransaction begin(Handle handle, List<Pending<?>> works, boolean exclusive) {
        if (dialect != Dialect.POSTGRESQL) return new WriteTransaction(handle, dialect, null);
        Map<String, Boolean> adding = new TreeMap<>(); // tenant → whether all its works of the batch only add
        for (Pending<?> p : works) adding.merge(p.tenantKey, p.adding && !exclusive, Boolean::logicalAnd);
        Set<String> shared = new TreeSet<>();
        adding.forEach((key, onlyAdds) -> {
            if (onlyAdds) shared.add(key);
        });
        WriteTransaction tx = new WriteTransaction(handle, dialect, adding.keySet(), shared);
        // In key order whatever the mode, so that two nodes' batches cannot wait for each other in a cycle: each run
        // of tenants of one mode in one statement. FOR NO KEY UPDATE as SqlRecords.lockTenant takes it; FOR SHARE
        // lets other sharers in and keeps it out (and inserts' foreign-key checks, FOR KEY SHARE, pass both).
        List<String> run = new ArrayList<>();
        Boolean runShared = null;
        for (Map.Entry<String, Boolean> e : adding.entrySet()) {
            if (runShared != null && runShared != e.getValue()) {
                lockTenants(handle, tx, run, runShared);
                run.clear();
            }
            run.add(e.getKey());
            runShared = e.getValue();
        }
        lockTenants(handle, tx, run, runShared);
        sharedLocks.addAndGet(shared.size());
        return tx;
    }

    /** Rows are locked in the order the sort returns them. */
    private static void lockTenants(Handle handle, WriteTransaction tx, List<String> keys, boolean shared) {
        handle.createQuery("SELECT * FROM tenant WHERE tenant_key IN (<keys>) ORDER BY tenant_key "
                        + (shared ? "FOR SHARE" : "FOR NO KEY UPDATE"))
                .bindList("keys", new ArrayList<>(keys)).map((rs, ctx) -> SqlTenantRecords.tenant(rs)).forEach(tx::lockedRow);
    }

    private void runAlone(WriteTransaction tx, Pending<?> p) {
        tx.workStarts(tx.shares(p.tenantKey));
        try {
            p.run(tx);
            tx.workFinished();
        } catch (Throwable refused) {
            if (!deadlocked(refused)) p.refused(refused);
            throw GroupCommit.<RuntimeException>rethrow(refused);
        }
    }

    /**
     * Runs {@code p} in a savepoint; false when it was a deadlock's victim, rolled back to run again. The savepoint
     * of the work before ({@code open}) is released first — on PostgreSQL in the same round trip as the new one.
     * The last one stays open: the commit includes it.
     */
    private boolean runInSavepoint(WriteTransaction tx, Pending<?> p, boolean open) {
        Handle handle = tx.handle();
        if (open && dialect == Dialect.POSTGRESQL) {
            handle.execute("RELEASE " + SAVEPOINT + "; SAVEPOINT " + SAVEPOINT);
        } else {
            if (open) PlainStatement.update(handle, "RELEASE " + SAVEPOINT);
            PlainStatement.update(handle, "SAVEPOINT " + SAVEPOINT);
        }
        tx.workStarts(tx.shares(p.tenantKey));
        boolean done = true;
        try {
            p.run(tx);
            tx.workFinished();
        } catch (Throwable refused) {
            done = !p.retryAfterDeadlock(refused, deadlockVictims);
            if (done) p.refused(refused);
            PlainStatement.update(handle, "ROLLBACK TO " + SAVEPOINT); // undoes this work only; the batch goes on
            tx.workRolledBack();
        }
        return done;
    }

    /** A count an adding work checked passed its limit as the batch settled its counters (another node's adds landed). */
    private static final class CountRace extends RuntimeException {
        CountRace() {
            super("a count checked under a shared tenant lock moved before the commit", null, false, false);
        }
    }

    /** Whether PostgreSQL broke a lock cycle by failing this statement (SQLSTATE 40P01). */
    static boolean deadlocked(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && "40P01".equals(e.getSQLState())) return true;
        }
        return false;
    }

    /** One queued work, its outcome, and the caller waiting for it. */
    private static final class Pending<T> {
        private final String tenantKey;
        private final boolean adding;
        private final Function<Records, T> work;
        private final Consumer<Set<ObjectKind>> journalled;
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private Throwable failure;
        private int deadlocks;

        Pending(String tenantKey, boolean adding, Function<Records, T> work, Consumer<Set<ObjectKind>> journalled) {
            this.tenantKey = tenantKey;
            this.adding = adding;
            this.work = work;
            this.journalled = journalled;
        }

        void run(WriteTransaction tx) {
            result = SqlRecords.write(tx, work, journalled);
        }

        /** Whether {@code t} made this work a deadlock's victim and it may run once more. */
        boolean retryAfterDeadlock(Throwable t, AtomicLong victims) {
            if (!deadlocked(t) || deadlocks >= DEADLOCK_RETRIES) return false;
            deadlocks++;
            victims.incrementAndGet();
            return true;
        }

        void refused(Throwable t) {
            failure = t;
        }

        /** Before the work runs again in a new transaction, its earlier outcome was rolled back. */
        void forgetOutcome() {
            result = null;
            failure = null;
        }

        /** Answers the caller with the outcome the work had (the transaction is committed). */
        void publish() {
            done.countDown();
        }

        void failUnlessRefused(Throwable t) {
            if (failure == null) fail(t);
            else done.countDown();
        }

        /** Answers the caller with {@code t}; a caller already answered keeps its answer. */
        void fail(Throwable t) {
            if (done.getCount() == 0) return;
            failure = t;
            done.countDown();
        }

        /**
         * Waits for the answer. Not interruptible: the work may already be in a transaction that is about
         * to commit, and answering "failed" for a write that then becomes durable would be a lie.
         */
        T await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (failure != null) throw GroupCommit.<RuntimeException>rethrow(failure);
            return result;
        }
    }

    /** Throws {@code t} itself, checked or not, so the caller sees exactly what the work threw. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
