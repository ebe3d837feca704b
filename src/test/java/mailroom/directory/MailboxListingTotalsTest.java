package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.Mailboxes.NewMailbox;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A listing's total, which the directory keeps while no mailbox changed, follows every kind of change to the
 * mailboxes it counts — created, renamed, paused, recycled, deleted — and always equals a fresh count in the store.
 */
class MailboxListingTotalsTest {
    @AutoClose
    private DirectoryStore store;
    private Mailboxes boxes;

    /** Totals of a search and of the whole listing, each from a full first page (so counted, not read off the page). */
    private List<Long> totals() {
        return List.of(boxes.list(as("acme"), null, null, "zed", 1, 3).total(),
                boxes.list(as("acme"), null, null, null, 1, 3).total(),
                boxes.list(as("acme"), "acme.test", null, "zed", 2, 3).total());
    }

    private List<Long> counted() {
        String domainId = store.read(r -> r.tenants().domainByName("acme.test")).orElseThrow().id();
        return store.read(r -> List.of(r.mailboxes().count("acme", null, "zed"), r.mailboxes().count("acme", null, null),
                r.mailboxes().count("acme", domainId, "zed")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyChangeToAMailboxMovesTheTotalsOfTheListingsItIsIn(Backend backend) throws Exception {
        store = TestServers.openStore(backend);
        boxes = TestServers.seededDirectory(store, Clock.systemUTC()).mailboxes();
        List<NewMailbox> items = new ArrayList<>();
        for (int i = 0; i < 12; i++) items.add(new NewMailbox("t" + i, "Zed", "Tester"));
        assertThat(boxes.bulkCreate(as("acme"), "acme.test", items).failed()).isEmpty();

        List<List<Long>> seen = new ArrayList<>();
        List<List<Long>> expected = new ArrayList<>();
        Runnable look = () -> {
            seen.add(totals());
            seen.add(totals());
            expected.add(counted());
            expected.add(counted());
        };
        look.run();
        boxes.create(as("acme"), "acme.test", new NewMailbox("t12", "Zed", "Tester"));
        look.run();
        boxes.update(as("acme"), "t0@acme.test", "Amy", "Tester");
        look.run();
        boxes.setActive(as("acme"), "t1@acme.test", false);
        look.run();
        boxes.moveToRecycleBin(as("acme"), "t2@acme.test");
        look.run();
        boxes.delete(as("acme"), "t3@acme.test");
        look.run();

        assertThat(seen).isEqualTo(expected);
        // zed: 12, +1 created, -1 renamed, paused still listed, -1 recycled, -1 deleted
        List<Long> zed = new ArrayList<>();
        for (int i = 0; i < seen.size(); i += 2) zed.add(seen.get(i).get(0));
        assertThat(zed).containsExactly(12L, 13L, 12L, 12L, 11L, 10L);
    }
}
