package mailroom.store;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.directory.mailbox.Mailboxes.NewMailbox;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed pages reach the database file soon after their commit, copied by the checkpointer's own thread, long
 * before the writer's own safety-net threshold; and nothing committed is lost when the store closes meanwhile.
 */
class SqliteCheckpointerTest {
    @TempDir
    Path dir;

    @Test
    void committedPagesAreCopiedIntoTheFileWithoutTheWriterReachingItsThreshold() throws Exception {
        Path file = dir.resolve(SqliteFiles.DATABASE);
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
            // Let the seed's pages land first, so that the growth measured is the mailboxes'.
            awaitCheckpointsBeyond(store, 0);
            long before = Files.size(file);
            List<NewMailbox> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) batch.add(new NewMailbox("box" + i, "Box", "Number " + i));
            directory.mailboxes().bulkCreate(as("acme"), "acme.test", batch);
            // A few hundred pages of log: far below the writer's 10,000, so only the checkpointer copies them.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(file) <= before + 100 * 4096 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(Files.size(file)).as("the file after the checkpoint").isGreaterThan(before + 100 * 4096);
            assertThat(store.writerPragma("wal_autocheckpoint")).isEqualTo("10000");
        }
        // Closed: the last connection copied the rest and removed the log; reopened, every mailbox is there.
        assertThat(dir.resolve(SqliteFiles.DATABASE + "-wal")).doesNotExist();
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            long addresses = store.read(r -> r.addresses().count());
            assertThat(addresses).isGreaterThanOrEqualTo(1000);
        }
    }

    private static void awaitCheckpointsBeyond(SqlStore store, long seen) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.checkpoints() <= seen && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(store.checkpoints()).as("checkpoints run").isGreaterThan(seen);
    }
}
