package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import mailroom.directory.Caller;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change mark on both databases: it moves with every committed journalled write and every replacement of the
 * data, on PostgreSQL as seen from another node of the same database, and with nothing else.
 */
class ChangeMarkTest {
    private static final Caller ACME = Caller.seed("acme");

    private static long mark(DirectoryStore store) {
        return store.changeMark().orElseThrow();
    }

    private static void createGroup(Directory directory, String address) {
        directory.mailGroups().create(ACME, new MailGroups.Fields(address, null, null, null));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aJournalledWriteMovesTheMarkAndAReadARefusalOrARehearsalDoesNot(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
            long before = mark(store);
            store.read(r -> r.tenants().allTenants());
            assertThatThrownBy(() -> createGroup(directory, "alice@acme.test")).isInstanceOf(DirectoryException.class);
            store.rehearse("acme", r -> {
                r.lockTenant("acme");
                return null;
            });
            assertThat(mark(store)).isEqualTo(before);
            createGroup(directory, "marked@acme.test");
            assertThat(mark(store)).isGreaterThan(before);
        }
    }

    @Test
    void onPostgresqlEveryNodeSeesTheMarkMoveWithAWriteOrAReplacementOnAnother() {
        String database = TestServers.newPostgresDatabase();
        try (DirectoryStore node1 = SqlStore.openPostgres(database); DirectoryStore node2 = SqlStore.openPostgres(database)) {
            Directory directory = TestServers.seededDirectory(node1, Clock.systemUTC());
            long seeded = mark(node2);
            assertThat(mark(node2)).isEqualTo(mark(node1)).isEqualTo(seeded);

            createGroup(directory, "marked@acme.test");
            long written = mark(node2);
            assertThat(written).isGreaterThan(seeded);

            // A replacement journals nothing, and sets the journal back to the image's; the mark still moves on.
            DirectoryStore.Image image = node1.capture();
            node1.makeDisposable();
            long disposable = mark(node2);
            assertThat(disposable).isGreaterThan(written);
            node1.replace(image);
            assertThat(mark(node2)).isGreaterThan(disposable);
        }
    }
}
