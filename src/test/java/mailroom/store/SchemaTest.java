package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema that the migrations build on an empty SQLite file and an empty PostgreSQL database must be
 * exactly the checked-in dump in {@code src/test/resources/schema/}, so every schema change shows up as a
 * reviewed diff of those files.
 *
 * <p>After adding a migration, regenerate both files and review their diff:
 * <pre>. scripts/find-jdk.sh && mvn -B -ntp test -Dtest=SchemaTest -Dschema.update=true</pre>
 */
class SchemaTest {
    static final Path GOLDEN = Path.of("src/test/resources/schema");
    static final String REGENERATE =
            ". scripts/find-jdk.sh && mvn -B -ntp test -Dtest=SchemaTest -Dschema.update=true";

    @TempDir
    Path tempDir;

    @Test
    void anEmptySqliteFileMigratesToTheCheckedInSchema() throws IOException {
        SqlStore.openSqlite(tempDir).close();
        assertMatchesGolden("sqlite.txt", SchemaDump.sqlite(tempDir));
    }

    @Test
    void anEmptyPostgresDatabaseMigratesToTheCheckedInSchema() throws IOException {
        String url = TestServers.newPostgresDatabase();
        SqlStore.openPostgres(url).close();
        assertMatchesGolden("postgresql.txt", SchemaDump.postgres(url));
    }

    @Test
    void openingAMigratedSqliteFileAgainChangesNothing() {
        SqlStore.openSqlite(tempDir).close();
        String schema = SchemaDump.sqlite(tempDir);
        List<String> history = SchemaDump.sqliteHistory(tempDir);

        SqlStore.openSqlite(tempDir).close();

        assertThat(SchemaDump.sqliteHistory(tempDir)).as("schema history after a second open").isEqualTo(history);
        assertThat(SchemaDump.sqlite(tempDir)).isEqualTo(schema);
        assertThat(history).as("every migration ran once and succeeded").isNotEmpty().allMatch(row -> row.endsWith(" true"));
    }

    @Test
    void openingAMigratedPostgresDatabaseAgainChangesNothing() {
        String url = TestServers.newPostgresDatabase();
        SqlStore.openPostgres(url).close();
        String schema = SchemaDump.postgres(url);
        List<String> history = SchemaDump.postgresHistory(url);

        SqlStore.openPostgres(url).close();

        assertThat(SchemaDump.postgresHistory(url)).as("schema history after a second open").isEqualTo(history);
        assertThat(SchemaDump.postgres(url)).isEqualTo(schema);
        assertThat(history).as("every migration ran once and succeeded").isNotEmpty().allMatch(row -> row.endsWith(" true"));
    }

    private static void assertMatchesGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("schema.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertThat(actual).as("schema of a freshly migrated database vs %s; if the change is intended, regenerate "
                + "with:%n  %s%nand review the diff", file, REGENERATE).isEqualTo(expected);
    }
}
