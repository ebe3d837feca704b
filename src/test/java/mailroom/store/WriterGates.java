package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import org.jdbi.v3.core.Handle;

/**
 * What the group-commit tests share: a "gate" write that holds the writer thread until the test opens it, so
 * the writes queued meanwhile are known to share the next transaction, and a wait for a condition.
 */
final class WriterGates {
    private WriterGates() {}

    /** Starts {@code write} of a work that blocks the writer thread until {@code open}; returns once it runs. */
    static Future<?> holdTheWriter(ExecutorService callers, CountDownLatch open,
                                   Function<Function<Records, Object>, Object> write) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Future<?> gate = callers.submit(() -> write.apply(r -> {
            running.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        return gate;
    }

    static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 30 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The transaction's handle behind the records a work is given. */
    static Handle sql(Records r) {
        return ((SqlRecords) r).handle();
    }

    /** Queues one write of the tenant "lim" behind the gate, as the {@code position}-th waiting. */
    interface Queue {
        <T> Future<T> queue(Function<Records, T> work, int position);
    }

    /** The tenant of {@link #limitsStayExactInOneBatch}: room for three mail groups, on lim.test. */
    static Object createLimitedTenant(Records r) {
        r.tenants().upsertTenant(limited(3));
        r.tenants().upsertDomain(new Domain("lim-domain", "lim", "lim.test", 1, 1));
        return null;
    }

    /**
     * Seven writes in one batch (the gate held, then opened here): mail groups created by the directory's own rule
     * up to the limit, one rolled back after its create, the limit raised by one, one more allowed and the next
     * refused. Asserts each answer, that all seven shared one transaction, and what is stored.
     */
    static void limitsStayExactInOneBatch(SqlStore store, CountDownLatch gateOpen, Future<?> gate, Queue q) throws Exception {
        long commitsBefore = store.commits();
        List<Future<String>> answers = new ArrayList<>();
        answers.add(q.queue(r -> create(r, "a"), 1));
        answers.add(q.queue(r -> {
            create(r, "b");
            throw new DirectoryException(Reason.ADDRESS_TAKEN, "rolled back after its create");
        }, 2));
        answers.add(q.queue(r -> create(r, "c"), 3));
        answers.add(q.queue(r -> create(r, "d"), 4));
        answers.add(q.queue(r -> {
            r.tenants().upsertTenant(limited(4));
            return "limit 4";
        }, 5));
        answers.add(q.queue(r -> create(r, "e"), 6));
        answers.add(q.queue(r -> create(r, "f"), 7));
        gateOpen.countDown();
        gate.get(30, TimeUnit.SECONDS);
        List<String> outcomes = new ArrayList<>();
        for (Future<String> a : answers) outcomes.add(outcome(a));
        assertThat(outcomes).containsExactly("a", "ADDRESS_TAKEN", "c", "d", "limit 4", "e", "MAIL_GROUP_LIMIT_REACHED");
        assertThat(store.commits() - commitsBefore).as("the gate, then all seven in one transaction").isEqualTo(2);
        assertThat(store.<List<String>>read(r -> sql(r).createQuery("SELECT name FROM mail_group WHERE tenant_key = 'lim' ORDER BY name")
                .mapTo(String.class).list())).containsExactly("a", "c", "d", "e");
        assertThat(store.<Integer>read(r -> r.mailGroups().count("lim"))).isEqualTo(4);
    }

    /** A write's answer, or the reason it was refused. */
    static String outcome(Future<String> answer) throws InterruptedException {
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof DirectoryException d ? d.reason().name() : e.getCause().toString();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Creates mail group {@code name}@lim.test by the directory's own rule, in the work's transaction; answers its name. */
    static String create(Records r, String name) {
        Caller caller = new Caller("lim", Caller.ActorKind.OPERATOR, "test", null);
        return MailGroups.create(r, caller, Tenants.require(r, "lim"),
                new MailGroups.Fields(name + "@lim.test", name, "", WhoCanSend.ANYONE), 1).name();
    }

    private static Tenant limited(int mailGroups) {
        Limits d = Limits.DEFAULTS;
        return new Tenant("lim", "Limited", GeoPolicy.NONE, new Limits(d.publicMailboxes(), mailGroups, d.mailGroupMembers(),
                d.aliasesPerAddress(), d.publicMailboxesPerUser(), d.userMailboxes()), null, 1, 1);
    }
}
