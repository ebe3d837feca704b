package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Change.ObjectKind;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The cache holds no more values than its count and its weight allow, and no value heavier than the whole; one that
 * keeps repeated keys only keeps a value on its key's second miss.
 */
class KindCacheTest {
    @AutoClose
    private final DirectoryStore store = TestServers.openStore(Backend.SQLITE);
    private final List<String> loads = new ArrayList<>();

    private String load(String key) {
        loads.add(key);
        return key.toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void aValueHeavierThanTheWholeCacheIsReadEveryTimeAndTheWeightBoundsWhatIsKept() {
        KindCache<String, String> cache = new KindCache<>(store, 100, 10, String::length, ObjectKind.MAIL_GROUP);
        assertThat(cache.get("abcdefghijkl", this::load)).isEqualTo("ABCDEFGHIJKL");
        cache.get("abcdefghijkl", this::load);
        cache.get("abcd", this::load);
        cache.get("abcd", this::load);
        cache.get("efgh", this::load);
        cache.get("abcd", this::load);
        // 4 + 4 + 4 would weigh 12 > 10: the cache starts over, keeping only the newest.
        cache.get("ijkl", this::load);
        cache.get("ijkl", this::load);
        cache.get("abcd", this::load);
        assertThat(loads).containsExactly("abcdefghijkl", "abcdefghijkl", "abcd", "efgh", "ijkl", "abcd");
    }

    @Test
    void aCacheFullByCountStartsOverKeepingOnlyTheNewest() {
        KindCache<String, String> cache = new KindCache<>(store, 2, ObjectKind.MAIL_GROUP);
        cache.get("a", this::load);
        cache.get("b", this::load);
        cache.get("a", this::load);
        cache.get("c", this::load);
        cache.get("c", this::load);
        cache.get("a", this::load);
        assertThat(loads).containsExactly("a", "b", "c", "a");
    }

    @Test
    void aCacheOfRepeatedKeysKeepsAValueOnlyOnItsKeysSecondMiss() {
        KindCache<String, String> cache = new KindCache<String, String>(store, 100, ObjectKind.MAIL_GROUP).keepingRepeatedKeysOnly();
        for (int i = 0; i < 4; i++) cache.get("a", this::load);
        cache.get("b", this::load);
        cache.get("c", this::load);
        cache.get("b", this::load);
        cache.get("b", this::load);
        cache.get("c", this::load);
        assertThat(loads).containsExactly("a", "a", "b", "c", "b", "c");
        // A change of the kinds makes the kept value stale: the next miss reads and keeps it again at once.
        directoryChange();
        cache.get("a", this::load);
        cache.get("a", this::load);
        assertThat(loads).containsExactly("a", "a", "b", "c", "b", "c", "a");
    }

    private void directoryChange() {
        Directory directory = TestServers.seededDirectory(store, java.time.Clock.systemUTC());
        directory.mailGroups().create(mailroom.testing.TestCallers.as("acme"),
                new mailroom.directory.mailgroup.MailGroups.Fields("kept@acme.test", null, null, null));
    }
}
