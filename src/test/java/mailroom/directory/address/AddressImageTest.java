package mailroom.directory.address;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Records;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.testing.ForwardingStore;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The address image answers users/query exactly as the store does once it has followed the journal, reading
 * nothing: after every kind of change that can alter an answer, after a replacement of the data whole, and
 * for what only adds addresses without being built again. Where the store cannot vouch (PostgreSQL) it never
 * answers.
 */
class AddressImageTest {
    @AutoClose
    private DirectoryStore store;

    private static final List<String> ASKED = List.of("own@acme.test", "Own@ACME.test", "nick@acme.test", "desk@acme.test",
            "frontdesk@acme.test", "team@acme.test", "crew@acme.test", "squad@acme.test", "own@new.test",
            "alice@acme.test", "not an address", "nobody@globex.test", "nobody@nowhere.test");

    /** The store, counting the reads made on the test's own thread (the image's follower reads on its own). */
    private static final class CountingStore extends ForwardingStore {
        final Thread test = Thread.currentThread();
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(DirectoryStore inner) {
            super(inner);
        }

        @Override
        public <T> T read(Function<Records, T> work) {
            if (Thread.currentThread() == test) reads.incrementAndGet();
            return super.read(work);
        }
    }

    @Test
    void afterEveryChangeTheImageAnswersWhatTheStoreDoesWithoutReadingIt() {
        store = TestServers.openStore(Backend.SQLITE);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        CountingStore counting = new CountingStore(store);
        AddressLookup lookup = new AddressLookup(counting);
        Caller acme = as("acme");
        List<Runnable> changes = List.of(
                () -> directory.mailboxes().create(acme, "acme.test", new Mailboxes.NewMailbox("own", "Own", "Box")),
                () -> directory.mailboxes().addAlias(acme, "own@acme.test", "nick@acme.test", false),
                () -> directory.mailboxes().update(acme, "own@acme.test", "Owen", "Box"),
                () -> directory.mailboxes().setActive(acme, "own@acme.test", false),
                () -> directory.mailboxes().setActive(acme, "own@acme.test", true),
                () -> directory.mailboxes().removeAlias(acme, "own@acme.test", "nick@acme.test"),
                () -> directory.mailboxes().moveToRecycleBin(acme, "own@acme.test"),
                () -> directory.publicMailboxes().create(acme, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), false),
                () -> directory.publicMailboxes().aliases().add(acme, "desk@acme.test", "frontdesk@acme.test"),
                () -> directory.publicMailboxes().moveToRecycleBin(acme, "desk@acme.test", null),
                () -> directory.mailGroups().create(acme, new MailGroups.Fields("team@acme.test", null, null, null)),
                () -> directory.mailGroups().aliases().add(acme, "team@acme.test", "crew@acme.test"),
                () -> directory.mailGroups().change(acme, "team@acme.test", new MailGroups.Fields(null, "Team", null, null), false),
                () -> directory.mailGroups().change(acme, "team@acme.test", new MailGroups.Fields("squad@acme.test", null, null, null), false),
                () -> directory.mailGroups().delete(acme, "squad@acme.test"),
                () -> directory.tenantLifecycle().addDomain(acme, "acme", "new.test"),
                () -> directory.users().delete(acme, "u100"));
        List<List<AddressLookup.Status>> seen = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            changes.get(i).run();
            // The first query after a change may read (the domains it keeps, the image not yet current).
            lookup.query(acme, ASKED);
            awaitImage(lookup);
            int before = counting.reads.get();
            List<AddressLookup.Answer> answers = lookup.query(acme, ASKED);
            assertThat(counting.reads.get()).as("store reads of the query after change %d", i).isEqualTo(before);
            assertThat(answers).as("after change %d", i).isEqualTo(new AddressLookup(store).query(acme, ASKED));
            seen.add(answers.stream().map(AddressLookup.Answer::status).toList());
        }
        // The changes reached what was asked: a sample of the way.
        assertThat(seen.get(1).subList(0, 3)).containsExactly(
                AddressLookup.Status.ENABLED, AddressLookup.Status.ENABLED, AddressLookup.Status.ENABLED);
        assertThat(seen.get(3).subList(0, 3)).containsExactly(
                AddressLookup.Status.DISABLED, AddressLookup.Status.DISABLED, AddressLookup.Status.DISABLED);
        assertThat(seen.get(12).subList(5, 8)).containsExactly(
                AddressLookup.Status.ENABLED, AddressLookup.Status.ENABLED, AddressLookup.Status.NO_SUCH_ADDRESS);
        assertThat(seen.get(13).subList(5, 8)).containsExactly(
                AddressLookup.Status.NO_SUCH_ADDRESS, AddressLookup.Status.ENABLED, AddressLookup.Status.ENABLED);
        assertThat(seen.get(seen.size() - 1)).containsExactly(
                AddressLookup.Status.RECYCLED, AddressLookup.Status.RECYCLED, AddressLookup.Status.NO_SUCH_ADDRESS,
                AddressLookup.Status.RECYCLED, AddressLookup.Status.RECYCLED, AddressLookup.Status.NO_SUCH_ADDRESS,
                AddressLookup.Status.NO_SUCH_ADDRESS, AddressLookup.Status.NO_SUCH_ADDRESS, AddressLookup.Status.NO_SUCH_ADDRESS,
                AddressLookup.Status.RECYCLED, AddressLookup.Status.INVALID, AddressLookup.Status.NO_SUCH_DOMAIN,
                AddressLookup.Status.NO_SUCH_DOMAIN);
    }

    @Test
    void whatOnlyAddsAddressesIsFollowedWithoutBuildingTheImageAgain() {
        store = TestServers.openStore(Backend.SQLITE);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        AddressLookup lookup = new AddressLookup(store);
        Caller acme = as("acme");
        lookup.query(acme, ASKED);
        awaitImage(lookup);
        int builds = lookup.imageBuilds();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            directory.mailGroups().create(acme, new MailGroups.Fields("g" + i + "@acme.test", "G" + i, null, null));
            directory.mailboxes().create(acme, "acme.test", new Mailboxes.NewMailbox("m" + i, "M", "Box"));
            directory.mailboxes().addAlias(acme, "m" + i + "@acme.test", "a" + i + "@acme.test", false);
            directory.mailGroups().change(acme, "g" + i + "@acme.test", new MailGroups.Fields(null, "Group " + i, null, null), false);
            asked.addAll(List.of("g" + i + "@acme.test", "m" + i + "@acme.test", "a" + i + "@acme.test"));
        }
        awaitImage(lookup);
        assertThat(lookup.imageBuilds()).as("builds").isEqualTo(builds);
        for (int from = 0; from < asked.size(); from += AddressLookup.MAX_ADDRESSES) {
            List<String> part = asked.subList(from, Math.min(asked.size(), from + AddressLookup.MAX_ADDRESSES));
            List<AddressLookup.Answer> answers = lookup.query(acme, part);
            assertThat(answers).isEqualTo(new AddressLookup(store).query(acme, part));
            assertThat(answers).extracting(AddressLookup.Answer::status).containsOnly(AddressLookup.Status.ENABLED);
        }
    }

    @Test
    void aReplacementOfTheDataWholeIsNeverAnsweredFromTheImageOfBefore() {
        store = TestServers.openStore(Backend.SQLITE);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        DirectoryStore.Image seeded = store.capture();
        store.makeDisposable();
        store.replace(seeded);
        AddressLookup lookup = new AddressLookup(store);
        Caller acme = as("acme");
        directory.mailboxes().create(acme, "acme.test", new Mailboxes.NewMailbox("own", "Own", "Box"));
        lookup.query(acme, ASKED);
        awaitImage(lookup);
        assertThat(lookup.query(acme, ASKED).get(0).status()).isEqualTo(AddressLookup.Status.ENABLED);

        store.replace(seeded);
        lookup.query(acme, ASKED);
        awaitImage(lookup);
        List<AddressLookup.Answer> answers = lookup.query(acme, ASKED);
        assertThat(answers.get(0).status()).isEqualTo(AddressLookup.Status.NO_SUCH_ADDRESS);
        assertThat(answers).isEqualTo(new AddressLookup(store).query(acme, ASKED));
    }

    @Test
    void whereTheStoreCannotVouchTheImageNeverAnswers() {
        store = TestServers.openStore(Backend.POSTGRESQL);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        AddressLookup lookup = new AddressLookup(store);
        directory.mailboxes().create(as("acme"), "acme.test", new Mailboxes.NewMailbox("own", "Own", "Box"));
        for (int i = 0; i < 3; i++) lookup.query(as("acme"), ASKED);
        assertThat(lookup.answersFromImage()).isFalse();
        assertThat(lookup.imageBuilds()).isZero();
    }

    /** Waits (at most 10 s) until the image has followed every change made so far. */
    private static void awaitImage(AddressLookup lookup) {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!lookup.answersFromImage()) {
            assertThat(System.nanoTime()).as("the address image is current within 10 s").isLessThan(until);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
