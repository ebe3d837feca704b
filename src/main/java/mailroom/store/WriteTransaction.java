package mailroom.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 */
final class WriteTransaction {
    private final Handle handle;
    private final Dialect dialect;
    /** Tenants locked with a group commit's batch before its works ran; null: none, a work takes its own. */
    private final Set<String> batchLocks;
    private final Set<String> locked = new HashSet<>();
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final Map<String, Domain> domains = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    /** Entries of the works that finished, waiting for their numbers. */
    private final List<SqlJournalRecords.Unnumbered> unnumbered = new ArrayList<>();
    /** Entries numbered while the current work ran (a work that reads the journal's position numbers those before it). */
    private final List<SqlJournalRecords.Unnumbered> numberedInWork = new ArrayList<>();

    WriteTransaction(Handle handle, Dialect dialect, Set<String> batchLocks) {
        this.handle = handle;
        this.dialect = dialect;
        this.batchLocks = batchLocks;
        if (batchLocks != null) locked.addAll(batchLocks);
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

    /** A counter's value; on PostgreSQL remembered only for a tenant-wide counter of a guarded tenant. */
    long counter(UsageCounters.Counted counted, String scopeId, Supplier<Long> read) {
        String key = counterKey(counted, scopeId);
        Long known = counters.get(key);
        if (known != null) return known;
        long value = read.get();
        if (counted.tenantWide() ? guards(scopeId) : dialect == Dialect.SQLITE) counters.put(key, value);
        return value;
    }

    void counterAdded(UsageCounters.Counted counted, String scopeId, long delta) {
        counters.computeIfPresent(counterKey(counted, scopeId), (k, v) -> v + delta);
    }

    void counterDropped(UsageCounters.Counted counted, String scopeId) {
        counters.remove(counterKey(counted, scopeId));
    }

    private static String counterKey(UsageCounters.Counted counted, String scopeId) {
        return counted.name() + ' ' + scopeId;
    }

    /** A tenant went, or many rows at once: forget every row remembered. */
    void forgetRows() {
        tenants.clear();
        domains.clear();
        counters.clear();
    }

    /** A work is about to run in its savepoint. */
    void workStarts() {
        numberedInWork.clear();
    }

    /** The current work was rolled back to its savepoint: what it may have changed is forgotten or put back. */
    void workRolledBack() {
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
