package mailroom.directory;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The persistence port the directory owns. Each write is exactly one transaction: it returns only after its
 * transaction is durably committed, and any exception rolls the whole of it back. A read sees only committed
 * data: on an embedded database one snapshot for the whole call; on a shared one (PostgreSQL, READ COMMITTED)
 * each statement sees everything committed before it began, as it would inside a transaction at that level.
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
     * A write of one tenant's data that only adds: it claims free addresses and inserts new rows, changes and
     * removes none, and checks a tenant-wide count only through a room check ({@code hasRoom}); it reads no other
     * count. Such writes of one tenant need not wait for each other: a store shared by many nodes may run them
     * under a lock they share (every other write of the tenant still waits for them, and they for it) and check,
     * when it commits, that the counts they rested on held. Its outcome is the one {@link #writeTenant} would give.
     */
    default <T> T addToTenant(String tenantKey, Function<Records, T> work) {
        return writeTenant(tenantKey, work);
    }

    /**
     * A rehearsal (a dry run) of a write of one tenant's data: runs {@code work} exactly as
     * {@link #writeTenant} would — one transaction, the tenant lock taken first, every read seeing what the
     * work wrote before it — and then rolls all of it back. Nothing the work did is committed, journalled or
     * seen by any other transaction, and {@link #changesTo} does not move. Answers what the work answered; a
     * refusal it throws is thrown as it is (and rolled back like everything else).
     */
    <T> T rehearse(String tenantKey, Function<Records, T> work);

    /**
     * How many committed writes have changed objects of the kind since the store opened — known only when
     * every write to the data passes through this store (an embedded database), empty otherwise (a database
     * other nodes write to). It moves after such a write commits and before the write returns, so a value
     * read before reading an object and unchanged after it vouches that the object read is still current.
     */
    default OptionalLong changesTo(Change.ObjectKind kind) {
        return OptionalLong.empty();
    }

    /**
     * A number that moves with every committed write of any node that journals a change, and with every
     * replacement of the data whole, and never moves back; empty when the store has none. Where other nodes
     * write, it is read from the database after this call begins (one round trip, shared by the callers asking
     * at once), so a value read before reading an object and unchanged after it vouches, as {@link #changesTo}
     * does, that the object read is still current — coarsely: any journalled change of anything moves it.
     */
    default OptionalLong changeMark() {
        return OptionalLong.empty();
    }

    /**
     * Registers {@code listener} to run after every write of this store that journalled something has
     * committed (on this node; other nodes' writes are found by reading). It runs on the writing thread and
     * must only signal, never block or write.
     */
    void onJournalled(Runnable listener);

    /** How much of the directory's data a store or an image holds: tenants, and rows of data in all. */
    record Contents(int tenants, long rows) {}

    /** A copy of the directory's data as of one moment, held in memory, to return to with {@link #replace}. */
    interface Image {
        Contents contents();
    }

    /** What the store holds now, as an image of it would: counted in the database, no row read into memory. */
    default Contents contents() {
        throw new UnsupportedOperationException("this store cannot count its data");
    }

    /**
     * Every row of the directory's data, read in one transaction: everything but the operators' own tokens, the
     * token-signing key, the journal's sequence counter and the schema's history, which no image holds.
     */
    default Image capture() {
        throw new UnsupportedOperationException("this store cannot take images");
    }

    /**
     * One write transaction: the data becomes exactly what {@code image} holds; what no image holds stays as it
     * is (so the journal's next sequence number is still higher than every one given before). Every kind of
     * object counts as changed ({@link #changesTo}) and the {@link #onJournalled} listeners run, since
     * anything may have changed. Only for a {@link #disposable} store.
     */
    default void replace(Image image) {
        throw new UnsupportedOperationException("this store cannot take images");
    }

    /** Whether {@link #makeDisposable} marked this store: its data may then be replaced whole at any time. */
    default boolean disposable() {
        return false;
    }

    /** Marks the store disposable and empties its data (as {@link #replace} by an image of nothing), in one transaction. */
    default void makeDisposable() {
        throw new UnsupportedOperationException("this store cannot be made disposable");
    }

    /** A short name of the backing database for logs and health output ("sqlite", "postgresql"). */
    String kind();

    @Override
    void close();
}
