package mailroom.testing;

import java.util.OptionalLong;
import java.util.function.Function;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Records;

/**
 * A real store seen through a test's window: every call goes to the store as it is, so a test overrides only the
 * calls it watches or holds (a write it pauses, the reads it counts). Closing it leaves the store open: the test
 * closes the store it opened.
 */
public class ForwardingStore implements DirectoryStore {
    protected final DirectoryStore inner;

    public ForwardingStore(DirectoryStore inner) {
        this.inner = inner;
    }

    @Override
    public <T> T write(Function<Records, T> work) {
        return inner.write(work);
    }

    @Override
    public <T> T read(Function<Records, T> work) {
        return inner.read(work);
    }

    @Override
    public <T> T rehearse(String tenantKey, Function<Records, T> work) {
        return inner.rehearse(tenantKey, work);
    }

    @Override
    public OptionalLong changesTo(ObjectKind kind) {
        return inner.changesTo(kind);
    }

    @Override
    public OptionalLong changeMark() {
        return inner.changeMark();
    }

    @Override
    public void onJournalled(Runnable listener) {
        inner.onJournalled(listener);
    }

    @Override
    public String kind() {
        return inner.kind();
    }

    @Override
    public void close() {
        // the test closes the store it opened
    }
}
