package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.testing.TestCallers;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Images of the store ({@link DirectoryStore#capture}, {@link DirectoryStore#replace}): which tables they hold, in
 * which order they are written, that a store must be marked disposable before its data is replaced, and that a
 * replaced store answers with the image's data at once, cached objects included.
 */
class StoreImageTest {
    /**
     * Every table of the schema that an image holds, parents first. A migration that adds a table makes this fail:
     * decide whether the table is the directory's data (add it here) or must survive a sandbox reset (StoreImage.KEPT).
     */
    private static final List<String> DATA_TABLES = List.of("change_log", "retired_app_secret", "retired_token", "tenant",
            "tenant_rate_limit", "usage_counter", "webhook", "webhook_delivery", "app", "department", "domain", "mail_group",
            "mail_group_member", "mail_group_permission_member", "person", "person_department", "public_mailbox",
            "public_mailbox_member", "service_account", "user_mailbox", "address", "mail_group_manager");

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anImageHoldsEveryDataTableOfTheSchemaParentsFirst(Backend backend) throws Exception {
        try (SqlStore store = (SqlStore) TestServers.openStore(backend)) {
            List<String> tables = store.read(r -> {
                try {
                    return StoreImage.dataTables(((SqlRecords) r).handle().getConnection(), backend == Backend.SQLITE ? Dialect.SQLITE
                            : Dialect.POSTGRESQL);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(tables).containsExactlyElementsOf(DATA_TABLES);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStoreNotMarkedDisposableRefusesToBeReplacedAndAReplacedOneAnswersTheImageAtOnce(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
            DirectoryStore.Image seeded = store.capture();
            assertThat(seeded.contents().tenants()).isEqualTo(3);
            assertThat(store.contents()).isEqualTo(seeded.contents());
            assertThat(store.disposable()).isFalse();
            assertThatThrownBy(() -> store.replace(seeded)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the store is not disposable: its data is never replaced whole");

            store.makeDisposable();
            assertThat(store.disposable()).isTrue();
            assertThat(store.capture().contents().rows()).isZero();
            assertThat(directory.tenants().find("acme")).isEmpty();

            store.replace(seeded);
            // The app behind a token is cached where the store vouches for it; a replace must end that trust.
            assertThat(directory.tenants().app("cli_full")).isPresent();
            MailGroup made = directory.mailGroups().create(TestCallers.as("acme"), new MailGroups.Fields("late@acme.test", "Late", null, null));
            assertThat(directory.mailGroups().get(TestCallers.as("acme"), made.id()).id()).isEqualTo(made.id());
            store.replace(seeded);
            assertThatThrownBy(() -> directory.mailGroups().get(TestCallers.as("acme"), made.id())).isInstanceOf(DirectoryException.class);
            assertThat(store.capture().contents().rows()).isEqualTo(seeded.contents().rows());
        }
    }
}
