package mailroom.store;

import static mailroom.store.CountedRows.assertCountersMatchRows;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Reason;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.store.UsageCounters.Counted;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database written before the usage counters existed (schema version 6, rows in plain SQL) gets counters
 * equal to its rows when it is opened, and its limits then hold from those counters without a recount.
 */
class UsageCounterBackfillTest {
    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anExistingDatabaseOpensWithCountersEqualToItsRowsAndItsLimitsHold(Backend backend) throws Exception {
        Dialect dialect = backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
        String url = backend == Backend.SQLITE ? sqliteUrl() : TestServers.newPostgresDatabase();
        Flyway.configure().dataSource(url, null, null).locations(dialect.migrationsLocation())
                .placeholders(dialect.migrationPlaceholders()).target("6").load().migrate();
        writeVersion6Rows(url, dialect == Dialect.SQLITE ? "0" : "FALSE");

        try (DirectoryStore store = backend == Backend.SQLITE ? SqlStore.openSqlite(tempDir) : SqlStore.openPostgres(url)) {
            Map<Counted, Map<String, Long>> counters = store.read(r -> CountedRows.fromCounters(((SqlRecords) r).handle()));
            assertThat(counters).isEqualTo(Map.of(
                    Counted.TENANT_MAIL_GROUPS, Map.of("acme", 2L, "globex", 1L),
                    Counted.TENANT_USER_MAILBOXES, Map.of("acme", 2L),
                    Counted.TENANT_PUBLIC_MAILBOXES, Map.of("acme", 2L),
                    Counted.GROUP_MEMBERS, Map.of("g1", 2L, "g3", 1L),
                    Counted.GROUP_PERMISSION_MEMBERS, Map.of("g1", 1L),
                    Counted.OWNER_ALIASES, Map.of("m1", 2L, "g1", 1L),
                    Counted.USER_PUBLIC_MAILBOXES, Map.of("p-ann", 1L, "p-bo", 1L)));
            assertCountersMatchRows(store, "right after the upgrade");

            Directory directory = new Directory(store, Clock.systemUTC());
            MailGroups groups = directory.mailGroups();
            Mailboxes mailboxes = directory.mailboxes();
            PublicMailboxes boxes = directory.publicMailboxes();
            groups.create(as("acme"), new MailGroups.Fields("third@acme.test", null, null, null));
            assertThat(reasonOf(() -> groups.create(as("acme"), new MailGroups.Fields("fourth@acme.test", null, null, null))))
                    .isEqualTo(Reason.MAIL_GROUP_LIMIT_REACHED);
            assertThat(reasonOf(() -> groups.addMembers(as("acme"), "g1", MemberList.MEMBERS,
                    List.of(new MemberSpec(MemberType.EXTERNAL_USER, null, null, "more@elsewhere.test")))))
                    .isEqualTo(Reason.MEMBER_LIMIT_REACHED);
            assertThat(reasonOf(() -> mailboxes.addAlias(as("acme"), "m1", "third-alias@acme.test", false)))
                    .isEqualTo(Reason.ALIAS_LIMIT_REACHED);
            mailboxes.create(as("acme"), "acme.test", new Mailboxes.NewMailbox("new", "New", "Box"));
            assertThat(reasonOf(() -> mailboxes.create(as("acme"), "acme.test", new Mailboxes.NewMailbox("newer", "N", "B"))))
                    .as("two in service, one in the recycle bin, one new: the limit of three").isEqualTo(Reason.MAILBOX_LIMIT_REACHED);
            boxes.create(as("acme"), new PublicMailboxes.Fields("pub3@acme.test", "", null), true);
            assertThat(reasonOf(() -> boxes.addMembers(as("acme"), "pub3@acme.test", List.of(new UserRef(UserIdKind.USER_ID, "ann")))))
                    .as("Ann is bound to one mailbox in service already (and one in the recycle bin)")
                    .isEqualTo(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED);
            boxes.addMembers(as("acme"), "pub3@acme.test", List.of(new UserRef(UserIdKind.USER_ID, "cy")));
            assertCountersMatchRows(store, "after writes on the upgraded database");
        }
    }

