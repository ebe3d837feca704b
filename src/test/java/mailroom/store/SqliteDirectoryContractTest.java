package mailroom.store;

import java.nio.file.Path;
import mailroom.directory.DirectoryStore;
import mailroom.testing.JournalSecrets;

/** The directory contract on a fresh SQLite file per test. */
class SqliteDirectoryContractTest extends DirectoryContractTest {
    @Override
    DirectoryStore openStore(Path tempDir) {
        JournalSecrets.watch(tempDir);
        return SqlStore.openSqlite(tempDir);
    }
}
