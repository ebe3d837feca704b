package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Racing requests against the count-then-insert limits of public mailboxes: the limit holds exactly. */
class PublicMailboxRacesTest {
    @AutoClose
    private DirectoryStore store;
    private Directory directory;

    private void open(Backend backend) throws Exception {
        store = TestServers.openStore(backend);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
    }

    /** Runs every task at once and answers, per task, null for success or the refusal's reason. */
    private static List<Reason> race(List<Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reason>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        task.call();
                        return null;
                    } catch (DirectoryException e) {
                        return e.reason();
                    }
                }));
            }
            go.countDown();
            List<Reason> out = new ArrayList<>();
            for (Future<Reason> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingCreatesNeverExceedTheTenantQuota(Backend backend) throws Exception {
        open(backend);
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String email = "box" + i + "@tiny.test";
            tasks.add(() -> directory.publicMailboxes().create(as("tiny"), new PublicMailboxes.Fields(email, "", null), true));
        }
        List<Reason> results = race(tasks);
        assertThat(results.stream().filter(r -> r == null).count()).isEqualTo(2);
        assertThat(results.stream().filter(r -> r != null)).containsOnly(Reason.PUBLIC_MAILBOX_LIMIT_REACHED);
        int stored = store.read(r -> r.publicMailboxes().count("tiny"));
        assertThat(stored).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingBindingsNeverExceedTheUsersLimitAndRacingClaimsHaveOneWinner(Backend backend) throws Exception {
        open(backend);
        PublicMailboxes boxes = directory.publicMailboxes();
        String a = boxes.create(as("tiny"), new PublicMailboxes.Fields("a@tiny.test", "", null), true).id();
        String b = boxes.create(as("tiny"), new PublicMailboxes.Fields("b@tiny.test", "", null), true).id();
        UserRef tom = new UserRef(UserIdKind.OPEN_ID, "ou_t100");
        List<Reason> bindings = race(List.of(() -> boxes.addMembers(as("tiny"), a, List.of(tom)),
                () -> boxes.addMembers(as("tiny"), b, List.of(tom))));
        assertThat(bindings).containsExactlyInAnyOrder(null, Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED);

        List<Callable<?>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) claims.add(() -> boxes.create(as("acme"), new PublicMailboxes.Fields("same@acme.test", "", null), true));
        List<Reason> results = race(claims);
        assertThat(results.stream().filter(r -> r == null).count()).isEqualTo(1);
        assertThat(results.stream().filter(r -> r != null)).containsOnly(Reason.ADDRESS_TAKEN);
    }
}
