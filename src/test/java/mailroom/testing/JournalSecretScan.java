package mailroom.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose databases' journals hold a secret: every database a fixture registered in
 * {@link JournalSecrets} while the test ran (or, for a class's shared servers, while the class ran) is scanned after
 * it, once its servers are closed. Registered for every test of the build (META-INF/services, autodetection on in
 * junit-platform.properties).
 */
public final class JournalSecretScan implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        JournalSecrets.begin();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        JournalSecrets.begin();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fail(JournalSecrets.end());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        fail(JournalSecrets.end());
    }

    private static void fail(List<JournalSecrets.Database> databases) {
        List<String> found = new ArrayList<>();
        for (JournalSecrets.Database db : databases) found.addAll(JournalSecrets.scan(db));
        if (!found.isEmpty()) {
            throw new AssertionError("secrets in the change journal (" + found.size() + "):\n  "
                    + String.join("\n  ", found.subList(0, Math.min(found.size(), 20))));
        }
    }
}
