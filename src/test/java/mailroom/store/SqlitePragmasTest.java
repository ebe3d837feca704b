package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every SQLite connection of the store runs with: WAL, durable commits, foreign keys, the file mapped,
 * sub-journals in memory; and the writer's own checkpoint only as a safety net behind the checkpointer's.
 */
class SqlitePragmasTest {
    @TempDir
    Path dir;

    @Test
    void readerConnectionsUseWalDurableCommitsForeignKeysAndAMappedFile() {
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            assertThat(store.readerPragma("journal_mode")).isEqualTo("wal");
            assertThat(store.readerPragma("synchronous")).isEqualTo("2");
            assertThat(store.readerPragma("foreign_keys")).isEqualTo("1");
            assertThat(Long.parseLong(store.readerPragma("mmap_size"))).isGreaterThanOrEqualTo(1L << 30);
        }
    }

    @Test
    void subJournalsStayInMemoryAndTheWriterCheckpointsOnlyPastTheSafetyNet() {
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            assertThat(store.readerPragma("temp_store")).isEqualTo("2");
            assertThat(store.writerPragma("temp_store")).isEqualTo("2");
            assertThat(store.writerPragma("wal_autocheckpoint")).isEqualTo("10000");
            assertThat(store.writerPragma("synchronous")).isEqualTo("2");
        }
    }
}
