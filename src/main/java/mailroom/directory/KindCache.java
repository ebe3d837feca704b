package mailroom.directory;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Objects of one kind read from the store and kept while the store vouches that no committed write has
 * changed that kind since ({@link DirectoryStore#changesTo}); where it cannot (a database other nodes
 * write to), every get reads the store. So a cached answer is never older than an acknowledged write.
 */
public final class KindCache<K, V> {
    private record Kept<V>(long changes, V value) {}

    private final DirectoryStore store;
    private final Change.ObjectKind kind;
    private final int capacity;
    private final Map<K, Kept<V>> kept = new ConcurrentHashMap<>();

    public KindCache(DirectoryStore store, Change.ObjectKind kind, int capacity) {
        this.store = store;
        this.kind = kind;
        this.capacity = capacity;
    }

    /** The value for the key, from the cache when still current, else from {@code load} (one store read). */
    public V get(K key, Function<K, V> load) {
        // Read the count before the value: a write that lands between the two moves the count, so the value
        // kept under the older count is never used again.
        OptionalLong changes = store.changesTo(kind);
        if (changes.isEmpty()) return load.apply(key);
        Kept<V> hit = kept.get(key);
        if (hit != null && hit.changes() == changes.getAsLong()) return hit.value();
        V value = load.apply(key);
        // Bounded the simple way: the keys are apps or accounts, few per server; a full cache starts over.
        if (kept.size() >= capacity) kept.clear();
        kept.put(key, new Kept<>(changes.getAsLong(), value));
        return value;
    }
}
