package mailroom.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;
import org.jdbi.v3.core.Handle;

/**
 * What the works of one write transaction share (ADR 0028): the tenants it holds locked, the rows read under
 * those locks, and the journal entries of finished works, numbered together just before the commit.
 *
 * <p>A row is remembered only where no other transaction can change it before this one ends: on SQLite always
 * (one writer), on PostgreSQL only a tenant's row, domains and tenant-wide counters while this transaction holds
 * that tenant's lock — every write of a tenant's data takes it first. A write through the records forgets or
 * updates what it changes; a work rolled back to its savepoint makes the transaction forget every row it
 * remembered (they may have been that work's), and puts back the entries numbered during that work.
 *
 * <p>A tenant whose works in a PostgreSQL batch all only add ({@code DirectoryStore.addToTenant}) is locked shared
 * (ADR 0040): other nodes' adding batches of that tenant run beside this one. Its row and domains still cannot
 * change, but its tenant-wide counters can, so they are not remembered: a counter reads as its committed value plus
 * what this transaction's works added, the additions wait here, and just before the commit they are made under the
 * counters' row locks, each checked against the strictest limit a work checked it against ({@link #settleCounters}).
 */
final class WriteTransaction {
    private final Handle handle;
    private final Dialect dialect;
    /** Tenants locked with a group commit's batch before its works ran; null: none, a work takes its own. */
    private final Set<String> batchLocks;
    private final Set<String> locked = new HashSet<>();
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final Map<String, Domain> domains = new HashMap<>();
    private final Map<UsageCounters.Key, Long> counters = new HashMap<>();
    /** Tenants of {@link #locked} locked shared: only adding works of theirs in this transaction. */
    private final Set<String> shared;
    /** A shared tenant's counters as first read (committed), by counter key. */
    private final Map<UsageCounters.Key, Long> sharedBases = new HashMap<>();
    /** What finished works added to shared tenants' counters (always more than 0), in the order they are locked in. */
    private final Map<UsageCounters.Key, Long> sharedAdded = new TreeMap<>();
    /** What the current work added to shared tenants' counters so far. */
    private final Map<UsageCounters.Key, Long> sharedAddedInWork = new HashMap<>();
    private boolean currentWorkShares;
    /** The strictest limit a work checked each shared counter against: its value after the commit may not pass it. */
    private final Map<UsageCounters.Key, Long> sharedLimits = new HashMap<>();
    /** Entries of the works that finished, waiting for their numbers. */
    private final List<SqlJournalRecords.Unnumbered> unnumbered = new ArrayList<>();
    /** Entries numbered while the current work ran (a work that reads the journal's position numbers those before it). */
    private final List<SqlJournalRecords.Unnumbered> numberedInWork = new ArrayList<>();

    WriteTransaction(Handle handle, Dialect dialect, Set<String> batchLocks) {
        this(handle, dialect, batchLocks, Set.of());
    }

    /** {@code shared}: those of {@code batchLocks} that the batch locked shared. */
    WriteTransaction(Handle handle, Dialect dialect, Set<String> batchLocks, Set<String> shared) {
        this.handle = handle;
        this.dialect = dialect;
        this.batchLocks = batchLocks;
        this.shared = Set.copyOf(shared);
        if (batchLocks != null) locked.addAll(batchLocks);
        if (!locked.containsAll(shared)) throw new IllegalArgumentException("a shared tenant must be one of the batch's");
    }

