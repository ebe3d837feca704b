package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Change.ObjectKind;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The cache holds no more values than its count and its weight allow, and no value heavier than the whole. */
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
}
