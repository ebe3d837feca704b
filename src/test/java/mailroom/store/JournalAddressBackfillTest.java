package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Change;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Entries journalled before the journal kept addresses (schema version 12) get theirs from their states when the
 * store opens — the address {@link Change#address()} gives, for every kind of object — and are then found by
 * address like every new entry.
 */
class JournalAddressBackfillTest {
    @TempDir
    Path tempDir;

    /** Object kind, the state (JSON, after or, for a delete, before) and the op, of one version 12 entry. */
    private record Old(String kind, String state, String op) {}

    private static final List<Old> OLD = List.of(
            new Old("TENANT", "{\"key\":\"acme\",\"name\":\"Acme\"}", "CREATE"),
            new Old("DOMAIN", "{\"id\":\"d1\",\"name\":\"acme.test\"}", "CREATE"),
            new Old("MAIL_GROUP", "{\"id\":\"g1\",\"address\":\"sales@acme.test\",\"name\":\"Sales\"}", "CREATE"),
            new Old("MAIL_GROUP_ALIAS", "{\"address\":\"team@acme.test\",\"owner_id\":\"g1\",\"owner\":\"sales@acme.test\"}", "CREATE"),
            new Old("MAIL_GROUP_MEMBER", "{\"id\":\"m1\",\"mail_group_id\":\"g1\",\"mail_group\":\"sales@acme.test\","
                    + "\"type\":\"EXTERNAL_USER\",\"address\":\"bob@else.test\"}", "DELETE"),
            new Old("MAIL_GROUP_PERMISSION_MEMBER", "{\"id\":\"p1\",\"mail_group_id\":\"g1\",\"mail_group\":\"sales@acme.test\","
                    + "\"type\":\"USER\",\"user_id\":\"u1\",\"address\":null}", "CREATE"),
            new Old("MAIL_GROUP_MANAGER", "{\"mail_group_id\":\"g1\",\"mail_group\":\"sales@acme.test\",\"user_id\":\"u1\"}", "CREATE"),
            new Old("USER_MAILBOX", "{\"id\":\"b1\",\"address\":\"alice@acme.test\",\"status\":\"ACTIVE\"}", "RECYCLE"),
            new Old("USER_MAILBOX_ALIAS", "{\"address\":\"ali@acme.test\",\"owner_id\":\"b1\",\"owner\":\"alice@acme.test\"}", "DELETE"),
            new Old("PUBLIC_MAILBOX", "{\"id\":\"pb1\",\"address\":\"help@acme.test\",\"name\":\"Help\"}", "CREATE"),
            new Old("PUBLIC_MAILBOX_ALIAS", "{\"address\":\"support@acme.test\",\"owner_id\":\"pb1\",\"owner\":\"help@acme.test\"}", "CREATE"),
            new Old("PUBLIC_MAILBOX_MEMBER", "{\"id\":\"pm1\",\"public_mailbox_id\":\"pb1\",\"public_mailbox\":\"help@acme.test\","
                    + "\"user_id\":\"u1\"}", "CREATE"),
            new Old("USER", "{\"user_id\":\"u1\",\"name\":\"Alice\"}", "UPDATE"),
            new Old("MAIL_GROUP", "{\"id\":\"g2\",\"address\":null,\"name\":\"odd\"}", "CREATE"));

    @ParameterizedTest
    @EnumSource(Backend.class)
    void entriesOfVersion12GetTheAddressTheirStatesGive(Backend backend) throws Exception {
        Dialect dialect = backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
        String url = backend == Backend.SQLITE ? "jdbc:sqlite:" + tempDir.resolve("mailroom.db") : TestServers.newPostgresDatabase();
        Flyway.configure().dataSource(url, null, null).locations(dialect.migrationsLocation())
                .placeholders(dialect.migrationPlaceholders()).target("12").load().migrate();
        Jdbi.create(url).useHandle(h -> {
            for (int i = 0; i < OLD.size(); i++) {
                Old old = OLD.get(i);
                boolean gone = old.op().equals("DELETE");
                h.createUpdate("INSERT INTO change_log (seq, changed_at, tenant_key, actor_kind, actor_id, request_id, object_kind,"
                                + " object_id, op, before_state, after_state) VALUES (:seq, 1000, 'acme', 'SEED', 'seed', NULL, :kind,"
                                + " :id, :op, :before, :after)")
                        .bind("seq", i + 1).bind("kind", old.kind()).bind("id", "o" + i).bind("op", old.op())
                        .bind("before", gone || old.op().equals("RECYCLE") ? old.state() : null).bind("after", gone ? null : old.state())
                        .execute();
            }
            h.execute("UPDATE change_log_counter SET last_seq = " + OLD.size() + " WHERE id = 1");
        });

        try (DirectoryStore store = backend == Backend.SQLITE ? SqlStore.openSqlite(tempDir) : SqlStore.openPostgres(url)) {
            List<Change.Entry> entries = new Directory(store, Clock.systemUTC()).journal().after(0, 100);
            assertThat(entries).hasSize(OLD.size());
            List<String> stored = store.read(r -> ((SqlRecords) r).handle()
                    .createQuery("SELECT object_address FROM change_log ORDER BY seq").mapTo(String.class).list());
            List<String> derived = new ArrayList<>();
            entries.forEach(e -> derived.add(e.change().address()));
            assertThat(stored).isEqualTo(derived);
            assertThat(stored).containsExactly(null, null, "sales@acme.test", "team@acme.test", "sales@acme.test", "sales@acme.test",
                    "sales@acme.test", "alice@acme.test", "ali@acme.test", "help@acme.test", "support@acme.test", "help@acme.test",
                    null, null);

            Journal journal = new Directory(store, Clock.systemUTC()).journal();
            List<Long> found = journal.audit(new Journal.AuditQuery("acme", null, null, null, null, null, null, "sales@acme.test", null,
                    null, 50)).items().stream().map(Change.Entry::seq).toList();
            assertThat(found).containsExactly(7L, 6L, 5L, 3L);
            assertThat(journal.audit(Journal.AuditQuery.all("acme", 50)).nextBeforeSeq()).as("one page holds them all").isNull();
        }
    }
}
