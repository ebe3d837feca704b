package mailroom.directory;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The persistence port the directory owns. Each call is exactly one transaction: a write returns only
 * after its transaction is durably committed, and any exception rolls the whole of it back.
 */
public interface DirectoryStore extends AutoCloseable {
    <T> T write(Function<Records, T> work);

    <T> T read(Function<Records, T> work);

    /**
     * A write of one tenant's data: takes the tenant lock first, so that everything the work then reads
     * (an owner, a count, the namespace) stays true until commit, whichever node writes concurrently.
     */
    default <T> T writeTenant(String tenantKey, Function<Records, T> work) {
        return write(r -> {
            r.lockTenant(tenantKey);
            return work.apply(r);
        });
    }

    /**
     * How many committed writes have changed objects of the kind since the store opened — known only when
     * every write to the data passes through this store (an embedded database), empty otherwise (a database
     * other nodes write to). It moves after such a write commits and before the write returns, so a value
     * read before reading an object and unchanged after it vouches that the object read is still current.
     */
    default OptionalLong changesTo(Change.ObjectKind kind) {
        return OptionalLong.empty();
    }

    /** A short name of the backing database for logs and health output ("sqlite", "postgresql"). */
    String kind();

    @Override
    void close();
}
