package mailroom.store;

import java.nio.file.Path;
import mailroom.directory.DirectoryStore;
import mailroom.testing.TestServers;

/** The directory contract on a fresh database of the embedded PostgreSQL 15 per test. */
class PostgresDirectoryContractTest extends DirectoryContractTest {
    @Override
    DirectoryStore openStore(Path tempDir) {
        return SqlStore.openPostgres(TestServers.newPostgresDatabase());
    }
}