    /**
     * Two tenants in the version 6 schema: acme at its limits of 3 mail groups (2 there), 2 members, 2 aliases
     * per address, 3 user mailboxes (2 in service, 1 in the recycle bin) and 1 public mailbox per user.
     */
    private static void writeVersion6Rows(String url, String no) throws SQLException {
        List<String> rows = List.of(
                tenant("acme", 3, 3, 2, 2, 1, 3, "a0000000-0000-4000-8000-000000000001"),
                tenant("globex", 10, 10, 10, 10, 10, 10, "a0000000-0000-4000-8000-000000000002"),
                "INSERT INTO domain (id, tenant_key, name, created_at, updated_at) VALUES ('d-acme', 'acme', 'acme.test', 1, 1)",
                "INSERT INTO domain (id, tenant_key, name, created_at, updated_at) VALUES ('d-globex', 'globex', 'globex.test', 1, 1)",
                person("p-ann", "acme", "ann"), person("p-bo", "acme", "bo"), person("p-cy", "acme", "cy"),
                address("one@acme.test", "acme", "d-acme", "MAIL_GROUP", "g1", no),
                address("one-alias@acme.test", "acme", "d-acme", "GROUP_ALIAS", "g1", no),
                address("two@acme.test", "acme", "d-acme", "MAIL_GROUP", "g2", no),
                address("three@globex.test", "globex", "d-globex", "MAIL_GROUP", "g3", no),
                group("g1", "acme", "one@acme.test"), group("g2", "acme", "two@acme.test"),
                group("g3", "globex", "three@globex.test"),
                member("mail_group_member", "gm1", "g1", "EXTERNAL_USER", "x@elsewhere.test"),
                member("mail_group_member", "gm2", "g1", "OTHER_MEMBER", "two@acme.test"),
                member("mail_group_member", "gm3", "g3", "EXTERNAL_USER", "y@elsewhere.test"),
                "INSERT INTO mail_group_permission_member (id, mail_group_id, type, ref_id, email, identity, created_at)"
                        + " VALUES ('pm1', 'g1', 'USER', 'p-ann', NULL, 'USER:p-ann', 1)",
                address("m1@acme.test", "acme", "d-acme", "USER_MAILBOX", "m1", no),
                address("m1-a@acme.test", "acme", "d-acme", "USER_ALIAS", "m1", no),
                address("m1-b@acme.test", "acme", "d-acme", "USER_ALIAS", "m1", no),
                address("m2@acme.test", "acme", "d-acme", "USER_MAILBOX", "m2", no),
                address("m3@acme.test", "acme", "d-acme", "USER_MAILBOX", "m3", no),
                mailbox("m1", "m1@acme.test", "ACTIVE"), mailbox("m2", "m2@acme.test", "PAUSED"),
                mailbox("m3", "m3@acme.test", "RECYCLED"),
                address("pub1@acme.test", "acme", "d-acme", "PUBLIC_MAILBOX", "b1", no),
                address("pub2@acme.test", "acme", "d-acme", "PUBLIC_MAILBOX", "b2", no),
                publicMailbox("b1", "pub1@acme.test", "ACTIVE"), publicMailbox("b2", "pub2@acme.test", "RECYCLED"),
                publicMember("bm1", "b1", "p-ann"), publicMember("bm2", "b1", "p-bo"), publicMember("bm3", "b2", "p-ann"));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String row : rows) s.executeUpdate(row);
        }
    }

    private static String tenant(String key, int publicMailboxes, int groups, int members, int aliases, int perUser,
                                 int userMailboxes, String accountId) {
        return "INSERT INTO tenant (tenant_key, name, multi_geo, allowed_geos, default_geo, limit_public_mailboxes,"
                + " limit_mail_groups, limit_mail_group_members, limit_aliases_per_address, limit_public_mailboxes_per_user,"
                + " account_id, created_at, updated_at, limit_user_mailboxes) VALUES ('" + key + "', '" + key + "', FALSE, '',"
                + " NULL, " + publicMailboxes + ", " + groups + ", " + members + ", " + aliases + ", " + perUser + ", '"
                + accountId + "', 1, 1, " + userMailboxes + ")";
    }

    private static String person(String id, String tenant, String userId) {
        return "INSERT INTO person (id, tenant_key, user_id, open_id, union_id, name) VALUES ('" + id + "', '" + tenant
                + "', '" + userId + "', 'ou_" + userId + "', 'on_" + userId + "', '" + userId + "')";
    }

    private static String address(String address, String tenant, String domain, String kind, String owner, String no) {
        return "INSERT INTO address (address, tenant_key, domain_id, kind, owner_id, is_catch_all, created_at) VALUES ('"
                + address + "', '" + tenant + "', '" + domain + "', '" + kind + "', '" + owner + "', " + no + ", 1)";
    }

    private static String group(String id, String tenant, String email) {
        return "INSERT INTO mail_group (id, tenant_key, email, name, description, who_can_send_mail, created_at, updated_at)"
                + " VALUES ('" + id + "', '" + tenant + "', '" + email + "', '', '', 'ANYONE', 1, 1)";
    }

    private static String member(String table, String id, String group, String type, String email) {
        return "INSERT INTO " + table + " (id, mail_group_id, type, ref_id, email, identity, created_at) VALUES ('" + id
                + "', '" + group + "', '" + type + "', NULL, '" + email + "', '" + type + ":" + email + "', 1)";
    }

    private static String mailbox(String id, String email, String status) {
        return "INSERT INTO user_mailbox (id, tenant_key, email, domain_id, person_id, first_name, last_name, status,"
                + " quota_allowed, quota_used, created_at, updated_at) VALUES ('" + id + "', 'acme', '" + email
                + "', 'd-acme', NULL, 'F', 'L', '" + status + "', 1, 0, 1, 1)";
    }

    private static String publicMailbox(String id, String email, String status) {
        return "INSERT INTO public_mailbox (id, tenant_key, email, name, geo, status, to_mail_address, created_at, updated_at)"
                + " VALUES ('" + id + "', 'acme', '" + email + "', '', NULL, '" + status + "', NULL, 1, 1)";
    }

    private static String publicMember(String id, String mailbox, String person) {
        return "INSERT INTO public_mailbox_member (id, public_mailbox_id, person_id, created_at) VALUES ('" + id + "', '"
                + mailbox + "', '" + person + "', 1)";
    }

    private String sqliteUrl() throws java.io.IOException {
        Files.createDirectories(tempDir);
        return "jdbc:sqlite:" + tempDir.resolve("mailroom.db").toAbsolutePath();
    }

    private static Reason reasonOf(ThrowingCallable call) {
        DirectoryException e = catchThrowableOfType(DirectoryException.class, call);
        assertThat(e).as("expected a refusal").isNotNull();
        return e.reason();
    }
}
