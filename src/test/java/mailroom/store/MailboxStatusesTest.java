package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mailroom.directory.mailbox.MailboxStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The statuses of many mailboxes at once (users/query) are read through the ids' unique index, never by walking
 * the tenant's mailboxes, and only the asking tenant's rows count. Checked on SQLite, whose planner without
 * statistics took the tenant's index for "tenant_key = ? AND id IN (three or more)" (200 ms a query at a million).
 */
class MailboxStatusesTest {
    @Test
    void manyStatusesAreLookedUpByIdAndOnlyTheTenantsOwnCount() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-statuses");
        SqlStore.openSqlite(dir).close();
        try (Handle h = Jdbi.create("jdbc:sqlite:" + dir.resolve("mailroom.db")).open()) {
            h.execute("INSERT INTO tenant (tenant_key, name, multi_geo, allowed_geos, limit_public_mailboxes, limit_mail_groups,"
                    + " limit_mail_group_members, limit_aliases_per_address, limit_public_mailboxes_per_user, created_at, updated_at)"
                    + " VALUES ('acme', 'acme', 0, '', 1, 1, 1, 1, 1, 1, 1), ('globex', 'globex', 0, '', 1, 1, 1, 1, 1, 1, 1)");
            h.execute("INSERT INTO domain (id, tenant_key, name, created_at, updated_at) VALUES"
                    + " ('d1', 'acme', 'acme.test', 1, 1), ('d2', 'globex', 'globex.test', 1, 1)");
            h.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                    + " INSERT INTO user_mailbox (id, tenant_key, email, domain_id, first_name, last_name, status, quota_allowed,"
                    + " quota_used, created_at, updated_at) SELECT 'm' || i, CASE WHEN i % 2 = 0 THEN 'acme' ELSE 'globex' END,"
                    + " 'u' || i || CASE WHEN i % 2 = 0 THEN '@acme.test' ELSE '@globex.test' END,"
                    + " CASE WHEN i % 2 = 0 THEN 'd1' ELSE 'd2' END, 'F', 'L', CASE WHEN i % 4 = 0 THEN 'PAUSED' ELSE 'ACTIVE' END,"
                    + " 1, 0, 1, 1 FROM n");

            String plan = String.join("\n", h.createQuery("EXPLAIN QUERY PLAN " + SqlRecords.statusesSql("user_mailbox"))
                    .bindList("ids", List.of("m2", "m3", "m4", "m5")).map((rs, c) -> rs.getString(4)).list());
            assertThat(plan).contains("USING INDEX sqlite_autoindex_user_mailbox_1 (id=?)").doesNotContain("user_mailbox_tenant");

            Map<String, MailboxStatus> acme = SqlRecords.statuses(h, "user_mailbox", "acme", List.of("m2", "m3", "m4", "m5", "nope"));
            assertThat(acme).isEqualTo(Map.of("m2", MailboxStatus.ACTIVE, "m4", MailboxStatus.PAUSED));
        }
    }
}
