package mailroom.directory;

import java.util.function.Function;

/**
 * The persistence port the directory owns. Each call is exactly one transaction: a write returns only
 * after its transaction is durably committed, and any exception rolls the whole of it back.
 */
public interface DirectoryStore extends AutoCloseable {
    <T> T write(Function<Records, T> work);

    <T> T read(Function<Records, T> work);

    /** A short name of the backing database for logs and health output ("sqlite", "postgresql"). */
    String kind();

    @Override
    void close();
}
