package mailroom.directory;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Values read from the store and kept while the store vouches that no committed write has changed the kinds of
 * object they depend on since ({@link DirectoryStore#changesTo}); where it cannot (a database other nodes
 * write to), every get reads the store — or, for a cache {@link #keptAcrossNodes}, the store's change mark.
 * So a cached answer is never older than an acknowledged write.
 */
public final class KindCache<K, V> {
    private record Kept<V>(long changes, V value) {}

    private final DirectoryStore store;
    private final Change.ObjectKind[] kinds;
    private final int capacity;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final Map<K, Kept<V>> kept = new ConcurrentHashMap<>();
    /** The weight of the values kept, approximately: concurrent puts may race a clear. */
    private final AtomicLong weight = new AtomicLong();
    /** Null, or the hashes of keys missed once lately, one per slot: {@link #keepingRepeatedKeysOnly}. */
    private AtomicIntegerArray missedOnce;
    private boolean acrossNodes;

    /** Values that depend on objects of {@code kinds} only; at most {@code capacity} kept. */
    public KindCache(DirectoryStore store, int capacity, Change.ObjectKind... kinds) {
        this(store, capacity, Long.MAX_VALUE, v -> 0, kinds);
    }

    /**
     * As {@link #KindCache(DirectoryStore, int, Change.ObjectKind...)}, the values kept also weighing (by {@code
     * weigher}) about {@code maxWeight} at most together; a value heavier than that alone is not kept.
     */
    public KindCache(DirectoryStore store, int capacity, long maxWeight, ToLongFunction<V> weigher, Change.ObjectKind... kinds) {
        this.store = store;
        this.kinds = kinds.clone();
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /**
     * Keeps a value only on its key's second miss (a slot per key hash remembers the first; a colliding key may
     * take it over): where keys are drawn from a space far larger than the cache (the addresses of a million
     * mailboxes), keeping every miss only churned it, at a cost, for almost no hits. Call before the first use.
     */
    public KindCache<K, V> keepingRepeatedKeysOnly() {
        missedOnce = new AtomicIntegerArray(Integer.highestOneBit(Math.max(capacity, 1024)) * 2);
        return this;
    }

    /**
     * Where the store cannot count changes per kind (a database other nodes write to), marks by its {@link
     * DirectoryStore#changeMark} instead: one read of the database per get, shared by the gets asking at once,
     * that any journalled change of any node moves. Worth it for values that cost the store more than that read
     * (an expansion, a policy decision); call before the first use.
     */
    public KindCache<K, V> keptAcrossNodes() {
        acrossNodes = true;
        return this;
    }

    /**
     * How far the store's changes to the kinds have come: read it before the read transaction whose value
     * {@link #get(OptionalLong, Object, Function)} is to keep. Empty when the store cannot vouch.
     */
    public OptionalLong mark() {
        long sum = 0;
        for (Change.ObjectKind kind : kinds) {
            OptionalLong changes = store.changesTo(kind);
            if (changes.isEmpty()) return acrossNodes ? store.changeMark() : changes;
            sum += changes.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    /** The value for the key, from the cache when still current, else from {@code load} (one store read). */
    public V get(K key, Function<K, V> load) {
        return get(mark(), key, load);
    }

    /**
     * As {@link #get(Object, Function)}, for a {@code load} that reads inside a transaction begun after {@code
     * changes} was taken by {@link #mark()}.
     */
    public V get(OptionalLong changes, K key, Function<K, V> load) {
        V hit = kept(changes, key);
        if (hit != null) return hit;
        V value = load.apply(key);
        keep(changes, key, value);
        return value;
    }

    /**
     * The value kept for the key under {@code changes} (taken by {@link #mark()}), or null when none is, it is
     * older than that, or the store cannot vouch. For callers that gather the misses of a batch into one read.
     */
    public V kept(OptionalLong changes, K key) {
        if (changes.isEmpty()) return null;
        Kept<V> hit = kept.get(key);
        return hit != null && hit.changes() == changes.getAsLong() ? hit.value() : null;
    }

    /** Whether the key was missed lately; remembers this miss otherwise. */
    private boolean missedBefore(K key) {
        int hash = key.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (missedOnce.length() - 1);
        if (missedOnce.get(slot) == hash) return true;
        missedOnce.set(slot, hash);
        return false;
    }

    /**
     * Keeps a value read inside a transaction begun after {@code changes} was taken by {@link #mark()}; a null value
     * is not kept ({@link #kept} answers null for "none").
     */
    public void keep(OptionalLong changes, K key, V value) {
        // The count is read before the value: a write that lands between the two moves the count, so the value
        // kept under the older count is never used again. Counts only grow, so their sum moves with any of them.
        if (changes.isEmpty() || value == null) return;
        if (missedOnce != null && !missedBefore(key)) return;
        long w = weigher.applyAsLong(value);
        if (w > maxWeight) return;
        // Bounded the simple way (apps, or the searches being paged through): a full cache starts over.
        if (kept.size() >= capacity || weight.get() + w > maxWeight) {
            kept.clear();
            weight.set(0);
        }
        Kept<V> replaced = kept.put(key, new Kept<>(changes.getAsLong(), value));
        weight.addAndGet(w - (replaced == null ? 0 : weigher.applyAsLong(replaced.value())));
    }
}