    Handle handle() {
        return handle;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Tenants locked with the batch before its works ran, or null. */
    Set<String> batchLocks() {
        return batchLocks;
    }

    /** Whether no other transaction can change this tenant's rows before this one ends. */
    boolean guards(String tenantKey) {
        return dialect == Dialect.SQLITE || locked.contains(tenantKey);
    }

    /** The tenant's row: remembered while guarded, read by {@code read} otherwise. */
    Optional<Tenant> tenant(String key, Supplier<Optional<Tenant>> read) {
        return remembered(tenants, key, read, t -> guards(t.key()));
    }

    /** The transaction now holds this tenant's lock, taken with the row it read. */
    void lockedRow(Tenant tenant) {
        locked.add(tenant.key());
        tenants.put(tenant.key(), tenant);
    }

    void tenantChanged(String key) {
        tenants.remove(key);
    }

    /** A domain by name: remembered only when found and its tenant is guarded (an absent one may appear). */
    Optional<Domain> domain(String name, Supplier<Optional<Domain>> read) {
        return remembered(domains, name, read, d -> guards(d.tenantKey()));
    }

    /** The row known under {@code key}, or the one {@code read} finds, kept when {@code keep} says it may be. */
    private static <V> Optional<V> remembered(Map<String, V> known, String key, Supplier<Optional<V>> read, Predicate<V> keep) {
        V row = known.get(key);
        if (row != null) return Optional.of(row);
        Optional<V> found = read.get();
        found.filter(keep).ifPresent(v -> known.put(key, v));
        return found;
    }

    void domainsChanged() {
        domains.clear();
    }

    /** Whether this tenant is locked shared: its works only add, and other nodes' adding works run beside them. */
    boolean shares(String tenantKey) {
        return tenantKey != null && shared.contains(tenantKey);
    }

    /** A shared tenant's tenant-wide counter: its committed value as first read, plus what this transaction added. */
    long sharedCounter(UsageCounters.Counted counted, String tenantKey, Supplier<Long> read) {
        UsageCounters.Key key = new UsageCounters.Key(counted, tenantKey);
        long base = sharedBases.computeIfAbsent(key, k -> read.get());
        return base + sharedAdded.getOrDefault(key, 0L) + sharedAddedInWork.getOrDefault(key, 0L);
    }

    /** A work checked the shared counter against {@code limit}: after the commit it may hold at most that. */
    void sharedLimit(UsageCounters.Counted counted, String tenantKey, long limit) {
        sharedLimits.merge(new UsageCounters.Key(counted, tenantKey), limit, Math::min);
    }

    /** Adds to a shared tenant's counter when the transaction ends ({@link #settleCounters}). */
    void addShared(UsageCounters.Counted counted, String tenantKey, long delta) {
        if (delta <= 0) throw new IllegalStateException("an adding write took " + -delta + " from " + counted + " of " + tenantKey);
        sharedAddedInWork.merge(new UsageCounters.Key(counted, tenantKey), delta, Long::sum);
    }

    /**
     * Makes the shared counters' additions, in key order, under their row locks (held to the commit). False when a
     * counter now passes a limit a work checked it against: another node's adding works landed since it was read,
     * so some check here rested on a count that no longer holds, and the transaction must not commit.
     */
    boolean settleCounters() {
        if (sharedAdded.isEmpty()) return true;
        Map<UsageCounters.Key, Long> after = UsageCounters.addAllReturning(handle, sharedAdded);
        for (UsageCounters.Key key : sharedAdded.keySet()) {
            Long limit = sharedLimits.get(key);
            if (limit != null && after.get(key) > limit) return false;
        }
        return true;
    }

    /** A counter's value; on PostgreSQL remembered only for a tenant-wide counter of a guarded tenant. */
    long counter(UsageCounters.Counted counted, String scopeId, Supplier<Long> read) {
        UsageCounters.Key key = new UsageCounters.Key(counted, scopeId);
        Long known = counters.get(key);
        if (known != null) return known;
        long value = read.get();
        // A shared tenant's counter can move under this transaction (ADR 0040): it goes through sharedCounter instead.
        if (counted.tenantWide() ? guards(scopeId) && !shares(scopeId) : dialect == Dialect.SQLITE) counters.put(key, value);
        return value;
    }

    void counterAdded(UsageCounters.Counted counted, String scopeId, long delta) {
        counters.computeIfPresent(new UsageCounters.Key(counted, scopeId), (k, v) -> v + delta);
    }

    void counterDropped(UsageCounters.Counted counted, String scopeId) {
        counters.remove(new UsageCounters.Key(counted, scopeId));
    }

    /** A tenant went, or many rows at once: forget every row remembered. */
    void forgetRows() {
        tenants.clear();
        domains.clear();
        counters.clear();
    }

    /** A work is about to run (in its savepoint, or alone); {@code ofSharedTenant}: its tenant is locked shared. */
    void workStarts(boolean ofSharedTenant) {
        numberedInWork.clear();
        sharedAddedInWork.clear();
        currentWorkShares = ofSharedTenant;
    }

    /** Whether the running work is of a tenant locked shared, and so may only add. */
    boolean currentWorkShares() {
        return currentWorkShares;
    }

    /** The current work finished: what it added to shared counters waits with the finished works' additions. */
    void workFinished() {
        sharedAddedInWork.forEach((key, delta) -> sharedAdded.merge(key, delta, Long::sum));
        sharedAddedInWork.clear();
    }

    /** The current work was rolled back to its savepoint: what it may have changed is forgotten or put back. */
    void workRolledBack() {
        sharedAddedInWork.clear();
        forgetRows();
        unnumbered.addAll(0, numberedInWork);
        numberedInWork.clear();
    }

    /** The current work finished with these entries. */
    void journalled(List<SqlJournalRecords.Unnumbered> entries) {
        unnumbered.addAll(entries);
    }

    /** Numbers and writes the finished works' entries (before the commit, or before the journal's position is read). */
    void numberJournal() {
        if (unnumbered.isEmpty()) return;
        SqlJournalRecords.number(handle, unnumbered);
        numberedInWork.addAll(unnumbered);
        unnumbered.clear();
    }
}
