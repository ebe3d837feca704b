package mailroom.store;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.directory.PageRequest;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases migrated by the former per-dialect scripts (kept as test resources under
 * {@code db/legacy-sqlite} and {@code db/legacy-postgresql}) still open with the single migration source:
 * the schema ends up equal to a fresh one, the data stays, and only the retired checksums are realigned.
 */
class LegacyMigrationsUpgradeTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final String ACME_ACCOUNT = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

    @TempDir
    Path tempDir;

    @Test
    void aSqliteFileMigratedByTheOldScriptsOpensWithItsDataAndTheFreshSchema() throws Exception {
        Path legacy = tempDir.resolve("legacy");
        String url = sqliteUrl(legacy);
        legacyFlyway(url, "legacy-sqlite").migrate();
        seedAndCreateGroup(url, Dialect.SQLITE, "before@acme.test");
        Path fresh = tempDir.resolve("fresh");
        SqlStore.openSqlite(fresh).close();

        try (SqlStore store = SqlStore.openSqlite(legacy)) {
            assertDataSurvivesAndWritesContinue(store);
        }

        assertThat(SchemaDump.sqlite(legacy)).isEqualTo(SchemaDump.sqlite(fresh));
        assertThat(SchemaDump.sqliteHistory(legacy)).as("versions, scripts and checksums").isEqualTo(SchemaDump.sqliteHistory(fresh));
    }

    @Test
    void aPostgresDatabaseMigratedByTheOldScriptsOpensWithItsDataAndTheFreshSchema() throws Exception {
        String legacy = TestServers.newPostgresDatabase();
        legacyFlyway(legacy, "legacy-postgresql").migrate();
        seedAndCreateGroup(legacy, Dialect.POSTGRESQL, "before@acme.test");
        String fresh = TestServers.newPostgresDatabase();
        SqlStore.openPostgres(fresh).close();

        try (SqlStore store = SqlStore.openPostgres(legacy)) {
            assertDataSurvivesAndWritesContinue(store);
        }

        assertThat(SchemaDump.postgres(legacy)).isEqualTo(SchemaDump.postgres(fresh));
        assertThat(SchemaDump.postgresHistory(legacy)).as("versions, scripts and checksums").isEqualTo(SchemaDump.postgresHistory(fresh));
    }

    @Test
    void aDatabaseHalfwayThroughTheOldScriptsIsRealignedAndMigratedTheRestOfTheWay() throws Exception {
        Path legacy = tempDir.resolve("legacy");
        String url = sqliteUrl(legacy);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/legacy-sqlite").target("1").load().migrate();
        Path fresh = tempDir.resolve("fresh");
        SqlStore.openSqlite(fresh).close();

        SqlStore.openSqlite(legacy).close();

        assertThat(SchemaDump.sqlite(legacy)).isEqualTo(SchemaDump.sqlite(fresh));
        assertThat(SchemaDump.sqliteHistory(legacy)).as("versions, scripts and checksums").isEqualTo(SchemaDump.sqliteHistory(fresh));
    }

    @Test
    void aChecksumThatNoReleaseEverHadIsStillRefusedAndLeftAsItIs() throws Exception {
        Path legacy = tempDir.resolve("legacy");
        String url = sqliteUrl(legacy);
        legacyFlyway(url, "legacy-sqlite").migrate();
        execute(url, "UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '1'");
        List<String> before = SchemaDump.sqliteHistory(legacy);

        assertThatThrownBy(() -> SqlStore.openSqlite(legacy)).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
        assertThat(SchemaDump.sqliteHistory(legacy)).isEqualTo(before);
    }

    @Test
    void oneRetiredChecksumNextToAChangedScriptRealignsNothing() throws Exception {
        String legacy = TestServers.newPostgresDatabase();
        legacyFlyway(legacy, "legacy-postgresql").migrate();
        execute(legacy, "UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '2'");
        List<String> before = SchemaDump.postgresHistory(legacy);

        assertThatThrownBy(() -> SqlStore.openPostgres(legacy)).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
        assertThat(SchemaDump.postgresHistory(legacy)).as("the retired V1 checksum is not realigned either")
                .isEqualTo(before);
    }

    /**
     * Writes a tenant with its account id, a domain and one mail group onto the old schema in plain SQL:
     * the record classes of today speak the schema of today.
     */
    private static void seedAndCreateGroup(String url, Dialect dialect, String groupEmail) throws SQLException {
        String bool = dialect == Dialect.SQLITE ? "1" : "TRUE";
        execute(url, "INSERT INTO tenant (tenant_key, name, multi_geo, allowed_geos, default_geo, limit_public_mailboxes,"
                + " limit_mail_groups, limit_mail_group_members, limit_aliases_per_address, limit_public_mailboxes_per_user,"
                + " hybridbox_account_id, created_at, updated_at) VALUES ('acme', 'Acme Inc.', " + bool + ", 'cn,sg,us',"
                + " NULL, 1000, 1000, 10000, 10, 50, '" + ACME_ACCOUNT + "', 1, 1)");
        execute(url, "INSERT INTO domain (id, tenant_key, name, created_at, updated_at)"
                + " VALUES ('d-acme', 'acme', 'acme.test', 1, 1)");
        execute(url, "INSERT INTO address (address, tenant_key, domain_id, kind, owner_id, is_catch_all, created_at)"
                + " VALUES ('" + groupEmail + "', 'acme', 'd-acme', 'MAIL_GROUP', 'g-before', "
                + (dialect == Dialect.SQLITE ? "0" : "FALSE") + ", 1)");
        execute(url, "INSERT INTO mail_group (id, tenant_key, email, name, description, who_can_send_mail, created_at, updated_at)"
                + " VALUES ('g-before', 'acme', '" + groupEmail + "', 'Before', '', 'ANYONE', 1, 1)");
    }

    private static void assertDataSurvivesAndWritesContinue(SqlStore store) {
        assertThat(store.read(r -> r.tenants().tenantByAccountId(ACME_ACCOUNT)).map(t -> t.key()))
                .as("the account id survives its column's rename").contains("acme");
        Directory directory = TestServers.seededDirectory(store, TestClock.ticking(T0.plusSeconds(60)));
        MailGroups groups = directory.mailGroups();
        assertThat(groups.get(as("acme"), "before@acme.test").name()).isEqualTo("Before");
        assertThat(store.read(r -> r.tenants().tenant("acme")).orElseThrow().limits().userMailboxes())
                .as("a column that the second migration added").isEqualTo(10000);
        groups.create(as("acme"), new MailGroups.Fields("after@acme.test", "After", null, null));
        assertThat(groups.list(as("acme"), null, new PageRequest(null, 10)).items()).extracting(MailGroup::email)
                .as("listed in insertion order: the auto-numbered key continued after the old rows")
                .containsExactly("before@acme.test", "after@acme.test");
    }

    private static Flyway legacyFlyway(String url, String folder) {
        return Flyway.configure().dataSource(url, null, null).locations("classpath:db/" + folder).load();
    }

    private static String sqliteUrl(Path dataDir) throws java.io.IOException {
        Files.createDirectories(dataDir);
        return "jdbc:sqlite:" + dataDir.resolve("mailroom.db").toAbsolutePath();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
